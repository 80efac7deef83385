//! promtest's live-target side: a client of Prometheus-compatible backends (remote write 1.0,
//! OTLP/HTTP, the query API; bearer, basic and tenant auth; TLS) and `promtest continuous-test`,
//! Grafana Mimir's continuous test with its flags, metrics and semantics.
//!
//! This crate is separate from `promtest-runtime` so that a crate using only
//! `#[promql_tests]` compiles no HTTP, TLS or protobuf stack.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod clock;
pub mod continuous;
pub mod exposition;
mod go_duration;
mod http_client;
pub mod logfmt;
pub mod otlp;
pub mod query;
pub mod remote_write;
mod secret;
mod write_client;

pub use http_client::{redact_url, HttpClient, HttpConfig, HttpResponse, DEFAULT_TENANT};
pub use secret::Secret;
pub use write_client::{WriteClient, WriteOutcome, WriteProtocol};
