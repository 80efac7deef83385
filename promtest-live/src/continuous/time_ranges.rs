//! Which time ranges and instants a run queries, as Mimir picks them: the last hour, the last
//! 24 hours, 24h to 23h ago, and one random range (with an instant at the end of the first,
//! the start of the second, and the start of the random one), clamped to what was written and
//! to `max-query-age`; and the step that keeps a range query at most 1,000 points.

use std::time::Duration;

use super::prng::Prng;

/// Interval between written samples; every query time is aligned to it.
pub const WRITE_INTERVAL_MS: i64 = 20_000;

const HOUR_MS: i64 = 3_600_000;

/// `ts` truncated to a multiple of `interval_ms` (Go's `Time.Truncate`).
pub fn align(ts_ms: i64, interval_ms: i64) -> i64 {
    ts_ms.div_euclid(interval_ms) * interval_ms
}

/// The step for a range query over `[start, end]`: the interval, or the smallest multiple of it
/// that keeps the query within 1,000 points.
pub fn query_step(start_ms: i64, end_ms: i64, interval_ms: i64) -> i64 {
    const MAX_SAMPLES: i64 = 1000;
    let span = end_ms - start_ms;
    if span / interval_ms <= MAX_SAMPLES {
        return interval_ms;
    }
    let step = span / MAX_SAMPLES;
    (step / interval_ms + 1) * interval_ms
}

/// What was successfully written and can be checked: `[min, max]`, both aligned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    /// Oldest checkable timestamp (0: none).
    pub min_ms: i64,
    /// Newest checkable timestamp (0: none).
    pub max_ms: i64,
}

/// The queries of one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Range queries: (start, end).
    pub ranges: Vec<(i64, i64)>,
    /// Instant queries.
    pub instants: Vec<i64>,
}

/// Why nothing is queried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoPlan {
    /// Nothing written successfully yet.
    NothingWritten,
    /// What was written is older than `max-query-age`.
    TooOld,
}

impl std::fmt::Display for NoPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NoPlan::NothingWritten => "no valid time range to query",
            NoPlan::TooOld => {
                "no valid time range to query after honoring configured max query age"
            }
        })
    }
}

/// The ranges and instants to query at `now` for `window`.
pub fn plan(
    now_ms: i64,
    window: Window,
    max_query_age: Duration,
    rng: &mut Prng,
) -> Result<Plan, NoPlan> {
    if window.min_ms == 0 || window.max_ms == 0 {
        return Err(NoPlan::NothingWritten);
    }
    let age = i64::try_from(max_query_age.as_millis()).unwrap_or(i64::MAX);
    let min = window.min_ms.max(now_ms.saturating_sub(age));
    if window.max_ms < min {
        return Err(NoPlan::TooOld);
    }
    let max = window.max_ms.min(now_ms);
    let mut p = Plan::default();
    if window.max_ms > now_ms - HOUR_MS {
        p.ranges.push((min.max(now_ms - HOUR_MS), max));
        p.instants.push(max);
    }
    if window.max_ms > now_ms - 24 * HOUR_MS && min < now_ms - HOUR_MS {
        p.ranges.push((min.max(now_ms - 24 * HOUR_MS), max));
        p.instants.push(min.max(now_ms - 24 * HOUR_MS));
    }
    if min < now_ms - 23 * HOUR_MS && window.max_ms > now_ms - 23 * HOUR_MS {
        p.ranges.push((
            min.max(now_ms - 24 * HOUR_MS),
            max.min(now_ms - 23 * HOUR_MS),
        ));
    }
    let rand_min = random_time(rng, min, max);
    p.ranges.push((rand_min, random_time(rng, rand_min, max)));
    p.instants.push(rand_min);
    Ok(p)
}

/// A random whole second in `[min, max)` (Mimir's `randTime`), or `min` when the range is empty.
fn random_time(rng: &mut Prng, min_ms: i64, max_ms: i64) -> i64 {
    let (min_s, max_s) = (min_ms.div_euclid(1000), max_ms.div_euclid(1000));
    let delta = max_s - min_s;
    if delta <= 0 {
        return min_ms;
    }
    (rng.below(delta as u64) as i64 + min_s) * 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_654_077_630_000;

    #[test]
    fn steps_stay_within_a_thousand_points() {
        assert_eq!(query_step(0, 3_600_000, WRITE_INTERVAL_MS), 20_000);
        assert_eq!(query_step(0, 20_000_000, WRITE_INTERVAL_MS), 20_000);
        assert_eq!(query_step(0, 86_400_000, WRITE_INTERVAL_MS), 100_000);
        assert_eq!(align(NOW, WRITE_INTERVAL_MS), 1_654_077_620_000);
    }

    #[test]
    fn nothing_written_means_nothing_queried() {
        let mut rng = Prng::seeded(1);
        let age = Duration::from_secs(7 * 24 * 3600);
        assert_eq!(
            plan(NOW, Window::default(), age, &mut rng),
            Err(NoPlan::NothingWritten)
        );
        let old = Window {
            min_ms: NOW - 10 * HOUR_MS,
            max_ms: NOW - 9 * HOUR_MS,
        };
        assert_eq!(
            plan(NOW, old, Duration::from_secs(3600), &mut rng),
            Err(NoPlan::TooOld)
        );
    }

    #[test]
    fn a_fresh_write_is_queried_over_the_last_hour_and_at_random() {
        let mut rng = Prng::seeded(7);
        let t = align(NOW, WRITE_INTERVAL_MS);
        let w = Window {
            min_ms: t,
            max_ms: t,
        };
        let p = plan(NOW, w, Duration::from_secs(7 * 24 * 3600), &mut rng).unwrap();
        assert_eq!(p.ranges, [(t, t), (t, t)]);
        assert_eq!(p.instants, [t, t]);
    }

    #[test]
    fn a_long_history_gets_all_four_ranges() {
        let mut rng = Prng::seeded(3);
        let w = Window {
            min_ms: NOW - 30 * HOUR_MS,
            max_ms: align(NOW, WRITE_INTERVAL_MS),
        };
        let p = plan(NOW, w, Duration::from_secs(7 * 24 * 3600), &mut rng).unwrap();
        assert_eq!(p.ranges.len(), 4);
        assert_eq!(p.ranges[0], (NOW - HOUR_MS, w.max_ms));
        assert_eq!(p.ranges[1], (NOW - 24 * HOUR_MS, w.max_ms));
        assert_eq!(p.ranges[2], (NOW - 24 * HOUR_MS, NOW - 23 * HOUR_MS));
        let (a, b) = p.ranges[3];
        assert!(w.min_ms <= a && a <= b && b <= w.max_ms);
        assert_eq!(p.instants.len(), 3);
    }
}
