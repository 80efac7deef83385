//! A remote-write request body: the protobuf `WriteRequest`, compressed with snappy's block
//! format (not the framed stream format), as remote write 1.0 requires.

use prost::Message;

use super::WriteRequest;

/// `Content-Type` of a remote-write 1.0 request.
pub const CONTENT_TYPE: &str = "application/x-protobuf";

/// `X-Prometheus-Remote-Write-Version` of a remote-write 1.0 request.
pub const REMOTE_WRITE_VERSION: &str = "0.1.0";

/// The request body for `req`: protobuf, snappy block-compressed. Fails only for a batch over
/// snappy's block limit (about 4 GiB), which a smaller `-tests.write-batch-size` avoids.
pub fn encode_body(req: &WriteRequest) -> Result<Vec<u8>, String> {
    let raw = req.encode_to_vec();
    snap::raw::Encoder::new()
        .compress_vec(&raw)
        .map_err(|e| format!("remote-write batch too large to compress: {e}"))
}

/// Decodes a request body back into the `WriteRequest` (receivers and round-trip tests),
/// refusing one that claims to decompress to more than `limit` bytes before allocating it.
pub fn decode_body(body: &[u8], limit: usize) -> Result<WriteRequest, String> {
    let len = snap::raw::decompress_len(body).map_err(|e| format!("snappy: {e}"))?;
    if len > limit {
        return Err(format!(
            "snappy: decompressed length {len} exceeds the limit of {limit} bytes"
        ));
    }
    let raw = snap::raw::Decoder::new()
        .decompress_vec(body)
        .map_err(|e| format!("snappy: {e}"))?;
    WriteRequest::decode(raw.as_slice()).map_err(|e| format!("protobuf: {e}"))
}
