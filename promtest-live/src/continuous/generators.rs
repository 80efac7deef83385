//! What the write-read-series test writes and expects back, as Mimir's continuous test
//! generates it: the `mimir_continuous_test_sine_wave_v2` float series and four native-histogram
//! series (integer/float × counter/gauge), `num_series` copies each told apart by `series_id`
//! and `hash_extra`, and the value a `sum` over all copies must give at a timestamp.

use crate::query::{HistogramBucket, SampleHistogram};
use crate::remote_write::{
    BucketSpan, Histogram, HistogramCount, HistogramZeroCount, Label, ResetHint, Sample, TimeSeries,
};

/// A prime that spreads `hash_extra` values, so the test's series hash evenly across shards.
const HASH_FACTOR: usize = 2689;

/// Period of the sine wave.
const SINE_PERIOD_MS: f64 = 600_000.0;

/// The float metric's name.
pub const FLOAT_METRIC_NAME: &str = "mimir_continuous_test_sine_wave_v2";

/// The metrics' `type` label of the float series.
pub const FLOAT_TYPE_LABEL: &str = "float";

/// One kind of series the test writes and checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// The float sine wave.
    Float,
    /// An integer native histogram whose counts grow with time.
    HistogramIntCounter,
    /// A float native histogram whose counts grow with time.
    HistogramFloatCounter,
    /// An integer gauge native histogram following the sine wave.
    HistogramIntGauge,
    /// A float gauge native histogram following the sine wave.
    HistogramFloatGauge,
}

/// The histogram profiles, in the order Mimir runs them.
pub const HISTOGRAM_PROFILES: [Profile; 4] = [
    Profile::HistogramIntCounter,
    Profile::HistogramFloatCounter,
    Profile::HistogramIntGauge,
    Profile::HistogramFloatGauge,
];

/// A generated value: a float sample, or a native histogram.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// The expected float.
    Float(f64),
    /// The expected histogram, as the query API reports it.
    Histogram(SampleHistogram),
}

impl Profile {
    /// The metric name the profile writes.
    pub fn metric_name(self) -> &'static str {
        match self {
            Profile::Float => FLOAT_METRIC_NAME,
            Profile::HistogramIntCounter => "mimir_continuous_test_histogram_int_counter_v2",
            Profile::HistogramFloatCounter => "mimir_continuous_test_histogram_float_counter_v2",
            Profile::HistogramIntGauge => "mimir_continuous_test_histogram_int_gauge_v2",
            Profile::HistogramFloatGauge => "mimir_continuous_test_histogram_float_gauge_v2",
        }
    }

    /// The `type` label of the profile's metrics.
    pub fn type_label(self) -> &'static str {
        match self {
            Profile::Float => FLOAT_TYPE_LABEL,
            Profile::HistogramIntCounter => "histogram_int_counter",
            Profile::HistogramFloatCounter => "histogram_float_counter",
            Profile::HistogramIntGauge => "histogram_int_gauge",
            Profile::HistogramFloatGauge => "histogram_float_gauge",
        }
    }

    /// Whether the profile writes native histograms.
    pub fn is_histogram(self) -> bool {
        self != Profile::Float
    }

    /// Whether the profile's histograms have float counts (which OTLP cannot carry).
    pub fn has_float_counts(self) -> bool {
        matches!(
            self,
            Profile::HistogramFloatCounter | Profile::HistogramFloatGauge
        )
    }

    /// The query whose single result series the test checks: `sum` over the `num_series` copies.
    /// Floats go through `max_over_time(…[1s])` so only samples written at the step's timestamp
    /// count, never the lookback's older ones.
    pub fn sum_query(self) -> String {
        if self.is_histogram() {
            format!("sum({})", self.metric_name())
        } else {
            format!("sum(max_over_time({}[1s]))", self.metric_name())
        }
    }

    /// The `num_series` series of this profile with one sample each at `t_ms`.
    pub fn series(self, t_ms: i64, num_series: usize) -> Vec<TimeSeries> {
        let one = self.sample(t_ms);
        (0..num_series)
            .map(|i| {
                let labels = vec![
                    label("__name__", self.metric_name()),
                    label("hash_extra", &(i * HASH_FACTOR).to_string()),
                    label("series_id", &i.to_string()),
                ];
                match &one {
                    SampleOrHistogram::Sample(s) => TimeSeries {
                        labels,
                        samples: vec![*s],
                        ..TimeSeries::default()
                    },
                    SampleOrHistogram::Histogram(h) => TimeSeries {
                        labels,
                        histograms: vec![(**h).clone()],
                        ..TimeSeries::default()
                    },
                }
            })
            .collect()
    }

    /// What `sum` over `num_series` copies gives at `t_ms`.
    pub fn expected(self, t_ms: i64, num_series: usize) -> Expected {
        let n = num_series as f64;
        match self {
            Profile::Float => Expected::Float(sine_wave_value(t_ms) * n),
            Profile::HistogramIntCounter | Profile::HistogramIntGauge => {
                let gauge = self == Profile::HistogramIntGauge;
                let v = histogram_int_value(t_ms, gauge).saturating_mul(num_series as i64);
                Expected::Histogram(expected_histogram(v as f64))
            }
            Profile::HistogramFloatCounter | Profile::HistogramFloatGauge => {
                let gauge = self == Profile::HistogramFloatGauge;
                Expected::Histogram(expected_histogram(histogram_float_value(t_ms, gauge) * n))
            }
        }
    }

    fn sample(self, t_ms: i64) -> SampleOrHistogram {
        match self {
            Profile::Float => SampleOrHistogram::Sample(Sample {
                value: sine_wave_value(t_ms),
                timestamp: t_ms,
            }),
            Profile::HistogramIntCounter | Profile::HistogramIntGauge => {
                let gauge = self == Profile::HistogramIntGauge;
                SampleOrHistogram::Histogram(Box::new(int_histogram(
                    histogram_int_value(t_ms, gauge),
                    gauge,
                    t_ms,
                )))
            }
            Profile::HistogramFloatCounter | Profile::HistogramFloatGauge => {
                let gauge = self == Profile::HistogramFloatGauge;
                SampleOrHistogram::Histogram(Box::new(float_histogram(
                    histogram_float_value(t_ms, gauge),
                    gauge,
                    t_ms,
                )))
            }
        }
    }
}

