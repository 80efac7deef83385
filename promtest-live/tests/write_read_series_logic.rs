//! The write-read-series test's logic against an in-memory backend whose answers the test
//! controls: what a 4xx and a 5xx write do to the written and checked windows, restart
//! recovery, the counters Init creates, and a wrong result. Time is simulated (`now` is passed
//! in); only the rate limiter's one-second pacing is real.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use promtest_live::continuous::{
    Backend, Prng, Profile, StopSignal, Test, WriteReadConfig, WriteReadSeriesTest,
    WRITE_INTERVAL_MS,
};
use promtest_live::exposition::{MetricValue, Registry};
use promtest_live::logfmt::{Level, Logger};
use promtest_live::query::{Matrix, QueryError, QueryOptions, SampleStream, VectorSample};
use promtest_live::remote_write::TimeSeries;
use promtest_live::{WriteOutcome, WriteProtocol};

const T0: i64 = 1_700_000_000_000; // a multiple of 20 s

#[derive(Default)]
struct State {
    /// timestamp → (series written, sum of their values), the float metric only.
    points: BTreeMap<i64, (usize, f64)>,
    /// Status codes the next writes get (2xx stores the samples).
    statuses: Vec<u16>,
    writes: Vec<i64>,
    range_queries: Vec<(i64, i64, i64)>,
}

#[derive(Clone, Default)]
struct FakeBackend(Arc<Mutex<State>>);

impl FakeBackend {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap()
    }

    /// Stores what the test would have written for `n` series at `ts`.
    fn preload(&self, ts: i64, n: usize) {
        let series = Profile::Float.series(ts, n);
        let sum = series.iter().map(|s| s.samples[0].value).sum();
        self.state().points.insert(ts, (n, sum));
    }

    fn sum_at(&self, t: i64) -> Option<f64> {
        self.state().points.get(&t).map(|&(_, v)| v)
    }
}

impl Backend for FakeBackend {
    fn write_series(&self, series: &[TimeSeries]) -> WriteOutcome {
        let mut st = self.state();
        let ts = series[0].samples[0].timestamp;
        st.writes.push(ts);
        let status = if st.statuses.is_empty() {
            200
        } else {
            st.statuses.remove(0)
        };
        if status / 100 != 2 {
            return WriteOutcome {
                status,
                error: Some(format!("server returned HTTP status {status}")),
            };
        }
        let e = st.points.entry(ts).or_insert((0, 0.0));
        for s in series {
            e.0 += 1;
            e.1 += s.samples[0].value;
        }
        WriteOutcome {
            status,
            error: None,
        }
    }

    fn query_range(
        &self,
        _q: &str,
        start: i64,
        end: i64,
        step: Duration,
        _o: QueryOptions,
    ) -> Result<Matrix, QueryError> {
        let step = step.as_millis() as i64;
        self.state().range_queries.push((start, end, step));
        let mut values = Vec::new();
        let mut t = start;
        while t <= end {
            if let Some(v) = self.sum_at(t) {
                values.push((t, v));
            }
            t += step;
        }
        Ok(if values.is_empty() {
            Vec::new()
        } else {
            vec![SampleStream {
                values,
                ..SampleStream::default()
            }]
        })
    }

    fn query(&self, _q: &str, t: i64, _o: QueryOptions) -> Result<Vec<VectorSample>, QueryError> {
        Ok(self
            .sum_at(t)
            .map(|v| VectorSample {
                metric: Vec::new(),
                timestamp_ms: t,
                value: Some(v),
                histogram: None,
            })
            .into_iter()
            .collect())
    }

    fn protocol(&self) -> WriteProtocol {
        WriteProtocol::Prometheus
    }
}

struct Harness {
    backend: FakeBackend,
    test: WriteReadSeriesTest,
    registry: Registry,
    logs: Arc<Mutex<Vec<String>>>,
    stop: StopSignal,
}

