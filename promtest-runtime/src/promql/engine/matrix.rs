//! Range vectors: the points of a series in the window `(t - range, t]` (stale markers
//! dropped), the `anchored`/`smoothed` extended windows, and range selectors as query results.

use crate::model::{is_stale_nan, Labels};
use crate::promql::ast::MatrixSelector;
use crate::promql::engine::errors::{EvalError, EvalResult};
use crate::promql::engine::limits::histogram_point_size;
use crate::promql::engine::step_loop::Evaluator;
use crate::promql::value::{FPoint, HPoint, Series};
use crate::store::{SeriesView, ValueRef};

/// All points of one series available to range windows, time-ordered, without stale markers.
#[derive(Debug, Clone, Default)]
pub(crate) struct PointSeries {
    pub metric: Labels,
    pub floats: Vec<FPoint>,
    pub histograms: Vec<HPoint>,
    /// Start timestamps aligned with `floats` (0 = unknown), or empty when all are 0.
    pub float_sts: Vec<i64>,
    /// Start timestamps aligned with `histograms` (0 = unknown), or empty when all are 0.
    pub histogram_sts: Vec<i64>,
    /// Whether the input already asks for its name to be dropped (subquery results).
    pub drop_name: bool,
}

/// One window of a [`PointSeries`]: index ranges into its floats and histograms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub floats: (usize, usize),
    pub histograms: (usize, usize),
}

impl Window {
    /// Number of points.
    pub fn len(&self) -> usize {
        (self.floats.1 - self.floats.0) + (self.histograms.1 - self.histograms.0)
    }
}

impl PointSeries {
    /// The points of a stored series, dropping stale markers.
    pub fn from_view(view: &SeriesView<'_>) -> Self {
        let mut ps = PointSeries {
            metric: view.labels.clone(),
            ..Default::default()
        };
        let samples = view.samples;
        let starts = samples.has_starts();
        if let (Some(values), false) = (samples.floats(), starts) {
            // Floats without start timestamps: straight from the value column.
            ps.floats.reserve_exact(values.len());
            for (i, &f) in values.iter().enumerate() {
                if !is_stale_nan(f) {
                    ps.floats.push(FPoint { t: samples.t(i), f });
                }
            }
            return ps;
        }
        for s in samples.iter() {
            match s.value {
                ValueRef::Float(f) => {
                    if !is_stale_nan(f) {
                        ps.floats.push(FPoint { t: s.t, f });
                        if starts {
                            ps.float_sts.push(s.st);
                        }
                    }
                }
                ValueRef::Histogram(h) => {
                    if !is_stale_nan(h.sum) {
                        ps.histograms.push(HPoint {
                            t: s.t,
                            h: h.clone(),
                        });
                        if starts {
                            ps.histogram_sts.push(s.st);
                        }
                    }
                }
            }
        }
        ps
    }

    /// The points with `mint < t <= maxt`.
    pub fn window(&self, mint: i64, maxt: i64) -> Window {
        let f0 = self.floats.partition_point(|p| p.t <= mint);
        let f1 = self.floats.partition_point(|p| p.t <= maxt).max(f0);
        let h0 = self.histograms.partition_point(|p| p.t <= mint);
        let h1 = self.histograms.partition_point(|p| p.t <= maxt).max(h0);
        Window {
            floats: (f0, f1),
            histograms: (h0, h1),
        }
    }

    /// [`PointSeries::window`] for `mint < t <= maxt`, found by moving the bounds of `w` (a
    /// window of this series) rather than by searching: the windows of consecutive steps are
    /// near each other, so this costs a step or two per bound.
    #[inline]
    pub fn slide(&self, w: &mut Window, mint: i64, maxt: i64) {
        if !self.floats.is_empty() {
            w.floats.0 = move_bound(&self.floats, w.floats.0, mint, |p| p.t);
            w.floats.1 = move_bound(&self.floats, w.floats.1, maxt, |p| p.t).max(w.floats.0);
        }
        if !self.histograms.is_empty() {
            w.histograms.0 = move_bound(&self.histograms, w.histograms.0, mint, |p| p.t);
            w.histograms.1 =
                move_bound(&self.histograms, w.histograms.1, maxt, |p| p.t).max(w.histograms.0);
        }
    }

    /// For each float point `j`, how many pairs of consecutive float points up to `j` are not
    /// plain: the value decreases, or either has a start timestamp. A window's float points
    /// `a..b` hold `irregular[b - 1] - irregular[a]` such pairs (none when `b - a < 2`).
    pub fn irregular_pairs(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.floats.len());
        let mut n = 0u32;
        for (j, p) in self.floats.iter().enumerate() {
            if j > 0 {
                let prev = j - 1;
                let st = |k: usize| self.float_sts.get(k).copied().unwrap_or(0);
                if p.f < self.floats[prev].f || st(prev) != 0 || st(j) != 0 {
                    n += 1;
                }
            }
            out.push(n);
        }
        out
    }

    /// Samples a window counts for the max-samples limit.
    pub fn window_samples(&self, w: &Window) -> usize {
        (w.floats.1 - w.floats.0)
            + self.histograms[w.histograms.0..w.histograms.1]
                .iter()
                .map(|p| histogram_point_size(&p.h))
                .sum::<usize>()
    }
}

/// The index of the first point after `bound` (points time-ordered), moving from `from`.
#[inline]
fn move_bound<P>(points: &[P], from: usize, bound: i64, t: impl Fn(&P) -> i64) -> usize {
    let mut i = from.min(points.len());
    while i < points.len() && t(&points[i]) <= bound {
        i += 1;
    }
    while i > 0 && t(&points[i - 1]) > bound {
        i -= 1;
    }
    i
}

