//! The `write-read-series` test, as Mimir runs it: at each run, write every 20-second timestamp
//! due since the last write (rate-limited to `num_series` samples a second), then query what was
//! written over a few time ranges and instants, each twice (results cache on, then off), and
//! check every result. A 4xx write skips its timestamp and resets the checkable window (the
//! data may have gaps); a 5xx or network error stops writing until the next run, which retries
//! the same timestamp.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::backend::Backend;
use super::config::WriteReadConfig;
use super::generators::{Profile, HISTOGRAM_PROFILES};
use super::metrics::TestMetrics;
use super::prng::Prng;
use super::recovery::find_previously_written;
use super::stop::StopSignal;
use super::time_ranges::{align, plan, query_step, Window, WRITE_INTERVAL_MS};
use super::verify::verify_samples_sum;
use super::Test;
use crate::exposition::Registry;
use crate::go_duration;
use crate::logfmt::Logger;
use crate::query::{QueryError, QueryOptions, SampleStream};
use crate::write_client::WriteProtocol;

/// Recovery resumes only when the newest sample found is younger than this.
const WRITE_MAX_AGE_MS: i64 = 50 * 60 * 1000;

/// What was written for one profile and what can be checked.
#[derive(Clone, Copy, Debug, Default)]
struct History {
    last_written_ms: i64,
    window: Window,
}

/// The test.
pub struct WriteReadSeriesTest {
    cfg: WriteReadConfig,
    backend: Arc<dyn Backend>,
    logger: Logger,
    metrics: TestMetrics,
    profiles: Vec<(Profile, History)>,
    rng: Prng,
}

impl std::fmt::Debug for WriteReadSeriesTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteReadSeriesTest")
            .field("cfg", &self.cfg)
            .finish()
    }
}

const NAME: &str = "write-read-series";

/// A range or an instant query, as log lines and errors name them.
#[derive(Clone, Copy)]
enum QueryKind {
    Range,
    Instant,
}

impl QueryKind {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            QueryKind::Range => ("range", "Range"),
            QueryKind::Instant => ("instant", "Instant"),
        }
    }
}

/// Errors of one run, reported as dskit's multierror (`2 errors: a; b`).
#[derive(Default)]
struct Errors(Vec<String>);

impl Errors {
    fn add(&mut self, e: Option<String>) {
        self.0.extend(e);
    }
    fn into_result(self) -> Result<(), String> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(self.0.into_iter().next().unwrap_or_default()),
            n => Err(format!("{n} errors: {}", self.0.join("; "))),
        }
    }
}

impl WriteReadSeriesTest {
    /// The test over `backend`, exporting its metrics in `reg`.
    pub fn new(
        cfg: WriteReadConfig,
        backend: Arc<dyn Backend>,
        logger: &Logger,
        reg: &Registry,
    ) -> Self {
        let mut profiles = Vec::new();
        if cfg.with_floats {
            profiles.push((Profile::Float, History::default()));
        }
        if cfg.with_histograms {
            for p in HISTOGRAM_PROFILES {
                profiles.push((p, History::default()));
            }
        }
        WriteReadSeriesTest {
            cfg,
            backend,
            logger: logger.with("test", NAME),
            metrics: TestMetrics::new(NAME, reg),
            profiles,
            rng: Prng::from_entropy(),
        }
    }

    /// Uses `rng` for the random query ranges (repeatable tests).
    pub fn with_rng(mut self, rng: Prng) -> Self {
        self.rng = rng;
        self
    }

    fn recover(&self, now_ms: i64, profile: Profile) -> History {
        let found = find_previously_written(
            self.backend.as_ref(),
            now_ms,
            self.cfg.max_query_age,
            self.cfg.num_series,
            profile,
            &self.logger,
        );
        let name = profile.metric_name();
        let Some((from, to)) = found else {
            self.logger.info(
                "No valid previously written samples time range found, will continue writing from the nearest interval-aligned timestamp",
                &[("metric_name", &name)],
            );
            return History::default();
        };
        if to < now_ms - WRITE_MAX_AGE_MS {
            self.logger.info(
                "Previously written samples time range found but latest written sample is too old to recover",
                &[("metric_name", &name), ("last_sample_timestamp", &crate::clock::rfc3339_nano(to))],
            );
            return History::default();
        }
        self.logger.info(
            "Successfully found previously written samples time range and recovered writes and reads from there",
            &[
                ("metric_name", &name),
                ("last_written_timestamp", &crate::clock::rfc3339_nano(to)),
                ("query_min_time", &crate::clock::rfc3339_nano(from)),
                ("query_max_time", &crate::clock::rfc3339_nano(to)),
            ],
        );
        History {
            last_written_ms: to,
            window: Window {
                min_ms: from,
                max_ms: to,
            },
        }
    }

