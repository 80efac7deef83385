//! Subqueries: the inner expression evaluated at steps aligned to multiples of the subquery
//! step, over `(t - offset - range, t - offset]`; the default step when none is written.

use crate::promql::ast::SubqueryExpr;
use crate::promql::engine::errors::EvalResult;
use crate::promql::engine::step_loop::Evaluator;
use crate::promql::value::Series;
use crate::semantics::Semantics;

/// The steps of a subquery: (start, end, interval), Prometheus's `subqueryTimeRange`.
/// `eff_offset` is the offset with any `@` folded in relative to `start`; the first step is
/// the first multiple of `step` inside the window `sem` gives (`(t-r, t]`, or `[t-r, t]`).
pub(crate) fn subquery_time_range(
    sem: &Semantics,
    start: i64,
    end: i64,
    interval: i64,
    eff_offset: i64,
    range: i64,
    step: i64,
) -> (i64, i64, i64) {
    let parent_end = if interval > 0 {
        start + ((end - start) / interval) * interval
    } else {
        end
    };
    let sub_end = parent_end - eff_offset;
    let base = sem.window_start(start - eff_offset, range);
    // Go's integer division truncates toward zero, as Rust's does.
    let mut sub_start = step * (base / step);
    if sub_start <= base {
        sub_start += step;
    }
    (sub_start, sub_end, step)
}

impl<'a> Evaluator<'a> {
    /// Runs a subquery; returns its series, its effective offset and its range (ms).
    pub(crate) fn run_subquery(
        &mut self,
        sq: &SubqueryExpr,
    ) -> EvalResult<(Vec<Series>, i64, i64)> {
        let offset = self.ctx.offset(sq.offset.as_ref())?;
        let at = self.ctx.at(sq.at);
        let range = self.ctx.duration(&sq.range, false)?;
        let step = match &sq.step {
            Some(d) => self.ctx.duration(d, false)?,
            None => self.opts.default_subquery_step,
        };
        let eff_offset = offset + at.map_or(0, |a| self.start - a);
        let (s, e, i) = subquery_time_range(
            &self.opts.semantics,
            self.start,
            self.end,
            self.interval,
            eff_offset,
            range,
            step,
        );
        let mut child = self.child(s, e, i);
        let res = child.eval_matrix(&sq.expr);
        self.absorb(child);
        Ok((res?, eff_offset, range))
    }

    /// Evaluates a subquery as a value (a range vector result).
    pub(crate) fn eval_subquery(&mut self, sq: &SubqueryExpr) -> EvalResult<Vec<Series>> {
        Ok(self.run_subquery(sq)?.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_align_to_multiples_of_the_step() {
        // Instant query at 10m05s, [5m:1m]: steps at 6m..=10m.
        let head = Semantics::default();
        let (s, e, i) = subquery_time_range(&head, 605_000, 605_000, 1, 0, 300_000, 60_000);
        assert_eq!((s, e, i), (360_000, 605_000, 60_000));
        // The window's left edge is exclusive: at exactly 10m, [5m:1m] starts at 6m.
        let (s, _, _) = subquery_time_range(&head, 600_000, 600_000, 1, 0, 300_000, 60_000);
        assert_eq!(s, 360_000);
        // In 2.x it is inclusive: the step at 5m is kept, also before zero.
        let v2 = Semantics::of(crate::semantics::PrometheusVersion::V2_42);
        let (s, _, _) = subquery_time_range(&v2, 600_000, 600_000, 1, 0, 300_000, 60_000);
        assert_eq!(s, 300_000);
        let (s, _, _) = subquery_time_range(&v2, 0, 0, 1, 0, 300_000, 60_000);
        assert_eq!(s, -300_000);
        let (s, _, _) = subquery_time_range(&v2, 30_000, 30_000, 1, 0, 60_000, 60_000);
        assert_eq!(s, 0);
    }
}
