//! `promtest continuous-test` against real servers started here on loopback: Prometheus 2.42
//! (remote-write receiver, native histograms), VictoriaMetrics, and nginx as an auth / tenant /
//! TLS gateway. Each test is bounded in time; a missing server skips locally and fails under
//! `CI=true`.
#![cfg(feature = "live")]

mod support;

use std::time::Duration;

use promtest_live::continuous::{Profile, WRITE_INTERVAL_MS};
use promtest_live::remote_write::{Label, Sample, TimeSeries};
use promtest_live::{HttpClient, HttpConfig, WriteClient, WriteProtocol};
use support::gateway::{Gateway, Spec};
use support::{endpoints, now_ms, sample, smoke, Continuous, Prometheus, VictoriaMetrics};

fn text(out: &std::process::Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn smoke_passes_on_prometheus_with_floats_and_native_histograms() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    let mut args = endpoints(&prom.url(), &prom.url());
    args.push("-tests.write-read-series-test.histogram-samples-enabled=true".into());
    let out = smoke(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let log = String::from_utf8_lossy(&out.stderr);
    for p in [
        "float",
        "histogram_int_counter",
        "histogram_float_counter",
        "histogram_int_gauge",
        "histogram_float_gauge",
    ] {
        assert!(
            log.contains(&format!(
                "type={p} msg=\"Range query result check succeeded\""
            )),
            "no passing range check of {p}:\n{log}"
        );
    }
    assert!(
        log.contains("msg=\"Test passed\" test=write-read-series"),
        "{log}"
    );
    // The data is in the backend under Mimir's names and labels.
    let v = prom.query("count(mimir_continuous_test_sine_wave_v2)");
    assert_eq!(v["data"]["result"][0]["value"][1], "20", "{v}");
    let h = prom.query("sum(mimir_continuous_test_histogram_int_gauge_v2)");
    assert!(h["data"]["result"][0]["histogram"].is_array(), "{h}");
}

#[test]
fn smoke_passes_on_victoria_metrics() {
    let Some(vm) = VictoriaMetrics::start() else {
        return;
    };
    let mut args = endpoints(&vm.url(), &vm.url());
    // VictoriaMetrics makes samples searchable after its next in-memory flush (about 1 s).
    args.push("-tests.write-read-series-test.read-delay=3s".into());
    let out = smoke(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// Another writer adds `series_id="extra"` samples to the test's own metric for the coming
/// hour: every sum is off by one series.
fn write_foreign_series(prom: &Prometheus) {
    let http = HttpClient::new(&HttpConfig::new("anonymous")).expect("client");
    let writer = WriteClient::new(
        http,
        format!("{}/api/v1/write", prom.url()),
        WriteProtocol::Prometheus,
        1000,
        Duration::from_secs(5),
    );
    let start = now_ms() / WRITE_INTERVAL_MS * WRITE_INTERVAL_MS;
    let samples = (0..=180)
        .map(|i| Sample {
            value: 5.0,
            timestamp: start + i * WRITE_INTERVAL_MS,
        })
        .collect();
    let series = TimeSeries {
        labels: vec![
            Label {
                name: "__name__".into(),
                value: Profile::Float.metric_name().into(),
            },
            Label {
                name: "hash_extra".into(),
                value: "extra".into(),
            },
            Label {
                name: "series_id".into(),
                value: "extra".into(),
            },
        ],
        samples,
        ..TimeSeries::default()
    };
    let outcome = writer.write_series(&[series]);
    assert_eq!(outcome.error, None, "foreign write failed");
}

#[test]
fn a_wrong_result_fails_smoke_mode_and_names_the_points() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    write_foreign_series(&prom);
    let out = smoke(&endpoints(&prom.url(), &prom.url()));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.contains("msg=\"Range query result check failed\""),
        "{log}"
    );
    assert!(log.contains("has value"), "{log}");
    assert!(log.contains("while was expecting"), "{log}");
    assert!(log.contains("Timestamp      Expected  Actual"), "{log}");
    assert!(log.contains("(value differs!)"), "{log}");
    assert!(
        log.contains("msg=\"Failed to run continuous test\""),
        "{log}"
    );
}

#[test]
fn a_wrong_result_raises_the_failed_checks_counter_in_continuous_mode() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    write_foreign_series(&prom);
    let mut args = endpoints(&prom.url(), &prom.url());
    args.push("-tests.run-interval=1s".into());
    let mut ct = Continuous::start(&args);
    let failed = |m: &str| {
        sample(
            m,
            "mimir_continuous_test_query_result_checks_failed_total",
            &["type=\"float\""],
        )
        .unwrap_or(0.0)
    };
    let mut seen = 0.0;
    let rose = support::eventually(Duration::from_secs(20), || {
        seen = failed(&ct.metrics());
        seen >= 4.0
    });
    support::report("another writer's extra series", &ct.metrics());
    let (code, log) = ct.stop();
    assert!(rose, "failed checks stayed at {seen}:\n{log}");
    // Continuous mode reports failures in logs and metrics, and exits cleanly when stopped.
    assert_eq!(code, Some(0), "{log}");
}

