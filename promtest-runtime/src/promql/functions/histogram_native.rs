//! Quantiles, fractions and spread of native histograms (Prometheus's `HistogramQuantile`
//! and `HistogramFraction` in `quantile.go`, and `histogramVariance` in `functions.go`),
//! including custom-bucket (NHCB) histograms.

use crate::gomath::{exp2, log2};
use crate::model::histogram_math::kahan_sum_inc_in;
use crate::model::FloatHistogram;
use crate::promql::functions::histogram_buckets::{all_buckets, all_buckets_reverse, Bucket};

/// An info a native-histogram estimate may raise about NaN observations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NanInfo {
    /// `histogram_quantile`'s result is NaN because of NaN observations.
    QuantileNaNResult,
    /// `histogram_quantile`'s result is skewed higher by NaN observations.
    QuantileNaNSkew,
    /// `histogram_fraction` excluded NaN observations.
    FractionNaNs,
}

impl NanInfo {
    /// The message (without metric name), as Prometheus words it.
    pub fn message(self) -> &'static str {
        match self {
            NanInfo::QuantileNaNResult => {
                "PromQL info: input to histogram_quantile has NaN observations, result is NaN"
            }
            NanInfo::QuantileNaNSkew => {
                "PromQL info: input to histogram_quantile has NaN observations, result is skewed higher"
            }
            NanInfo::FractionNaNs => {
                "PromQL info: input to histogram_fraction has NaN observations, which are excluded from all fractions"
            }
        }
    }
}

/// The `q`-quantile of a native histogram (`HistogramQuantile`): linear interpolation in
/// custom and zero buckets, logarithmic interpolation in exponential buckets (linear there too
/// when `linear`: 2.x, [`crate::Semantics::native_histogram_linear_interpolation`]).
pub fn histogram_quantile(q: f64, h: &FloatHistogram, linear: bool) -> (f64, Option<NanInfo>) {
    if q < 0.0 {
        return (f64::NEG_INFINITY, None);
    }
    if q > 1.0 {
        return (f64::INFINITY, None);
    }
    if h.count == 0.0 || q.is_nan() {
        return (f64::NAN, None);
    }
    let forward = h.sum.is_nan() || q < 0.5;
    let (buckets, mut rank) = if forward {
        (all_buckets(h), q * h.count)
    } else {
        (all_buckets_reverse(h), (1.0 - q) * h.count)
    };
    let mut count = 0.0;
    let mut bucket = Bucket {
        lower: 0.0,
        upper: 0.0,
        count: 0.0,
    };
    let mut pos = buckets.len();
    for (i, b) in buckets.iter().enumerate() {
        bucket = *b;
        if b.count == 0.0 {
            continue;
        }
        count += b.count;
        if count >= rank {
            pos = i;
            break;
        }
    }
    let custom = h.uses_custom_buckets();
    if !custom && bucket.lower < 0.0 && bucket.upper > 0.0 {
        if h.negative_buckets.is_empty() && !h.positive_buckets.is_empty() {
            bucket.lower = 0.0;
        } else if h.positive_buckets.is_empty() && !h.negative_buckets.is_empty() {
            bucket.upper = 0.0;
        }
    } else if custom {
        if bucket.lower == f64::NEG_INFINITY {
            if bucket.upper <= 0.0 {
                return (bucket.upper, None);
            }
            bucket.lower = 0.0;
        } else if bucket.upper == f64::INFINITY {
            return (bucket.lower, None);
        }
    }
    if count > h.count {
        count = h.count;
    }
    if count < rank {
        if h.sum.is_nan() {
            return (f64::NAN, Some(NanInfo::QuantileNaNResult));
        }
        return (bucket.upper, None);
    }
    if forward {
        rank -= count - bucket.count;
    } else {
        rank = count - rank;
    }
    let mut info = None;
    if h.sum.is_nan() {
        let rest: f64 = buckets.iter().skip(pos + 1).map(|b| b.count).sum();
        if count + rest < h.count {
            info = Some(NanInfo::QuantileNaNSkew);
        }
    }
    let fraction = rank / bucket.count;
    if linear || custom || (bucket.lower <= 0.0 && bucket.upper >= 0.0) {
        return (
            bucket.lower + (bucket.upper - bucket.lower) * fraction,
            info,
        );
    }
    let log_lower = log2(bucket.lower.abs());
    let log_upper = log2(bucket.upper.abs());
    if bucket.lower > 0.0 {
        return (exp2(log_lower + (log_upper - log_lower) * fraction), info);
    }
    (
        -exp2(log_upper + (log_lower - log_upper) * (1.0 - fraction)),
        info,
    )
}

