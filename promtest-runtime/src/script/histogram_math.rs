//! Histogram arithmetic the series notation needs: `{{a}}+{{b}}xN` and `{{a}}-{{b}}xN`.
//!
//! Follows Prometheus's `FloatHistogram.Add/Sub`: the increment is brought down to the
//! accumulated histogram's schema, buckets missing on the left are inserted next to an
//! adjacent span or as new spans, and counter-reset hints are reconciled.

use crate::model::histogram_math::{
    adjust_counter_reset, collapse, common_bounds, compact, expand, exponential_bound, reduce,
    zero_for_threshold,
};
use crate::model::{FloatHistogram, Span};

/// Adds `other` (negated when `negative`) into the spans and counts of one side,
/// as Prometheus's `addBuckets`: an index already present is summed; a new one
/// extends the span just before it, else the span just after it, else starts a span.
/// Leading buckets of `other` inside the zero bucket (`threshold`) are ignored.
fn add_buckets(
    spans: &[Span],
    counts: &[f64],
    other: &[(i32, f64)],
    exponential: bool,
    schema: i32,
    threshold: f64,
    negative: bool,
) -> (Vec<Span>, Vec<f64>) {
    // Each span as (absolute start index, counts).
    let mut runs: Vec<(i32, Vec<f64>)> = Vec::new();
    let mut idx = 0i32;
    let mut k = 0usize;
    for span in spans {
        idx += span.offset;
        let n = span.length as usize;
        let end = (k + n).min(counts.len());
        runs.push((idx, counts[k.min(end)..end].to_vec()));
        k += n;
        idx += span.length as i32;
    }
    let mut below_threshold = true;
    for &(bidx, c) in other {
        if below_threshold && exponential && exponential_bound(bidx, schema) <= threshold {
            continue;
        }
        below_threshold = false;
        let c = if negative { -c } else { c };
        // The first run ending at or after `bidx`.
        let pos = runs.partition_point(|(start, v)| start + v.len() as i32 <= bidx);
        if let Some((start, v)) = runs.get_mut(pos) {
            if *start <= bidx {
                v[(bidx - *start) as usize] += c;
                continue;
            }
        }
        if pos > 0 && runs[pos - 1].0 + runs[pos - 1].1.len() as i32 == bidx {
            runs[pos - 1].1.push(c);
        } else if pos < runs.len() && runs[pos].0 == bidx + 1 {
            runs[pos].0 = bidx;
            runs[pos].1.insert(0, c);
        } else {
            runs.insert(pos, (bidx, vec![c]));
        }
    }
    let mut out_spans = Vec::with_capacity(runs.len());
    let mut out_counts = Vec::new();
    let mut prev_end = 0i32;
    for (start, v) in runs {
        out_spans.push(Span {
            offset: start - prev_end,
            length: v.len() as u32,
        });
        prev_end = start + v.len() as i32;
        out_counts.extend(v);
    }
    (out_spans, out_counts)
}

/// The zero count `h` has with its zero bucket widened to at least `larger`, and the
/// width actually used (widened further when `larger` falls inside a populated bucket).
fn zero_count_for_larger_threshold(h: &FloatHistogram, larger: f64) -> (f64, f64) {
    if larger == h.zero_threshold {
        return (h.zero_count, larger);
    }
    zero_for_threshold(
        h.zero_count,
        &expand(&h.positive_spans, &h.positive_buckets),
        &expand(&h.negative_spans, &h.negative_buckets),
        h.schema,
        larger,
    )
}

