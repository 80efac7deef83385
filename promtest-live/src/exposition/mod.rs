//! The tool's own metrics and their `/metrics` endpoint: counters, gauges and histograms (classic
//! buckets and a native histogram in one, as client_golang's with `NativeHistogramBucketFactor`),
//! exposed in the text format and in the delimited protobuf format Prometheus negotiates to
//! scrape native histograms.

mod histogram;
mod process;
mod protobuf;
mod registry;
mod server;
mod text;

pub use histogram::{HistogramOpts, HistogramSnapshot, NativeSnapshot};
pub use registry::{
    Counter, CounterVec, FamilySnapshot, Gauge, Histogram, HistogramVec, MetricKind,
    MetricSnapshot, MetricValue, Registry,
};
pub use server::{MetricsServer, PROTOBUF_CONTENT_TYPE, TEXT_CONTENT_TYPE};

/// Renders `families` in the text exposition format 0.0.4.
pub fn render_text(families: &[FamilySnapshot]) -> String {
    text::render(families)
}

/// Renders `families` as length-delimited `io.prometheus.client.MetricFamily` messages.
pub fn render_protobuf(families: &[FamilySnapshot]) -> Vec<u8> {
    protobuf::render(families)
}

/// Decodes a delimited protobuf exposition (tests of the scrape format).
pub fn decode_protobuf(body: &[u8]) -> Result<Vec<protobuf::MetricFamily>, String> {
    protobuf::decode(body)
}

pub use protobuf::MetricFamily as ProtoMetricFamily;
