//! A histogram with classic buckets and a native (exponential) histogram side by side, as
//! client_golang keeps them when `NativeHistogramBucketFactor` is set: the schema is the largest
//! whose bucket growth factor stays within the configured one, observations at or below the
//! zero threshold go to the zero bucket, and past the bucket limit the histogram is reset (when
//! the minimum reset duration has passed) or its resolution halved.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// client_golang's `DefBuckets`.
pub const DEFAULT_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// client_golang's `DefNativeHistogramZeroThreshold`: 2^-128.
const DEFAULT_ZERO_THRESHOLD: f64 = 2.938_735_877_055_719e-39;

/// How a histogram is bucketed.
#[derive(Clone, Debug)]
pub struct HistogramOpts {
    /// Classic bucket upper bounds (ascending; `+Inf` implied).
    pub buckets: Vec<f64>,
    /// Native-histogram growth factor per bucket (`NativeHistogramBucketFactor`).
    pub native_bucket_factor: f64,
    /// Most native buckets before the histogram is reset or widened.
    pub native_max_buckets: usize,
    /// Least time between two resets (`NativeHistogramMinResetDuration`).
    pub native_min_reset: Duration,
}

impl HistogramOpts {
    /// Mimir's request-duration histograms: factor 1.1, 100 buckets, 1 h minimum reset
    /// duration; plus client_golang's default classic buckets.
    pub fn mimir_request_duration() -> Self {
        HistogramOpts {
            buckets: DEFAULT_BUCKETS.to_vec(),
            native_bucket_factor: 1.1,
            native_max_buckets: 100,
            native_min_reset: Duration::from_secs(3600),
        }
    }
}

/// The native side of a [`HistogramSnapshot`].
#[derive(Clone, Debug, PartialEq)]
pub struct NativeSnapshot {
    /// Schema.
    pub schema: i32,
    /// Zero-bucket width.
    pub zero_threshold: f64,
    /// Observations in the zero bucket.
    pub zero_count: u64,
    /// Populated positive buckets: (index, count), ascending.
    pub positive: Vec<(i32, u64)>,
    /// Populated negative buckets: (index, count), ascending.
    pub negative: Vec<(i32, u64)>,
}

/// A histogram at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct HistogramSnapshot {
    /// Observation count.
    pub count: u64,
    /// Sum of observations.
    pub sum: f64,
    /// Classic buckets: (upper bound, cumulative count), without `+Inf`.
    pub classic: Vec<(f64, u64)>,
    /// The native histogram.
    pub native: NativeSnapshot,
}

/// A histogram's mutable state.
#[derive(Debug)]
pub(super) struct HistogramState {
    opts: HistogramOpts,
    count: u64,
    sum: f64,
    classic: Vec<u64>,
    schema: i32,
    zero_count: u64,
    positive: BTreeMap<i32, u64>,
    negative: BTreeMap<i32, u64>,
    last_reset: Instant,
}

impl HistogramState {
    pub(super) fn new(opts: &HistogramOpts) -> Self {
        HistogramState {
            classic: vec![0; opts.buckets.len()],
            schema: pick_schema(opts.native_bucket_factor),
            opts: opts.clone(),
            count: 0,
            sum: 0.0,
            zero_count: 0,
            positive: BTreeMap::new(),
            negative: BTreeMap::new(),
            last_reset: Instant::now(),
        }
    }

    pub(super) fn observe(&mut self, v: f64, now: Instant) {
        if v.is_nan() {
            return;
        }
        self.count += 1;
        self.sum += v;
        if let Some(i) = self.opts.buckets.iter().position(|&b| v <= b) {
            self.classic[i] += 1;
        }
        if v.abs() <= DEFAULT_ZERO_THRESHOLD {
            self.zero_count += 1;
        } else {
            let key = bucket_key(v.abs(), self.schema);
            let side = if v > 0.0 {
                &mut self.positive
            } else {
                &mut self.negative
            };
            *side.entry(key).or_default() += 1;
        }
        self.limit_buckets(now);
    }

    fn limit_buckets(&mut self, now: Instant) {
        while self.positive.len() + self.negative.len() > self.opts.native_max_buckets {
            if now.duration_since(self.last_reset) >= self.opts.native_min_reset {
                let opts = self.opts.clone();
                *self = HistogramState::new(&opts);
                self.last_reset = now;
                return;
            }
            if self.schema <= -4 {
                return;
            }
            self.schema -= 1;
            self.positive = widen(&self.positive);
            self.negative = widen(&self.negative);
        }
    }

