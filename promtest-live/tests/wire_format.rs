//! What goes over the wire, checked by a receiver in this process: remote-write and OTLP
//! requests (headers, encoding, batches, a lossless decode), the query API's requests
//! (form, read consistency, cache bypass, the GET fallback), error texts, timeouts, and the
//! `/metrics` endpoint's two formats.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use promtest_live::continuous::Profile;
use promtest_live::exposition::{HistogramOpts, MetricsServer, Registry};
use promtest_live::query::{QueryClient, QueryOptions};
use promtest_live::{
    otlp, remote_write, HttpClient, HttpConfig, Secret, WriteClient, WriteProtocol,
};

/// A request the receiver saw.
#[derive(Debug)]
struct Seen {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A receiver answering each request with `respond(n)` (status, body, delay); the requests
/// arrive on the channel.
fn receiver(
    respond: impl Fn(usize, &Seen) -> (u16, String, Duration) + Send + 'static,
) -> (String, mpsc::Receiver<Seen>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.server_addr().to_ip().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for (n, mut req) in server.incoming_requests().enumerate() {
            let mut body = Vec::new();
            let _ = req.as_reader().read_to_end(&mut body);
            let seen = Seen {
                method: req.method().to_string(),
                url: req.url().to_string(),
                headers: req
                    .headers()
                    .iter()
                    .map(|h| (h.field.to_string(), h.value.to_string()))
                    .collect(),
                body,
            };
            let (status, text, delay) = respond(n, &seen);
            if tx.send(seen).is_err() {
                return;
            }
            thread::sleep(delay);
            let _ = req.respond(tiny_http::Response::from_string(text).with_status_code(status));
        }
    });
    (url, rx)
}

fn ok(_: usize, _: &Seen) -> (u16, String, Duration) {
    (204, String::new(), Duration::ZERO)
}

fn client(cfg: &HttpConfig) -> HttpClient {
    HttpClient::new(cfg).unwrap()
}

#[test]
fn remote_write_requests_are_snappy_protobuf_in_batches_with_mimirs_headers() {
    let (url, rx) = receiver(ok);
    let mut cfg = HttpConfig::new("team-a");
    cfg.bearer_token = Secret::new("t0ken");
    let w = WriteClient::new(
        client(&cfg),
        format!("{url}/api/v1/push"),
        WriteProtocol::Prometheus,
        10,
        Duration::from_secs(5),
    );
    let mut series = Profile::Float.series(1_700_000_000_000, 25);
    series.extend(Profile::HistogramIntCounter.series(1_700_000_000_000, 1));
    let outcome = w.write_series(&series);
    assert_eq!((outcome.status, outcome.error), (204, None));
    let requests: Vec<Seen> = rx.try_iter().collect();
    assert_eq!(requests.len(), 3);
    let r = &requests[0];
    assert_eq!(
        (r.method.as_str(), r.url.as_str()),
        ("POST", "/api/v1/push")
    );
    assert_eq!(r.header("Content-Encoding"), Some("snappy"));
    assert_eq!(r.header("Content-Type"), Some("application/x-protobuf"));
    assert_eq!(r.header("X-Prometheus-Remote-Write-Version"), Some("0.1.0"));
    assert_eq!(r.header("User-Agent"), Some("mimir-continuous-test"));
    assert_eq!(r.header("Authorization"), Some("Bearer t0ken"));
    assert_eq!(r.header("X-Scope-OrgID"), Some("team-a"));
    let decoded: Vec<_> = requests
        .iter()
        .flat_map(|r| {
            remote_write::decode_body(&r.body, 1 << 26)
                .unwrap()
                .timeseries
        })
        .collect();
    assert_eq!(decoded, series, "the round trip is lossless");
    assert_eq!(
        remote_write::decode_body(&requests[2].body, 1 << 26)
            .unwrap()
            .timeseries
            .len(),
        6
    );
}

#[test]
fn otlp_requests_are_gzip_protobuf_that_decode_to_the_same_data() {
    let (url, rx) = receiver(ok);
    let w = WriteClient::new(
        client(&HttpConfig::new("anonymous")),
        format!("{url}/otlp/v1/metrics"),
        WriteProtocol::OtlpHttp,
        1000,
        Duration::from_secs(5),
    );
    let mut series = Profile::Float.series(1_700_000_000_000, 3);
    series.extend(Profile::HistogramIntGauge.series(1_700_000_000_000, 2));
    assert_eq!(w.write_series(&series).error, None);
    let r = rx.try_recv().unwrap();
    assert_eq!(r.url, "/otlp/v1/metrics");
    assert_eq!(r.header("Content-Encoding"), Some("gzip"));
    assert_eq!(r.header("Content-Type"), Some("application/x-protobuf"));
    assert_eq!(r.header("X-Scope-OrgID"), Some("anonymous"));
    let decoded = otlp::decode_body(&r.body, 1 << 24).unwrap();
    assert_eq!(decoded, otlp::to_export_request(&series));
    assert_eq!(decoded.resource_metrics.len(), 5);
}

