//! The metrics a test exports, with Mimir's names, help texts and labels: writes, queries and
//! result checks (attempted and failed, by `type`; failed writes also by `status_code`) and the
//! request-duration histograms (queries also by `results_cache`).

use crate::exposition::{CounterVec, HistogramOpts, HistogramVec, Registry};

/// One test's metrics.
#[derive(Clone)]
pub struct TestMetrics {
    pub(crate) writes_total: CounterVec,
    pub(crate) writes_failed_total: CounterVec,
    pub(crate) writes_latency: HistogramVec,
    pub(crate) queries_total: CounterVec,
    pub(crate) queries_failed_total: CounterVec,
    pub(crate) queries_latency: HistogramVec,
    pub(crate) query_result_checks_total: CounterVec,
    pub(crate) query_result_checks_failed_total: CounterVec,
}

impl std::fmt::Debug for TestMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestMetrics")
    }
}

impl TestMetrics {
    /// Registers the metrics of the test `name` in `reg`.
    pub fn new(name: &str, reg: &Registry) -> Self {
        let test = [("test", name)];
        let histogram = HistogramOpts::mimir_request_duration;
        TestMetrics {
            writes_total: reg.counter_vec(
                "mimir_continuous_test_writes_total",
                "Total number of attempted write requests.",
                &test,
                &["type"],
            ),
            writes_failed_total: reg.counter_vec(
                "mimir_continuous_test_writes_failed_total",
                "Total number of failed write requests.",
                &test,
                &["status_code", "type"],
            ),
            writes_latency: reg.histogram_vec(
                "mimir_continuous_test_writes_request_duration_seconds",
                "Duration of the write requests.",
                &test,
                &["type"],
                histogram(),
            ),
            queries_total: reg.counter_vec(
                "mimir_continuous_test_queries_total",
                "Total number of attempted query requests.",
                &test,
                &["type"],
            ),
            queries_failed_total: reg.counter_vec(
                "mimir_continuous_test_queries_failed_total",
                "Total number of failed query requests.",
                &test,
                &["type"],
            ),
            queries_latency: reg.histogram_vec(
                "mimir_continuous_test_queries_request_duration_seconds",
                "Duration of the read requests.",
                &test,
                &["type", "results_cache"],
                histogram(),
            ),
            query_result_checks_total: reg.counter_vec(
                "mimir_continuous_test_query_result_checks_total",
                "Total number of query results checked for correctness.",
                &test,
                &["type"],
            ),
            query_result_checks_failed_total: reg.counter_vec(
                "mimir_continuous_test_query_result_checks_failed_total",
                "Total number of query results failed when checking for correctness.",
                &test,
                &["type"],
            ),
        }
    }

    /// Creates the counters of `test_type` at zero, as Mimir does at Init (failed writes are
    /// left out: one series per possible status code would be noise).
    pub fn initialize_counters_to_zero(&self, test_type: &str) {
        for c in [
            &self.writes_total,
            &self.queries_total,
            &self.queries_failed_total,
            &self.query_result_checks_total,
            &self.query_result_checks_failed_total,
        ] {
            c.with(&[test_type]);
        }
    }
}

/// Registers `mimir_continuous_test_build_info` (a constant 1 labelled with the build).
pub fn register_build_info(reg: &Registry) {
    reg.gauge(
        "mimir_continuous_test_build_info",
        "A metric with a constant '1' value labeled by version, revision, branch, and the os and arch for the build of promtest's continuous test.",
        &[
            ("version", env!("CARGO_PKG_VERSION")),
            ("revision", option_env!("PROMTEST_REVISION").unwrap_or("unknown")),
            ("branch", option_env!("PROMTEST_BRANCH").unwrap_or("")),
            ("goos", std::env::consts::OS),
            ("goarch", std::env::consts::ARCH),
            ("implementation", "promtest"),
        ],
    )
    .set(1.0);
}