fn harness(num_series: usize) -> Harness {
    let backend = FakeBackend::default();
    let registry = Registry::new();
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&logs);
    let logger = Logger::to_sink(Level::Debug, move |l| sink.lock().unwrap().push(l.into()));
    let test = WriteReadSeriesTest::new(
        WriteReadConfig::new(num_series),
        Arc::new(backend.clone()),
        &logger,
        &registry,
    )
    .with_rng(Prng::seeded(11));
    Harness {
        backend,
        test,
        registry,
        logs,
        stop: StopSignal::new(),
    }
}

impl Harness {
    fn counter(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        self.registry
            .gather()
            .into_iter()
            .find(|f| f.name == name)?
            .metrics
            .into_iter()
            .find(|m| {
                labels
                    .iter()
                    .all(|(k, v)| m.labels.iter().any(|(mk, mv)| mk == k && mv == v))
            })
            .and_then(|m| match m.value {
                MetricValue::Number(v) => Some(v),
                MetricValue::Histogram(_) => None,
            })
    }

    fn logged(&self, needle: &str) -> bool {
        self.logs.lock().unwrap().iter().any(|l| l.contains(needle))
    }
}

#[test]
fn init_creates_the_counters_at_zero() {
    let mut h = harness(2);
    h.test.init(T0).unwrap();
    for name in [
        "mimir_continuous_test_writes_total",
        "mimir_continuous_test_queries_total",
        "mimir_continuous_test_queries_failed_total",
        "mimir_continuous_test_query_result_checks_total",
        "mimir_continuous_test_query_result_checks_failed_total",
    ] {
        assert_eq!(
            h.counter(name, &[("type", "float"), ("test", "write-read-series")]),
            Some(0.0),
            "{name}"
        );
    }
    assert_eq!(
        h.counter("mimir_continuous_test_writes_failed_total", &[]),
        None
    );
}

#[test]
fn a_5xx_write_is_retried_at_the_next_run() {
    let mut h = harness(2);
    h.test.init(T0).unwrap();
    h.test.run(T0 + 1_000, &h.stop).unwrap();
    h.backend.state().statuses.push(503);
    let err = h.test.run(T0 + 21_000, &h.stop).unwrap_err();
    assert!(err.starts_with("failed to remote write series"), "{err}");
    assert_eq!(
        h.counter(
            "mimir_continuous_test_writes_failed_total",
            &[("status_code", "503")]
        ),
        Some(1.0)
    );
    // The next run writes the failed timestamp again, then the new one, and checks all three.
    h.test.run(T0 + 41_000, &h.stop).unwrap();
    assert_eq!(
        h.backend.state().writes,
        [T0, T0 + 20_000, T0 + 20_000, T0 + 40_000]
    );
    assert!(h
        .backend
        .state()
        .range_queries
        .iter()
        .any(|&(s, e, _)| s == T0 && e == T0 + 40_000));
    assert_eq!(
        h.counter(
            "mimir_continuous_test_query_result_checks_failed_total",
            &[("type", "float")]
        ),
        Some(0.0)
    );
}

#[test]
fn a_first_write_that_fails_is_not_retried() {
    // As Mimir: with nothing written yet, the next run starts at its own aligned timestamp.
    let mut h = harness(1);
    h.test.init(T0).unwrap();
    h.backend.state().statuses.push(503);
    let err = h.test.run(T0 + 5_000, &h.stop).unwrap_err();
    assert_eq!(
        err,
        "2 errors: failed to remote write series: server returned HTTP status 503; no valid time range to query"
    );
    h.test.run(T0 + 25_000, &h.stop).unwrap();
    assert_eq!(h.backend.state().writes, [T0, T0 + 20_000]);
}