enum SampleOrHistogram {
    Sample(Sample),
    Histogram(Box<Histogram>),
}

fn label(name: &str, value: &str) -> Label {
    Label {
        name: name.to_string(),
        value: value.to_string(),
    }
}

/// `sin(2π·t/10m) + 2`, with `t` in nanoseconds as Mimir computes it.
pub fn sine_wave_value(t_ms: i64) -> f64 {
    let ns = (t_ms as f64) * 1e6;
    let radians = 2.0 * std::f64::consts::PI * ns / (SINE_PERIOD_MS * 1e6);
    radians.sin() + 2.0
}

fn histogram_int_value(t_ms: i64, gauge: bool) -> i64 {
    if gauge {
        (sine_wave_value(t_ms) * 100.0) as i64
    } else {
        t_ms.div_euclid(1000)
    }
}

fn histogram_float_value(t_ms: i64, gauge: bool) -> f64 {
    if gauge {
        sine_wave_value(t_ms) / 10.0
    } else {
        t_ms.div_euclid(1000) as f64 / 500_000.0
    }
}

/// The four populated buckets of every generated histogram (schema 2): indexes 0, 4, 7 and 8.
const SPANS: [BucketSpan; 3] = [
    BucketSpan {
        offset: 0,
        length: 1,
    },
    BucketSpan {
        offset: 3,
        length: 1,
    },
    BucketSpan {
        offset: 2,
        length: 2,
    },
];
const BUCKET_INDEXES: [i32; 4] = [0, 4, 7, 8];
const SCHEMA: i32 = 2;
const ZERO_THRESHOLD: f64 = 0.001;

fn reset_hint(gauge: bool) -> i32 {
    if gauge {
        ResetHint::Gauge as i32
    } else {
        ResetHint::Unknown as i32
    }
}

/// An integer histogram with `|value|` in each of the four buckets, on the negative side when
/// `value` is negative; count `4|value|`, sum `10·value`.
fn int_histogram(value: i64, gauge: bool, t_ms: i64) -> Histogram {
    let magnitude = value.unsigned_abs();
    let deltas = vec![magnitude as i64, 0, 0, 0];
    let mut h = Histogram {
        count: Some(HistogramCount::Int(magnitude.saturating_mul(4))),
        sum: (value as f64) * 10.0,
        schema: SCHEMA,
        zero_threshold: ZERO_THRESHOLD,
        zero_count: Some(HistogramZeroCount::Int(0)),
        reset_hint: reset_hint(gauge),
        timestamp: t_ms,
        ..Histogram::default()
    };
    if value >= 0 {
        h.positive_spans = SPANS.to_vec();
        h.positive_deltas = deltas;
    } else {
        h.negative_spans = SPANS.to_vec();
        h.negative_deltas = deltas;
    }
    h
}

