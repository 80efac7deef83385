//! Instant vector selectors: the latest sample in the lookback window `(t - lookback, t]`,
//! where a stale marker ends a series; `offset` and `@` move `t`; `smoothed` interpolates.

use crate::promql::ast::VectorSelector;
use crate::promql::engine::errors::EvalResult;
use crate::promql::engine::limits::histogram_point_size;
use crate::promql::engine::step_loop::Evaluator;
use crate::promql::value::{FPoint, HPoint, Series};
use crate::store::{SampleRef, SampleSlice, ValueRef};

/// The sample an instant selector sees at reference time `r` in `samples` (time-ordered):
/// the latest with `bound < t <= r`, unless it is a stale marker; `bound` is the lookback
/// window's exclusive start ([`crate::semantics::Semantics::window_start`]).
pub(crate) fn lookup<'s>(samples: SampleSlice<'s>, r: i64, bound: i64) -> Option<SampleRef<'s>> {
    let idx = samples.count_upto(r).checked_sub(1)?;
    let s = samples.get(idx);
    if s.t <= bound || s.value.is_stale() {
        return None;
    }
    Some(s)
}

impl<'a> Evaluator<'a> {
    /// Resolves a selector's offset and `@` into (effective offset, `@` time).
    pub(crate) fn selector_times(&self, vs: &VectorSelector) -> EvalResult<(i64, Option<i64>)> {
        Ok((self.ctx.offset(vs.offset.as_ref())?, self.ctx.at(vs.at)))
    }

    /// Evaluates an instant vector selector at every step.
    pub(crate) fn eval_vector_selector(&mut self, vs: &VectorSelector) -> EvalResult<Vec<Series>> {
        let (offset, at) = self.selector_times(vs)?;
        let lookback = self.opts.lookback_delta;
        let sem = self.opts.semantics;
        if vs.smoothed {
            return self.eval_smoothed_selector(vs, offset, at);
        }
        let (lo, hi) = match at {
            Some(a) => (a - offset, a - offset),
            None => (self.start - offset, self.end - offset),
        };
        let store = self.store;
        let stats_only = self.ctx.stats_only_selector(vs);
        // Reading starts at the first sample in the first step's window (stats-only reads
        // one sample earlier).
        let first = if stats_only {
            sem.window_start(lo, lookback)
        } else {
            sem.window_start(lo, lookback) + 1
        };
        let views = store.select(&vs.matchers, first, hi);
        let steps = self.steps();
        let mut mat = Vec::with_capacity(views.len());
        for view in views {
            let stats;
            let view = if stats_only {
                stats = crate::promql::engine::histogram_stats::stats_samples(
                    view.samples,
                    sem.nhcb_bounds_change_is_reset,
                );
                crate::store::SeriesView {
                    labels: view.labels,
                    samples: stats.all(),
                }
            } else {
                view
            };
            let mut ss = Series {
                metric: view.labels.clone(),
                ..Default::default()
            };
            for ts in steps {
                self.tick()?;
                let r = at.unwrap_or(ts) - offset;
                let Some(s) = lookup(view.samples, r, sem.window_start(r, lookback)) else {
                    continue;
                };
                match s.value {
                    ValueRef::Float(f) => {
                        self.add_samples(1)?;
                        ss.floats.push(FPoint { t: ts, f });
                    }
                    ValueRef::Histogram(h) => {
                        self.add_samples(histogram_point_size(h))?;
                        ss.histograms.push(HPoint {
                            t: ts,
                            h: h.clone(),
                        });
                    }
                }
            }
            if !ss.floats.is_empty() || !ss.histograms.is_empty() {
                mat.push(ss);
            }
        }
        Ok(mat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{stale_nan, Sample};
    use crate::store::Columns;

    fn series(v: &[(i64, f64)]) -> Columns {
        v.iter().map(|&(t, f)| Sample::float(t, f)).collect()
    }

    #[test]
    fn lookback_window_is_left_open() {
        let c = series(&[(0, 1.0), (10, 2.0)]);
        let s = c.all();
        assert_eq!(lookup(s, 10, 5).map(|s| s.t), Some(10));
        assert_eq!(lookup(s, 14, 9).map(|s| s.t), Some(10));
        assert!(lookup(s, 15, 10).is_none());
        assert!(lookup(s, -1, -6).is_none());
    }

    #[test]
    fn stale_marker_ends_series() {
        let c = series(&[(0, 1.0), (10, stale_nan())]);
        assert!(lookup(c.all(), 12, -88).is_none());
        assert_eq!(lookup(c.all(), 5, -95).map(|s| s.t), Some(0));
    }

    #[test]
    fn lookup_reads_within_a_narrower_slice() {
        let c = series(&[(0, 1.0), (10, 2.0), (20, 3.0), (30, 4.0)]);
        let s = c.range(10, 20);
        assert_eq!(lookup(s, 35, 0).map(|s| s.t), Some(20));
        assert!(lookup(s, 5, -100).is_none());
    }
}
