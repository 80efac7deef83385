//! Comparison of native histograms and floats as promqltest does it (`compareNativeHistogram`,
//! `almost.Equal` with a relative epsilon of 1e-6).

use crate::model::{is_stale_nan, FloatHistogram, Span};

/// The relative error allowed between expected and actual sample values.
pub const DEFAULT_EPSILON: f64 = 0.000001;

/// Upstream's `almost.Equal`: relative comparison, NaN equals NaN (but the stale marker only
/// equals the stale marker).
pub fn almost_equal(a: f64, b: f64, epsilon: f64) -> bool {
    if a.is_nan() && b.is_nan() {
        return is_stale_nan(a) == is_stale_nan(b);
    }
    if a == b {
        return true;
    }
    let min_normal = f64::MIN_POSITIVE;
    let abs_sum = a.abs() + b.abs();
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || abs_sum < min_normal {
        return diff < epsilon * min_normal;
    }
    diff / abs_sum.min(f64::MAX) < epsilon
}

/// The buckets as (absolute index, count) pairs, in index order.
fn indexed(spans: &[Span], buckets: &[f64]) -> Vec<(i64, f64)> {
    let mut out = Vec::with_capacity(buckets.len());
    let mut idx: i64 = 0;
    let mut b = buckets.iter();
    // The first offset is the index of the first bucket; later ones are gaps after the previous span.
    for s in spans {
        idx += i64::from(s.offset);
        for _ in 0..s.length {
            match b.next() {
                Some(&c) => out.push((idx, c)),
                None => return out,
            }
            idx += 1;
        }
    }
    out
}

/// The buckets from the first to the last non-empty one as one dense run (the form
/// `TestExpression` prints after `Compact(MaxInt)`): the first index and the counts.
pub fn dense_buckets(spans: &[Span], buckets: &[f64]) -> Option<(i64, Vec<f64>)> {
    let nonzero: Vec<(i64, f64)> = indexed(spans, buckets)
        .into_iter()
        .filter(|&(_, c)| c != 0.0)
        .collect();
    let first = nonzero.first()?.0;
    let last = nonzero.last()?.0;
    let mut counts = vec![0.0; (last - first + 1) as usize];
    for (i, c) in nonzero {
        counts[(i - first) as usize] = c;
    }
    Some((first, counts))
}

/// `Compact(0)`: every empty bucket removed, adjacent buckets merged into spans.
pub fn compact0(spans: &[Span], buckets: &[f64]) -> (Vec<Span>, Vec<f64>) {
    let mut out_spans: Vec<Span> = Vec::new();
    let mut out_buckets = Vec::new();
    let mut next_idx: Option<i64> = None;
    for (i, c) in indexed(spans, buckets) {
        if c == 0.0 {
            continue;
        }
        match (next_idx, out_spans.last_mut()) {
            (Some(n), Some(last)) if n == i => last.length += 1,
            (Some(n), _) => out_spans.push(Span {
                offset: (i - n) as i32,
                length: 1,
            }),
            (None, _) => out_spans.push(Span {
                offset: i as i32,
                length: 1,
            }),
        }
        out_buckets.push(c);
        next_idx = Some(i + 1);
    }
    (out_spans, out_buckets)
}

fn buckets_match(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| almost_equal(*x, *y, DEFAULT_EPSILON))
}

/// Spans match when they describe the same buckets, ignoring zero-length spans.
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