/// The float counterpart of [`int_histogram`]: `|value|` as each bucket's absolute count.
fn float_histogram(value: f64, gauge: bool, t_ms: i64) -> Histogram {
    let magnitude = value.abs();
    let counts = vec![magnitude; 4];
    let mut h = Histogram {
        count: Some(HistogramCount::Float(magnitude * 4.0)),
        sum: value * 10.0,
        schema: SCHEMA,
        zero_threshold: ZERO_THRESHOLD,
        zero_count: Some(HistogramZeroCount::Float(0.0)),
        reset_hint: reset_hint(gauge),
        timestamp: t_ms,
        ..Histogram::default()
    };
    if value >= 0.0 {
        h.positive_spans = SPANS.to_vec();
        h.positive_counts = counts;
    } else {
        h.negative_spans = SPANS.to_vec();
        h.negative_counts = counts;
    }
    h
}

/// The upper bound of bucket `index` at schema 2: `2^(index/4)`.
fn bucket_upper(index: i32) -> f64 {
    2f64.powf(f64::from(index) / 4.0)
}

/// The histogram the query API returns for a generated histogram of `value` per bucket: the
/// non-empty buckets with their boundaries (`(lower, upper]` on the positive side, `[lower,
/// upper)` on the negative side), as Prometheus's JSON encoder lists them.
fn expected_histogram(value: f64) -> SampleHistogram {
    let magnitude = value.abs();
    let mut buckets: Vec<HistogramBucket> = BUCKET_INDEXES
        .iter()
        .map(|&i| {
            let (lower, upper) = (bucket_upper(i - 1), bucket_upper(i));
            if value >= 0.0 {
                HistogramBucket {
                    boundaries: 0,
                    lower,
                    upper,
                    count: magnitude,
                }
            } else {
                HistogramBucket {
                    boundaries: 1,
                    lower: -upper,
                    upper: -lower,
                    count: magnitude,
                }
            }
        })
        .filter(|b| b.count != 0.0)
        .collect();
    if value < 0.0 {
        buckets.reverse();
    }
    SampleHistogram {
        count: magnitude * 4.0,
        sum: value * 10.0,
        buckets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sine_wave_has_a_ten_minute_period() {
        assert_eq!(sine_wave_value(0), 2.0);
        assert!((sine_wave_value(150_000) - 3.0).abs() < 1e-12);
        assert!((sine_wave_value(450_000) - 1.0).abs() < 1e-12);
        assert!((sine_wave_value(600_000) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn series_carry_ids_and_sorted_labels() {
        let s = Profile::Float.series(20_000, 3);
        assert_eq!(s.len(), 3);
        let names: Vec<_> = s[2].labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["__name__", "hash_extra", "series_id"]);
        assert_eq!(s[2].labels[1].value, "5378");
        assert_eq!(s[2].labels[2].value, "2");
        assert_eq!(s[2].samples[0].timestamp, 20_000);
    }

    #[test]
    fn histograms_match_their_expectation() {
        let t = 1_654_077_620_000;
        let h = &Profile::HistogramIntCounter.series(t, 1)[0].histograms[0];
        assert_eq!(h.count, Some(HistogramCount::Int(4 * 1_654_077_620)));
        assert_eq!(h.positive_deltas, [1_654_077_620, 0, 0, 0]);
        let Expected::Histogram(e) = Profile::HistogramIntCounter.expected(t, 10) else {
            panic!("histogram expected");
        };
        assert_eq!(e.count, 4.0 * 16_540_776_200.0);
        assert_eq!(e.sum, 165_407_762_000.0);
        assert_eq!(e.buckets.len(), 4);
        assert_eq!(
            (e.buckets[0].lower, e.buckets[0].upper),
            (bucket_upper(-1), 1.0)
        );
        assert_eq!(e.buckets[3].upper, 4.0);
        let g = &Profile::HistogramFloatGauge.series(t, 1)[0].histograms[0];
        assert_eq!(g.reset_hint, ResetHint::Gauge as i32);
        assert_eq!(g.positive_counts.len(), 4);
    }

    #[test]
    fn negative_values_go_to_negative_buckets() {
        let e = expected_histogram(-2.0);
        assert_eq!(e.sum, -20.0);
        assert_eq!(e.buckets[0].boundaries, 1);
        assert_eq!(
            (e.buckets[0].lower, e.buckets[0].upper),
            (-4.0, -bucket_upper(7))
        );
        let h = int_histogram(-3, false, 0);
        assert_eq!(h.negative_deltas, [3, 0, 0, 0]);
        assert!(h.positive_spans.is_empty());
    }
}
