//! Remote-write series to OTLP, as Mimir's continuous test converts them: one resource per
//! series, float samples as a gauge, integer native histograms as a cumulative exponential
//! histogram (scale = schema; Prometheus bucket `i` is OTLP bucket `i-1`, since Prometheus's
//! buckets are upper-inclusive and OTLP's lower-exclusive of the next index). The body is
//! protobuf, gzip-compressed.

use std::io::{Read, Write};

use prost::Message;

use super::proto::{
    any_value, AnyValue, Buckets, ExponentialHistogram, ExponentialHistogramDataPoint,
    ExportMetricsServiceRequest, Gauge, KeyValue, Metric, MetricData, NumberDataPoint, NumberValue,
    Resource, ResourceMetrics, ScopeMetrics, AGGREGATION_TEMPORALITY_CUMULATIVE,
};
use crate::remote_write::{BucketSpan, Histogram, HistogramCount, HistogramZeroCount, TimeSeries};

/// `Content-Type` of an OTLP/HTTP protobuf request.
pub const CONTENT_TYPE: &str = "application/x-protobuf";

/// The OTLP request carrying `series`. Float-count histograms are not representable (OTLP
/// counts are integers) and are left out; callers do not send them.
pub fn to_export_request(series: &[TimeSeries]) -> ExportMetricsServiceRequest {
    let resource_metrics = series
        .iter()
        .map(|ts| {
            let mut name = String::new();
            let mut attributes = Vec::new();
            for l in &ts.labels {
                if l.name == "__name__" {
                    name.clone_from(&l.value);
                } else {
                    attributes.push(string_attribute(&l.name, &l.value));
                }
            }
            let mut metrics = Vec::new();
            if !ts.samples.is_empty() {
                let data_points = ts
                    .samples
                    .iter()
                    .map(|s| NumberDataPoint {
                        attributes: attributes.clone(),
                        time_unix_nano: nanos(s.timestamp),
                        value: Some(NumberValue::AsDouble(s.value)),
                        ..NumberDataPoint::default()
                    })
                    .collect();
                metrics.push(metric(&name, MetricData::Gauge(Gauge { data_points })));
            }
            let int_histograms: Vec<_> = ts
                .histograms
                .iter()
                .filter(|h| !matches!(h.count, Some(HistogramCount::Float(_))))
                .collect();
            if !int_histograms.is_empty() {
                let data_points = int_histograms
                    .into_iter()
                    .map(|h| histogram_point(h, &attributes))
                    .collect();
                metrics.push(metric(
                    &name,
                    MetricData::ExponentialHistogram(ExponentialHistogram {
                        data_points,
                        aggregation_temporality: AGGREGATION_TEMPORALITY_CUMULATIVE,
                    }),
                ));
            }
            ResourceMetrics {
                resource: Some(Resource::default()),
                scope_metrics: metrics
                    .into_iter()
                    .map(|m| ScopeMetrics {
                        metrics: vec![m],
                        ..ScopeMetrics::default()
                    })
                    .collect(),
                schema_url: String::new(),
            }
        })
        .collect();
    ExportMetricsServiceRequest { resource_metrics }
}

fn metric(name: &str, data: MetricData) -> Metric {
    Metric {
        name: name.to_string(),
        data: Some(data),
        ..Metric::default()
    }
}

fn string_attribute(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.to_string(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue(value.to_string())),
        }),
    }
}

fn nanos(ms: i64) -> u64 {
    (ms.max(0) as u64).saturating_mul(1_000_000)
}

fn histogram_point(h: &Histogram, attributes: &[KeyValue]) -> ExponentialHistogramDataPoint {
    let count = match h.count {
        Some(HistogramCount::Int(c)) => c,
        _ => 0,
    };
    let zero_count = match h.zero_count {
        Some(HistogramZeroCount::Int(c)) => c,
        _ => 0,
    };
    ExponentialHistogramDataPoint {
        attributes: attributes.to_vec(),
        time_unix_nano: nanos(h.timestamp),
        count,
        sum: Some(h.sum),
        scale: h.schema,
        zero_count,
        positive: Some(dense_buckets(&h.positive_spans, &h.positive_deltas)),
        negative: Some(dense_buckets(&h.negative_spans, &h.negative_deltas)),
        zero_threshold: h.zero_threshold,
        ..ExponentialHistogramDataPoint::default()
    }
}