/// The fraction of observations between `lower` and `upper` (`HistogramFraction`); `all_linear`
/// interpolates linearly in exponential buckets too (2.x).
pub fn histogram_fraction(
    lower: f64,
    upper: f64,
    h: &FloatHistogram,
    all_linear: bool,
) -> (f64, Option<NanInfo>) {
    if h.count == 0.0 || lower.is_nan() || upper.is_nan() {
        return (f64::NAN, None);
    }
    if lower >= upper {
        return (0.0, None);
    }
    let custom = h.uses_custom_buckets();
    let buckets = all_buckets(h);
    let (mut count, mut rank, mut lower_rank, mut upper_rank) = (0.0, 0.0, 0.0, 0.0);
    let (mut lower_set, mut upper_set) = (false, false);
    let mut consumed = buckets.len();
    for (i, orig) in buckets.iter().enumerate() {
        let mut b = *orig;
        count += b.count;
        let mut zero_bucket = false;
        if b.lower <= 0.0 && b.upper >= 0.0 {
            zero_bucket = true;
            if h.negative_buckets.is_empty() && !h.positive_buckets.is_empty() {
                b.lower = 0.0;
            } else if h.positive_buckets.is_empty() && !h.negative_buckets.is_empty() {
                b.upper = 0.0;
            }
        }
        let linear = all_linear || custom || zero_bucket;
        let rank_at = |v: f64| {
            if linear && b.lower == f64::NEG_INFINITY {
                b.count
            } else {
                rank + b.count * b.fraction_below(v, linear)
            }
        };
        if !lower_set && b.lower >= lower {
            lower_rank = rank;
            lower_set = true;
        }
        if !upper_set && b.lower >= upper {
            upper_rank = rank;
            upper_set = true;
        }
        if lower_set && upper_set {
            consumed = i + 1;
            break;
        }
        if !lower_set && b.lower < lower && b.upper > lower {
            lower_rank = rank_at(lower);
            lower_set = true;
        }
        if !upper_set && b.lower < upper && b.upper > upper {
            upper_rank = rank_at(upper);
            upper_set = true;
        }
        if lower_set && upper_set {
            consumed = i + 1;
            break;
        }
        rank += b.count;
    }
    let mut info = None;
    if h.sum.is_nan() {
        count += buckets.iter().skip(consumed).map(|b| b.count).sum::<f64>();
        if count < h.count {
            info = Some(NanInfo::FractionNaNs);
        }
    } else {
        count = h.count;
    }
    if !lower_set || lower_rank > count {
        lower_rank = count;
    }
    if !upper_set || upper_rank > count {
        upper_rank = count;
    }
    ((upper_rank - lower_rank) / h.count, info)
}

