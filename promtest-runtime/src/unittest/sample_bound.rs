//! An upper bound on the samples an instant query may hold at once, from the store's contents.
//!
//! promtool's engine refuses an instant query that would hold more than 10,000 samples. A rule
//! evaluated as one range query over all ticks holds far more than any single tick's instant
//! query, so the range query runs without the limit, and only for rules whose bound shows that
//! no tick's instant query could reach it; other rules are evaluated tick by tick, with the
//! limit, exactly as promtool does.
//!
//! The bound counts, for every node of the expression, everything it could load or output at one
//! time, as if all were held together: instant selectors one sample per matching series, range
//! selectors the fullest window of any one matching series (the engine, as Prometheus's, holds
//! one series' window at a time while a range function runs), other nodes at most their inputs plus
//! one. Histogram samples weigh what the engine charges for them.

use crate::promql::ast::{Expr, VectorSelector};
use crate::promql::engine::limits::histogram_point_size;
use crate::store::{SampleSlice, SeriesView, Store, ValueRef};

/// The bound for `expr` evaluated at times from `first` to `last` against `store`, with the
/// given lookback delta (ms), or `None` when it cannot be bounded this way (subqueries, `info`,
/// computed ranges or offsets).
pub fn instant_peak_bound(
    expr: &Expr,
    store: &Store,
    lookback: i64,
    first: i64,
    last: i64,
) -> Option<usize> {
    let ctx = Ctx {
        store,
        lookback,
        first,
        last,
    };
    ctx.node(expr).map(|b| b.held)
}

/// What the bound is taken against.
struct Ctx<'a> {
    store: &'a Store,
    lookback: i64,
    first: i64,
    last: i64,
}

/// A node's bound: everything it and its children may hold, and its output alone.
#[derive(Debug, Clone, Copy)]
struct Bound {
    held: usize,
    out: usize,
}

impl Ctx<'_> {
    /// The samples a selector with `offset` and `range` (ms) may read at the evaluation times,
    /// with a lookback to spare on either side (`anchored`, `smoothed`, the instant lookback).
    fn select(&self, v: &VectorSelector, range: i64) -> Option<Vec<SeriesView<'_>>> {
        let offset = v.offset.as_ref().map_or(Some(0), |o| o.fixed())?;
        let margin = range.checked_add(self.lookback.checked_mul(2)?)?;
        let lo = self.first.saturating_sub(offset).saturating_sub(margin);
        let hi = self
            .last
            .saturating_sub(offset)
            .saturating_add(self.lookback);
        Some(self.store.select(&v.matchers, lo, hi))
    }

    fn node(&self, e: &Expr) -> Option<Bound> {
        let leaf = |n: usize| Some(Bound { held: n, out: n });
        let over = |children: &[Bound]| {
            let out = children.iter().map(|b| b.out).sum::<usize>() + 1;
            Some(Bound {
                held: children.iter().map(|b| b.held).sum::<usize>() + out,
                out,
            })
        };
        match e {
            Expr::Number(_) | Expr::String(_) => leaf(1),
            Expr::VectorSelector(v) => leaf(
                self.select(v, 0)?
                    .iter()
                    .map(|s| match s.samples.floats() {
                        Some(_) => usize::from(!s.samples.is_empty()),
                        None => s.samples.iter().map(|x| weight(x.value)).max().unwrap_or(0),
                    })
                    .sum(),
            ),
            Expr::MatrixSelector(m) => {
                let range = m.range.fixed()?;
                // `anchored` and `smoothed` widen the window by up to a lookback on each side.
                let width = range.checked_add(self.lookback.checked_mul(2)?)?;
                let (mut held, mut out) = (0, 0);
                for s in self.select(m.vector_selector(), range)? {
                    let window = fullest_window(s.samples, width);
                    // A range function holds one series' window at a time.
                    held = held.max(window);
                    // What a function makes of the window: one float, or a histogram no
                    // heavier than the window's histograms together.
                    let all_floats = s.samples.floats().is_some()
                        || s.samples
                            .iter()
                            .all(|x| matches!(x.value, ValueRef::Float(_)));
                    out += if all_floats { 1 } else { window };
                }
                Some(Bound { held, out })
            }
            Expr::Subquery(_) => None,
            Expr::Paren(p) => self.node(&p.expr),
            Expr::Unary(u) => self.node(&u.expr),
            Expr::Binary(b) => over(&[self.node(&b.lhs)?, self.node(&b.rhs)?]),
            Expr::Aggregate(a) => {
                let mut children = vec![self.node(&a.expr)?];
                if let Some(p) = &a.param {
                    children.push(self.node(p)?);
                }
                over(&children)
            }
            Expr::Call(c) if c.func.name == "info" => None,
            Expr::Call(c) => {
                let children: Option<Vec<Bound>> = c.args.iter().map(|a| self.node(a)).collect();
                over(&children?)
            }
        }
    }
}

