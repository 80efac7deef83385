//! Custom-bucket (NHCB) histograms with different bounds in one operation, as the release
//! treats them: up to 3.5 they are incompatible (a warning, no result;
//! [`crate::Semantics::nhcb_mismatch_incompatible`]), HEAD reconciles them. The one check
//! the range functions share (`sum_over_time`, `avg_over_time`, `rate`, `increase`, `delta`,
//! `irate`, `idelta`).

use crate::model::{FloatHistogram, Labels};
use crate::promql::functions::annotate::incompatible_custom_buckets;
use crate::promql::functions::FunctionCall;

/// Whether `hs` all use custom buckets and some two have different bounds.
pub fn bounds_differ<'h>(hs: impl IntoIterator<Item = &'h FloatHistogram> + Clone) -> bool {
    let mut all = hs.clone().into_iter();
    let Some(first) = all.next() else {
        return false;
    };
    hs.clone().into_iter().all(|h| h.uses_custom_buckets())
        && all.any(|h| h.custom_values != first.custom_values)
}

/// Whether the release refuses to combine `hs` because their custom bounds differ.
pub fn refuses<'h>(
    call: &FunctionCall<'_>,
    hs: impl IntoIterator<Item = &'h FloatHistogram> + Clone,
) -> bool {
    call.semantics.nhcb_mismatch_incompatible && bounds_differ(hs)
}

/// The warning for refused bounds (`NewIncompatibleCustomBucketsHistogramsWarning`), at the
/// first argument.
pub fn warn_incompatible(call: &mut FunctionCall<'_>, metric: &Labels) {
    let span = call.arg_span(0);
    incompatible_custom_buckets(call.annotations, metric, span);
}

/// [`refuses`], warning if so.
pub fn refuse_mismatched_bounds<'h>(
    call: &mut FunctionCall<'_>,
    metric: &Labels,
    hs: impl IntoIterator<Item = &'h FloatHistogram> + Clone,
) -> bool {
    let refused = refuses(call, hs);
    if refused {
        warn_incompatible(call, metric);
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::histogram::CUSTOM_BUCKETS_SCHEMA;

    fn nhcb(bounds: &[f64]) -> FloatHistogram {
        FloatHistogram {
            schema: CUSTOM_BUCKETS_SCHEMA,
            custom_values: bounds.to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn differ_only_between_custom_bucket_histograms() {
        let (a, b) = (nhcb(&[1.0]), nhcb(&[5.0, 10.0]));
        assert!(bounds_differ([&a, &b]));
        assert!(!bounds_differ([&a, &a]));
        assert!(!bounds_differ([&a]));
        let exp = FloatHistogram::default();
        assert!(!bounds_differ([&a, &exp]));
    }
}