    fn next_write(now_ms: i64, h: &History) -> i64 {
        if h.last_written_ms == 0 {
            align(now_ms, WRITE_INTERVAL_MS)
        } else {
            h.last_written_ms + WRITE_INTERVAL_MS
        }
    }

    /// Writes one timestamp; `Err` for what must be retried next run (5xx, network).
    fn write(&self, profile: Profile, ts: i64, h: &mut History) -> Result<(), String> {
        let series = profile.series(ts, self.cfg.num_series);
        let log = self
            .logger
            .with("timestamp", ts)
            .with("num_series", self.cfg.num_series)
            .with("metric_name", profile.metric_name())
            .with("protocol", self.backend.protocol().name());
        let type_label = profile.type_label();
        let start = Instant::now();
        let outcome = self.backend.write_series(&series);
        self.metrics
            .writes_latency
            .with(&[type_label])
            .observe(start.elapsed().as_secs_f64());
        self.metrics.writes_total.with(&[type_label]).inc();
        let status = outcome.status;
        if status / 100 != 2 {
            self.metrics
                .writes_failed_total
                .with(&[&status.to_string(), type_label])
                .inc();
            let err = outcome.error.clone().unwrap_or_default();
            log.warn(
                "Failed to remote write series",
                &[("status_code", &status), ("err", &err)],
            );
        } else {
            log.debug("Remote write series succeeded", &[]);
        }
        if status / 100 == 4 {
            // Retrying will not help; the series may be partly written, so results can have
            // gaps: move on, and check only what is written from now on.
            h.last_written_ms = ts;
            h.window = Window::default();
            return Ok(());
        }
        if let Some(e) = outcome.error {
            return Err(format!("failed to remote write series: {e}"));
        }
        if status / 100 != 2 {
            return Err(format!(
                "remote write series failed with status code {status}"
            ));
        }
        h.last_written_ms = ts;
        h.window.max_ms = ts;
        if h.window.min_ms == 0 {
            h.window.min_ms = ts;
        }
        Ok(())
    }

    fn check_range(
        &self,
        profile: Profile,
        start: i64,
        end: i64,
        cache: bool,
        h: &History,
    ) -> Option<String> {
        let start = h.window.min_ms.max(align(start, WRITE_INTERVAL_MS));
        let end = h.window.max_ms.min(align(end, WRITE_INTERVAL_MS));
        if end < start {
            return None;
        }
        let step_ms = query_step(start, end, WRITE_INTERVAL_MS);
        let step = Duration::from_millis(step_ms as u64);
        let query = profile.sum_query();
        let log = self
            .logger
            .with("query", &query)
            .with("start", start)
            .with("end", end)
            .with("step", go_duration::format(step));
        self.checked_query(QueryKind::Range, profile, cache, step_ms, &log, |options| {
            self.backend.query_range(&query, start, end, step, options)
        })
    }

    fn check_instant(&self, profile: Profile, ts: i64, cache: bool, h: &History) -> Option<String> {
        let ts = h.window.min_ms.max(align(ts, WRITE_INTERVAL_MS));
        if h.window.max_ms < ts {
            return None;
        }
        let query = profile.sum_query();
        let log = self.logger.with("query", &query).with("ts", ts);
        self.checked_query(QueryKind::Instant, profile, cache, 0, &log, |options| {
            // One point per series, checked as a one-point range result.
            self.backend.query(&query, ts, options).map(|vector| {
                vector
                    .into_iter()
                    .map(|s| SampleStream {
                        metric: s.metric,
                        values: s.value.map(|v| (s.timestamp_ms, v)).into_iter().collect(),
                        histograms: s
                            .histogram
                            .map(|h| (s.timestamp_ms, h))
                            .into_iter()
                            .collect(),
                    })
                    .collect()
            })
        })
    }