/// Upstream's `compareNativeHistogram` on compacted copies: schema, count, sum, custom bounds,
/// zero bucket, spans and buckets; the counter-reset hint only when the expectation set it.
pub fn histograms_match(exp: &FloatHistogram, got: &FloatHistogram, hint_set: bool) -> bool {
    if exp.schema != got.schema
        || !almost_equal(exp.count, got.count, DEFAULT_EPSILON)
        || !almost_equal(exp.sum, got.sum, DEFAULT_EPSILON)
    {
        return false;
    }
    if exp.uses_custom_buckets() && exp.custom_values != got.custom_values {
        return false;
    }
    if exp.zero_threshold != got.zero_threshold
        || !almost_equal(exp.zero_count, got.zero_count, DEFAULT_EPSILON)
    {
        return false;
    }
    let (en_s, en_b) = compact0(&exp.negative_spans, &exp.negative_buckets);
    let (gn_s, gn_b) = compact0(&got.negative_spans, &got.negative_buckets);
    let (ep_s, ep_b) = compact0(&exp.positive_spans, &exp.positive_buckets);
    let (gp_s, gp_b) = compact0(&got.positive_spans, &got.positive_buckets);
    if !spans_match(&en_s, &gn_s)
        || !buckets_match(&en_b, &gn_b)
        || !spans_match(&ep_s, &gp_s)
        || !buckets_match(&ep_b, &gp_b)
    {
        return false;
    }
    !hint_set || exp.counter_reset_hint == got.counter_reset_hint
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{stale_nan, CounterResetHint};

    #[test]
    fn relative_epsilon() {
        assert!(almost_equal(1.0, 1.0000001, DEFAULT_EPSILON));
        assert!(!almost_equal(1.0, 1.001, DEFAULT_EPSILON));
        assert!(almost_equal(f64::NAN, f64::NAN, DEFAULT_EPSILON));
        assert!(!almost_equal(f64::NAN, stale_nan(), DEFAULT_EPSILON));
        assert!(almost_equal(stale_nan(), stale_nan(), DEFAULT_EPSILON));
        assert!(!almost_equal(0.0, 1e-300, DEFAULT_EPSILON));
        assert!(almost_equal(f64::INFINITY, f64::INFINITY, DEFAULT_EPSILON));
        assert!(!almost_equal(
            f64::INFINITY,
            f64::NEG_INFINITY,
            DEFAULT_EPSILON
        ));
    }

    fn h(spans: Vec<Span>, buckets: Vec<f64>) -> FloatHistogram {
        FloatHistogram {
            count: buckets.iter().sum(),
            positive_spans: spans,
            positive_buckets: buckets,
            ..Default::default()
        }
    }

    #[test]
    fn empty_buckets_and_span_layout_do_not_matter() {
        let a = h(
            vec![Span {
                offset: 0,
                length: 3,
            }],
            vec![1.0, 0.0, 2.0],
        );
        let b = h(
            vec![
                Span {
                    offset: 0,
                    length: 1,
                },
                Span {
                    offset: 1,
                    length: 1,
                },
            ],
            vec![1.0, 2.0],
        );
        assert!(histograms_match(&a, &b, false));
        let c = h(
            vec![Span {
                offset: 1,
                length: 2,
            }],
            vec![1.0, 2.0],
        );
        assert!(!histograms_match(&a, &c, false));
    }

    #[test]
    fn hint_only_checked_when_set() {
        let a = h(vec![], vec![]);
        let mut b = a.clone();
        b.counter_reset_hint = CounterResetHint::Gauge;
        assert!(histograms_match(&a, &b, false));
        assert!(!histograms_match(&a, &b, true));
    }

    #[test]
    fn compaction_and_dense_form() {
        let spans = vec![
            Span {
                offset: -2,
                length: 2,
            },
            Span {
                offset: 3,
                length: 2,
            },
        ];
        let (s, b) = compact0(&spans, &[0.0, 1.0, 2.0, 0.0]);
        assert_eq!(
            s,
            vec![
                Span {
                    offset: -1,
                    length: 1
                },
                Span {
                    offset: 3,
                    length: 1
                }
            ]
        );
        assert_eq!(b, vec![1.0, 2.0]);
        assert_eq!(
            dense_buckets(&spans, &[0.0, 1.0, 2.0, 0.0]),
            Some((-1, vec![1.0, 0.0, 0.0, 0.0, 2.0]))
        );
        assert_eq!(dense_buckets(&[], &[]), None);
    }
}
