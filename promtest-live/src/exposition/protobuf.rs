//! The delimited protobuf exposition format (`io.prometheus.client.MetricFamily`, each message
//! prefixed by its varint length), the only format that carries native histograms; Prometheus
//! asks for it when scraping with native histograms enabled.

use prost::Message;

use super::histogram::NativeSnapshot;
use super::registry::{FamilySnapshot, MetricKind, MetricValue};

/// `io.prometheus.client.MetricFamily`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MetricFamily {
    /// Name.
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    /// Help.
    #[prost(string, optional, tag = "2")]
    pub help: Option<String>,
    /// `MetricType`: 0 counter, 1 gauge, 4 histogram.
    #[prost(int32, optional, tag = "3")]
    pub r#type: Option<i32>,
    /// Children.
    #[prost(message, repeated, tag = "4")]
    pub metric: Vec<Metric>,
}

/// `io.prometheus.client.Metric`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Metric {
    /// Labels.
    #[prost(message, repeated, tag = "1")]
    pub label: Vec<LabelPair>,
    /// Gauge value.
    #[prost(message, optional, tag = "2")]
    pub gauge: Option<Value>,
    /// Counter value.
    #[prost(message, optional, tag = "3")]
    pub counter: Option<Value>,
    /// Histogram.
    #[prost(message, optional, tag = "7")]
    pub histogram: Option<Histogram>,
}

/// `io.prometheus.client.LabelPair`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct LabelPair {
    /// Name.
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    /// Value.
    #[prost(string, optional, tag = "2")]
    pub value: Option<String>,
}

/// `io.prometheus.client.Gauge` / `Counter` (their `value` field).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Value {
    /// The value.
    #[prost(double, optional, tag = "1")]
    pub value: Option<f64>,
}

/// `io.prometheus.client.Histogram`, classic and native fields.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Histogram {
    /// Observation count.
    #[prost(uint64, optional, tag = "1")]
    pub sample_count: Option<u64>,
    /// Sum of observations.
    #[prost(double, optional, tag = "2")]
    pub sample_sum: Option<f64>,
    /// Classic buckets.
    #[prost(message, repeated, tag = "3")]
    pub bucket: Vec<Bucket>,
    /// Native schema.
    #[prost(sint32, optional, tag = "5")]
    pub schema: Option<i32>,
    /// Zero-bucket width.
    #[prost(double, optional, tag = "6")]
    pub zero_threshold: Option<f64>,
    /// Zero-bucket count.
    #[prost(uint64, optional, tag = "7")]
    pub zero_count: Option<u64>,
    /// Negative spans.
    #[prost(message, repeated, tag = "9")]
    pub negative_span: Vec<BucketSpan>,
    /// Negative bucket deltas.
    #[prost(sint64, repeated, tag = "10")]
    pub negative_delta: Vec<i64>,
    /// Positive spans.
    #[prost(message, repeated, tag = "12")]
    pub positive_span: Vec<BucketSpan>,
    /// Positive bucket deltas.
    #[prost(sint64, repeated, tag = "13")]
    pub positive_delta: Vec<i64>,
}

/// `io.prometheus.client.Bucket`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Bucket {
    /// Cumulative count.
    #[prost(uint64, optional, tag = "1")]
    pub cumulative_count: Option<u64>,
    /// Upper bound.
    #[prost(double, optional, tag = "2")]
    pub upper_bound: Option<f64>,
}

/// `io.prometheus.client.BucketSpan`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct BucketSpan {
    /// Gap from the previous span.
    #[prost(sint32, optional, tag = "1")]
    pub offset: Option<i32>,
    /// Buckets in the span.
    #[prost(uint32, optional, tag = "2")]
    pub length: Option<u32>,
}