/// Widens the zero buckets of `h` and `other` to a common width, as Prometheus's
/// `reconcileZeroBuckets`: `h` is changed in place (buckets now inside its zero
/// bucket are dropped); the zero count `other` would have is returned.
fn reconcile_zero_buckets(h: &mut FloatHistogram, other: &FloatHistogram) -> f64 {
    let mut other_count = other.zero_count;
    let mut other_threshold = other.zero_threshold;
    // NaN widths never compare equal (nor larger): leave them as they are.
    if other_threshold.is_nan() || h.zero_threshold.is_nan() {
        return other_count;
    }
    // Each round widens one side to a bucket boundary of the other, so this ends
    // quickly; the bound only guards against surprises.
    for _ in 0..10_000 {
        if other_threshold == h.zero_threshold {
            break;
        }
        if h.zero_threshold > other_threshold {
            (other_count, other_threshold) =
                zero_count_for_larger_threshold(other, h.zero_threshold);
        }
        if other_threshold > h.zero_threshold {
            (h.zero_count, h.zero_threshold) = zero_count_for_larger_threshold(h, other_threshold);
            let (schema, threshold) = (h.schema, h.zero_threshold);
            let inside = |idx: i32| exponential_bound(idx - 1, schema) < threshold;
            let list = expand(&h.positive_spans, &h.positive_buckets);
            for (k, (idx, _)) in list.into_iter().enumerate() {
                if inside(idx) {
                    h.positive_buckets[k] = 0.0;
                }
            }
            let list = expand(&h.negative_spans, &h.negative_buckets);
            for (k, (idx, _)) in list.into_iter().enumerate() {
                if inside(idx) {
                    h.negative_buckets[k] = 0.0;
                }
            }
            compact(h);
        }
    }
    other_count
}

/// Adds (or subtracts) custom-bucket histograms with different bounds, as Prometheus
/// does: both are mapped onto the bounds they share, empty buckets are left out.
fn add_mismatched_custom_buckets(h: &mut FloatHistogram, other: &FloatHistogram, subtract: bool) {
    let bounds = common_bounds(&h.custom_values, &other.custom_values);
    let mut target = vec![0.0; bounds.len() + 1];
    let mut map = |spans: &[Span], counts: &[f64], own: &[f64], sign: f64| {
        let mut k = 0;
        for (idx, c) in expand(spans, counts) {
            let mut t = target.len() - 1; // the +Inf bucket
            if let Some(&bound) = usize::try_from(idx).ok().and_then(|i| own.get(i)) {
                while k < bounds.len() {
                    if bounds[k] >= bound {
                        t = k;
                        break;
                    }
                    k += 1;
                }
            }
            target[t] += sign * c;
        }
    };
    map(
        &h.positive_spans,
        &h.positive_buckets,
        &h.custom_values,
        1.0,
    );
    let sign = if subtract { -1.0 } else { 1.0 };
    map(
        &other.positive_spans,
        &other.positive_buckets,
        &other.custom_values,
        sign,
    );
    let list: Vec<(i32, f64)> = target
        .into_iter()
        .enumerate()
        .filter(|(_, c)| *c != 0.0)
        .map(|(i, c)| (i as i32, c))
        .collect();
    (h.positive_spans, h.positive_buckets) = collapse(&list);
    h.custom_values = bounds;
}

/// `h + other` (or `h - other` when `subtract`), as Prometheus combines histograms
/// in series notation. `h.schema` must not be finer than `other.schema`.
pub(crate) fn combine(
    h: &FloatHistogram,
    other: &FloatHistogram,
    subtract: bool,
) -> Result<FloatHistogram, String> {
    if h.uses_custom_buckets() != other.uses_custom_buckets() {
        return Err("cannot apply this operation on histograms with a mix of exponential and custom bucket schemas".to_string());
    }
    let mut out = h.clone();
    adjust_counter_reset(&mut out.counter_reset_hint, other.counter_reset_hint);
    let sign = if subtract { -1.0 } else { 1.0 };
    out.count += sign * other.count;
    out.sum += sign * other.sum;
    if out.uses_custom_buckets() {
        if out.custom_values != other.custom_values {
            add_mismatched_custom_buckets(&mut out, other, subtract);
            return Ok(out);
        }
        let list = expand(&other.positive_spans, &other.positive_buckets);
        (out.positive_spans, out.positive_buckets) = add_buckets(
            &out.positive_spans,
            &out.positive_buckets,
            &list,
            false,
            out.schema,
            0.0,
            subtract,
        );
        return Ok(out);
    }
    let other_zero_count = reconcile_zero_buckets(&mut out, other);
    out.zero_count += sign * other_zero_count;
    let pos = reduce(
        &expand(&other.positive_spans, &other.positive_buckets),
        other.schema,
        out.schema,
    );
    let neg = reduce(
        &expand(&other.negative_spans, &other.negative_buckets),
        other.schema,
        out.schema,
    );
    (out.positive_spans, out.positive_buckets) = add_buckets(
        &out.positive_spans,
        &out.positive_buckets,
        &pos,
        true,
        out.schema,
        out.zero_threshold,
        subtract,
    );
    (out.negative_spans, out.negative_buckets) = add_buckets(
        &out.negative_spans,
        &out.negative_buckets,
        &neg,
        true,
        out.schema,
        out.zero_threshold,
        subtract,
    );
    Ok(out)
}

