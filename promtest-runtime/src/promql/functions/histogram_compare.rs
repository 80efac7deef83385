//! Comparing two native histograms without arithmetic: structural equality (`changes`) and
//! counter-reset detection (`resets`), as Go's `FloatHistogram.Equals` and `DetectReset`.

use crate::model::histogram::Span;
use crate::model::{CounterResetHint, FloatHistogram};

/// Spans equal after skipping zero-length spans (Go's `spansMatch`).
fn spans_match(a: &[Span], b: &[Span]) -> bool {
    // Folds zero-length spans into the next span's offset.
    fn normalized(spans: &[Span]) -> Vec<Span> {
        let mut out = Vec::new();
        let mut pending = 0;
        for s in spans {
            if s.length == 0 {
                pending += s.offset;
            } else {
                out.push(Span {
                    offset: s.offset + pending,
                    length: s.length,
                });
                pending = 0;
            }
        }
        out
    }
    normalized(a) == normalized(b)
}

fn same_bits(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

fn buckets_match(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_bits(*x, *y))
}

/// Structural equality, comparing floats bit for bit and ignoring the counter-reset hint.
pub fn histograms_equal(a: &FloatHistogram, b: &FloatHistogram) -> bool {
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

/// The buckets of one side as `(index, count)` in index order.
fn buckets(spans: &[Span], counts: &[f64]) -> Vec<(i32, f64)> {
    let mut out = Vec::with_capacity(counts.len());
    let mut idx = 0i32;
    let mut counts = counts.iter();
    for (n, s) in spans.iter().enumerate() {
        idx = if n == 0 {
            s.offset
        } else {
            idx.saturating_add(s.offset)
        };
        for _ in 0..s.length {
            match counts.next() {
                Some(&c) => out.push((idx, c)),
                None => return out,
            }
            idx = idx.saturating_add(1);
        }
    }
    out
}

/// The upper bound of exponential bucket `idx` at `schema`: `2^(idx * 2^-schema)`.
pub(crate) fn exp_upper(idx: i32, schema: i32) -> f64 {
    (f64::from(idx) * (-f64::from(schema)).exp2()).exp2()
}

/// The index at `target` schema of bucket `idx` at the finer `origin` schema.
pub(crate) fn reduce_index(idx: i32, origin: i32, target: i32) -> i32 {
    let shift = u32::try_from(origin.saturating_sub(target))
        .unwrap_or(0)
        .min(31);
    (idx.saturating_sub(1) >> shift).saturating_add(1)
}

/// The zero count of `h` widened to `threshold`, and the threshold actually reached (wider
/// when it falls inside a populated bucket; Go's `zeroCountForLargerThreshold`).
fn zero_count_for_threshold(h: &FloatHistogram, mut threshold: f64) -> (f64, f64) {
    if threshold == h.zero_threshold {
        return (h.zero_count, threshold);
    }
    let pos = buckets(&h.positive_spans, &h.positive_buckets);
    let neg = buckets(&h.negative_spans, &h.negative_buckets);
    loop {
        let mut count = h.zero_count;
        let before = threshold;
        for side in [&pos, &neg] {
            for &(idx, c) in side {
                let (lower, upper) = (
                    exp_upper(idx.saturating_sub(1), h.schema),
                    exp_upper(idx, h.schema),
                );
                if lower >= threshold {
                    break;
                }
                count += c;
                if upper > threshold {
                    if c != 0.0 {
                        threshold = upper;
                    }
                    break;
                }
            }
        }
        if threshold.partial_cmp(&before) != Some(std::cmp::Ordering::Greater) {
            return (count, threshold);
        }
    }
}

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
        if exp_upper(t, schema) <= threshold {
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
    let cur_b = buckets(&cur.positive_spans, &cur.positive_buckets);
    let prev_b = buckets(&prev.positive_spans, &prev.positive_buckets);
    let mut shared: Vec<f64> = cur
        .custom_values
        .iter()
        .copied()
        .filter(|b| prev.custom_values.contains(b))
        .collect();
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
pub fn detect_reset(cur: &FloatHistogram, prev: &FloatHistogram) -> bool {
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
            return nhcb_decreased(cur, prev);
        }
    }
    if cur.schema > prev.schema || cur.zero_threshold < prev.zero_threshold {
        return true;
    }
    let (prev_zero, threshold) = zero_count_for_threshold(prev, cur.zero_threshold);
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
            &buckets(cs, cb),
            &buckets(ps, pb),
            prev.schema,
            cur.schema,
            threshold,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(!detect_reset(&grown, &prev));
        let shifted = hist(0, &[(1, 2)], &[2.0, 3.0]);
        assert!(detect_reset(&shifted, &prev));
        // A coarser schema merges buckets 1 and 2 of the previous histogram into bucket 1.
        let fine = hist(1, &[(1, 2)], &[1.0, 1.0]);
        let coarse = hist(0, &[(1, 1)], &[2.0]);
        assert!(!detect_reset(&coarse, &fine));
        assert!(detect_reset(&fine, &coarse));
    }

    #[test]
    fn resets_between_custom_bounds() {
        let mut prev = hist(-53, &[(0, 2)], &[1.0, 0.0]);
        prev.custom_values = vec![5.0, 10.0];
        let mut cur = hist(-53, &[(0, 1)], &[1.0]);
        cur.custom_values = vec![5.0];
        assert!(!detect_reset(&cur, &prev));
        cur.positive_buckets = vec![0.0];
        cur.count = 1.0;
        cur.positive_spans = vec![Span {
            offset: 1,
            length: 1,
        }];
        cur.positive_buckets = vec![1.0];
        assert!(detect_reset(&cur, &prev));
    }

    #[test]
    fn nan_zero_threshold_terminates() {
        let prev = hist(0, &[(0, 2)], &[2.0, 2.0]);
        let mut cur = hist(0, &[(0, 2)], &[2.0, 2.0]);
        cur.zero_threshold = f64::NAN;
        // A NaN threshold never equals itself: the widening loop must still stop.
        assert!(detect_reset(&cur, &prev));
    }
}
