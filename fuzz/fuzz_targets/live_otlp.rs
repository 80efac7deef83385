//! Fuzzes OTLP bodies: arbitrary bytes into the gzip + protobuf decoder never panic or exceed
//! the decompression limit, and a request that decodes survives encode → decode unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promtest_live::otlp::{decode_body, encode_body, ExportMetricsServiceRequest};
use prost::Message;

fuzz_target!(|data: &[u8]| {
    let _ = decode_body(data, 1 << 20);
    if let Ok(req) = ExportMetricsServiceRequest::decode(data) {
        let body = encode_body(&req).expect("encodes");
        let back = decode_body(&body, 1 << 26).expect("what we encode decodes");
        assert_eq!(back.encode_to_vec(), req.encode_to_vec());
    }
});