/// Sparse spans with delta-encoded counts to OTLP's dense layout: the first index (shifted by
/// one, see the module docs) and every count from there, gaps as zeros.
fn dense_buckets(spans: &[BucketSpan], deltas: &[i64]) -> Buckets {
    let Some(first) = spans.first() else {
        return Buckets::default();
    };
    let mut counts = Vec::new();
    let mut deltas = deltas.iter();
    let mut current: i64 = 0;
    for (i, span) in spans.iter().enumerate() {
        if i > 0 {
            counts.extend(std::iter::repeat_n(0, span.offset.max(0) as usize));
        }
        for _ in 0..span.length {
            current = current.saturating_add(deltas.next().copied().unwrap_or(0));
            counts.push(current.max(0) as u64);
        }
    }
    Buckets {
        offset: first.offset - 1,
        bucket_counts: counts,
    }
}

/// The request body: protobuf, gzip-compressed.
pub fn encode_body(req: &ExportMetricsServiceRequest) -> Result<Vec<u8>, String> {
    let raw = req.encode_to_vec();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&raw)
        .and_then(|()| gz.finish())
        .map_err(|e| format!("unable to compress data: {e}"))
}

/// Decodes a request body (receivers and round-trip tests), reading at most `limit` bytes of
/// decompressed protobuf.
pub fn decode_body(body: &[u8], limit: u64) -> Result<ExportMetricsServiceRequest, String> {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(body)
        .take(limit)
        .read_to_end(&mut raw)
        .map_err(|e| format!("gzip: {e}"))?;
    ExportMetricsServiceRequest::decode(raw.as_slice()).map_err(|e| format!("protobuf: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::continuous::Profile;

    #[test]
    fn floats_become_gauges_and_labels_attributes() {
        let series = Profile::Float.series(20_000, 2);
        let req = to_export_request(&series);
        assert_eq!(req.resource_metrics.len(), 2);
        let m = &req.resource_metrics[1].scope_metrics[0].metrics[0];
        assert_eq!(m.name, "mimir_continuous_test_sine_wave_v2");
        let Some(MetricData::Gauge(g)) = &m.data else {
            panic!("gauge expected")
        };
        assert_eq!(g.data_points[0].time_unix_nano, 20_000_000_000);
        let keys: Vec<_> = g.data_points[0]
            .attributes
            .iter()
            .map(|a| a.key.as_str())
            .collect();
        assert_eq!(keys, ["hash_extra", "series_id"]);
    }

    #[test]
    fn integer_histograms_become_exponential_histograms() {
        let series = Profile::HistogramIntCounter.series(1_000_000, 1);
        let req = to_export_request(&series);
        let m = &req.resource_metrics[0].scope_metrics[0].metrics[0];
        let Some(MetricData::ExponentialHistogram(e)) = &m.data else {
            panic!("exponential histogram expected")
        };
        let p = &e.data_points[0];
        assert_eq!((p.scale, p.count, p.sum), (2, 4000, Some(10_000.0)));
        let pos = p.positive.as_ref().unwrap();
        // Prometheus buckets 0, 4, 7, 8 are OTLP buckets -1, 3, 6, 7.
        assert_eq!(pos.offset, -1);
        assert_eq!(pos.bucket_counts, [1000, 0, 0, 0, 1000, 0, 0, 1000, 1000]);
        let body = encode_body(&req).unwrap();
        assert_eq!(decode_body(&body, 1 << 20).unwrap(), req);
    }

    #[test]
    fn float_histograms_are_left_out() {
        let series = Profile::HistogramFloatGauge.series(1_000_000, 1);
        let req = to_export_request(&series);
        assert!(req.resource_metrics[0].scope_metrics.is_empty());
    }

    #[test]
    fn corrupt_bodies_are_errors() {
        assert!(decode_body(b"not gzip", 1 << 20).is_err());
    }
}