#[test]
fn a_4xx_write_skips_its_timestamp_and_restarts_the_checked_window() {
    let mut h = harness(2);
    h.test.init(T0).unwrap();
    h.test.run(T0 + 1_000, &h.stop).unwrap();
    h.backend.state().statuses.push(400);
    let err = h.test.run(T0 + 21_000, &h.stop).unwrap_err();
    assert_eq!(err, "no valid time range to query");
    assert!(h.logged("msg=\"Failed to remote write series\" status_code=400"));
    h.test.run(T0 + 41_000, &h.stop).unwrap();
    // T0+20s is never retried; checks start again at T0+40s, never spanning the hole.
    assert_eq!(h.backend.state().writes, [T0, T0 + 20_000, T0 + 40_000]);
    let last = *h.backend.state().range_queries.last().unwrap();
    assert_eq!((last.0, last.1), (T0 + 40_000, T0 + 40_000));
    assert_eq!(
        h.counter(
            "mimir_continuous_test_query_result_checks_failed_total",
            &[("type", "float")]
        ),
        Some(0.0)
    );
}

#[test]
fn restart_recovery_resumes_after_the_newest_correct_run() {
    let mut h = harness(3);
    // Correct data for the last 30 minutes, with a gap 10 minutes ago.
    let now = T0 + 3_600_000;
    for i in 0..90 {
        let ts = now - 1_800_000 + i * WRITE_INTERVAL_MS;
        if ts != now - 600_000 {
            h.backend.preload(ts, 3);
        }
    }
    let newest = now - 1_800_000 + 89 * WRITE_INTERVAL_MS;
    h.test.init(now).unwrap();
    assert!(h.logged("Successfully found previously written samples time range"));
    assert!(
        h.logged(&format!("query_min_time={}", "2023-11-14T23:03:40Z")),
        "{:?}",
        h.logs.lock().unwrap()
    );
    h.test.run(now + 1_000, &h.stop).unwrap();
    assert_eq!(h.backend.state().writes, [newest + WRITE_INTERVAL_MS]);
    // The checked window starts after the gap, not before it.
    let queries = h.backend.state().range_queries.clone();
    assert!(
        queries.iter().skip(1).all(|&(s, _, _)| s > now - 600_000),
        "{queries:?}"
    );
}

#[test]
fn recovery_gives_up_on_data_older_than_fifty_minutes() {
    let mut h = harness(1);
    let now = T0 + 7_200_000;
    for i in 0..10 {
        h.backend
            .preload(now - 3_600_000 + i * WRITE_INTERVAL_MS, 1);
    }
    h.test.init(now).unwrap();
    assert!(h.logged("latest written sample is too old to recover"));
    h.test.run(now, &h.stop).unwrap();
    assert_eq!(h.backend.state().writes, [now]);
}

#[test]
fn a_wrong_sum_fails_the_check_and_counts_it() {
    let mut h = harness(2);
    h.test.init(T0).unwrap();
    // Someone else's series at the same timestamp.
    h.backend.state().points.insert(T0, (1, 100.0));
    let err = h.test.run(T0, &h.stop).unwrap_err();
    assert!(
        err.starts_with(
            "8 errors: range query result check failed: sample at timestamp 1700000000000"
        ),
        "{err}"
    );
    assert!(err.contains("(value differs!)"), "{err}");
    assert_eq!(
        h.counter(
            "mimir_continuous_test_query_result_checks_failed_total",
            &[("type", "float")]
        ),
        Some(8.0)
    );
    assert_eq!(
        h.counter(
            "mimir_continuous_test_query_result_checks_total",
            &[("type", "float")]
        ),
        Some(8.0)
    );
}

#[test]
fn nothing_to_test_is_an_init_error() {
    let backend = FakeBackend::default();
    let mut cfg = WriteReadConfig::new(1);
    cfg.with_floats = false;
    let logger = Logger::to_sink(Level::Error, |_| {});
    let mut t = WriteReadSeriesTest::new(cfg, Arc::new(backend), &logger, &Registry::new());
    assert_eq!(
        t.init(T0).unwrap_err(),
        "should test either floats or histograms or both, currently testing nothing"
    );
}

#[test]
fn a_stop_ends_the_run_between_steps() {
    let mut h = harness(1);
    h.test.init(T0).unwrap();
    h.stop.stop();
    assert_eq!(h.test.run(T0, &h.stop), Ok(()));
    assert!(h.backend.state().writes.is_empty());
}
