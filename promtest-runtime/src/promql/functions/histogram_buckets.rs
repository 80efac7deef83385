//! The buckets of a native histogram with their bounds, in the order Prometheus's
//! `AllBucketIterator` (from the most negative to the most positive) and
//! `AllReverseBucketIterator` visit them: negative buckets, the zero bucket (only when it
//! holds observations), positive buckets. Buckets that overlap the zero bucket are clipped to
//! the zero threshold, as Prometheus does.

use crate::gomath::log2;
use crate::model::histogram_math::expand;
use crate::model::FloatHistogram;
use crate::promql::engine::histogram_trim::bucket_bounds;

/// One bucket: its bounds and its (absolute) count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Observations in the bucket.
    pub count: f64,
}

impl Bucket {
    /// The fraction of the bucket below `v` (`Bucket.FractionBelow`): linear, or on a
    /// logarithmic scale (mirrored for negative buckets).
    pub fn fraction_below(&self, v: f64, linear: bool) -> f64 {
        if linear {
            return (v - self.lower) / (self.upper - self.lower);
        }
        let log_lower = log2(self.lower.abs());
        let log_upper = log2(self.upper.abs());
        let log_v = log2(v.abs());
        if v > 0.0 {
            (log_v - log_lower) / (log_upper - log_lower)
        } else {
            1.0 - (log_v - log_upper) / (log_lower - log_upper)
        }
    }
}

/// The buckets from the lowest to the highest bound (`AllBucketIterator`).
pub fn all_buckets(h: &FloatHistogram) -> Vec<Bucket> {
    let zt = h.zero_threshold;
    let mut out = Vec::with_capacity(h.positive_buckets.len() + h.negative_buckets.len() + 1);
    for (idx, count) in expand(&h.negative_spans, &h.negative_buckets)
        .into_iter()
        .rev()
    {
        let (lower, upper) = bucket_bounds(h, idx);
        let mut b = Bucket {
            lower: -upper,
            upper: -lower,
            count,
        };
        clip_to_zero_threshold(&mut b, zt);
        out.push(b);
    }
    if h.zero_count > 0.0 {
        out.push(Bucket {
            lower: -zt,
            upper: zt,
            count: h.zero_count,
        });
    }
    for (idx, count) in expand(&h.positive_spans, &h.positive_buckets) {
        let (lower, upper) = bucket_bounds(h, idx);
        let mut b = Bucket {
            lower,
            upper,
            count,
        };
        clip_to_zero_threshold(&mut b, zt);
        out.push(b);
    }
    out
}

/// The buckets from the highest to the lowest bound (`AllReverseBucketIterator`).
pub fn all_buckets_reverse(h: &FloatHistogram) -> Vec<Bucket> {
    let mut v = all_buckets(h);
    v.reverse();
    v
}

fn clip_to_zero_threshold(b: &mut Bucket, zt: f64) {
    if b.upper < 0.0 && b.upper > -zt {
        b.upper = -zt;
    } else if b.lower > 0.0 && b.lower < zt {
        b.lower = zt;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn exp_histogram() -> FloatHistogram {
        // Schema 0: bucket i covers (2^(i-1), 2^i].
        FloatHistogram {
            schema: 0,
            zero_threshold: 0.001,
            zero_count: 2.0,
            count: 10.0,
            sum: 5.0,
            positive_spans: vec![Span {
                offset: 0,
                length: 2,
            }],
            positive_buckets: vec![3.0, 4.0],
            negative_spans: vec![Span {
                offset: 1,
                length: 1,
            }],
            negative_buckets: vec![1.0],
            ..Default::default()
        }
    }

    #[test]
    fn orders_negative_zero_positive() {
        let b = all_buckets(&exp_histogram());
        let bounds: Vec<(f64, f64, f64)> = b.iter().map(|b| (b.lower, b.upper, b.count)).collect();
        assert_eq!(
            bounds,
            vec![
                (-2.0, -1.0, 1.0),
                (-0.001, 0.001, 2.0),
                (0.5, 1.0, 3.0),
                (1.0, 2.0, 4.0)
            ]
        );
        let r = all_buckets_reverse(&exp_histogram());
        assert_eq!(r[0].upper, 2.0);
        assert_eq!(r[3].lower, -2.0);
    }

    #[test]
    fn custom_bounds_are_open_at_the_ends() {
        let h = FloatHistogram {
            schema: crate::model::histogram::CUSTOM_BUCKETS_SCHEMA,
            custom_values: vec![1.0, 5.0],
            positive_spans: vec![Span {
                offset: 0,
                length: 3,
            }],
            positive_buckets: vec![1.0, 2.0, 3.0],
            count: 6.0,
            ..Default::default()
        };
        let b = all_buckets(&h);
        assert_eq!(b[0].lower, f64::NEG_INFINITY);
        assert_eq!((b[1].lower, b[1].upper), (1.0, 5.0));
        assert_eq!(b[2].upper, f64::INFINITY);
    }

    #[test]
    fn fraction_below_linear_and_log() {
        let b = Bucket {
            lower: 1.0,
            upper: 4.0,
            count: 1.0,
        };
        assert_eq!(b.fraction_below(2.5, true), 0.5);
        assert_eq!(b.fraction_below(2.0, false), 0.5);
        let n = Bucket {
            lower: -4.0,
            upper: -1.0,
            count: 1.0,
        };
        assert_eq!(n.fraction_below(-2.0, false), 0.5);
    }
}
