//! `promtest continuous-test`: Grafana Mimir's continuous test against any Prometheus-compatible
//! backend. It writes series, reads them back, checks them, and exports the outcome as
//! `mimir_continuous_test_*` metrics, with Mimir's flags, log lines and semantics.

mod backend;
mod config;
mod flags;
mod generators;
mod manager;
mod metrics;
mod prng;
mod rate_limiter;
mod recovery;
mod stop;
mod time_ranges;
mod verify;
mod write_read_series;

use std::process::ExitCode;
use std::sync::Arc;

pub use backend::{Backend, BackendConfig, LiveBackend};
pub use config::{Config, WriteReadConfig, BASIC_AUTH_PASSWORD_ENV, BEARER_TOKEN_ENV};
pub use generators::{Expected, Profile, FLOAT_METRIC_NAME, HISTOGRAM_PROFILES};
pub use manager::{Manager, ManagerConfig};
pub use metrics::{register_build_info, TestMetrics};
pub use prng::Prng;
pub use stop::StopSignal;
pub use time_ranges::WRITE_INTERVAL_MS;
pub use verify::{comparison_table, verify_samples_sum, Verdict};
pub use write_read_series::WriteReadSeriesTest;

use crate::exposition::{MetricsServer, Registry};
use crate::logfmt::Logger;

/// A test the manager runs.
pub trait Test: Send {
    /// The name in logs and in the `test` label.
    fn name(&self) -> &str;
    /// Prepares the test (restart recovery); a failure ends the tool.
    fn init(&mut self, now_ms: i64) -> Result<(), String>;
    /// One run; in continuous mode its error only matters to logs and metrics.
    fn run(&mut self, now_ms: i64, stop: &StopSignal) -> Result<(), String>;
}

impl Config {
    /// The manager's mode.
    pub fn manager(&self) -> ManagerConfig {
        ManagerConfig {
            smoke_test: self.smoke_test,
            run_interval: self.run_interval,
        }
    }
}

/// Parses `args` (the words after `continuous-test`) into a configuration; `Ok(None)` for
/// `--help`, which it prints.
pub fn parse_args(args: &[String]) -> Result<Option<Config>, String> {
    match flags::parse(args)? {
        flags::Parsed::Help => {
            print!("{}", flags::help());
            Ok(None)
        }
        flags::Parsed::Values(f) => Config::from_flags(&f).map(Some),
    }
}

/// The whole tool: parse, serve metrics, run until done or signalled. Exit code 0 on success
/// (and after a clean stop), 1 on a bad command line, a failed start, or a failed smoke test.
pub fn main(args: &[String]) -> ExitCode {
    let cfg = match parse_args(args) {
        Ok(Some(c)) => c,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("promtest continuous-test: {e}");
            eprintln!("Run 'promtest continuous-test --help' for the flags.");
            return ExitCode::from(1);
        }
    };
    let logger = Logger::stderr(cfg.log_level);
    let stop = StopSignal::new();
    stop.on_termination_signals();
    match run(&cfg, &logger, &stop) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    }
}

/// Runs the configured tool with `logger` until `stop` (or once, in smoke mode). Errors are
/// logged; `Err` (with the logged error) means the exit status should be a failure.
pub fn run(cfg: &Config, logger: &Logger, stop: &StopSignal) -> Result<(), String> {
    let registry = Registry::new();
    register_build_info(&registry);
    let server = match MetricsServer::start(&cfg.metrics_address, registry.clone()) {
        Ok(s) => s,
        Err(e) => {
            logger.error("Unable to start instrumentation server", &[("err", &e)]);
            return Err(e);
        }
    };
    logger.info(
        "Metrics server listening",
        &[("address", &server.addr().to_string())],
    );
    let backend = match LiveBackend::new(&cfg.backend) {
        Ok(b) => b,
        Err(e) => {
            logger.error("Failed to initialize client", &[("err", &e)]);
            return Err(e);
        }
    };
    let mut manager = Manager::new(cfg.manager(), logger.clone());
    manager.add_test(Box::new(WriteReadSeriesTest::new(
        cfg.write_read.clone(),
        Arc::new(backend),
        logger,
        &registry,
    )));
    let outcome = manager.run(stop);
    drop(server);
    match outcome {
        Ok(()) => Ok(()),
        Err(e) => {
            logger.error("Failed to run continuous test", &[("err", &e)]);
            Err(e)
        }
    }
}
