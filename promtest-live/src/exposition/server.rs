//! The HTTP server of `/metrics`: the text format by default, the delimited protobuf format when
//! the scraper's `Accept` header asks for `io.prometheus.client.MetricFamily`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::registry::Registry;
use super::{render_protobuf, render_text};

/// `Content-Type` of the text format.
pub const TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `Content-Type` of the delimited protobuf format.
pub const PROTOBUF_CONTENT_TYPE: &str =
    "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

/// A running `/metrics` server; stopped when dropped.
pub struct MetricsServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MetricsServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MetricsServer({})", self.addr)
    }
}

impl MetricsServer {
    /// Serves `registry` on `addr` (port 0 picks a free port).
    pub fn start(addr: &str, registry: Registry) -> Result<Self, String> {
        let server = tiny_http::Server::http(addr).map_err(|e| format!("listen on {addr}: {e}"))?;
        let bound = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| format!("listen on {addr}: not an IP address"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("metrics-server".into())
            .spawn(move || {
                while !stopping.load(Ordering::Relaxed) {
                    match server.recv_timeout(Duration::from_millis(200)) {
                        Ok(Some(req)) => respond(req, &registry),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            })
            .map_err(|e| format!("starting the metrics server: {e}"))?;
        Ok(MetricsServer {
            addr: bound,
            stop,
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for MetricsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn wants_protobuf(req: &tiny_http::Request) -> bool {
    req.headers().iter().any(|h| {
        h.field.equiv("Accept") && {
            let v = h.value.as_str();
            v.contains("application/vnd.google.protobuf")
                && v.contains("proto=io.prometheus.client.MetricFamily")
                && v.contains("encoding=delimited")
        }
    })
}

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn respond(req: tiny_http::Request, registry: &Registry) {
    let path = req.url().split('?').next().unwrap_or("");
    let response = if path != "/metrics" {
        tiny_http::Response::from_string("404 page not found\n").with_status_code(404)
    } else if wants_protobuf(&req) {
        let mut r = tiny_http::Response::from_data(render_protobuf(&registry.gather()));
        if let Some(h) = header("Content-Type", PROTOBUF_CONTENT_TYPE) {
            r.add_header(h);
        }
        r
    } else {
        let mut r = tiny_http::Response::from_string(render_text(&registry.gather()));
        if let Some(h) = header("Content-Type", TEXT_CONTENT_TYPE) {
            r.add_header(h);
        }
        r
    };
    let _ = req.respond(response);
}
