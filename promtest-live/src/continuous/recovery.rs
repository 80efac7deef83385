//! Restart recovery, as Mimir's `findPreviouslyWrittenTimeRange`: walk back from now in 24-hour
//! range queries (results cache off) as long as every point matches what the test would have
//! written, and return the oldest and newest timestamps of that unbroken, correct run.

use std::time::Duration;

use super::backend::Backend;
use super::generators::Profile;
use super::time_ranges::{align, WRITE_INTERVAL_MS};
use super::verify::verify_samples_sum;
use crate::go_duration;
use crate::logfmt::Logger;
use crate::query::{QueryOptions, SampleHistogram, SampleStream};

const DAY_MS: i64 = 86_400_000;

/// The `(from, to)` of the newest well-formed run of points the backend holds for `profile`,
/// or `None`.
pub fn find_previously_written(
    backend: &dyn Backend,
    now_ms: i64,
    max_query_age: Duration,
    num_series: usize,
    profile: Profile,
    logger: &Logger,
) -> Option<(i64, i64)> {
    let step = WRITE_INTERVAL_MS;
    let age = i64::try_from(max_query_age.as_millis()).unwrap_or(i64::MAX);
    let query = profile.sum_query();
    let mut end = align(now_ms, step);
    let mut floats: Vec<(i64, f64)> = Vec::new();
    let mut histograms: Vec<(i64, SampleHistogram)> = Vec::new();
    let mut found = None;
    loop {
        let start = align(now_ms.saturating_sub(age).max(end - DAY_MS + step), step);
        if start >= end {
            return found;
        }
        let log = logger
            .with("query", &query)
            .with("start", start)
            .with("end", end)
            .with(
                "step",
                go_duration::format(Duration::from_millis(step as u64)),
            );
        log.debug(
            "Executing query to find previously written samples",
            &[("metric_name", &profile.metric_name())],
        );
        let matrix = match backend.query_range(
            &query,
            start,
            end,
            Duration::from_millis(step as u64),
            QueryOptions::with_results_cache(false),
        ) {
            Ok(m) => m,
            Err(e) => {
                log.warn(
                    "Failed to execute range query used to find previously written samples",
                    &[("err", &e)],
                );
                return found;
            }
        };
        match matrix.len() {
            0 => return found,
            1 => {}
            n => {
                log.error(
                    "The range query used to find previously written samples returned an unexpected number of series",
                    &[("expected", &1), ("returned", &n)],
                );
                return found;
            }
        }
        let series = matrix.into_iter().next().unwrap_or_default();
        floats.splice(0..0, series.values);
        histograms.splice(0..0, series.histograms);
        end = start - step;
        let times: Vec<i64> = match (floats.is_empty(), histograms.is_empty()) {
            (false, true) => floats.iter().map(|p| p.0).collect(),
            (true, false) => histograms.iter().map(|p| p.0).collect(),
            _ => {
                log.error(
                    "The range query used to find previously written samples returned either both floats and histograms or neither",
                    &[],
                );
                return found;
            }
        };
        let full = vec![SampleStream {
            metric: Vec::new(),
            values: floats.clone(),
            histograms: histograms.clone(),
        }];
        let verdict = verify_samples_sum(&full, num_series, step, profile);
        let Some(oldest) = verdict.last_matching else {
            return found;
        };
        found = Some((times[oldest], times[times.len() - 1]));
        // A mismatch, or data starting after the window's start, means the run began here.
        if oldest != 0 || times[0] != start {
            return found;
        }
    }
}
