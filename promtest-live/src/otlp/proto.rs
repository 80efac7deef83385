//! The messages of OpenTelemetry's `collector/metrics/v1/metrics_service.proto`,
//! `metrics/v1/metrics.proto` and `common/v1/common.proto` that carry gauges and exponential
//! histograms, as prost messages (field numbers and wire types as upstream's).

/// `AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE`.
pub const AGGREGATION_TEMPORALITY_CUMULATIVE: i32 = 2;

/// `ExportMetricsServiceRequest`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ExportMetricsServiceRequest {
    /// Metrics grouped by the resource that produced them.
    #[prost(message, repeated, tag = "1")]
    pub resource_metrics: Vec<ResourceMetrics>,
}

/// `ResourceMetrics`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceMetrics {
    /// The producing resource.
    #[prost(message, optional, tag = "1")]
    pub resource: Option<Resource>,
    /// Metrics grouped by instrumentation scope.
    #[prost(message, repeated, tag = "2")]
    pub scope_metrics: Vec<ScopeMetrics>,
    /// Schema URL.
    #[prost(string, tag = "3")]
    pub schema_url: String,
}

/// `Resource`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Resource {
    /// Resource attributes.
    #[prost(message, repeated, tag = "1")]
    pub attributes: Vec<KeyValue>,
    /// Attributes dropped by the producer.
    #[prost(uint32, tag = "2")]
    pub dropped_attributes_count: u32,
}

/// `ScopeMetrics`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ScopeMetrics {
    /// The instrumentation scope.
    #[prost(message, optional, tag = "1")]
    pub scope: Option<InstrumentationScope>,
    /// The metrics.
    #[prost(message, repeated, tag = "2")]
    pub metrics: Vec<Metric>,
    /// Schema URL.
    #[prost(string, tag = "3")]
    pub schema_url: String,
}

/// `InstrumentationScope`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct InstrumentationScope {
    /// Scope name.
    #[prost(string, tag = "1")]
    pub name: String,
    /// Scope version.
    #[prost(string, tag = "2")]
    pub version: String,
}

/// `Metric`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Metric {
    /// Metric name.
    #[prost(string, tag = "1")]
    pub name: String,
    /// Description (the Prometheus help text).
    #[prost(string, tag = "2")]
    pub description: String,
    /// Unit.
    #[prost(string, tag = "3")]
    pub unit: String,
    /// The data points.
    #[prost(oneof = "MetricData", tags = "5, 10")]
    pub data: Option<MetricData>,
}

/// The `data` oneof of [`Metric`] (the kinds promtest sends).
#[derive(Clone, PartialEq, prost::Oneof)]
pub enum MetricData {
    /// `gauge`.
    #[prost(message, tag = "5")]
    Gauge(Gauge),
    /// `exponential_histogram`.
    #[prost(message, tag = "10")]
    ExponentialHistogram(ExponentialHistogram),
}

/// `Gauge`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Gauge {
    /// The points.
    #[prost(message, repeated, tag = "1")]
    pub data_points: Vec<NumberDataPoint>,
}

/// `NumberDataPoint`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NumberDataPoint {
    /// Attributes (the Prometheus labels but `__name__`).
    #[prost(message, repeated, tag = "7")]
    pub attributes: Vec<KeyValue>,
    /// Start of the cumulative period, nanoseconds.
    #[prost(fixed64, tag = "2")]
    pub start_time_unix_nano: u64,
    /// Sample time, nanoseconds.
    #[prost(fixed64, tag = "3")]
    pub time_unix_nano: u64,
    /// The value.
    #[prost(oneof = "NumberValue", tags = "4, 6")]
    pub value: Option<NumberValue>,
    /// Flags.
    #[prost(uint32, tag = "8")]
    pub flags: u32,
}

/// The `value` oneof of [`NumberDataPoint`].
#[derive(Clone, Copy, PartialEq, prost::Oneof)]
pub enum NumberValue {
    /// `as_double`.
    #[prost(double, tag = "4")]
    AsDouble(f64),
    /// `as_int`.
    #[prost(sfixed64, tag = "6")]
    AsInt(i64),
}

/// `ExponentialHistogram`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ExponentialHistogram {
    /// The points.
    #[prost(message, repeated, tag = "1")]
    pub data_points: Vec<ExponentialHistogramDataPoint>,
    /// `AggregationTemporality`.
    #[prost(int32, tag = "2")]
    pub aggregation_temporality: i32,
}

/// `ExponentialHistogramDataPoint`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ExponentialHistogramDataPoint {
    /// Attributes.
    #[prost(message, repeated, tag = "1")]
    pub attributes: Vec<KeyValue>,
    /// Start of the cumulative period, nanoseconds.
    #[prost(fixed64, tag = "2")]
    pub start_time_unix_nano: u64,
    /// Sample time, nanoseconds.
    #[prost(fixed64, tag = "3")]
    pub time_unix_nano: u64,
    /// Observation count.
    #[prost(fixed64, tag = "4")]
    pub count: u64,
    /// Sum of observations.
    #[prost(double, optional, tag = "5")]
    pub sum: Option<f64>,
    /// The scale (Prometheus's schema).
    #[prost(sint32, tag = "6")]
    pub scale: i32,
    /// Zero-bucket count.
    #[prost(fixed64, tag = "7")]
    pub zero_count: u64,
    /// Positive buckets.
    #[prost(message, optional, tag = "8")]
    pub positive: Option<Buckets>,
    /// Negative buckets.
    #[prost(message, optional, tag = "9")]
    pub negative: Option<Buckets>,
    /// Flags.
    #[prost(uint32, tag = "10")]
    pub flags: u32,
    /// Zero-bucket width.
    #[prost(double, tag = "14")]
    pub zero_threshold: f64,
}

/// `ExponentialHistogramDataPoint.Buckets`: dense counts from `offset`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Buckets {
    /// Index of the first count.
    #[prost(sint32, tag = "1")]
    pub offset: i32,
    /// Counts of consecutive buckets.
    #[prost(uint64, repeated, tag = "2")]
    pub bucket_counts: Vec<u64>,
}

/// `KeyValue`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct KeyValue {
    /// Attribute name.
    #[prost(string, tag = "1")]
    pub key: String,
    /// Attribute value.
    #[prost(message, optional, tag = "2")]
    pub value: Option<AnyValue>,
}

/// `AnyValue`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnyValue {
    /// The value.
    #[prost(oneof = "any_value::Value", tags = "1, 2, 3, 4")]
    pub value: Option<any_value::Value>,
}

/// The `value` oneof of [`AnyValue`].
pub mod any_value {
    /// The kinds of attribute value promtest sends or reads.
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Value {
        /// `string_value`.
        #[prost(string, tag = "1")]
        StringValue(String),
        /// `bool_value`.
        #[prost(bool, tag = "2")]
        BoolValue(bool),
        /// `int_value`.
        #[prost(int64, tag = "3")]
        IntValue(i64),
        /// `double_value`.
        #[prost(double, tag = "4")]
        DoubleValue(f64),
    }
}
