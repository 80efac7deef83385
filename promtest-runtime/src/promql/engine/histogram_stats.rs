//! Reading histograms as statistics only (count and sum), as Prometheus does below
//! `histogram_count`/`histogram_sum`/`histogram_avg` (`HistogramStatsIterator`): buckets are
//! dropped, and an unknown counter-reset hint is replaced by one detected against the
//! previously read histogram of the series.

use std::sync::Arc;

use crate::model::histogram_math::detect_reset;
use crate::model::{is_stale_nan, CounterResetHint, FloatHistogram, Sample, SampleValue};
use crate::store::{Columns, SampleSlice, ValueRef};

/// `samples` (read in order from the first) with histograms replaced by their statistics.
/// `bounds_change_is_reset`: the release's reset detection
/// ([`crate::Semantics::nhcb_bounds_change_is_reset`]).
pub(crate) fn stats_samples(samples: SampleSlice<'_>, bounds_change_is_reset: bool) -> Columns {
    let mut last: Option<&FloatHistogram> = None;
    let mut out = Columns::new();
    out.reserve(samples.len());
    for s in samples.iter() {
        let value = match s.value {
            ValueRef::Histogram(h) => {
                let stale = is_stale_nan(h.sum);
                let hint = match (h.counter_reset_hint, last) {
                    _ if stale => h.counter_reset_hint,
                    (CounterResetHint::Unknown, Some(prev)) => {
                        if detect_reset(h, prev, bounds_change_is_reset) {
                            CounterResetHint::CounterReset
                        } else {
                            CounterResetHint::NotCounterReset
                        }
                    }
                    (hint, _) => hint,
                };
                if !stale {
                    last = Some(h.as_ref());
                }
                SampleValue::Histogram(Arc::new(FloatHistogram {
                    counter_reset_hint: hint,
                    schema: h.schema,
                    count: h.count,
                    sum: h.sum,
                    ..Default::default()
                }))
            }
            v => v.to_owned(),
        };
        out.append(Sample {
            t: s.t,
            st: s.st,
            value,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(t: i64, count: f64) -> Sample {
        Sample {
            t,
            st: 0,
            value: SampleValue::Histogram(Arc::new(FloatHistogram {
                count,
                sum: count,
                positive_spans: vec![crate::model::Span {
                    offset: 0,
                    length: 1,
                }],
                positive_buckets: vec![count],
                ..Default::default()
            })),
        }
    }

    fn hint(s: &Sample) -> CounterResetHint {
        match &s.value {
            SampleValue::Histogram(h) => h.counter_reset_hint,
            _ => panic!("histogram expected"),
        }
    }

    #[test]
    fn detects_resets_while_reading() {
        let input: Columns = [h(1, 6.0), h(2, 2.0), h(3, 4.0)].into_iter().collect();
        let got: Vec<Sample> = stats_samples(input.all(), false)
            .all()
            .iter()
            .map(|s| s.to_sample())
            .collect();
        let hints: Vec<_> = got.iter().map(hint).collect();
        assert_eq!(
            hints,
            vec![
                CounterResetHint::Unknown,
                CounterResetHint::CounterReset,
                CounterResetHint::NotCounterReset
            ]
        );
        match &got[0].value {
            SampleValue::Histogram(x) => assert!(x.positive_buckets.is_empty()),
            _ => panic!(),
        }
    }
}
