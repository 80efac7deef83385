//! Comparison of native histograms and floats as promqltest does it (`compareNativeHistogram`,
//! `almost.Equal` with a relative epsilon of 1e-6).

use crate::model::float_cmp::{almost_equal, DEFAULT_EPSILON};
use crate::model::histogram_math::spans_match;
use crate::model::histogram_math::{collapse, expand};
use crate::model::{FloatHistogram, Span};

/// The buckets from the first to the last non-empty one as one dense run (the form
/// `TestExpression` prints after `Compact(MaxInt)`): the first index and the counts.
pub fn dense_buckets(spans: &[Span], buckets: &[f64]) -> Option<(i64, Vec<f64>)> {
    let nonzero: Vec<(i64, f64)> = expand(spans, buckets)
        .into_iter()
        .filter(|&(_, c)| c != 0.0)
        .map(|(i, c)| (i64::from(i), c))
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
    collapse(&expand(spans, buckets))
}

fn buckets_match(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| almost_equal(*x, *y, DEFAULT_EPSILON))
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