/// What the engine charges for holding a sample of value `v`.
fn weight(v: ValueRef<'_>) -> usize {
    match v {
        ValueRef::Float(_) => 1,
        ValueRef::Histogram(h) => histogram_point_size(h),
    }
}

/// The heaviest set of samples within any `width` ms (both ends included) of a time-ordered
/// series.
fn fullest_window(samples: SampleSlice<'_>, width: i64) -> usize {
    let floats_only = samples.floats().is_some();
    if let (true, Some(step)) = (floats_only, samples.regular_step()) {
        // Evenly spaced floats: any window of the width starting at a sample holds as many.
        let fit = usize::try_from(width / step).map_or(0, |k| k.saturating_add(1));
        return fit.min(samples.len());
    }
    let weight_of = |i: usize| {
        if floats_only {
            1
        } else {
            weight(samples.get(i).value)
        }
    };
    let (mut start, mut held, mut most) = (0, 0, 0);
    for end in 0..samples.len() {
        held += weight_of(end);
        let t = samples.t(end);
        while t.saturating_sub(samples.t(start)) > width {
            held -= weight_of(start);
            start += 1;
        }
        debug_assert!(start <= end);
        most = most.max(held);
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Labels;
    use crate::promql::parser::parse_expr;

    fn store(series: usize, points: i64) -> Store {
        let mut s = Store::new();
        for i in 0..series {
            let l = Labels::from_pairs([("__name__", "x"), ("i", &i.to_string())]);
            for t in 0..points {
                s.append_float(&l, t * 60_000, t as f64);
            }
        }
        s
    }

    fn bound(q: &str, s: &Store) -> Option<usize> {
        instant_peak_bound(&parse_expr(q).unwrap(), s, 0, 0, 100 * 60_000)
    }

    #[test]
    fn windows_and_nodes_add_up() {
        let s = store(10, 100);
        assert_eq!(bound("x", &s), Some(10));
        // One series' window of 6 samples (both ends counted) at a time, and rate's 10 outputs.
        assert_eq!(bound("rate(x[5m])", &s), Some(6 + 11));
        assert_eq!(bound("sum(rate(x[5m]))", &s), Some(6 + 11 + 12));
        assert_eq!(bound("x > 1", &s), Some(10 + 1 + 12));
        assert_eq!(bound("max_over_time(x[5m:1m])", &s), None);
    }

    #[test]
    fn fullest_window_slides() {
        let s = store(1, 10);
        let v = s.select(&[crate::model::Matcher::equal("i", "0")], 0, i64::MAX);
        assert_eq!(fullest_window(v[0].samples, 0), 1);
        assert_eq!(fullest_window(v[0].samples, 120_000), 3);
        assert_eq!(fullest_window(v[0].samples, i64::MAX), 10);
        let empty = crate::store::Columns::new();
        assert_eq!(fullest_window(empty.all(), 10), 0);
        // The same with a gap (listed timestamps, counted by sliding).
        let gap: crate::store::Columns = [0, 60_000, 120_000, 300_000, 360_000]
            .into_iter()
            .map(|t| crate::model::Sample::float(t, 1.0))
            .collect();
        assert_eq!(fullest_window(gap.all(), 0), 1);
        assert_eq!(fullest_window(gap.all(), 60_000), 2);
        assert_eq!(fullest_window(gap.all(), 120_000), 3);
        assert_eq!(fullest_window(gap.all(), 180_000), 3);
        assert_eq!(fullest_window(gap.all(), 240_000), 3);
        assert_eq!(fullest_window(gap.all(), 300_000), 4);
    }
}