/// The estimated variance of the observations (`histogramVariance`): each bucket's count at
/// its arithmetic (custom buckets), zero (zero bucket) or geometric (exponential) mean.
/// `nan_at_inf`: the release's Kahan summation turns NaN at an infinite sum
/// ([`crate::Semantics::kahan_nan_compensation_at_inf`]).
pub fn histogram_variance(h: &FloatHistogram, nan_at_inf: bool) -> f64 {
    let mean = h.sum / h.count;
    let (mut variance, mut c) = (0.0, 0.0);
    for b in all_buckets(h) {
        if b.count == 0.0 {
            continue;
        }
        let val = if h.uses_custom_buckets() {
            (b.upper + b.lower) / 2.0
        } else if b.lower <= 0.0 && b.upper >= 0.0 {
            0.0
        } else {
            let v = (b.upper * b.lower).sqrt();
            if b.upper < 0.0 {
                -v
            } else {
                v
            }
        };
        let delta = val - mean;
        (variance, c) = kahan_sum_inc_in(b.count * delta * delta, variance, c, nan_at_inf);
    }
    (variance + c) / h.count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::histogram::CUSTOM_BUCKETS_SCHEMA;
    use crate::model::Span;

    /// Schema 0, positive buckets (0.5,1]:2, (1,2]:4, (2,4]:2, zero bucket 2 (threshold 0.25).
    fn exp() -> FloatHistogram {
        FloatHistogram {
            schema: 0,
            zero_threshold: 0.25,
            zero_count: 2.0,
            count: 10.0,
            sum: 15.0,
            positive_spans: vec![Span {
                offset: 0,
                length: 3,
            }],
            positive_buckets: vec![2.0, 4.0, 2.0],
            ..Default::default()
        }
    }

    fn nhcb() -> FloatHistogram {
        FloatHistogram {
            schema: CUSTOM_BUCKETS_SCHEMA,
            custom_values: vec![1.0, 2.0],
            count: 8.0,
            sum: 10.0,
            positive_spans: vec![Span {
                offset: 0,
                length: 3,
            }],
            positive_buckets: vec![4.0, 2.0, 2.0],
            ..Default::default()
        }
    }

    #[test]
    fn quantile_exponential_interpolates_logarithmically() {
        let (v, info) = histogram_quantile(0.3, &exp(), false);
        assert!(info.is_none());
        // rank 3: 2 in zero bucket [0, 0.25], then 1 of 2 in (0.5, 1] → 2^-0.5.
        assert!((v - 0.5f64.sqrt()).abs() < 1e-12, "{v}");
        // Zero bucket with only positive buckets: linear from 0.
        assert_eq!(histogram_quantile(0.1, &exp(), false).0, 0.125);
        // q ≥ 0.5 uses the reverse iteration: rank (1-0.9)*10 = 1 from the top, half of (2,4].
        let (v, _) = histogram_quantile(0.9, &exp(), false);
        assert!((v - 8f64.sqrt()).abs() < 1e-12, "{v}");
    }

    #[test]
    fn quantile_custom_buckets() {
        assert_eq!(histogram_quantile(0.25, &nhcb(), false).0, 0.5);
        assert_eq!(histogram_quantile(0.625, &nhcb(), false).0, 1.5);
        // In the +Inf bucket: its lower bound.
        assert_eq!(histogram_quantile(0.95, &nhcb(), false).0, 2.0);
        assert_eq!(
            histogram_quantile(-1.0, &nhcb(), false).0,
            f64::NEG_INFINITY
        );
        assert!(histogram_quantile(f64::NAN, &nhcb(), false).0.is_nan());
    }

    #[test]
    fn quantile_with_nan_observations() {
        let mut h = exp();
        h.sum = f64::NAN;
        h.count = 12.0; // two NaN observations outside the buckets.
        let (v, info) = histogram_quantile(1.0, &h, false);
        assert!(v.is_nan());
        assert_eq!(info, Some(NanInfo::QuantileNaNResult));
        let (_, info) = histogram_quantile(0.5, &h, false);
        assert_eq!(info, Some(NanInfo::QuantileNaNSkew));
    }

    #[test]
    fn fraction_exponential_and_custom() {
        assert_eq!(histogram_fraction(0.0, f64::INFINITY, &exp(), false).0, 1.0);
        // [0, 1]: zero bucket 2 + (0.5,1] 2 = 4 of 10.
        assert_eq!(histogram_fraction(0.0, 1.0, &exp(), false).0, 0.4);
        // Half of (1,2] on a log scale at sqrt(2).
        let (v, _) = histogram_fraction(1.0, 2f64.sqrt(), &exp(), false);
        assert!((v - 0.2).abs() < 1e-12, "{v}");
        assert_eq!(histogram_fraction(1.0, 1.5, &nhcb(), false).0, 0.125);
        // The -Inf..1 custom bucket counts fully once its upper bound is passed.
        assert_eq!(histogram_fraction(-10.0, 1.0, &nhcb(), false).0, 0.5);
        assert_eq!(histogram_fraction(2.0, 1.0, &nhcb(), false).0, 0.0);
    }

    #[test]
    fn variance_uses_bucket_means() {
        let h = nhcb();
        // Only the finite custom bucket (1, 2] is populated.
        let h2 = FloatHistogram {
            positive_spans: vec![Span {
                offset: 1,
                length: 1,
            }],
            positive_buckets: vec![4.0],
            count: 4.0,
            sum: 4.0 * 1.5,
            ..h
        };
        // All observations at the midpoint 1.5 = the mean: no spread.
        assert_eq!(histogram_variance(&h2, false), 0.0);
        let e = FloatHistogram {
            schema: 0,
            count: 2.0,
            sum: 2.0,
            positive_spans: vec![Span {
                offset: 0,
                length: 2,
            }],
            positive_buckets: vec![1.0, 1.0],
            ..Default::default()
        };
        // Geometric means sqrt(0.5) and sqrt(2), mean 1.
        let expected = ((0.5f64.sqrt() - 1.0).powi(2) + (2f64.sqrt() - 1.0).powi(2)) / 2.0;
        assert!((histogram_variance(&e, false) - expected).abs() < 1e-12);
    }
}
