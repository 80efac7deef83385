//! Queries as `client_golang`'s API client sends them: POSTed forms (a GET when the server
//! answers 405), times as decimal seconds, `X-Read-Consistency: strong`, and `Cache-Control:
//! no-store` when the results cache is to be bypassed.

use std::time::Duration;

use super::response::{decode_matrix, decode_vector, Matrix, QueryError, VectorSample};
use crate::http_client::{HttpClient, HttpResponse};

/// The most of a query response read; a larger one is an error rather than unbounded memory.
const MAX_RESPONSE_BYTES: u64 = 256 << 20;

/// Per-request options.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct QueryOptions {
    /// Whether the query frontend's results cache may answer (`false` sends
    /// `Cache-Control: no-store`).
    pub results_cache: bool,
}

impl QueryOptions {
    /// Options with the results cache on or off.
    pub fn with_results_cache(enabled: bool) -> Self {
        QueryOptions {
            results_cache: enabled,
        }
    }
}

/// A client of one backend's query API.
#[derive(Clone, Debug)]
pub struct QueryClient {
    http: HttpClient,
    base: String,
    timeout: Duration,
}

impl QueryClient {
    /// A client of the API under `base` (e.g. `http://127.0.0.1:9090`, or Mimir's
    /// `…/prometheus`), each request bounded by `timeout`.
    pub fn new(http: HttpClient, base: &str, timeout: Duration) -> Self {
        QueryClient {
            http,
            base: base.trim_end_matches('/').to_string(),
            timeout,
        }
    }

    /// A range query; the result must be a matrix.
    pub fn query_range(
        &self,
        query: &str,
        start_ms: i64,
        end_ms: i64,
        step: Duration,
        options: QueryOptions,
    ) -> Result<Matrix, QueryError> {
        let form = [
            ("query", query.to_string()),
            ("start", seconds(start_ms)),
            ("end", seconds(end_ms)),
            ("step", format!("{}", step.as_secs_f64())),
        ];
        let resp = self.send("/api/v1/query_range", &form, options)?;
        decode_matrix(&resp.body)
    }

    /// An instant query; the result must be a vector.
    pub fn query(
        &self,
        query: &str,
        time_ms: i64,
        options: QueryOptions,
    ) -> Result<Vec<VectorSample>, QueryError> {
        let form = [("query", query.to_string()), ("time", seconds(time_ms))];
        let resp = self.send("/api/v1/query", &form, options)?;
        decode_vector(&resp.body)
    }

    fn send(
        &self,
        path: &str,
        form: &[(&str, String)],
        options: QueryOptions,
    ) -> Result<HttpResponse, QueryError> {
        let url = format!("{}{path}", self.base);
        let body = urlencode(form);
        let mut headers = vec![("X-Read-Consistency", "strong")];
        if !options.results_cache {
            // Despite its name, `no-store` also makes Mimir skip the results-cache lookup.
            headers.push(("Cache-Control", "no-store"));
        }
        let mut post_headers = headers.clone();
        post_headers.push(("Content-Type", "application/x-www-form-urlencoded"));
        let mut resp = self
            .http
            .post(
                &url,
                &post_headers,
                body.as_bytes(),
                self.timeout,
                MAX_RESPONSE_BYTES,
            )
            .map_err(QueryError::Transport)?;
        if resp.status == 405 {
            resp = self
                .http
                .get(
                    &format!("{url}?{body}"),
                    &headers,
                    self.timeout,
                    MAX_RESPONSE_BYTES,
                )
                .map_err(QueryError::Transport)?;
        }
        QueryError::check_status(&resp)?;
        Ok(resp)
    }
}

/// A timestamp as the API takes it: decimal seconds, shortest form (`1654077620.5`).
fn seconds(ms: i64) -> String {
    format!("{}", ms as f64 / 1000.0)
}

/// `application/x-www-form-urlencoded`, as Go's `url.Values.Encode` writes it (keys in order
/// given, space as `+`).
fn urlencode(pairs: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        escape(&mut out, k);
        out.push('=');
        escape(&mut out, v);
    }
    out
}

fn escape(out: &mut String, s: &str) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_encode_as_go() {
        assert_eq!(
            urlencode(&[
                ("query", "sum(max_over_time(m[1s]))".into()),
                ("time", seconds(1_654_077_620_500))
            ]),
            "query=sum%28max_over_time%28m%5B1s%5D%29%29&time=1654077620.5"
        );
        assert_eq!(seconds(1_654_077_620_000), "1654077620");
        assert_eq!(urlencode(&[("q", "a b".into())]), "q=a+b");
    }
}
