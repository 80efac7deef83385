//! Runs the tests as Mimir's manager does: initialise every test (a failure ends the tool), run
//! each once immediately, then every run interval until stopped. In smoke mode each test runs
//! once and the first failure is the tool's result; in continuous mode failures only reach the
//! logs and the metrics.

use std::thread;
use std::time::{Duration, Instant};

use super::stop::StopSignal;
use super::Test;
use crate::clock;
use crate::logfmt::Logger;

/// How the manager runs.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct ManagerConfig {
    /// Run every test once and return its outcome.
    pub smoke_test: bool,
    /// Time between runs in continuous mode.
    pub run_interval: Duration,
}

impl ManagerConfig {
    /// Continuous mode at `run_interval`.
    pub fn continuous(run_interval: Duration) -> Self {
        ManagerConfig {
            smoke_test: false,
            run_interval,
        }
    }

    /// Smoke mode.
    pub fn smoke() -> Self {
        ManagerConfig {
            smoke_test: true,
            run_interval: Duration::from_secs(300),
        }
    }
}

/// Runs tests.
pub struct Manager {
    cfg: ManagerConfig,
    logger: Logger,
    tests: Vec<Box<dyn Test>>,
}

impl std::fmt::Debug for Manager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manager").field("cfg", &self.cfg).finish()
    }
}

impl Manager {
    /// A manager with no tests yet.
    pub fn new(cfg: ManagerConfig, logger: Logger) -> Self {
        Manager {
            cfg,
            logger,
            tests: Vec::new(),
        }
    }

    /// Adds a test.
    pub fn add_test(&mut self, t: Box<dyn Test>) {
        self.tests.push(t);
    }

    /// Runs until `stop` (continuous mode) or once (smoke mode). `Err` when a test fails to
    /// initialise, or in smoke mode when a test fails.
    pub fn run(self, stop: &StopSignal) -> Result<(), String> {
        let Manager { cfg, logger, tests } = self;
        let mut tests = tests;
        for t in &mut tests {
            t.init(clock::now_ms())?;
        }
        let handles: Vec<_> = tests
            .into_iter()
            .map(|mut t| {
                let stop = stop.clone();
                let logger = logger.clone();
                thread::spawn(move || run_one(t.as_mut(), cfg, &logger, &stop))
            })
            .collect();
        let mut first_error = None;
        for h in handles {
            let outcome = h
                .join()
                .unwrap_or_else(|_| Err("internal error: a test thread panicked".to_string()));
            if let Err(e) = outcome {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

fn run_one(
    t: &mut dyn Test,
    cfg: ManagerConfig,
    logger: &Logger,
    stop: &StopSignal,
) -> Result<(), String> {
    let result = t.run(clock::now_ms(), stop);
    if cfg.smoke_test {
        match &result {
            Ok(()) => logger.info("Test passed", &[("test", &t.name())]),
            Err(e) => logger.info("Test failed", &[("test", &t.name()), ("err", e)]),
        }
        return result;
    }
    // As a Go ticker: ticks at start + k·interval; a run longer than the interval is followed
    // at once by the next one, the missed ticks are dropped.
    let start = Instant::now();
    let interval = cfg.run_interval;
    let mut k: u32 = 1;
    loop {
        let due = start + interval * k;
        let now = Instant::now();
        if due > now && stop.wait(due - now) {
            return Ok(());
        }
        if stop.is_stopped() {
            return Ok(());
        }
        // Failures are already in the logs and metrics; continuous mode carries on.
        let _ = t.run(clock::now_ms(), stop);
        let elapsed = start.elapsed();
        let ticks = (elapsed.as_nanos() / interval.as_nanos().max(1)) as u32;
        k = ticks.max(k) + 1;
        if stop.is_stopped() {
            return Ok(());
        }
    }
}
