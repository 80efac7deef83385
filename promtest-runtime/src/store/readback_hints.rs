//! The counter-reset hints histograms carry when Prometheus's TSDB reads them back.
//!
//! promqltest loads samples through the TSDB head, and queries see what its chunks
//! return: every histogram of a gauge chunk is a gauge; in a counter chunk the first
//! histogram is `unknown` and the rest `not_reset`. A new chunk starts with the first
//! histogram of a series, after a float sample or a stale marker, on a switch between
//! gauge and counter histograms, on a schema or zero-bucket-width change, and on a
//! counter reset (explicit `counter_reset_hint:reset`, or a count, zero bucket or
//! bucket that went down or disappeared). Chunks the TSDB cuts for size are not modelled.

use crate::model::{is_stale_nan, CounterResetHint, FloatHistogram, Sample, SampleValue};

use crate::model::histogram_math::expand;

/// What the series' head chunk last received.
enum Last<'a> {
    /// Nothing yet, or a float sample (histograms then start a new chunk).
    NoHistogram,
    /// A stale marker after histograms: only stale samples may follow in that chunk.
    StaleHistogram,
    /// A histogram, in a gauge chunk or a counter chunk.
    Histogram { h: &'a FloatHistogram, gauge: bool },
}

/// Whether appending `h` after `prev` in a counter chunk needs a new chunk
/// (a counter reset, or a layout the chunk cannot hold).
fn needs_new_chunk(prev: &FloatHistogram, h: &FloatHistogram) -> bool {
    if h.counter_reset_hint == CounterResetHint::CounterReset || h.count < prev.count {
        return true;
    }
    if h.schema != prev.schema || h.zero_threshold != prev.zero_threshold {
        return true;
    }
    if h.uses_custom_buckets() && h.custom_values != prev.custom_values {
        return true;
    }
    if h.zero_count < prev.zero_count {
        return true;
    }
    bucket_went_down(
        &expand(&prev.positive_spans, &prev.positive_buckets),
        &expand(&h.positive_spans, &h.positive_buckets),
    ) || bucket_went_down(
        &expand(&prev.negative_spans, &prev.negative_buckets),
        &expand(&h.negative_spans, &h.negative_buckets),
    )
}

/// Whether a populated bucket of `prev` is missing from `cur` or has a smaller count there.
fn bucket_went_down(prev: &[(i32, f64)], cur: &[(i32, f64)]) -> bool {
    prev.iter().any(
        |&(idx, pc)| match cur.binary_search_by_key(&idx, |&(i, _)| i) {
            Ok(k) => pc > cur[k].1,
            Err(_) => pc != 0.0,
        },
    )
}

/// Sets the counter-reset hint of every histogram in `samples` (one series, in time
/// order) to what a query would read back from the TSDB.
pub(crate) fn set_readback_hints(samples: &mut [Sample]) {
    let mut hints = Vec::with_capacity(samples.len());
    let mut last = Last::NoHistogram;
    for s in samples.iter() {
        match &s.value {
            SampleValue::Float(f) => {
                last = match last {
                    Last::Histogram { .. } | Last::StaleHistogram if is_stale_nan(*f) => {
                        Last::StaleHistogram
                    }
                    _ => Last::NoHistogram,
                };
                hints.push(None);
            }
            SampleValue::Histogram(h) => {
                let gauge = h.counter_reset_hint == CounterResetHint::Gauge;
                let hint = if gauge {
                    CounterResetHint::Gauge
                } else {
                    match last {
                        Last::Histogram {
                            h: prev,
                            gauge: false,
                        } if !needs_new_chunk(prev, h) => CounterResetHint::NotCounterReset,
                        _ => CounterResetHint::Unknown,
                    }
                };
                hints.push(Some(hint));
                last = Last::Histogram { h, gauge };
            }
        }
    }
    for (s, hint) in samples.iter_mut().zip(hints) {
        if let (SampleValue::Histogram(h), Some(hint)) = (&mut s.value, hint) {
            if h.counter_reset_hint != hint {
                std::sync::Arc::make_mut(h).counter_reset_hint = hint;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{stale_nan, Span};

    fn hist(count: f64, buckets: &[f64], hint: CounterResetHint) -> SampleValue {
        SampleValue::Histogram(Arc::new(FloatHistogram {
            count,
            counter_reset_hint: hint,
            positive_spans: if buckets.is_empty() {
                vec![]
            } else {
                vec![Span {
                    offset: 0,
                    length: buckets.len() as u32,
                }]
            },
            positive_buckets: buckets.to_vec(),
            ..Default::default()
        }))
    }

    fn hints(values: Vec<SampleValue>) -> Vec<Option<CounterResetHint>> {
        let mut samples: Vec<Sample> = values
            .into_iter()
            .enumerate()
            .map(|(i, value)| Sample {
                t: i as i64,
                st: 0,
                value,
            })
            .collect();
        set_readback_hints(&mut samples);
        samples
            .iter()
            .map(|s| match &s.value {
                SampleValue::Histogram(h) => Some(h.counter_reset_hint),
                SampleValue::Float(_) => None,
            })
            .collect()
    }

    use CounterResetHint::{CounterReset as R, Gauge as G, NotCounterReset as N, Unknown as U};

    #[test]
    fn counters_read_back_unknown_then_not_reset() {
        let v = hints(vec![
            hist(0.0, &[], U),
            hist(1.0, &[], U),
            hist(2.0, &[], N),
        ]);
        assert_eq!(v, vec![Some(U), Some(N), Some(N)]);
    }

    #[test]
    fn resets_start_a_new_chunk() {
        let v = hints(vec![
            hist(5.0, &[5.0], U),
            hist(10.0, &[10.0], U),
            hist(2.0, &[2.0], R),
            hist(6.0, &[6.0], U),
            hist(7.0, &[5.0, 2.0], U),
            hist(8.0, &[0.0, 8.0], U),
        ]);
        assert_eq!(
            v,
            vec![Some(U), Some(N), Some(U), Some(N), Some(U), Some(U)]
        );
    }

    #[test]
    fn gauges_floats_and_stale_markers() {
        let v = hints(vec![
            hist(1.0, &[], G),
            hist(2.0, &[], U),
            SampleValue::Float(stale_nan()),
            hist(3.0, &[], U),
            SampleValue::Float(1.0),
            hist(4.0, &[], U),
            hist(5.0, &[], U),
        ]);
        assert_eq!(
            v,
            vec![Some(G), Some(U), None, Some(U), None, Some(U), Some(N)]
        );
    }
}
