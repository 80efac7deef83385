//! Fuzzes remote-write bodies: arbitrary bytes into the decoder never panic, and any request
//! that decodes re-encodes to a body that decodes to the same request (the round trip is
//! lossless: compared by re-encoding, so NaN payloads must keep their bits).
#![no_main]

use libfuzzer_sys::fuzz_target;
use promtest_live::remote_write::{decode_body, encode_body, WriteRequest};
use prost::Message;

fuzz_target!(|data: &[u8]| {
    let _ = decode_body(data, 1 << 26);
    // The bytes as a raw protobuf WriteRequest, to reach the encoder with arbitrary content.
    if let Ok(req) = WriteRequest::decode(data) {
        let body = encode_body(&req).expect("a fuzz input is far below snappy's limit");
        let back = decode_body(&body, 1 << 26).expect("what we encode decodes");
        assert_eq!(back.encode_to_vec(), req.encode_to_vec());
    }
});
