//! Real servers for the continuous-test tests: Prometheus 2.42, VictoriaMetrics and nginx
//! (Debian's packages), started on 127.0.0.1 with free ports in their own temporary
//! directories, and stopped when dropped. A missing binary skips the test with a loud message
//! locally, and fails it under `CI=true`.

#![allow(dead_code)]

pub mod gateway;
pub mod http;

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The binary `name` on `PATH`. Missing: panics under `CI=true`, else prints why the test is
/// skipped and gives `None`.
pub fn require(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let why = format!(
            "`{name}` is not installed (apt-get install prometheus victoria-metrics nginx openssl; .ci/run does)"
        );
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{why}: this test needs it and CI=true");
        }
        eprintln!("\n!!! SKIPPED: {why}\n");
    }
    found
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A temporary directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty directory named after `what`.
    pub fn new(what: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "promtest-{what}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }

    /// `name` inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Sends SIGTERM to `child` and waits (up to 10 s, then SIGKILL).
pub fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Polls `port`'s `path` until it answers 200 (up to 30 s).
pub fn wait_ready(port: u16, path: &str, child: &mut Child, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok((200, _)) = http::get(port, path, &[]) {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "server on port {port} exited ({status}) before it was ready:\n{}",
                fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "server on port {port} not ready after 30 s:\n{}",
        fs::read_to_string(log).unwrap_or_default()
    );
}

/// A Prometheus 2.42 with the remote-write receiver and native histograms on.
pub struct Prometheus {
    pub port: u16,
    child: Option<Child>,
    binary: PathBuf,
    pub dir: TempDir,
    config: String,
}

impl Prometheus {
    /// Starts one with an empty scrape configuration, or `None` (skipped) without the binary.
    pub fn start() -> Option<Prometheus> {
        Self::start_with_config("global:\n  scrape_interval: 15s\n")
    }

    /// Starts one with `config` as its `prometheus.yml`.
    pub fn start_with_config(config: &str) -> Option<Prometheus> {
        let binary = require("prometheus")?;
        let mut p = Prometheus {
            port: free_port(),
            child: None,
            binary,
            dir: TempDir::new("prometheus"),
            config: config.to_string(),
        };
        p.restart();
        Some(p)
    }

    /// Starts it (again) on the same port and data directory.
    pub fn restart(&mut self) {
        let cfg = self.dir.path("prometheus.yml");
        fs::write(&cfg, &self.config).expect("write prometheus.yml");
        let log = self.dir.path("prometheus.log");
        let out = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("log file");
        let mut child = Command::new(&self.binary)
            .arg(format!("--config.file={}", cfg.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                self.dir.path("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{}", self.port))
            .arg("--web.enable-remote-write-receiver")
            .arg("--enable-feature=native-histograms")
            .stdout(Stdio::null())
            .stderr(out)
            .spawn()
            .expect("start prometheus");
        wait_ready(self.port, "/-/ready", &mut child, &log);
        self.child = Some(child);
    }

    /// Stops it (SIGTERM: the WAL is flushed, nothing written so far is lost).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            terminate(&mut c);
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// An instant query's JSON.
    pub fn query(&self, q: &str) -> serde_json::Value {
        http::query(self.port, q)
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A single-node VictoriaMetrics.
pub struct VictoriaMetrics {
    pub port: u16,
    child: Child,
    _dir: TempDir,
}

impl VictoriaMetrics {
    /// Starts one, or `None` (skipped) without the binary.
    pub fn start() -> Option<VictoriaMetrics> {
        let binary = require("victoria-metrics")?;
        let dir = TempDir::new("victoria-metrics");
        let port = free_port();
        let log = dir.path("vm.log");
        let mut child = Command::new(binary)
            .arg(format!("-storageDataPath={}", dir.path("data").display()))
            .arg(format!("-httpListenAddr=127.0.0.1:{port}"))
            // Answer queries up to now, not 30 s ago.
            .arg("-search.latencyOffset=0s")
            .stdout(fs::File::create(&log).expect("log file"))
            .stderr(Stdio::null())
            .spawn()
            .expect("start victoria-metrics");
        wait_ready(port, "/health", &mut child, &log);
        Some(VictoriaMetrics {
            port,
            child,
            _dir: dir,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for VictoriaMetrics {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// The `promtest` binary under test.
pub fn promtest() -> Command {
    Command::new(env!("CARGO_BIN_EXE_promtest"))
}

/// `promtest continuous-test ARGS` once in smoke mode (metrics on a free loopback port).
pub fn smoke(args: &[String]) -> Output {
    promtest()
        .arg("continuous-test")
        .arg("-tests.smoke-test")
        .arg("-server.metrics-listen-address=127.0.0.1")
        .arg(format!("-server.metrics-port={}", free_port()))
        .args(args)
        .output()
        .expect("run promtest")
}

/// A continuous-mode `promtest continuous-test` in the background, logging to a file.
pub struct Continuous {
    child: Option<Child>,
    pub metrics_port: u16,
    dir: TempDir,
}

impl Continuous {
    /// Starts it with `args`; its `/metrics` is on `metrics_port`.
    pub fn start(args: &[String]) -> Continuous {
        let dir = TempDir::new("continuous");
        let metrics_port = free_port();
        let log = fs::File::create(dir.path("stderr.log")).expect("log file");
        let child = promtest()
            .arg("continuous-test")
            .arg("-server.metrics-listen-address=127.0.0.1")
            .arg(format!("-server.metrics-port={metrics_port}"))
            .args(args)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start promtest");
        let c = Continuous {
            child: Some(child),
            metrics_port,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while http::get(metrics_port, "/metrics", &[]).is_err() {
            assert!(Instant::now() < deadline, "no /metrics:\n{}", c.log());
            std::thread::sleep(Duration::from_millis(100));
        }
        c
    }

    /// What it logged so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path("stderr.log")).unwrap_or_default()
    }

    /// Its `/metrics` in the text format.
    pub fn metrics(&self) -> String {
        http::get(self.metrics_port, "/metrics", &[])
            .map(|(_, body)| String::from_utf8_lossy(&body).into_owned())
            .unwrap_or_default()
    }

    /// SIGTERM, then its exit status and log.
    pub fn stop(&mut self) -> (Option<i32>, String) {
        let mut code = None;
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(c.id().to_string())
                .status();
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if let Ok(Some(s)) = c.try_wait() {
                    code = s.code();
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if code.is_none() {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
        (code, self.log())
    }
}

impl Drop for Continuous {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The value of the sample `name{labels…}` in a text exposition (labels given as `k="v"`
/// fragments that must all appear), or `None`.
pub fn sample(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| {
            l.starts_with(name) && matches!(l.as_bytes().get(name.len()), Some(b'{') | Some(b' '))
        })
        .find(|l| labels.iter().all(|want| l.contains(want)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Sleeps until `margin` after the next 20-second boundary (when the continuous test has a new
/// timestamp to write).
pub fn sleep_past_next_write(margin: Duration) {
    let now = now_ms();
    let next = (now / 20_000 + 1) * 20_000;
    std::thread::sleep(Duration::from_millis((next - now) as u64) + margin);
}

/// Polls `cond` every 200 ms for up to `limit`; the last value.
pub fn eventually(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The common flags pointing the test at `write` (Prometheus receiver path) and `read`.
pub fn endpoints(write: &str, read: &str) -> Vec<String> {
    vec![
        format!("-tests.write-endpoint={write}"),
        "-tests.write-path=/api/v1/write".to_string(),
        format!("-tests.read-endpoint={read}"),
        "-tests.write-read-series-test.num-series=20".to_string(),
    ]
}

/// Prints the counters of a fault case (seen with `--nocapture`), for the record.
pub fn report(case: &str, metrics: &str) {
    let lines: Vec<&str> = metrics
        .lines()
        .filter(|l| {
            !l.starts_with('#')
                && (l.contains("_failed_total")
                    || l.starts_with("mimir_continuous_test_writes_total")
                    || l.starts_with("mimir_continuous_test_query_result_checks_total"))
        })
        .collect();
    eprintln!("observed counters, {case}:\n  {}", lines.join("\n  "));
}