    /// Runs one query (`send`), counts and times it, checks its result against `profile`
    /// with points `step_ms` apart, and logs the outcome as Mimir does; the error, if any.
    fn checked_query(
        &self,
        kind: QueryKind,
        profile: Profile,
        cache: bool,
        step_ms: i64,
        log: &Logger,
        send: impl FnOnce(QueryOptions) -> Result<Vec<SampleStream>, QueryError>,
    ) -> Option<String> {
        let type_label = profile.type_label();
        let cache_label = if cache { "true" } else { "false" };
        let log = log
            .with("results_cache", cache_label)
            .with("type", type_label);
        let (lower, title) = kind.names();
        log.debug(&format!("Running {lower} query"), &[]);
        self.metrics.queries_total.with(&[type_label]).inc();
        let began = Instant::now();
        let result = send(QueryOptions::with_results_cache(cache));
        self.metrics
            .queries_latency
            .with(&[type_label, cache_label])
            .observe(began.elapsed().as_secs_f64());
        let matrix = match result {
            Ok(m) => m,
            Err(e) => {
                self.metrics.queries_failed_total.with(&[type_label]).inc();
                log.warn(&format!("Failed to execute {lower} query"), &[("err", &e)]);
                return Some(format!("failed to execute {lower} query: {e}"));
            }
        };
        self.metrics
            .query_result_checks_total
            .with(&[type_label])
            .inc();
        let verdict = verify_samples_sum(&matrix, self.cfg.num_series, step_ms, profile);
        if let Some(e) = verdict.error {
            self.metrics
                .query_result_checks_failed_total
                .with(&[type_label])
                .inc();
            log.warn(
                &format!("{title} query result check failed"),
                &[("err", &e)],
            );
            return Some(format!("{lower} query result check failed: {e}"));
        }
        log.info(&format!("{title} query result check succeeded"), &[]);
        None
    }

    fn run_profile(
        &mut self,
        i: usize,
        now_ms: i64,
        limiter: &mut super::rate_limiter::RateLimiter,
        stop: &StopSignal,
        errs: &mut Errors,
    ) {
        let (profile, mut history) = self.profiles[i];
        let n = self.cfg.num_series;
        let mut ts = Self::next_write(now_ms, &history);
        let mut wrote = false;
        while ts <= now_ms {
            if stop.is_stopped() {
                self.profiles[i].1 = history;
                return;
            }
            if let Err(e) = limiter.wait_n(n, stop) {
                errs.add(Some(e));
                self.profiles[i].1 = history;
                return;
            }
            wrote = true;
            if let Err(e) = self.write(profile, ts, &mut history) {
                errs.add(Some(e));
                break;
            }
            ts = Self::next_write(now_ms, &history);
        }
        self.profiles[i].1 = history;
        if wrote && !self.cfg.read_delay.is_zero() && stop.wait(self.cfg.read_delay) {
            return;
        }
        let plan = match plan(
            now_ms,
            history.window,
            self.cfg.max_query_age,
            &mut self.rng,
        ) {
            Ok(p) => p,
            Err(e) => {
                self.logger.info(
                    &format!("Skipped queries because there's {e}"),
                    &[("type", &profile.type_label())],
                );
                errs.add(Some(e.to_string()));
                return;
            }
        };
        for (start, end) in plan.ranges {
            for cache in [true, false] {
                if stop.is_stopped() {
                    return;
                }
                errs.add(self.check_range(profile, start, end, cache, &history));
            }
        }
        for ts in plan.instants {
            for cache in [true, false] {
                if stop.is_stopped() {
                    return;
                }
                errs.add(self.check_instant(profile, ts, cache, &history));
            }
        }
    }
}

impl Test for WriteReadSeriesTest {
    fn name(&self) -> &str {
        NAME
    }

    fn init(&mut self, now_ms: i64) -> Result<(), String> {
        self.logger.info(
            "Finding previously written samples time range to recover writes and reads from previous run",
            &[],
        );
        if self.profiles.is_empty() {
            return Err(
                "should test either floats or histograms or both, currently testing nothing"
                    .to_string(),
            );
        }
        if self.backend.protocol() == WriteProtocol::OtlpHttp {
            self.profiles.retain(|(p, _)| {
                let keep = !p.has_float_counts();
                if !keep {
                    self.logger.warn(
                        "OTLP cannot carry float-count native histograms, skipping them",
                        &[("metric_name", &p.metric_name())],
                    );
                }
                keep
            });
        }
        for i in 0..self.profiles.len() {
            let profile = self.profiles[i].0;
            self.profiles[i].1 = self.recover(now_ms, profile);
            self.metrics
                .initialize_counters_to_zero(profile.type_label());
        }
        Ok(())
    }

    fn run(&mut self, now_ms: i64, stop: &StopSignal) -> Result<(), String> {
        let n = self.cfg.num_series;
        let mut limiter = super::rate_limiter::RateLimiter::new(n as f64, n);
        let mut errs = Errors::default();
        for i in 0..self.profiles.len() {
            if stop.is_stopped() {
                break;
            }
            self.run_profile(i, now_ms, &mut limiter, stop, &mut errs);
        }
        errs.into_result()
    }
}
