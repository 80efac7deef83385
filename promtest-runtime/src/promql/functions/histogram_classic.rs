//! Quantiles and fractions of classic histograms: cumulative `le` buckets of one series group
//! (Prometheus's `BucketQuantile`, `BucketFraction`, `coalesceBuckets` and
//! `ensureMonotonicAndIgnoreSmallDeltas` in `quantile.go`).

use crate::model::float_cmp::almost_equal;

/// Relative difference between adjacent cumulative counts below which a decrease is treated
/// as floating-point noise and silently corrected (`smallDeltaTolerance`).
const SMALL_DELTA_TOLERANCE: f64 = 1e-12;

/// One classic bucket: its `le` bound and its cumulative count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassicBucket {
    /// The `le` label's value.
    pub upper_bound: f64,
    /// Observations at or below `upper_bound`.
    pub count: f64,
}

/// What [`bucket_quantile`] found besides the quantile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuantileOutcome {
    /// The estimated quantile.
    pub value: f64,
    /// Decreasing counts had to be raised (the "forced monotonicity" info).
    pub forced_monotonic: bool,
    /// Lowest bound of a bucket that was raised (+Inf if none).
    pub min_bucket: f64,
    /// Highest bound of a bucket that was raised (-Inf if none).
    pub max_bucket: f64,
    /// Largest decrease that was removed.
    pub max_diff: f64,
}

impl QuantileOutcome {
    fn plain(value: f64) -> Self {
        QuantileOutcome {
            value,
            forced_monotonic: false,
            min_bucket: 0.0,
            max_bucket: 0.0,
            max_diff: 0.0,
        }
    }
}

