//! OTLP metrics over HTTP: the `ExportMetricsServiceRequest` protobuf messages, and the
//! conversion of remote-write series into them (floats as gauges, native histograms as
//! exponential histograms), as Mimir's continuous test sends with `-tests.write-protocol=otlp-http`.

mod convert;
mod proto;

pub use convert::{decode_body, encode_body, to_export_request, CONTENT_TYPE};
pub use proto::{
    any_value, AnyValue, Buckets, ExponentialHistogram, ExponentialHistogramDataPoint,
    ExportMetricsServiceRequest, Gauge, InstrumentationScope, KeyValue, Metric, MetricData,
    NumberDataPoint, NumberValue, Resource, ResourceMetrics, ScopeMetrics,
    AGGREGATION_TEMPORALITY_CUMULATIVE,
};