    pub(super) fn snapshot(&self) -> HistogramSnapshot {
        let mut cumulative = 0;
        let classic = self
            .opts
            .buckets
            .iter()
            .zip(&self.classic)
            .map(|(&b, &n)| {
                cumulative += n;
                (b, cumulative)
            })
            .collect();
        HistogramSnapshot {
            count: self.count,
            sum: self.sum,
            classic,
            native: NativeSnapshot {
                schema: self.schema,
                zero_threshold: DEFAULT_ZERO_THRESHOLD,
                zero_count: self.zero_count,
                positive: self.positive.iter().map(|(&k, &v)| (k, v)).collect(),
                negative: self.negative.iter().map(|(&k, &v)| (k, v)).collect(),
            },
        }
    }
}

/// client_golang's `pickSchema`: `-floor(log2(log2(factor)))`, clamped to -4..=8.
fn pick_schema(factor: f64) -> i32 {
    let floor = factor.log2().log2().floor();
    if floor <= -8.0 {
        8
    } else if floor >= 4.0 {
        -4
    } else {
        -(floor as i32)
    }
}

/// The native bucket of `v > 0` at `schema`: the `i` with `v` in `(2^((i-1)/2^schema),
/// 2^(i/2^schema)]`, computed from the exponent and mantissa so powers of two land exactly.
fn bucket_key(v: f64, schema: i32) -> i32 {
    let (frac, exp) = frexp(v);
    if schema > 0 {
        let per_octave = 1i32 << schema;
        // The smallest j with 2^(j/per_octave - 1) >= frac, frac in [0.5, 1).
        let j = (0..per_octave)
            .find(|&j| 2f64.powf(f64::from(j) / f64::from(per_octave) - 1.0) >= frac)
            .unwrap_or(per_octave);
        j + (exp - 1) * per_octave
    } else {
        let mut key = exp;
        if frac == 0.5 {
            key -= 1;
        }
        let offset = (1 << -schema) - 1;
        (key + offset) >> -schema
    }
}

/// `v = frac · 2^exp` with `frac` in `[0.5, 1)`, for finite positive `v`.
fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 || !v.is_finite() {
        return (v, 0);
    }
    let bits = v.to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i32;
    if raw_exp == 0 {
        // Subnormal: scale into the normal range first.
        let (f, e) = frexp(v * 2f64.powi(64));
        return (f, e - 64);
    }
    let frac = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (frac, raw_exp - 1022)
}

/// Buckets at half the resolution: index `i` merges into `ceil(i/2)`.
fn widen(buckets: &BTreeMap<i32, u64>) -> BTreeMap<i32, u64> {
    let mut out = BTreeMap::new();
    for (&k, &v) in buckets {
        *out.entry((k + 1).div_euclid(2)).or_default() += v;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_one_point_one_is_schema_three() {
        assert_eq!(pick_schema(1.1), 3);
        assert_eq!(pick_schema(2.0), 0);
        assert_eq!(pick_schema(1.0001), 8);
    }

    #[test]
    fn keys_follow_upper_inclusive_bounds() {
        assert_eq!(bucket_key(1.0, 3), 0);
        assert_eq!(bucket_key(1.0001, 3), 1);
        assert_eq!(bucket_key(2.0, 3), 8);
        assert_eq!(bucket_key(0.5, 3), -8);
        assert_eq!(bucket_key(1.0, 0), 0);
        assert_eq!(bucket_key(3.0, 0), 2);
        assert_eq!(bucket_key(4.0, -1), 1);
        assert_eq!(bucket_key(5.0, -1), 2);
    }

    #[test]
    fn frexp_matches_go() {
        assert_eq!(frexp(8.0), (0.5, 4));
        assert_eq!(frexp(1.0), (0.5, 1));
        assert_eq!(frexp(0.75), (0.75, 0));
        let (f, e) = frexp(f64::MIN_POSITIVE / 4.0);
        assert_eq!((f, e), (0.5, -1023));
    }

    #[test]
    fn observations_fill_both_sides() {
        let mut h = HistogramState::new(&HistogramOpts::mimir_request_duration());
        let now = Instant::now();
        for v in [0.003, 0.2, 0.2, 7.0, 0.0] {
            h.observe(v, now);
        }
        let s = h.snapshot();
        assert_eq!(s.count, 5);
        assert_eq!(s.classic[0], (0.005, 2));
        assert_eq!(s.classic.last(), Some(&(10.0, 5)));
        assert_eq!(s.native.schema, 3);
        assert_eq!(s.native.zero_count, 1);
        assert_eq!(s.native.positive.iter().map(|b| b.1).sum::<u64>(), 4);
    }

    #[test]
    fn too_many_buckets_halve_the_resolution() {
        let mut opts = HistogramOpts::mimir_request_duration();
        opts.native_max_buckets = 4;
        let mut h = HistogramState::new(&opts);
        let now = Instant::now();
        for i in 0..20 {
            h.observe(1.0 + f64::from(i) * 0.37, now);
        }
        let s = h.snapshot();
        assert!(s.native.positive.len() <= 4);
        assert!(s.native.schema < 3);
        assert_eq!(s.native.positive.iter().map(|b| b.1).sum::<u64>(), 20);
    }
}