fn spans_and_deltas(buckets: &[(i32, u64)]) -> (Vec<BucketSpan>, Vec<i64>) {
    let mut spans: Vec<BucketSpan> = Vec::new();
    let mut deltas = Vec::new();
    let mut prev_index: Option<i32> = None;
    let mut prev_count: i64 = 0;
    for &(index, count) in buckets {
        match prev_index {
            Some(p) if index == p + 1 => {
                if let Some(last) = spans.last_mut() {
                    last.length = Some(last.length.unwrap_or(0) + 1);
                }
            }
            Some(p) => spans.push(BucketSpan {
                offset: Some(index - p - 1),
                length: Some(1),
            }),
            None => spans.push(BucketSpan {
                offset: Some(index),
                length: Some(1),
            }),
        }
        let count = count as i64;
        deltas.push(count - prev_count);
        prev_count = count;
        prev_index = Some(index);
    }
    (spans, deltas)
}

fn native_fields(h: &mut Histogram, native: &NativeSnapshot) {
    h.schema = Some(native.schema);
    h.zero_threshold = Some(native.zero_threshold);
    h.zero_count = Some(native.zero_count);
    let (pos_spans, pos_deltas) = spans_and_deltas(&native.positive);
    let (neg_spans, neg_deltas) = spans_and_deltas(&native.negative);
    h.positive_span = pos_spans;
    h.positive_delta = pos_deltas;
    h.negative_span = neg_spans;
    h.negative_delta = neg_deltas;
    if h.positive_span.is_empty() && h.negative_span.is_empty() {
        // client_golang's marker of a native histogram without observations: a no-op span.
        h.positive_span.push(BucketSpan {
            offset: Some(0),
            length: Some(0),
        });
    }
}

fn to_proto(f: &FamilySnapshot) -> MetricFamily {
    let metric = f
        .metrics
        .iter()
        .map(|m| {
            let label = m
                .labels
                .iter()
                .map(|(k, v)| LabelPair {
                    name: Some(k.clone()),
                    value: Some(v.clone()),
                })
                .collect();
            let mut out = Metric {
                label,
                gauge: None,
                counter: None,
                histogram: None,
            };
            match (&m.value, f.kind) {
                (MetricValue::Number(v), MetricKind::Counter) => {
                    out.counter = Some(Value { value: Some(*v) })
                }
                (MetricValue::Number(v), _) => out.gauge = Some(Value { value: Some(*v) }),
                (MetricValue::Histogram(h), _) => {
                    let mut p = Histogram {
                        sample_count: Some(h.count),
                        sample_sum: Some(h.sum),
                        bucket: h
                            .classic
                            .iter()
                            .map(|&(upper, count)| Bucket {
                                cumulative_count: Some(count),
                                upper_bound: Some(upper),
                            })
                            .collect(),
                        ..Histogram::default()
                    };
                    native_fields(&mut p, &h.native);
                    out.histogram = Some(p);
                }
            }
            out
        })
        .collect();
    MetricFamily {
        name: Some(f.name.clone()),
        help: Some(f.help.clone()),
        r#type: Some(match f.kind {
            MetricKind::Counter => 0,
            MetricKind::Gauge => 1,
            MetricKind::Histogram => 4,
        }),
        metric,
    }
}

pub(super) fn render(families: &[FamilySnapshot]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in families.iter().filter(|f| !f.metrics.is_empty()) {
        // Writing into a Vec cannot run out of room.
        let _ = to_proto(f).encode_length_delimited(&mut out);
    }
    out
}

pub(super) fn decode(mut body: &[u8]) -> Result<Vec<MetricFamily>, String> {
    let mut out = Vec::new();
    while !body.is_empty() {
        out.push(MetricFamily::decode_length_delimited(&mut body).map_err(|e| e.to_string())?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_gaps_and_deltas_chain() {
        let (spans, deltas) = spans_and_deltas(&[(-2, 1), (-1, 3), (4, 3), (5, 1)]);
        let s: Vec<_> = spans
            .iter()
            .map(|s| (s.offset.unwrap(), s.length.unwrap()))
            .collect();
        assert_eq!(s, [(-2, 2), (4, 2)]);
        assert_eq!(deltas, [1, 2, 0, -2]);
    }
}