/// Two tenants behind one gateway: bearer auth and basic auth, `X-Scope-OrgID` picking the
/// backend.
#[test]
fn the_auth_gateway_routes_tenants_and_refuses_wrong_credentials() {
    let (Some(a), Some(b)) = (Prometheus::start(), Prometheus::start()) else {
        return;
    };
    let tenants = vec![
        ("tenant-a".to_string(), a.port),
        ("tenant-b".to_string(), b.port),
    ];
    let Some(bearer) = Gateway::start(&Spec {
        bearer: Some("tok-for-tests".into()),
        tenants: tenants.clone(),
        ..Spec::default()
    }) else {
        return;
    };
    let Some(basic) = Gateway::start(&Spec {
        basic: Some(("alice".into(), "pw-for-tests".into())),
        tenants,
        ..Spec::default()
    }) else {
        return;
    };
    let dir = support::TempDir::new("secrets");
    let token_file = dir.path("token");
    std::fs::write(&token_file, "tok-for-tests\n").unwrap();

    // Tenant A through the bearer gateway, the token read from a file.
    let mut args = endpoints(&bearer.url(), &bearer.url());
    args.push("-tests.tenant-id=tenant-a".into());
    args.push(format!("-tests.bearer-token-file={}", token_file.display()));
    let out = smoke(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Tenant B through the basic-auth gateway, the password from the environment.
    let mut args = endpoints(&basic.url(), &basic.url());
    args.push("-tests.tenant-id=tenant-b".into());
    args.push("-tests.basic-auth-user=alice".into());
    let out = support::promtest()
        .arg("continuous-test")
        .arg("-tests.smoke-test")
        .arg("-server.metrics-listen-address=127.0.0.1")
        .arg(format!("-server.metrics-port={}", support::free_port()))
        .args(&args)
        .env("PROMTEST_BASIC_AUTH_PASSWORD", "pw-for-tests")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Each tenant's data went to its own backend only.
    let count = |p: &Prometheus| {
        p.query("count(mimir_continuous_test_sine_wave_v2)")["data"]["result"]
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!((count(&a), count(&b)), (1, 1));

    // A wrong token: 401 on writes and reads, counted, named, and the token never printed.
    let mut args = endpoints(&bearer.url(), &bearer.url());
    args.push("-tests.tenant-id=tenant-a".into());
    args.push("-tests.bearer-token=wrong-secret-value".into());
    let mut ct = Continuous::start(&{
        let mut a = args.clone();
        a.push("-tests.run-interval=1s".into());
        a
    });
    let counted = support::eventually(Duration::from_secs(15), || {
        sample(
            &ct.metrics(),
            "mimir_continuous_test_writes_failed_total",
            &["status_code=\"401\"", "type=\"float\""],
        )
        .is_some_and(|v| v >= 1.0)
    });
    let metrics = ct.metrics();
    support::report("wrong bearer token", &metrics);
    let (_, log) = ct.stop();
    assert!(counted, "no 401 counted:\n{metrics}\n{log}");
    assert!(
        log.contains("server returned HTTP status 401 Unauthorized"),
        "{log}"
    );
    assert!(
        !log.contains("wrong-secret-value"),
        "the token leaked:\n{log}"
    );
    let out = smoke(&args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains("client_error: client error: 401") || all.contains("401"),
        "{all}"
    );
    assert!(
        !all.contains("wrong-secret-value"),
        "the token leaked:\n{all}"
    );

    // Bearer and basic auth together is a startup error.
    let mut args = endpoints(&bearer.url(), &bearer.url());
    args.extend([
        "-tests.bearer-token=secret-one".to_string(),
        "-tests.basic-auth-user=u".to_string(),
        "-tests.basic-auth-password=secret-two".to_string(),
    ]);
    let out = smoke(&args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains("either set tests.tenant-id or tests.basic-auth-user"),
        "{all}"
    );
    assert!(
        !all.contains("secret-one") && !all.contains("secret-two"),
        "{all}"
    );
}

#[test]
fn https_endpoints_work_with_a_ca_file() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    let Some(gw) = Gateway::start(&Spec {
        tls: true,
        upstream: Some(prom.port),
        ..Spec::default()
    }) else {
        return;
    };
    let ca = gw.ca.clone().expect("a CA");
    let mut args = endpoints(&gw.url(), &gw.url());
    args.push(format!("-tests.tls-ca-path={}", ca.display()));
    let out = smoke(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // Without it the test CA is not trusted: the system's roots do not know it.
    let out = smoke(&endpoints(&gw.url(), &gw.url()));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.to_lowercase().contains("certificate"),
        "no TLS error named:\n{log}"
    );
}

#[test]
fn a_window_of_gateway_4xx_resets_the_checked_window_without_false_failures() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    let Some(gw) = Gateway::start(&Spec {
        upstream: Some(prom.port),
        ..Spec::default()
    }) else {
        return;
    };
    let mut args = endpoints(&gw.url(), &gw.url());
    args.push("-tests.run-interval=1s".into());
    let mut ct = Continuous::start(&args);
    // One good write, then a 20 s window in which writes get 429, then good writes again.
    support::sleep_past_next_write(Duration::from_millis(1500));
    gw.refuse_writes(true);
    support::sleep_past_next_write(Duration::from_millis(1500));
    gw.refuse_writes(false);
    support::sleep_past_next_write(Duration::from_millis(2500));
    let metrics = ct.metrics();
    support::report("a window of gateway 429s", &metrics);
    let (code, log) = ct.stop();
    let refused = sample(
        &metrics,
        "mimir_continuous_test_writes_failed_total",
        &["status_code=\"429\""],
    );
    assert!(refused.is_some_and(|v| v >= 1.0), "{metrics}\n{log}");
    let failed = sample(
        &metrics,
        "mimir_continuous_test_query_result_checks_failed_total",
        &["type=\"float\""],
    );
    assert_eq!(failed, Some(0.0), "false failures:\n{log}");
    let checks = sample(
        &metrics,
        "mimir_continuous_test_query_result_checks_total",
        &["type=\"float\""],
    );
    assert!(checks.is_some_and(|v| v > 0.0), "{metrics}");
    assert!(log.contains("status_code=429"), "{log}");
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn a_backend_killed_and_restarted_counts_network_failures_and_resumes() {
    let Some(mut prom) = Prometheus::start() else {
        return;
    };
    let mut args = endpoints(&prom.url(), &prom.url());
    args.push("-tests.run-interval=1s".into());
    let mut ct = Continuous::start(&args);
    support::sleep_past_next_write(Duration::from_millis(1500));
    prom.stop();
    support::sleep_past_next_write(Duration::from_millis(2500));
    prom.restart();
    support::sleep_past_next_write(Duration::from_millis(2500));
    let metrics = ct.metrics();
    support::report("backend stopped and restarted", &metrics);
    let (code, log) = ct.stop();
    let network = sample(
        &metrics,
        "mimir_continuous_test_writes_failed_total",
        &["status_code=\"0\"", "type=\"float\""],
    );
    assert!(network.is_some_and(|v| v >= 1.0), "{metrics}\n{log}");
    let failed_queries = sample(
        &metrics,
        "mimir_continuous_test_queries_failed_total",
        &["type=\"float\""],
    );
    assert!(failed_queries.is_some_and(|v| v >= 1.0), "{metrics}");
    let failed = sample(
        &metrics,
        "mimir_continuous_test_query_result_checks_failed_total",
        &["type=\"float\""],
    );
    assert_eq!(failed, Some(0.0), "false failures:\n{log}");
    // The missed timestamp was retried: the backend has every 20 s point since the first.
    let v = prom.query("count_over_time(mimir_continuous_test_sine_wave_v2{series_id=\"0\"}[2m])");
    let points: f64 = v["data"]["result"][0]["value"][1]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    assert!(points >= 3.0, "{v}\n{log}");
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn a_restart_recovers_from_the_backends_data_without_a_gap() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    let args = endpoints(&prom.url(), &prom.url());
    let first = smoke(&args);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    support::sleep_past_next_write(Duration::from_millis(1500));
    let second = smoke(&args);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    let log = String::from_utf8_lossy(&second.stderr);
    assert!(
        log.contains("msg=\"Successfully found previously written samples time range and recovered writes and reads from there\""),
        "{log}"
    );
    // The range checked spans both runs' writes, 20 s apart.
    assert!(
        log.lines().any(|l| {
            l.contains("Range query result check succeeded") && {
                let field = |k: &str| {
                    l.split(&format!(" {k}="))
                        .nth(1)
                        .and_then(|r| r.split(' ').next())
                        .and_then(|v| v.parse::<i64>().ok())
                };
                matches!((field("start"), field("end")), (Some(s), Some(e)) if e - s >= 20_000)
            }
        }),
        "no check across both runs:\n{log}"
    );
}

#[test]
fn continuous_mode_exports_every_metric_and_a_prometheus_scrapes_them() {
    let Some(backend) = Prometheus::start() else {
        return;
    };
    let mut args = endpoints(&backend.url(), &backend.url());
    args.push("-tests.run-interval=2s".into());
    args.push("-tests.write-read-series-test.histogram-samples-enabled=true".into());
    let ct = Continuous::start(&args);
    let scrape_config = format!(
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: continuous-test\n    static_configs:\n      - targets: ['127.0.0.1:{}']\n",
        ct.metrics_port
    );
    let Some(scraper) = Prometheus::start_with_config(&scrape_config) else {
        return;
    };
    // At least three run intervals.
    std::thread::sleep(Duration::from_secs(7));
    let metrics = ct.metrics();
    for name in [
        "mimir_continuous_test_writes_total",
        "mimir_continuous_test_writes_request_duration_seconds_bucket",
        "mimir_continuous_test_queries_total",
        "mimir_continuous_test_queries_failed_total",
        "mimir_continuous_test_queries_request_duration_seconds_bucket",
        "mimir_continuous_test_query_result_checks_total",
        "mimir_continuous_test_query_result_checks_failed_total",
        "mimir_continuous_test_build_info",
    ] {
        assert!(
            metrics.contains(&format!("\n{name}{{")),
            "{name} missing:\n{metrics}"
        );
    }
    assert!(metrics.contains("results_cache=\"false\""), "{metrics}");
    assert!(metrics.contains("results_cache=\"true\""), "{metrics}");
    for t in ["float", "histogram_int_counter", "histogram_float_gauge"] {
        let checks = sample(
            &metrics,
            "mimir_continuous_test_query_result_checks_total",
            &[&format!("type=\"{t}\"")],
        );
        assert!(
            checks.is_some_and(|v| v >= 4.0),
            "{t}: {checks:?}\n{metrics}"
        );
        let failed = sample(
            &metrics,
            "mimir_continuous_test_query_result_checks_failed_total",
            &[&format!("type=\"{t}\"")],
        );
        assert_eq!(failed, Some(0.0), "{t}\n{metrics}");
    }
    // The scraper stored them, the request durations as native histograms.
    let stored = support::eventually(Duration::from_secs(10), || {
        let v = scraper.query("mimir_continuous_test_query_result_checks_total");
        v["data"]["result"].as_array().is_some_and(|r| r.len() >= 5)
    });
    assert!(stored, "not scraped");
    let h = scraper.query("mimir_continuous_test_queries_request_duration_seconds");
    let first = &h["data"]["result"][0];
    assert!(
        first["histogram"].is_array(),
        "no native histogram stored: {h}"
    );
    let up = scraper.query("up{job=\"continuous-test\"}");
    assert_eq!(up["data"]["result"][0]["value"][1], "1", "{up}");
}

#[test]
fn sigterm_stops_continuous_mode_cleanly() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    let mut args = endpoints(&prom.url(), &prom.url());
    args.push("-tests.run-interval=1h".into());
    let mut ct = Continuous::start(&args);
    assert!(support::eventually(Duration::from_secs(10), || ct
        .log()
        .contains("Instant query result check succeeded")));
    let started = std::time::Instant::now();
    let (code, log) = ct.stop();
    assert_eq!(code, Some(0), "{log}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "slow to stop:\n{log}"
    );
}