/// Extends a window of floats to exactly `mint` and `maxt` for `anchored` (and, interpolating,
/// `smoothed`) selectors: Prometheus's `extendFloats`.
pub(crate) fn extend_floats(
    floats: &[FPoint],
    mint: i64,
    maxt: i64,
    smoothed: bool,
) -> Vec<FPoint> {
    if floats.is_empty() {
        return Vec::new();
    }
    let mut last = floats.len() - 1;
    let mut first = floats[..last]
        .partition_point(|p| p.t <= mint)
        .saturating_sub(1);
    if smoothed {
        last = floats[..last].partition_point(|p| p.t < maxt);
    }
    if floats[last].t <= mint {
        return Vec::new();
    }
    let interp = |p1: FPoint, p2: FPoint, t: i64| {
        p1.f + (p2.f - p1.f) * (t - p1.t) as f64 / (p2.t - p1.t) as f64
    };
    let left = if smoothed && floats[first].t < mint {
        interp(floats[first], floats[first + 1], mint)
    } else {
        floats[first].f
    };
    let right = if smoothed && last > 0 && floats[last].t > maxt {
        interp(floats[last - 1], floats[last], maxt)
    } else {
        floats[last].f
    };
    if floats[first].t <= mint {
        first += 1;
    }
    let end = if floats[last].t >= maxt {
        last
    } else {
        last + 1
    };
    let mut out = Vec::with_capacity(end.saturating_sub(first) + 2);
    out.push(FPoint { t: mint, f: left });
    if first < end {
        out.extend_from_slice(&floats[first..end]);
    }
    out.push(FPoint { t: maxt, f: right });
    out
}

impl<'a> Evaluator<'a> {
    /// Evaluates a range selector as a query result (instant queries only).
    pub(crate) fn eval_matrix_selector(&mut self, ms: &MatrixSelector) -> EvalResult<Vec<Series>> {
        let vs = ms.vector_selector();
        let (offset, at) = self.selector_times(vs)?;
        let range = self.ctx.duration(&ms.range, false)?;
        let lookback = self.opts.lookback_delta;
        let maxt = at.unwrap_or(self.start) - offset;
        let mint = self.opts.semantics.window_start(maxt, range);
        let (sel_mint, sel_maxt) = if vs.anchored {
            (mint - lookback, maxt)
        } else if vs.smoothed {
            (mint - lookback, maxt + lookback)
        } else {
            (mint, maxt)
        };
        let store = self.store;
        let views = store.select(&vs.matchers, sel_mint + 1, sel_maxt);
        let mut mat = Vec::with_capacity(views.len());
        for view in &views {
            let ps = PointSeries::from_view(view);
            let w = ps.window(sel_mint, sel_maxt);
            let mut floats = ps.floats[w.floats.0..w.floats.1].to_vec();
            let histograms = ps.histograms[w.histograms.0..w.histograms.1].to_vec();
            if vs.anchored || vs.smoothed {
                if !histograms.is_empty() {
                    let which = if vs.anchored { "anchored" } else { "smoothed" };
                    return Err(EvalError::engine(format!(
                        "{which} modifier is not supported with histograms"
                    )));
                }
                floats = extend_floats(&floats, mint, maxt, vs.smoothed);
            }
            self.add_samples(
                floats.len()
                    + histograms
                        .iter()
                        .map(|p| histogram_point_size(&p.h))
                        .sum::<usize>(),
            )?;
            if !floats.is_empty() || !histograms.is_empty() {
                mat.push(Series {
                    metric: ps.metric,
                    floats,
                    histograms,
                    drop_name: false,
                });
            }
        }
        Ok(mat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(v: &[(i64, f64)]) -> Vec<FPoint> {
        v.iter().map(|&(t, f)| FPoint { t, f }).collect()
    }

    #[test]
    fn window_is_left_open_right_closed() {
        let ps = PointSeries {
            floats: pts(&[(0, 1.0), (10, 2.0), (20, 3.0)]),
            ..Default::default()
        };
        let w = ps.window(0, 20);
        assert_eq!(w.floats, (1, 3));
        assert_eq!(ps.window(25, 30).len(), 0);
    }

    #[test]
    fn sliding_agrees_with_searching() {
        let ps = PointSeries {
            floats: pts(&[
                (0, 1.0),
                (10, 2.0),
                (20, 3.0),
                (40, 4.0),
                (41, 5.0),
                (90, 6.0),
            ]),
            ..Default::default()
        };
        let mut w = ps.window(-5, -5);
        // Forward in small and large steps, then back.
        for (mint, maxt) in [
            (-5, 5),
            (0, 10),
            (5, 30),
            (39, 41),
            (40, 100),
            (200, 300),
            (1, 2),
        ] {
            ps.slide(&mut w, mint, maxt);
            assert_eq!(w, ps.window(mint, maxt), "({mint}, {maxt}]");
        }
    }

    #[test]
    fn anchored_extension_takes_boundary_values() {
        let got = extend_floats(&pts(&[(0, 1.0), (10, 2.0)]), 5, 15, false);
        assert_eq!(got, pts(&[(5, 1.0), (10, 2.0), (15, 2.0)]));
    }

    #[test]
    fn smoothed_extension_interpolates() {
        let got = extend_floats(&pts(&[(0, 0.0), (10, 10.0), (20, 20.0)]), 5, 15, true);
        assert_eq!(got, pts(&[(5, 5.0), (10, 10.0), (15, 15.0)]));
    }
}
