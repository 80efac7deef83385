//! Prometheus's extrapolation of `rate`/`increase`/`delta` to the window's edges, shared by
//! the float and the native-histogram paths (`extrapolatedRate` in promql/functions.go).

use crate::model::Timestamp;
use crate::promql::functions::RangeArg;

/// The window geometry of one step: gaps to the window's edges and the sampled interval (seconds).
#[derive(Debug, Clone, Copy)]
pub struct Extrapolation {
    to_start: f64,
    to_end: f64,
    sampled: f64,
    avg: f64,
}

impl Extrapolation {
    /// The geometry of `n_minus_one + 1` samples from `first_t` to `last_t` in window `w`.
    pub fn new(
        w: &RangeArg<'_>,
        first_t: Timestamp,
        last_t: Timestamp,
        n_minus_one: usize,
    ) -> Self {
        let sampled = (last_t - first_t) as f64 / 1000.0;
        Extrapolation {
            to_start: (first_t - w.range_start) as f64 / 1000.0,
            to_end: (w.range_end - last_t) as f64 / 1000.0,
            sampled,
            avg: if n_minus_one > 0 {
                sampled / n_minus_one as f64
            } else {
                0.0
            },
        }
    }

    /// The sampled interval in seconds.
    pub fn sampled(&self) -> f64 {
        self.sampled
    }

    /// When the first sample's start time `first_st` lies inside the window (after its start,
    /// before the first sample), a zero is assumed there instead of extrapolating to the left:
    /// returns `true` and moves the start of the sampled interval to `first_st`.
    pub fn start_inside(
        &mut self,
        w: &RangeArg<'_>,
        first_st: Timestamp,
        first_t: Timestamp,
        last_t: Timestamp,
    ) -> bool {
        if first_st != 0 && first_st > w.range_start && first_st < first_t {
            self.to_start = 0.0;
            self.sampled = (last_t - first_st) as f64 / 1000.0;
            true
        } else {
            false
        }
    }

    /// The factor the raw difference is multiplied by. `clamp_start`: extrapolate to the left
    /// (at most half an average interval beyond 1.1 intervals, and not below `to_zero`, a
    /// counter's estimated zero point); `is_rate` divides by the range (`range_ms`).
    /// `zero_first`: the zero point limits the gap before the threshold is applied (2.x,
    /// [`crate::Semantics::rate_zero_clamp_before_threshold`]).
    pub fn factor(
        &self,
        clamp_start: bool,
        to_zero: Option<f64>,
        range_ms: i64,
        is_rate: bool,
        zero_first: bool,
    ) -> f64 {
        let threshold = self.avg * 1.1;
        let mut to_start = self.to_start;
        if clamp_start && zero_first {
            if let Some(z) = to_zero {
                if z < to_start {
                    to_start = z;
                }
            }
            if to_start >= threshold {
                to_start = self.avg / 2.0;
            }
        } else if clamp_start {
            if to_start >= threshold {
                to_start = self.avg / 2.0;
            }
            if let Some(z) = to_zero {
                if z < to_start {
                    to_start = z;
                }
            }
        }
        let to_end = if self.to_end >= threshold {
            self.avg / 2.0
        } else {
            self.to_end
        };
        let mut factor = if self.sampled != 0.0 {
            (self.sampled + to_start + to_end) / self.sampled
        } else {
            1.0
        };
        if is_rate {
            factor /= range_ms as f64 / 1000.0;
        }
        factor
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Labels;

    fn window(range_start: i64, range_end: i64) -> RangeArg<'static> {
        static METRIC: std::sync::OnceLock<Labels> = std::sync::OnceLock::new();
        RangeArg {
            metric: METRIC.get_or_init(Labels::empty),
            floats: &[],
            histograms: &[],
            float_start_timestamps: &[],
            histogram_start_timestamps: &[],
            range: range_end - range_start,
            range_start,
            range_end,
            anchored: false,
            smoothed: false,
            plain_counter: false,
        }
    }

    #[test]
    fn extrapolates_to_both_edges_within_the_threshold() {
        // Samples every 60s from 30s to 270s in (0, 300]: 30s gaps on both sides.
        let w = window(0, 300_000);
        let e = Extrapolation::new(&w, 30_000, 270_000, 4);
        assert_eq!(e.factor(true, None, w.range, false, false), 300.0 / 240.0);
        assert_eq!(
            e.factor(true, None, w.range, true, false),
            300.0 / 240.0 / 300.0
        );
        // A counter's zero point 10s before the first sample limits the left extrapolation.
        assert_eq!(
            e.factor(true, Some(10.0), w.range, false, false),
            280.0 / 240.0
        );
    }

    #[test]
    fn far_edges_extrapolate_half_an_interval() {
        // One sample interval of 60s, 200s before the window's end: only 30s is added there.
        let w = window(0, 500_000);
        let e = Extrapolation::new(&w, 180_000, 300_000, 2);
        assert_eq!(
            e.factor(true, None, w.range, false, false),
            (120.0 + 30.0 + 30.0) / 120.0
        );
    }

    #[test]
    fn start_time_inside_the_window_replaces_left_extrapolation() {
        let w = window(0, 300_000);
        let mut e = Extrapolation::new(&w, 60_000, 240_000, 3);
        assert!(!e.start_inside(&w, 0, 60_000, 240_000), "0 means unknown");
        assert!(e.start_inside(&w, 20_000, 60_000, 240_000));
        assert_eq!(e.sampled(), 220.0);
        assert_eq!(
            e.factor(false, None, w.range, false, false),
            (220.0 + 60.0) / 220.0
        );
    }
}
