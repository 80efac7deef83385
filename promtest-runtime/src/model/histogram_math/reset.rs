//! Counter-reset detection between two native histograms (Go's `FloatHistogram.DetectReset`),
//! as `resets`, `rate` and friends use it.

use super::bounds::exponential_bound;
use super::buckets::expand;
use super::combine::common_bounds;
use super::schema::reduce_index;
use super::zero_bucket::zero_for_threshold;
use crate::model::{CounterResetHint, FloatHistogram};

/// Whether some bucket of `prev` (reduced to `schema`, above `threshold`) holds more than
/// the same bucket of `cur`.
fn bucket_decreased(
    cur: &[(i32, f64)],
    prev: &[(i32, f64)],
    prev_schema: i32,
    schema: i32,
    threshold: f64,
) -> bool {
    let mut reduced: Vec<(i32, f64)> = Vec::with_capacity(prev.len());
    for &(idx, c) in prev {
        let t = reduce_index(idx, prev_schema, schema);
        if exponential_bound(t, schema) <= threshold {
            continue;
        }
        match reduced.last_mut() {
            Some(last) if last.0 == t => last.1 += c,
            _ => reduced.push((t, c)),
        }
    }
    reduced.iter().any(|&(idx, p)| {
        let c = cur.iter().find(|b| b.0 == idx).map_or(0.0, |b| b.1);
        c < p
    })
}

/// Custom-bucket histograms with different bounds: compares the counts rolled up to each
/// bound both share (and +Inf).
fn nhcb_decreased(cur: &FloatHistogram, prev: &FloatHistogram) -> bool {
    let upper = |h: &FloatHistogram, idx: i32| {
        usize::try_from(idx)
            .ok()
            .and_then(|i| h.custom_values.get(i).copied())
            .unwrap_or(f64::INFINITY)
    };
    let cur_b = expand(&cur.positive_spans, &cur.positive_buckets);
    let prev_b = expand(&prev.positive_spans, &prev.positive_buckets);
    let mut shared = common_bounds(&cur.custom_values, &prev.custom_values);
    shared.push(f64::INFINITY);
    let mut lower = f64::NEG_INFINITY;
    for bound in shared {
        let segment = |h: &FloatHistogram, b: &[(i32, f64)]| -> f64 {
            b.iter()
                .filter(|(i, _)| {
                    let u = upper(h, *i);
                    u > lower && u <= bound
                })
                .map(|(_, c)| c)
                .sum()
        };
        if segment(cur, &cur_b) < segment(prev, &prev_b) {
            return true;
        }
        lower = bound;
    }
    false
}

/// Whether `cur` follows a counter reset after `prev`: by hint, by a lower count, by a
/// finer schema or smaller zero bucket, or by any bucket whose count went down.
/// `bounds_change_is_reset`: custom-bucket histograms with different bounds are a reset
/// (3.5 and before, [`crate::Semantics::nhcb_bounds_change_is_reset`]) instead of being
/// compared at the bounds both share.
pub fn detect_reset(
    cur: &FloatHistogram,
    prev: &FloatHistogram,
    bounds_change_is_reset: bool,
) -> bool {
    match cur.counter_reset_hint {
        CounterResetHint::CounterReset => return true,
        CounterResetHint::NotCounterReset => return false,
        _ => {}
    }
    if cur.count < prev.count {
        return true;
    }
    if cur.uses_custom_buckets() {
        if !prev.uses_custom_buckets() {
            return true;
        }
        if cur.custom_values != prev.custom_values {
            return bounds_change_is_reset || nhcb_decreased(cur, prev);
        }
    }
    if cur.schema > prev.schema || cur.zero_threshold < prev.zero_threshold {
        return true;
    }
    let (prev_zero, threshold) = if cur.zero_threshold == prev.zero_threshold {
        (prev.zero_count, cur.zero_threshold)
    } else {
        zero_for_threshold(
            prev.zero_count,
            &expand(&prev.positive_spans, &prev.positive_buckets),
            &expand(&prev.negative_spans, &prev.negative_buckets),
            prev.schema,
            cur.zero_threshold,
        )
    };
    if threshold != cur.zero_threshold || cur.zero_count < prev_zero {
        return true;
    }
    let sides = [
        (
            &cur.positive_spans,
            &cur.positive_buckets,
            &prev.positive_spans,
            &prev.positive_buckets,
        ),
        (
            &cur.negative_spans,
            &cur.negative_buckets,
            &prev.negative_spans,
            &prev.negative_buckets,
        ),
    ];
    sides.iter().any(|(cs, cb, ps, pb)| {
        bucket_decreased(
            &expand(cs, cb),
            &expand(ps, pb),
            prev.schema,
            cur.schema,
            threshold,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::histogram_math::equals as histograms_equal;
    use crate::model::Span;

    fn hist(schema: i32, spans: &[(i32, u32)], counts: &[f64]) -> FloatHistogram {
        FloatHistogram {
            schema,
            count: counts.iter().sum(),
            positive_spans: spans
                .iter()
                .map(|&(offset, length)| Span { offset, length })
                .collect(),
            positive_buckets: counts.to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn equality_ignores_zero_length_spans() {
        let a = hist(0, &[(1, 2)], &[1.0, 2.0]);
        let mut b = hist(0, &[(0, 0), (1, 2)], &[1.0, 2.0]);
        assert!(histograms_equal(&a, &b));
        b.positive_buckets[1] = 3.0;
        assert!(!histograms_equal(&a, &b));
    }

    #[test]
    fn resets_by_bucket_count_and_schema() {
        let prev = hist(0, &[(0, 2)], &[2.0, 2.0]);
        let grown = hist(0, &[(0, 2)], &[3.0, 2.0]);
        assert!(!detect_reset(&grown, &prev, false));
        let shifted = hist(0, &[(1, 2)], &[2.0, 3.0]);
        assert!(detect_reset(&shifted, &prev, false));
        // A coarser schema merges buckets 1 and 2 of the previous histogram into bucket 1.
        let fine = hist(1, &[(1, 2)], &[1.0, 1.0]);
        let coarse = hist(0, &[(1, 1)], &[2.0]);
        assert!(!detect_reset(&coarse, &fine, false));
        assert!(detect_reset(&fine, &coarse, false));
    }

    #[test]
    fn resets_between_custom_bounds() {
        let mut prev = hist(-53, &[(0, 2)], &[1.0, 0.0]);
        prev.custom_values = vec![5.0, 10.0];
        let mut cur = hist(-53, &[(0, 1)], &[1.0]);
        cur.custom_values = vec![5.0];
        assert!(!detect_reset(&cur, &prev, false));
        // Up to 3.5 any change of bounds is a reset.
        assert!(detect_reset(&cur, &prev, true));
        assert!(!detect_reset(&prev, &prev, true));
        cur.positive_buckets = vec![0.0];
        cur.count = 1.0;
        cur.positive_spans = vec![Span {
            offset: 1,
            length: 1,
        }];
        cur.positive_buckets = vec![1.0];
        assert!(detect_reset(&cur, &prev, false));
    }

    #[test]
    fn nan_zero_threshold_terminates() {
        let prev = hist(0, &[(0, 2)], &[2.0, 2.0]);
        let mut cur = hist(0, &[(0, 2)], &[2.0, 2.0]);
        cur.zero_threshold = f64::NAN;
        // A NaN threshold never equals itself: the widening loop must still stop.
        assert!(detect_reset(&cur, &prev, false));
    }
}
