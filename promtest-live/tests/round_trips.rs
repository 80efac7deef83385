//! Randomised checks of every decoder of untrusted input in the live client (a stable-toolchain
//! fuzz smoke, deterministic by seed): remote-write and OTLP bodies survive encode → decode
//! losslessly, and arbitrary or corrupted bytes into the remote-write, OTLP, query-API and
//! exposition decoders give errors, never panics.

use promtest_live::continuous::{Prng, Profile};
use promtest_live::exposition::decode_protobuf;
use promtest_live::otlp;
use promtest_live::query::{decode_matrix, decode_vector};
use promtest_live::remote_write::{
    decode_body, encode_body, BucketSpan, Histogram, HistogramCount, HistogramZeroCount, Label,
    Sample, TimeSeries, WriteRequest,
};

const ROUNDS: usize = 3_000;

fn float(r: &mut Prng) -> f64 {
    match r.below(8) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => -0.0,
        3 => f64::from_bits(r.below(u64::MAX)),
        _ => r.below(1_000_000) as f64 / 7.0,
    }
}

fn text(r: &mut Prng) -> String {
    const ALPHABET: &[char] = &[
        'a', 'Z', '_', '0', ' ', '"', '\\', '\n', 'é', '\u{200b}', '☃', '=',
    ];
    (0..r.below(12))
        .map(|_| ALPHABET[r.below(ALPHABET.len() as u64) as usize])
        .collect()
}

fn spans(r: &mut Prng) -> Vec<BucketSpan> {
    (0..r.below(4))
        .map(|_| BucketSpan {
            offset: r.below(20) as i32 - 10,
            length: r.below(5) as u32,
        })
        .collect()
}

fn histogram(r: &mut Prng) -> Histogram {
    let int = r.below(2) == 0;
    let n = r.below(6) as usize;
    Histogram {
        count: Some(if int {
            HistogramCount::Int(r.below(u64::MAX))
        } else {
            HistogramCount::Float(float(r))
        }),
        sum: float(r),
        schema: r.below(13) as i32 - 4,
        zero_threshold: float(r),
        zero_count: Some(if int {
            HistogramZeroCount::Int(r.below(1000))
        } else {
            HistogramZeroCount::Float(float(r))
        }),
        negative_spans: spans(r),
        negative_deltas: (0..n).map(|_| r.below(1000) as i64 - 500).collect(),
        positive_spans: spans(r),
        positive_counts: (0..n).map(|_| float(r)).collect(),
        reset_hint: r.below(4) as i32,
        timestamp: r.below(u64::MAX) as i64,
        ..Histogram::default()
    }
}

fn request(r: &mut Prng) -> WriteRequest {
    WriteRequest {
        timeseries: (0..r.below(5))
            .map(|_| TimeSeries {
                labels: (0..r.below(4))
                    .map(|_| Label {
                        name: text(r),
                        value: text(r),
                    })
                    .collect(),
                samples: (0..r.below(4))
                    .map(|_| Sample {
                        value: float(r),
                        timestamp: r.below(u64::MAX) as i64,
                    })
                    .collect(),
                histograms: (0..r.below(3)).map(|_| histogram(r)).collect(),
                ..TimeSeries::default()
            })
            .collect(),
        metadata: Vec::new(),
    }
}

#[test]
fn remote_write_bodies_round_trip_bit_for_bit() {
    let mut r = Prng::seeded(0x5eed);
    for _ in 0..ROUNDS {
        let req = request(&mut r);
        let body = encode_body(&req).unwrap();
        let back = decode_body(&body, 1 << 26).unwrap();
        // Compared re-encoded, so NaN payloads count as equal only when their bits are.
        assert_eq!(encode_body(&back).unwrap(), body);
        assert_eq!(back.timeseries.len(), req.timeseries.len());
    }
}

#[test]
fn otlp_bodies_round_trip() {
    let mut r = Prng::seeded(0x0071);
    for round in 0..ROUNDS / 10 {
        let profile = [
            Profile::Float,
            Profile::HistogramIntCounter,
            Profile::HistogramIntGauge,
        ][round % 3];
        let series = profile.series(r.below(4_000_000_000_000) as i64, 1 + r.below(20) as usize);
        let req = otlp::to_export_request(&series);
        let body = otlp::encode_body(&req).unwrap();
        assert_eq!(otlp::decode_body(&body, 1 << 26).unwrap(), req);
    }
}

fn mutate(r: &mut Prng, mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.is_empty() {
        return bytes;
    }
    match r.below(3) {
        0 => bytes.truncate(r.below(bytes.len() as u64) as usize),
        1 => {
            let i = r.below(bytes.len() as u64) as usize;
            bytes[i] ^= 1 << r.below(8);
        }
        _ => {
            let i = r.below(bytes.len() as u64) as usize;
            bytes.insert(i, r.below(256) as u8);
        }
    }
    bytes
}

#[test]
fn corrupted_bodies_are_errors_not_panics() {
    let mut r = Prng::seeded(42);
    for _ in 0..ROUNDS {
        let body = encode_body(&request(&mut r)).unwrap();
        let _ = decode_body(&mutate(&mut r, body), 1 << 26);
        let random: Vec<u8> = (0..r.below(64)).map(|_| r.below(256) as u8).collect();
        let _ = decode_body(&random, 1 << 26);
        let _ = otlp::decode_body(&random, 1 << 20);
        let _ = decode_protobuf(&random);
    }
    // A gzip bomb stops at the limit.
    let zeros = vec![0u8; 8 << 20];
    let req = otlp::ExportMetricsServiceRequest::default();
    let mut bomb = otlp::encode_body(&req).unwrap();
    {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&zeros).unwrap();
        bomb = gz.finish().unwrap_or(bomb);
    }
    assert!(otlp::decode_body(&bomb, 1 << 20).is_err());
}

#[test]
fn a_snappy_header_claiming_gigabytes_is_refused_before_allocating() {
    // Found by the live_remote_write fuzz target: six bytes whose length header says ~4 GiB.
    let err = decode_body(&[0xaf, 0xaf, 0xaf, 0xaf, 0x0a, 0x87], 1 << 26).unwrap_err();
    assert!(err.contains("exceeds the limit"), "{err}");
}

#[test]
fn query_api_json_never_panics() {
    let mut r = Prng::seeded(7);
    let valid = br#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1.5,"2"]],"histograms":[[2,{"count":"1","sum":"2","buckets":[[0,"1","2","1"]]}]]}]}}"#;
    for _ in 0..ROUNDS {
        let bytes = mutate(&mut r, valid.to_vec());
        let _ = decode_matrix(&bytes);
        let _ = decode_vector(&bytes);
    }
    // Deep nesting is refused by the JSON parser's recursion limit, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(decode_matrix(deep.as_bytes()).is_err());
}
