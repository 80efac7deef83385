//! Prometheus remote write 1.0: the `prometheus.WriteRequest` protobuf messages (`prompb`), and
//! their encoding into a request body (protobuf, then snappy block format).

mod encode;
mod proto;

pub use encode::{decode_body, encode_body, CONTENT_TYPE, REMOTE_WRITE_VERSION};
pub use proto::{
    BucketSpan, Exemplar, Histogram, HistogramCount, HistogramZeroCount, Label, MetricMetadata,
    MetricType, ResetHint, Sample, TimeSeries, WriteRequest,
};
