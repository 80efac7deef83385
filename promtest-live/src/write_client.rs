//! Writing series to the backend: remote write 1.0 (protobuf + snappy to `/api/v1/push` by
//! default) or OTLP/HTTP (protobuf + gzip to `/otlp/v1/metrics`), in batches of at most
//! `batch_size` series, each request bounded by the write timeout.

use std::str::FromStr;
use std::time::Duration;

use crate::http_client::HttpClient;
use crate::remote_write::{self, TimeSeries, WriteRequest};
use crate::{otlp, secret};

/// The most of an error response body kept in messages, as Mimir's `maxErrMsgLen`.
const MAX_ERR_MSG_LEN: u64 = 256;

/// `-tests.write-protocol`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteProtocol {
    /// `prometheus`: remote write 1.0.
    Prometheus,
    /// `otlp-http`: OTLP metrics over HTTP.
    OtlpHttp,
}

impl WriteProtocol {
    /// The flag value naming this protocol.
    pub fn name(self) -> &'static str {
        match self {
            WriteProtocol::Prometheus => "prometheus",
            WriteProtocol::OtlpHttp => "otlp-http",
        }
    }

    /// The API path appended to the write endpoint when `-tests.write-path` is not given.
    pub fn default_path(self) -> &'static str {
        match self {
            WriteProtocol::Prometheus => "/api/v1/push",
            WriteProtocol::OtlpHttp => "/otlp/v1/metrics",
        }
    }
}

impl FromStr for WriteProtocol {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "prometheus" => Ok(WriteProtocol::Prometheus),
            "otlp-http" => Ok(WriteProtocol::OtlpHttp),
            _ => Err(
                "the only supported write protocols are \"prometheus\" or \"otlp-http\""
                    .to_string(),
            ),
        }
    }
}

/// The outcome of a write: the last status code (0 when no response came) and, unless every
/// request got a 2xx, the error.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteOutcome {
    /// HTTP status of the last request sent; 0 for a network error.
    pub status: u16,
    /// Why the write failed.
    pub error: Option<String>,
}

/// An encoded body (or why it could not be encoded) and the headers it goes with.
type Encoded = (
    Result<Vec<u8>, String>,
    &'static [(&'static str, &'static str)],
);

/// A writer of series to one backend URL.
#[derive(Clone, Debug)]
pub struct WriteClient {
    http: HttpClient,
    url: String,
    protocol: WriteProtocol,
    batch_size: usize,
    timeout: Duration,
}

impl WriteClient {
    /// A writer posting to `url` (endpoint + path).
    pub fn new(
        http: HttpClient,
        url: String,
        protocol: WriteProtocol,
        batch_size: usize,
        timeout: Duration,
    ) -> Self {
        WriteClient {
            http,
            url,
            protocol,
            batch_size: batch_size.max(1),
            timeout,
        }
    }

    /// The protocol this writer speaks.
    pub fn protocol(&self) -> WriteProtocol {
        self.protocol
    }

    /// Writes `series` in batches; stops at the first failing batch, as Mimir does.
    pub fn write_series(&self, series: &[TimeSeries]) -> WriteOutcome {
        let mut last = WriteOutcome {
            status: 0,
            error: None,
        };
        for batch in series.chunks(self.batch_size) {
            last = self.send(batch);
            if last.error.is_some() {
                break;
            }
        }
        last
    }

    fn send(&self, batch: &[TimeSeries]) -> WriteOutcome {
        let failed = |status, error: String| WriteOutcome {
            status,
            error: Some(error),
        };
        let (body, headers): Encoded = match self.protocol {
            WriteProtocol::Prometheus => (
                remote_write::encode_body(&WriteRequest {
                    timeseries: batch.to_vec(),
                    metadata: Vec::new(),
                }),
                &[
                    ("Content-Encoding", "snappy"),
                    ("Content-Type", remote_write::CONTENT_TYPE),
                    (
                        "X-Prometheus-Remote-Write-Version",
                        remote_write::REMOTE_WRITE_VERSION,
                    ),
                ],
            ),
            WriteProtocol::OtlpHttp => (
                otlp::encode_body(&otlp::to_export_request(batch)),
                &[
                    ("Content-Encoding", "gzip"),
                    ("Accept-Encoding", "gzip"),
                    ("Content-Type", otlp::CONTENT_TYPE),
                ],
            ),
        };
        let body = match body {
            Ok(b) => b,
            Err(e) => return failed(0, e),
        };
        let resp = match self
            .http
            .post(&self.url, headers, &body, self.timeout, MAX_ERR_MSG_LEN)
        {
            Ok(r) => r,
            Err(e) => return failed(0, e),
        };
        if resp.status / 100 == 2 {
            return WriteOutcome {
                status: resp.status,
                error: None,
            };
        }
        let text = String::from_utf8_lossy(&resp.body);
        failed(
            resp.status,
            format!(
                "server returned HTTP status {} and body {:?} (truncated to {MAX_ERR_MSG_LEN} bytes)",
                resp.status_line,
                secret::scrub_authorization(&text)
            ),
        )
    }
}
