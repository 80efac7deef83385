//! Comparing histograms: Prometheus's `Equals` and span matching.

use crate::model::{FloatHistogram, Span};

fn same_bits(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

fn buckets_match(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_bits(*x, *y))
}

/// Prometheus's `FloatHistogram.Equals`: same schema, zero bucket, custom bounds and bucket
/// layout (up to zero-length spans), floats compared bit for bit; the hint is ignored.
pub fn equals(a: &FloatHistogram, b: &FloatHistogram) -> bool {
    a.schema == b.schema
        && same_bits(a.count, b.count)
        && same_bits(a.sum, b.sum)
        && (!a.uses_custom_buckets() || a.custom_values == b.custom_values)
        && a.zero_threshold == b.zero_threshold
        && same_bits(a.zero_count, b.zero_count)
        && spans_match(&a.negative_spans, &b.negative_spans)
        && buckets_match(&a.negative_buckets, &b.negative_buckets)
        && spans_match(&a.positive_spans, &b.positive_spans)
        && buckets_match(&a.positive_buckets, &b.positive_buckets)
}

/// Spans describe the same buckets, ignoring zero-length spans (Go's `spansMatch`).
pub fn spans_match(a: &[Span], b: &[Span]) -> bool {
    let norm = |s: &[Span]| -> Vec<(i64, u32)> {
        let mut out: Vec<(i64, u32)> = Vec::new();
        let mut pending: i64 = 0;
        for sp in s {
            pending += i64::from(sp.offset);
            if sp.length > 0 {
                out.push((pending, sp.length));
                pending = 0;
            }
        }
        out
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(offset: i32, length: u32) -> Span {
        Span { offset, length }
    }

    #[test]
    fn zero_length_spans_fold_into_the_next_offset() {
        assert!(spans_match(
            &[span(1, 2), span(2, 0), span(3, 1)],
            &[span(1, 2), span(5, 1)]
        ));
        assert!(!spans_match(&[span(1, 2)], &[span(2, 2)]));
    }

    #[test]
    fn equality_is_bitwise_and_ignores_zero_length_spans() {
        let a = FloatHistogram {
            count: 1.0,
            positive_spans: vec![span(0, 1)],
            positive_buckets: vec![1.0],
            ..Default::default()
        };
        let mut b = a.clone();
        b.positive_spans = vec![span(0, 1), span(0, 0)];
        assert!(equals(&a, &b));
        b.positive_spans = vec![span(1, 1)];
        assert!(!equals(&a, &b));
        b.positive_spans = vec![span(0, 1)];
        b.count = f64::NAN;
        assert!(!equals(&a, &b));
    }
}