/// The values of `base+incxN` (or `base-incxN`): `N+1` histograms starting at `base`.
pub(crate) fn histogram_series(
    base: &FloatHistogram,
    inc: &FloatHistogram,
    times: usize,
    subtract: bool,
) -> Result<Vec<FloatHistogram>, String> {
    let mut out = Vec::with_capacity(times + 1);
    out.push(base.clone());
    let mut cur = base.clone();
    for _ in 0..times {
        if cur.schema > inc.schema {
            return Err(format!(
                "error combining histograms: cannot merge from schema {} to {}",
                inc.schema, cur.schema
            ));
        }
        cur = combine(&cur, inc, subtract)?;
        out.push(cur.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::histogram_math::compact_with_gaps;
    use crate::model::CounterResetHint;

    fn h(schema: i32, spans: &[(i32, u32)], counts: &[f64]) -> FloatHistogram {
        FloatHistogram {
            schema,
            positive_spans: spans
                .iter()
                .map(|&(offset, length)| Span { offset, length })
                .collect(),
            positive_buckets: counts.to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn add_merges_overlapping_and_adjacent_buckets() {
        let a = h(0, &[(0, 3)], &[1.0, 2.0, 1.0]);
        let b = h(0, &[(1, 1)], &[1.0]);
        let r = combine(&a, &b, false).unwrap();
        assert_eq!(r.positive_buckets, vec![1.0, 3.0, 1.0]);
        let c = h(0, &[(3, 2)], &[5.0, 6.0]);
        let r = combine(&a, &c, false).unwrap();
        assert_eq!(
            r.positive_spans,
            vec![Span {
                offset: 0,
                length: 5
            }]
        );
        assert_eq!(r.positive_buckets, vec![1.0, 2.0, 1.0, 5.0, 6.0]);
    }

    #[test]
    fn add_makes_new_spans_for_gaps() {
        let a = h(0, &[(0, 2)], &[1.0, 1.0]);
        let b = h(0, &[(5, 1), (2, 1)], &[2.0, 3.0]);
        let r = combine(&a, &b, false).unwrap();
        assert_eq!(
            r.positive_spans,
            vec![
                Span {
                    offset: 0,
                    length: 2
                },
                Span {
                    offset: 3,
                    length: 1
                },
                Span {
                    offset: 2,
                    length: 1
                }
            ]
        );
        assert_eq!(r.positive_buckets, vec![1.0, 1.0, 2.0, 3.0]);
        let before = h(0, &[(-3, 1)], &[4.0]);
        let r = combine(&a, &before, false).unwrap();
        assert_eq!(
            r.positive_spans[0],
            Span {
                offset: -3,
                length: 1
            }
        );
        assert_eq!(
            r.positive_spans[1],
            Span {
                offset: 2,
                length: 2
            }
        );
    }

    #[test]
    fn finer_increment_is_reduced() {
        // schema -1 bucket 1 covers schema 0 buckets 1 and 2.
        let a = h(-1, &[(1, 1)], &[1.0]);
        let b = h(0, &[(1, 2)], &[2.0, 2.0]);
        let r = combine(&a, &b, false).unwrap();
        assert_eq!(r.schema, -1);
        assert_eq!(
            r.positive_spans,
            vec![Span {
                offset: 1,
                length: 1
            }]
        );
        assert_eq!(r.positive_buckets, vec![5.0]);
    }

    #[test]
    fn series_and_subtraction() {
        let base = h(0, &[(0, 1)], &[10.0]);
        let inc = h(0, &[(0, 1)], &[1.0]);
        let up = histogram_series(&base, &inc, 2, false).unwrap();
        assert_eq!(
            up.iter().map(|h| h.positive_buckets[0]).collect::<Vec<_>>(),
            vec![10.0, 11.0, 12.0]
        );
        let down = histogram_series(&base, &inc, 1, true).unwrap();
        assert_eq!(down[1].positive_buckets, vec![9.0]);
        let coarse = h(-1, &[], &[]);
        assert!(histogram_series(&base, &coarse, 1, false).is_err());
    }

    #[test]
    fn counter_reset_hints_reconcile() {
        let mut g = h(0, &[], &[]);
        g.counter_reset_hint = CounterResetHint::Gauge;
        let c = h(0, &[], &[]);
        assert_eq!(
            combine(&c, &g, false).unwrap().counter_reset_hint,
            CounterResetHint::Gauge
        );
        let mut r = h(0, &[], &[]);
        r.counter_reset_hint = CounterResetHint::CounterReset;
        let mut n = h(0, &[], &[]);
        n.counter_reset_hint = CounterResetHint::NotCounterReset;
        assert_eq!(
            combine(&r, &n, false).unwrap().counter_reset_hint,
            CounterResetHint::Unknown
        );
    }

    #[test]
    fn zero_buckets_are_reconciled() {
        // Schema 0: bucket 0 is (0.5, 1], bucket 1 is (1, 2].
        let mut a = h(0, &[(0, 2)], &[3.0, 4.0]);
        a.zero_threshold = 0.001;
        a.zero_count = 1.0;
        let mut b = h(0, &[(1, 1)], &[5.0]);
        b.zero_threshold = 1.0;
        b.zero_count = 2.0;
        let r = combine(&a, &b, false).unwrap();
        assert_eq!(r.zero_threshold, 1.0);
        // a's bucket 0 moved into the zero bucket: 1 + 3, plus b's 2.
        assert_eq!(r.zero_count, 6.0);
        assert_eq!(
            r.positive_spans,
            vec![Span {
                offset: 1,
                length: 1
            }]
        );
        assert_eq!(r.positive_buckets, vec![9.0]);
        // A threshold inside a populated bucket widens to that bucket's upper bound.
        let mut c = h(0, &[(1, 1)], &[1.0]);
        c.zero_threshold = 1.5;
        let r = combine(&a, &c, false).unwrap();
        assert_eq!(r.zero_threshold, 2.0);
        assert_eq!(r.zero_count, 1.0 + 3.0 + 4.0 + 1.0);
        assert!(r.positive_buckets.is_empty());
    }

    #[test]
    fn nan_zero_width_and_extreme_schemas_do_not_hang_or_panic() {
        let mut a = h(0, &[(0, 1)], &[1.0]);
        a.zero_threshold = f64::NAN;
        let b = h(0, &[(0, 1)], &[1.0]);
        assert!(combine(&a, &b, false).is_ok());
        let coarse = h(-100, &[(0, 1)], &[1.0]);
        let fine = h(100, &[(5, 1)], &[1.0]);
        assert!(combine(&coarse, &fine, false).is_ok());
    }

    #[test]
    fn custom_buckets_with_different_bounds_meet_on_shared_bounds() {
        let mut a = h(-53, &[(0, 3)], &[1.0, 2.0, 3.0]);
        a.custom_values = vec![5.0, 10.0];
        let mut b = h(-53, &[(0, 3)], &[10.0, 20.0, 30.0]);
        b.custom_values = vec![10.0, 20.0];
        let r = combine(&a, &b, false).unwrap();
        assert_eq!(r.custom_values, vec![10.0]);
        // a: (..5]+(5..10] -> (..10]; +Inf stays. b: (..10] -> (..10]; (10..20], +Inf -> +Inf.
        assert_eq!(r.positive_buckets, vec![13.0, 53.0]);
        assert_eq!(
            r.positive_spans,
            vec![Span {
                offset: 0,
                length: 2
            }]
        );
    }

    #[test]
    fn compaction() {
        let mut x = h(0, &[(0, 6)], &[0.0, 1.0, 0.0, 0.0, 2.0, 0.0]);
        compact(&mut x);
        assert_eq!(
            x.positive_spans,
            vec![
                Span {
                    offset: 1,
                    length: 1
                },
                Span {
                    offset: 2,
                    length: 1
                }
            ]
        );
        assert_eq!(x.positive_buckets, vec![1.0, 2.0]);
        let mut y = h(0, &[(0, 6)], &[0.0, 1.0, 0.0, 0.0, 2.0, 0.0]);
        compact_with_gaps(&mut y, 2);
        assert_eq!(
            y.positive_spans,
            vec![Span {
                offset: 1,
                length: 4
            }]
        );
        assert_eq!(y.positive_buckets, vec![1.0, 0.0, 0.0, 2.0]);
    }
}
