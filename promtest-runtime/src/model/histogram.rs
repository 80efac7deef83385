//! Native histograms as float histograms: schema, zero bucket, spans and buckets.
//!
//! This module holds the data shape; arithmetic on histograms lives with the
//! PromQL functions that need it.

/// A run of consecutive buckets: `offset` buckets skipped after the previous span, then `length` buckets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    /// Gap (in bucket indexes) to the end of the previous span, or the index of the first bucket.
    pub offset: i32,
    /// Number of consecutive buckets.
    pub length: u32,
}

/// The counter-reset hint carried by a histogram sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CounterResetHint {
    /// No information on counter resets.
    #[default]
    Unknown,
    /// This histogram is known to follow a counter reset.
    CounterReset,
    /// This histogram is known not to follow a counter reset.
    NotCounterReset,
    /// This histogram is a gauge histogram.
    Gauge,
}

/// Schema value for histograms with custom bucket boundaries.
pub const CUSTOM_BUCKETS_SCHEMA: i32 = -53;

/// A native histogram with float counts, as PromQL evaluates it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FloatHistogram {
    /// The counter-reset hint.
    pub counter_reset_hint: CounterResetHint,
    /// Resolution: -4..=8 for exponential buckets, -53 for custom buckets.
    pub schema: i32,
    /// Width of the zero bucket (exponential schemas only).
    pub zero_threshold: f64,
    /// Observations in the zero bucket.
    pub zero_count: f64,
    /// Total number of observations.
    pub count: f64,
    /// Sum of observations.
    pub sum: f64,
    /// Spans of the positive buckets.
    pub positive_spans: Vec<Span>,
    /// Spans of the negative buckets.
    pub negative_spans: Vec<Span>,
    /// Counts of the positive buckets (absolute, not deltas).
    pub positive_buckets: Vec<f64>,
    /// Counts of the negative buckets (absolute, not deltas).
    pub negative_buckets: Vec<f64>,
    /// Upper bounds of custom buckets (schema -53 only).
    pub custom_values: Vec<f64>,
}

impl FloatHistogram {
    /// Whether this histogram uses custom bucket boundaries.
    pub fn uses_custom_buckets(&self) -> bool {
        self.schema == CUSTOM_BUCKETS_SCHEMA
    }
}