#[test]
fn write_errors_keep_the_status_and_a_truncated_body() {
    let (url, _rx) = receiver(|_, _| (500, "x".repeat(1000), Duration::ZERO));
    let w = WriteClient::new(
        client(&HttpConfig::new("anonymous")),
        format!("{url}/api/v1/push"),
        WriteProtocol::Prometheus,
        1000,
        Duration::from_secs(5),
    );
    let outcome = w.write_series(&Profile::Float.series(0, 1));
    assert_eq!(outcome.status, 500);
    let e = outcome.error.unwrap();
    assert!(
        e.starts_with("server returned HTTP status 500 Internal Server Error and body \"xxx"),
        "{e}"
    );
    assert!(e.ends_with("\" (truncated to 256 bytes)"), "{e}");
    assert_eq!(e.matches('x').count(), 256);
}

#[test]
fn a_write_timeout_is_a_network_failure() {
    let (url, _rx) = receiver(|_, _| (204, String::new(), Duration::from_secs(3)));
    let w = WriteClient::new(
        client(&HttpConfig::new("anonymous")),
        format!("{url}/api/v1/push"),
        WriteProtocol::Prometheus,
        1000,
        Duration::from_millis(300),
    );
    let outcome = w.write_series(&Profile::Float.series(0, 1));
    assert_eq!(outcome.status, 0);
    let e = outcome.error.unwrap();
    assert!(e.starts_with("Post \"http://127.0.0.1:"), "{e}");
    assert!(e.to_lowercase().contains("timeout"), "{e}");
}

const MATRIX: &str = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000000,"2"]]}]}}"#;

#[test]
fn queries_are_forms_with_strong_consistency_and_an_optional_cache_bypass() {
    let (url, rx) = receiver(|_, _| (200, MATRIX.to_string(), Duration::ZERO));
    let q = QueryClient::new(
        client(&HttpConfig::new("anonymous")),
        &url,
        Duration::from_secs(5),
    );
    let m = q
        .query_range(
            "sum(x)",
            1_700_000_000_000,
            1_700_000_020_000,
            Duration::from_secs(20),
            QueryOptions::with_results_cache(true),
        )
        .unwrap();
    assert_eq!(m[0].values, [(1_700_000_000_000, 2.0)]);
    let r = rx.try_recv().unwrap();
    assert_eq!(
        (r.method.as_str(), r.url.as_str()),
        ("POST", "/api/v1/query_range")
    );
    assert_eq!(r.header("X-Read-Consistency"), Some("strong"));
    assert_eq!(r.header("Cache-Control"), None);
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        "query=sum%28x%29&start=1700000000&end=1700000020&step=20"
    );
    let _ = q.query_range(
        "sum(x)",
        0,
        0,
        Duration::from_secs(20),
        QueryOptions::with_results_cache(false),
    );
    assert_eq!(
        rx.try_recv().unwrap().header("Cache-Control"),
        Some("no-store")
    );
}

#[test]
fn a_405_to_the_post_falls_back_to_get() {
    let (url, rx) = receiver(|n, _| {
        if n == 0 {
            (405, String::new(), Duration::ZERO)
        } else {
            (200, MATRIX.to_string(), Duration::ZERO)
        }
    });
    let q = QueryClient::new(
        client(&HttpConfig::new("anonymous")),
        &url,
        Duration::from_secs(5),
    );
    q.query_range(
        "up",
        0,
        0,
        Duration::from_secs(20),
        QueryOptions::with_results_cache(true),
    )
    .unwrap();
    let _post = rx.try_recv().unwrap();
    let get = rx.try_recv().unwrap();
    assert_eq!(get.method, "GET");
    assert!(
        get.url.starts_with("/api/v1/query_range?query=up&start=0"),
        "{}",
        get.url
    );
}

#[test]
fn the_metrics_endpoint_negotiates_protobuf_with_native_histograms() {
    let reg = Registry::new();
    let h = reg.histogram_vec(
        "d_seconds",
        "Durations.",
        &[("test", "t")],
        &["type"],
        HistogramOpts::mimir_request_duration(),
    );
    h.with(&["float"]).observe(0.02);
    h.with(&["float"]).observe(1.5);
    let server = MetricsServer::start("127.0.0.1:0", reg).unwrap();
    let base = format!("http://{}/metrics", server.addr());
    let http = client(&HttpConfig::new("anonymous"));
    let accept = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3";
    let resp = http
        .get(
            &base,
            &[("Accept", accept)],
            Duration::from_secs(5),
            1 << 20,
        )
        .unwrap();
    let families = promtest_live::exposition::decode_protobuf(&resp.body).unwrap();
    let f = families
        .iter()
        .find(|f| f.name.as_deref() == Some("d_seconds"))
        .unwrap();
    let hist = f.metric[0].histogram.as_ref().unwrap();
    assert_eq!(hist.sample_count, Some(2));
    assert_eq!(hist.schema, Some(3));
    assert_eq!(hist.positive_delta.iter().sum::<i64>(), 1);
    assert_eq!(hist.bucket.len(), 11);
    let text = http
        .get(&base, &[], Duration::from_secs(5), 1 << 20)
        .unwrap();
    let text = String::from_utf8(text.body).unwrap();
    assert!(
        text.contains("d_seconds_bucket{test=\"t\",type=\"float\",le=\"0.025\"} 1"),
        "{text}"
    );
    let missing = http
        .get(
            &format!("http://{}/other", server.addr()),
            &[],
            Duration::from_secs(5),
            1024,
        )
        .unwrap();
    assert_eq!(missing.status, 404);
}
