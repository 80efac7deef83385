//! What the tests need from a backend: write series, run range and instant queries. The live
//! client implements it over HTTP; unit tests use an in-memory fake.

use std::time::Duration;

use crate::http_client::{HttpClient, HttpConfig};
use crate::query::{Matrix, QueryClient, QueryError, QueryOptions, VectorSample};
use crate::remote_write::TimeSeries;
use crate::write_client::{WriteClient, WriteOutcome, WriteProtocol};

/// A Prometheus-compatible backend.
pub trait Backend: Send + Sync {
    /// Writes `series`; the last status code and the error, if any.
    fn write_series(&self, series: &[TimeSeries]) -> WriteOutcome;
    /// A range query.
    fn query_range(
        &self,
        query: &str,
        start_ms: i64,
        end_ms: i64,
        step: Duration,
        options: QueryOptions,
    ) -> Result<Matrix, QueryError>;
    /// An instant query.
    fn query(
        &self,
        query: &str,
        time_ms: i64,
        options: QueryOptions,
    ) -> Result<Vec<VectorSample>, QueryError>;
    /// The write protocol (logged with each write).
    fn protocol(&self) -> WriteProtocol;
}

/// The HTTP client of a real backend: a writer and a query client sharing one identity.
#[derive(Clone, Debug)]
pub struct LiveBackend {
    write: WriteClient,
    read: QueryClient,
}

/// Where and how to reach a backend.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct BackendConfig {
    /// Client identity, auth and TLS.
    pub http: HttpConfig,
    /// Write endpoint (without the API path).
    pub write_endpoint: String,
    /// API path appended to the write endpoint.
    pub write_path: String,
    /// Write protocol.
    pub write_protocol: WriteProtocol,
    /// Series per write request.
    pub write_batch_size: usize,
    /// Timeout of one write request.
    pub write_timeout: Duration,
    /// Read endpoint (without `/api/v1/...`).
    pub read_endpoint: String,
    /// Timeout of one query.
    pub read_timeout: Duration,
}

impl LiveBackend {
    /// A client for `cfg`; fails without endpoints, with conflicting auth or a bad CA file.
    pub fn new(cfg: &BackendConfig) -> Result<Self, String> {
        if cfg.write_endpoint.is_empty() {
            return Err("the write endpoint has not been set".to_string());
        }
        if cfg.read_endpoint.is_empty() {
            return Err("the read endpoint has not been set".to_string());
        }
        let http = HttpClient::new(&cfg.http)?;
        Ok(LiveBackend {
            write: WriteClient::new(
                http.clone(),
                format!("{}{}", cfg.write_endpoint, cfg.write_path),
                cfg.write_protocol,
                cfg.write_batch_size,
                cfg.write_timeout,
            ),
            read: QueryClient::new(http, &cfg.read_endpoint, cfg.read_timeout),
        })
    }
}

impl Backend for LiveBackend {
    fn write_series(&self, series: &[TimeSeries]) -> WriteOutcome {
        self.write.write_series(series)
    }

    fn query_range(
        &self,
        query: &str,
        start_ms: i64,
        end_ms: i64,
        step: Duration,
        options: QueryOptions,
    ) -> Result<Matrix, QueryError> {
        self.read
            .query_range(query, start_ms, end_ms, step, options)
    }

    fn query(
        &self,
        query: &str,
        time_ms: i64,
        options: QueryOptions,
    ) -> Result<Vec<VectorSample>, QueryError> {
        self.read.query(query, time_ms, options)
    }

    fn protocol(&self) -> WriteProtocol {
        self.write.protocol()
    }
}