/// Sorts by upper bound and merges buckets with equal bounds (summing their counts).
fn sorted_coalesced(buckets: &[ClassicBucket]) -> Vec<ClassicBucket> {
    let mut v = buckets.to_vec();
    v.sort_by(|a, b| {
        a.upper_bound
            .partial_cmp(&b.upper_bound)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut out: Vec<ClassicBucket> = Vec::with_capacity(v.len());
    for b in v {
        match out.last_mut() {
            Some(last) if last.upper_bound == b.upper_bound => last.count += b.count,
            _ => out.push(b),
        }
    }
    out
}

/// Raises counts that decrease (`ensureMonotonicAndIgnoreSmallDeltas`); returns
/// `(forced, min_bucket, max_bucket, max_diff)`.
fn ensure_monotonic(buckets: &mut [ClassicBucket]) -> (bool, f64, f64, f64) {
    let (mut forced, mut min_b, mut max_b, mut max_diff) =
        (false, f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    let Some(first) = buckets.first() else {
        return (forced, min_b, max_b, max_diff);
    };
    let mut prev = first.count;
    for b in buckets.iter_mut().skip(1) {
        let curr = b.count;
        if curr == prev {
            continue;
        }
        if almost_equal(prev, curr, SMALL_DELTA_TOLERANCE) {
            b.count = prev;
            continue;
        }
        if curr < prev {
            b.count = prev;
            forced = true;
            min_b = min_b.min(b.upper_bound);
            max_b = max_b.max(b.upper_bound);
            if prev - curr > max_diff {
                max_diff = prev - curr;
            }
            continue;
        }
        prev = curr;
    }
    (forced, min_b, max_b, max_diff)
}

/// The `q`-quantile of a classic histogram (`BucketQuantile`): linear interpolation within
/// the bucket holding the rank; NaN without a `+Inf` bucket, with fewer than two buckets or
/// without observations; the lower bound of the first bucket is 0 unless its bound is ≤ 0.
pub fn bucket_quantile(q: f64, buckets: &[ClassicBucket]) -> QuantileOutcome {
    if q.is_nan() {
        return QuantileOutcome::plain(f64::NAN);
    }
    if q < 0.0 {
        return QuantileOutcome::plain(f64::NEG_INFINITY);
    }
    if q > 1.0 {
        return QuantileOutcome::plain(f64::INFINITY);
    }
    if buckets.is_empty() {
        return QuantileOutcome::plain(f64::NAN);
    }
    let mut b = sorted_coalesced(buckets);
    if b.last().map(|l| l.upper_bound) != Some(f64::INFINITY) {
        return QuantileOutcome::plain(f64::NAN);
    }
    let (forced, min_bucket, max_bucket, max_diff) = ensure_monotonic(&mut b);
    let mut out = QuantileOutcome {
        value: f64::NAN,
        forced_monotonic: forced,
        min_bucket,
        max_bucket,
        max_diff,
    };
    let n = b.len();
    if n < 2 {
        return out;
    }
    let observations = b[n - 1].count;
    if observations == 0.0 {
        return out;
    }
    let mut rank = q * observations;
    let i = b[..n - 1].partition_point(|x| x.count < rank);
    out.value = if i == n - 1 {
        b[n - 2].upper_bound
    } else if i == 0 && b[0].upper_bound <= 0.0 {
        b[0].upper_bound
    } else {
        let end = b[i].upper_bound;
        let mut count = b[i].count;
        let mut start = 0.0;
        if i > 0 {
            start = b[i - 1].upper_bound;
            count -= b[i - 1].count;
            rank -= b[i - 1].count;
        }
        start + (end - start) * (rank / count)
    };
    out
}

/// The fraction of observations between `lower` and `upper` in a classic histogram
/// (`BucketFraction`), interpolating linearly within buckets; buckets with an infinite
/// bound contribute nothing by interpolation.
pub fn bucket_fraction(lower: f64, upper: f64, buckets: &[ClassicBucket]) -> f64 {
    if buckets.is_empty() {
        return f64::NAN;
    }
    let b = sorted_coalesced(buckets);
    if b.last().map(|l| l.upper_bound) != Some(f64::INFINITY) {
        return f64::NAN;
    }
    let count = b[b.len() - 1].count;
    if count == 0.0 || lower.is_nan() || upper.is_nan() {
        return f64::NAN;
    }
    if lower >= upper {
        return 0.0;
    }
    let (mut rank, mut lower_rank, mut upper_rank) = (0.0, 0.0, 0.0);
    let (mut lower_set, mut upper_set) = (false, false);
    let mut lower_bound = if b[0].upper_bound <= 0.0 {
        f64::NEG_INFINITY
    } else {
        0.0
    };
    for (i, bucket) in b.iter().enumerate() {
        if i > 0 {
            lower_bound = b[i - 1].upper_bound;
        }
        let upper_bound = bucket.upper_bound;
        let interpolate = |v: f64| {
            if lower_bound == f64::NEG_INFINITY {
                bucket.count
            } else {
                rank + (bucket.count - rank) * (v - lower_bound) / (upper_bound - lower_bound)
            }
        };
        if !lower_set && lower_bound >= lower {
            lower_rank = rank;
            lower_set = true;
        }
        if !upper_set && lower_bound >= upper {
            upper_rank = rank;
            upper_set = true;
        }
        if lower_set && upper_set {
            break;
        }
        if !lower_set && lower_bound < lower && upper_bound > lower {
            lower_rank = interpolate(lower);
            lower_set = true;
        }
        if !upper_set && lower_bound < upper && upper_bound > upper {
            upper_rank = interpolate(upper);
            upper_set = true;
        }
        if lower_set && upper_set {
            break;
        }
        rank = bucket.count;
    }
    if !lower_set || lower_rank > count {
        lower_rank = count;
    }
    if !upper_set || upper_rank > count {
        upper_rank = count;
    }
    (upper_rank - lower_rank) / count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buckets(pairs: &[(f64, f64)]) -> Vec<ClassicBucket> {
        pairs
            .iter()
            .map(|&(upper_bound, count)| ClassicBucket { upper_bound, count })
            .collect()
    }

    #[test]
    fn quantile_interpolates_within_bucket() {
        let b = buckets(&[(f64::INFINITY, 100.0), (1.0, 50.0), (0.5, 20.0)]);
        // rank 50 is the top of bucket (0.5, 1].
        assert_eq!(bucket_quantile(0.5, &b).value, 1.0);
        // rank 10 is half way into (0, 0.5].
        assert_eq!(bucket_quantile(0.1, &b).value, 0.25);
        // rank 35 is half way into (0.5, 1].
        assert_eq!(bucket_quantile(0.35, &b).value, 0.75);
        // In the +Inf bucket: the highest finite bound.
        assert_eq!(bucket_quantile(0.99, &b).value, 1.0);
    }

    #[test]
    fn quantile_edge_cases() {
        let b = buckets(&[(1.0, 5.0), (f64::INFINITY, 10.0)]);
        assert_eq!(bucket_quantile(-1.0, &b).value, f64::NEG_INFINITY);
        assert_eq!(bucket_quantile(2.0, &b).value, f64::INFINITY);
        assert!(bucket_quantile(f64::NAN, &b).value.is_nan());
        assert!(bucket_quantile(0.5, &buckets(&[(1.0, 5.0)])).value.is_nan());
        assert!(bucket_quantile(0.5, &buckets(&[(f64::INFINITY, 5.0)]))
            .value
            .is_nan());
        assert!(
            bucket_quantile(0.5, &buckets(&[(1.0, 0.0), (f64::INFINITY, 0.0)]))
                .value
                .is_nan()
        );
        // First bucket with a negative bound: its bound.
        let neg = buckets(&[(-1.0, 5.0), (f64::INFINITY, 10.0)]);
        assert_eq!(bucket_quantile(0.2, &neg).value, -1.0);
    }

    #[test]
    fn quantile_forces_monotonicity() {
        let b = buckets(&[(1.0, 10.0), (2.0, 8.0), (5.0, 12.0), (f64::INFINITY, 12.0)]);
        let o = bucket_quantile(0.5, &b);
        assert!(o.forced_monotonic);
        assert_eq!((o.min_bucket, o.max_bucket, o.max_diff), (2.0, 2.0, 2.0));
        // rank 6 is in (0, 1] after fixing.
        assert_eq!(o.value, 0.6);
        let tiny = buckets(&[(1.0, 10.0), (2.0, 10.0 - 1e-14), (f64::INFINITY, 10.0)]);
        assert!(!bucket_quantile(0.5, &tiny).forced_monotonic);
    }

    #[test]
    fn duplicate_bounds_are_coalesced() {
        let b = buckets(&[(1.0, 2.0), (1.0, 3.0), (f64::INFINITY, 10.0)]);
        assert_eq!(bucket_quantile(0.25, &b).value, 0.5);
    }

    #[test]
    fn fraction_interpolates_linearly() {
        let b = buckets(&[(1.0, 4.0), (2.0, 8.0), (f64::INFINITY, 10.0)]);
        assert_eq!(bucket_fraction(0.0, 1.0, &b), 0.4);
        assert_eq!(bucket_fraction(0.5, 1.5, &b), 0.4);
        assert_eq!(bucket_fraction(f64::NEG_INFINITY, f64::INFINITY, &b), 1.0);
        assert_eq!(bucket_fraction(2.0, 1.0, &b), 0.0);
        assert!(bucket_fraction(f64::NAN, 1.0, &b).is_nan());
        assert!(bucket_fraction(0.0, 1.0, &buckets(&[(1.0, 3.0)])).is_nan());
    }
}
