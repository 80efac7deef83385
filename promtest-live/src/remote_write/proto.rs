//! The messages of Prometheus's `prompb/remote.proto` and `prompb/types.proto` that remote write
//! 1.0 sends, as prost messages (field numbers and wire types as upstream's).

/// `prometheus.WriteRequest`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct WriteRequest {
    /// The series, each with its samples and histograms.
    #[prost(message, repeated, tag = "1")]
    pub timeseries: Vec<TimeSeries>,
    /// Metric metadata (type, help, unit) per metric family.
    #[prost(message, repeated, tag = "3")]
    pub metadata: Vec<MetricMetadata>,
}

/// `prometheus.TimeSeries`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TimeSeries {
    /// Labels, sorted by name, `__name__` included.
    #[prost(message, repeated, tag = "1")]
    pub labels: Vec<Label>,
    /// Float samples.
    #[prost(message, repeated, tag = "2")]
    pub samples: Vec<Sample>,
    /// Exemplars.
    #[prost(message, repeated, tag = "3")]
    pub exemplars: Vec<Exemplar>,
    /// Native-histogram samples.
    #[prost(message, repeated, tag = "4")]
    pub histograms: Vec<Histogram>,
}

/// `prometheus.Label`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Message)]
pub struct Label {
    /// Label name.
    #[prost(string, tag = "1")]
    pub name: String,
    /// Label value.
    #[prost(string, tag = "2")]
    pub value: String,
}

/// `prometheus.Sample`.
#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct Sample {
    /// The value.
    #[prost(double, tag = "1")]
    pub value: f64,
    /// Milliseconds since the Unix epoch.
    #[prost(int64, tag = "2")]
    pub timestamp: i64,
}

/// `prometheus.Exemplar`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Exemplar {
    /// The exemplar's labels (e.g. `trace_id`).
    #[prost(message, repeated, tag = "1")]
    pub labels: Vec<Label>,
    /// The exemplar's value.
    #[prost(double, tag = "2")]
    pub value: f64,
    /// Milliseconds since the Unix epoch.
    #[prost(int64, tag = "3")]
    pub timestamp: i64,
}

/// `prometheus.Histogram`: one native-histogram sample, integer (deltas) or float (counts).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Histogram {
    /// Observation count: `count_int` (1) or `count_float` (2).
    #[prost(oneof = "HistogramCount", tags = "1, 2")]
    pub count: Option<HistogramCount>,
    /// Sum of observations.
    #[prost(double, tag = "3")]
    pub sum: f64,
    /// Resolution: bucket boundaries are powers of `2^(2^-schema)`.
    #[prost(sint32, tag = "4")]
    pub schema: i32,
    /// Width of the zero bucket.
    #[prost(double, tag = "5")]
    pub zero_threshold: f64,
    /// Zero-bucket count: `zero_count_int` (6) or `zero_count_float` (7).
    #[prost(oneof = "HistogramZeroCount", tags = "6, 7")]
    pub zero_count: Option<HistogramZeroCount>,
    /// Spans of populated negative buckets.
    #[prost(message, repeated, tag = "8")]
    pub negative_spans: Vec<BucketSpan>,
    /// Negative bucket counts as deltas (integer histograms).
    #[prost(sint64, repeated, tag = "9")]
    pub negative_deltas: Vec<i64>,
    /// Negative bucket counts (float histograms).
    #[prost(double, repeated, tag = "10")]
    pub negative_counts: Vec<f64>,
    /// Spans of populated positive buckets.
    #[prost(message, repeated, tag = "11")]
    pub positive_spans: Vec<BucketSpan>,
    /// Positive bucket counts as deltas (integer histograms).
    #[prost(sint64, repeated, tag = "12")]
    pub positive_deltas: Vec<i64>,
    /// Positive bucket counts (float histograms).
    #[prost(double, repeated, tag = "13")]
    pub positive_counts: Vec<f64>,
    /// Counter-reset hint.
    #[prost(enumeration = "ResetHint", tag = "14")]
    pub reset_hint: i32,
    /// Milliseconds since the Unix epoch.
    #[prost(int64, tag = "15")]
    pub timestamp: i64,
    /// Custom bucket bounds (schema -53).
    #[prost(double, repeated, tag = "16")]
    pub custom_values: Vec<f64>,
}

/// The `count` oneof of [`Histogram`].
#[derive(Clone, Copy, PartialEq, prost::Oneof)]
pub enum HistogramCount {
    /// `count_int`, for integer histograms.
    #[prost(uint64, tag = "1")]
    Int(u64),
    /// `count_float`, for float histograms.
    #[prost(double, tag = "2")]
    Float(f64),
}

/// The `zero_count` oneof of [`Histogram`].
#[derive(Clone, Copy, PartialEq, prost::Oneof)]
pub enum HistogramZeroCount {
    /// `zero_count_int`.
    #[prost(uint64, tag = "6")]
    Int(u64),
    /// `zero_count_float`.
    #[prost(double, tag = "7")]
    Float(f64),
}

/// `prometheus.Histogram.ResetHint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum ResetHint {
    /// Unknown whether a counter reset happened.
    Unknown = 0,
    /// A counter reset happened.
    Yes = 1,
    /// No counter reset happened.
    No = 2,
    /// A gauge histogram: resets do not apply.
    Gauge = 3,
}

/// `prometheus.BucketSpan`.
#[derive(Clone, Copy, PartialEq, Eq, prost::Message)]
pub struct BucketSpan {
    /// Gap to the previous span (or the starting index, for the first).
    #[prost(sint32, tag = "1")]
    pub offset: i32,
    /// Number of consecutive buckets.
    #[prost(uint32, tag = "2")]
    pub length: u32,
}

/// `prometheus.MetricMetadata`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MetricMetadata {
    /// The metric type.
    #[prost(enumeration = "MetricType", tag = "1")]
    pub r#type: i32,
    /// The metric family name.
    #[prost(string, tag = "2")]
    pub metric_family_name: String,
    /// Help text.
    #[prost(string, tag = "4")]
    pub help: String,
    /// Unit.
    #[prost(string, tag = "5")]
    pub unit: String,
}

/// `prometheus.MetricMetadata.MetricType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum MetricType {
    /// Unknown.
    Unknown = 0,
    /// Counter.
    Counter = 1,
    /// Gauge.
    Gauge = 2,
    /// Classic histogram.
    Histogram = 3,
    /// Gauge histogram.
    Gaugehistogram = 4,
    /// Summary.
    Summary = 5,
    /// Info.
    Info = 6,
    /// Stateset.
    Stateset = 7,
}
