//! Query preparation: resolving duration expressions, `@ start()`/`@ end()`, and finding the
//! step-invariant parts of a query (Prometheus's `PreprocessExpr`).
//!
//! Instead of rewriting the tree, the step-invariant nodes are recorded by address: the
//! evaluator evaluates such a node once, at the first step, and repeats its value.

use std::collections::HashSet;

use crate::gomath;
use crate::promql::ast::{AtModifier, BinaryOp, Duration, DurationExpr, Expr};
use crate::promql::engine::errors::{EvalError, EvalResult};

/// Functions whose result changes with the evaluation time even when their arguments are
/// step-invariant, or that use the timestamps of their argument (`AtModifierUnsafeFunctions`).
const AT_MODIFIER_UNSAFE: &[&str] = &[
    "days_in_month",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "end",
    "hour",
    "minute",
    "month",
    "year",
    "predict_linear",
    "range",
    "start",
    "step",
    "time",
    "timestamp",
];

/// Functions that read the query's own time range and fold to constants (`foldQueryContextFunctions`).
pub(crate) const QUERY_CONTEXT_FUNCTIONS: &[&str] = &["start", "end", "range", "step"];

/// Whether `name` is one of Prometheus's `AtModifierUnsafeFunctions`.
pub fn is_at_modifier_unsafe(name: &str) -> bool {
    AT_MODIFIER_UNSAFE.contains(&name)
}

/// What one query is evaluated against: its time range, step, and step-invariant nodes.
#[derive(Debug)]
pub(crate) struct QueryContext {
    /// Query start (ms).
    pub start: i64,
    /// Query end (ms).
    pub end: i64,
    /// Query step (ms); 0 for an instant query.
    pub step: i64,
    invariant: HashSet<usize>,
    stats_only: HashSet<usize>,
}

fn addr(e: &Expr) -> usize {
    e as *const Expr as usize
}

impl QueryContext {
    /// Prepares `expr` for evaluation from `start` to `end` every `step` (0: instant).
    /// Fails as Prometheus does on invalid duration expressions.
    pub fn new(expr: &Expr, start: i64, end: i64, step: i64) -> EvalResult<Self> {
        let mut ctx = QueryContext {
            start,
            end,
            step,
            invariant: HashSet::new(),
            stats_only: HashSet::new(),
        };
        ctx.check_durations(expr)?;
        let mut path = Vec::new();
        ctx.mark_stats_only(expr, &mut path);
        let (_, wrap) = ctx.mark(expr);
        if wrap {
            ctx.invariant.insert(addr(expr));
        }
        Ok(ctx)
    }

    /// Whether the selector `e` only needs histogram count and sum (it is read through
    /// `histogram_count`/`histogram_sum`/`histogram_avg`): Prometheus then decodes histograms
    /// without buckets and detects counter resets while reading (`HistogramStatsIterator`).
    pub fn stats_only_selector(&self, vs: &crate::promql::ast::VectorSelector) -> bool {
        self.stats_only.contains(&(vs as *const _ as usize))
    }

    /// Finds the selectors to read as histogram statistics (`detectHistogramStatsDecoding`).
    fn mark_stats_only<'e>(&mut self, e: &'e Expr, path: &mut Vec<&'e Expr>) {
        if let Expr::VectorSelector(vs) = e {
            let mut skip = false;
            for p in path.iter().rev() {
                match p {
                    Expr::Subquery(_) => {
                        skip = false;
                        break;
                    }
                    Expr::Call(c) => match c.func.name {
                        "histogram_count" | "histogram_sum" | "histogram_avg" => skip = true,
                        "histogram_quantile" | "histogram_quantiles" | "histogram_fraction" => {
                            skip = false;
                            break;
                        }
                        _ => {}
                    },
                    Expr::Binary(b)
                        if matches!(b.op, BinaryOp::TrimUpper | BinaryOp::TrimLower) =>
                    {
                        skip = false;
                        break;
                    }
                    _ => {}
                }
            }
            if skip {
                self.stats_only
                    .insert(vs as *const crate::promql::ast::VectorSelector as usize);
            }
            return;
        }
        path.push(e);
        match e {
            Expr::MatrixSelector(m) => self.mark_stats_only(m.selector_expr(), path),
            Expr::Subquery(sq) => self.mark_stats_only(&sq.expr, path),
            Expr::Paren(p) => self.mark_stats_only(&p.expr, path),
            Expr::Unary(u) => self.mark_stats_only(&u.expr, path),
            Expr::Binary(b) => {
                self.mark_stats_only(&b.lhs, path);
                self.mark_stats_only(&b.rhs, path);
            }
            Expr::Aggregate(a) => {
                if let Some(p) = &a.param {
                    self.mark_stats_only(p, path);
                }
                self.mark_stats_only(&a.expr, path);
            }
            Expr::Call(c) => c.args.iter().for_each(|a| self.mark_stats_only(a, path)),
            _ => {}
        }
        path.pop();
    }

    /// Whether `e` is the root of a step-invariant subtree (evaluate once, repeat).
    pub fn is_step_invariant(&self, e: &Expr) -> bool {
        self.invariant.contains(&addr(e))
    }

    /// The `@` timestamp in ms, with `start()`/`end()` resolved.
    pub fn at(&self, at: Option<AtModifier>) -> Option<i64> {
        at.map(|a| match a {
            AtModifier::Timestamp(t) => t,
            AtModifier::Start => self.start,
            AtModifier::End => self.end,
        })
    }

    /// An offset in ms (0 when absent); offsets may be negative.
    pub fn offset(&self, d: Option<&Duration>) -> EvalResult<i64> {
        match d {
            None => Ok(0),
            Some(d) => self.duration(d, true),
        }
    }

    /// A duration in ms, resolving duration expressions against the query's step and range.
    pub fn duration(&self, d: &Duration, allow_negative: bool) -> EvalResult<i64> {
        match d {
            Duration::Fixed(ms) => Ok(*ms),
            Duration::Expr(e) => {
                let secs = self.eval_duration(e)?;
                let span = e.span();
                let pos = format!("{}:{}", span.start, span.end);
                if !secs.is_finite() {
                    return Err(EvalError::engine(format!(
                        "{pos}: duration is NaN or infinite"
                    )));
                }
                if secs <= 0.0 && !allow_negative {
                    return Err(EvalError::engine(format!(
                        "{pos}: duration must be greater than 0"
                    )));
                }
                let limit = 9_223_372_036.854_776_f64;
                if secs > limit || secs < -limit {
                    return Err(EvalError::engine(format!(
                        "{pos}: duration is out of range"
                    )));
                }
                Ok((secs * 1000.0).trunc() as i64)
            }
        }
    }

    fn eval_duration(&self, e: &DurationExpr) -> EvalResult<f64> {
        Ok(match e {
            DurationExpr::Number { seconds, .. } => *seconds,
            DurationExpr::Step(_) => self.step as f64 / 1000.0,
            DurationExpr::Range(_) => (self.end - self.start) as f64 / 1000.0,
            DurationExpr::Paren(inner, _) => self.eval_duration(inner)?,
            DurationExpr::MinOf(a, b, _) => {
                gomath::min(self.eval_duration(a)?, self.eval_duration(b)?)
            }
            DurationExpr::MaxOf(a, b, _) => {
                gomath::max(self.eval_duration(a)?, self.eval_duration(b)?)
            }
            DurationExpr::Unary { op, expr, .. } => {
                let v = self.eval_duration(expr)?;
                if *op == BinaryOp::Sub {
                    -v
                } else {
                    v
                }
            }
            DurationExpr::Binary { op, lhs, rhs, span } => {
                let l = self.eval_duration(lhs)?;
                let r = self.eval_duration(rhs)?;
                let pos = format!("{}:{}", span.start, span.end);
                match op {
                    BinaryOp::Add => l + r,
                    BinaryOp::Sub => l - r,
                    BinaryOp::Mul => l * r,
                    BinaryOp::Div if r == 0.0 => {
                        return Err(EvalError::engine(format!("{pos}: division by zero")))
                    }
                    BinaryOp::Div => l / r,
                    BinaryOp::Mod if r == 0.0 => {
                        return Err(EvalError::engine(format!("{pos}: modulo by zero")))
                    }
                    BinaryOp::Mod => gomath::modulo(l, r),
                    BinaryOp::Pow => gomath::pow(l, r),
                    other => {
                        return Err(EvalError::engine(format!(
                            "unexpected duration expression operator {:?}",
                            other.as_str()
                        )))
                    }
                }
            }
        })
    }

    /// Resolves every duration of the query once, so errors surface before evaluation, and
    /// bounds every time so that evaluation arithmetic cannot overflow.
    fn check_durations(&self, expr: &Expr) -> EvalResult<()> {
        let mut result = in_range(&[self.start, self.end, self.step]);
        expr.walk(&mut |e| {
            if result.is_err() {
                return;
            }
            result = match e {
                Expr::VectorSelector(v) => self
                    .offset(v.offset.as_ref())
                    .and_then(|o| in_range(&[o, self.at(v.at).unwrap_or(0)])),
                Expr::MatrixSelector(m) => {
                    self.duration(&m.range, false).and_then(|r| in_range(&[r]))
                }
                Expr::Subquery(s) => self
                    .offset(s.offset.as_ref())
                    .and_then(|o| in_range(&[o, self.at(s.at).unwrap_or(0)]))
                    .and_then(|_| match &s.step {
                        Some(st) => self.duration(st, false).and_then(|st| {
                            if st <= 0 {
                                Err(EvalError::engine("subquery step must be greater than 0"))
                            } else {
                                in_range(&[st])
                            }
                        }),
                        None => Ok(()),
                    })
                    .and_then(|_| self.duration(&s.range, false).and_then(|r| in_range(&[r]))),
                _ => Ok(()),
            };
        });
        result
    }

    /// Marks step-invariant subtrees; returns (is step-invariant, should be wrapped).
    fn mark(&mut self, expr: &Expr) -> (bool, bool) {
        match expr {
            Expr::VectorSelector(v) => {
                let inv = v.at.is_some();
                (inv, inv)
            }
            Expr::Aggregate(a) => self.mark(a.expr.unparen()),
            Expr::Binary(b) => {
                let (inv_l, wrap_l) = self.mark(&b.lhs);
                let (inv_r, wrap_r) = self.mark(&b.rhs);
                if inv_l && inv_r {
                    return (true, true);
                }
                if wrap_l {
                    self.invariant.insert(addr(&b.lhs));
                }
                if wrap_r {
                    self.invariant.insert(addr(&b.rhs));
                }
                (false, false)
            }
            Expr::Call(c) => {
                let name = c.func.name;
                if QUERY_CONTEXT_FUNCTIONS.contains(&name) {
                    // Folded to a number literal.
                    return (true, false);
                }
                let mut invariant = !is_at_modifier_unsafe(name);
                let mut timestamp_safe = name == "timestamp";
                let mut wraps = Vec::with_capacity(c.args.len());
                for arg in &c.args {
                    let arg = arg.unparen();
                    let (inv, wrap) = self.mark(arg);
                    invariant &= inv;
                    if !inv || !matches!(arg, Expr::VectorSelector(_)) {
                        timestamp_safe = false;
                    }
                    wraps.push((arg, wrap));
                }
                if invariant || timestamp_safe {
                    return (true, true);
                }
                for (arg, wrap) in wraps {
                    if wrap {
                        self.invariant.insert(addr(arg));
                    }
                }
                (false, false)
            }
            Expr::MatrixSelector(m) => {
                let (inv, _) = self.mark(m.selector_expr());
                (inv, false)
            }
            Expr::Subquery(s) => {
                let inner = &*s.expr;
                let (inv, _) = self.mark(inner);
                if inv {
                    self.invariant.insert(addr(inner));
                }
                (s.at.is_some(), false)
            }
            Expr::Paren(p) => self.mark(&p.expr),
            Expr::Unary(u) => self.mark(&u.expr),
            Expr::String(_) | Expr::Number(_) => (true, false),
        }
    }
}

/// Times and durations beyond ±2^52 ms (about 142,000 years) are refused, so that sums of a
/// few of them never overflow.
fn in_range(values: &[i64]) -> EvalResult<()> {
    const LIMIT: i64 = 1 << 52;
    if values.iter().all(|v| v.unsigned_abs() < LIMIT as u64) {
        Ok(())
    } else {
        Err(EvalError::engine(
            "timestamp or duration out of the range promtest evaluates (±2^52 ms)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::parse_expr;

    /// Runs `f` on the parsed query and its context (built in place: the context records
    /// node addresses, so the tree must not move afterwards).
    fn with_ctx(q: &str, f: impl FnOnce(&Expr, &QueryContext)) {
        let e = parse_expr(q).unwrap();
        let c = QueryContext::new(&e, 0, 60_000, 10_000).unwrap();
        f(&e, &c);
    }

    #[test]
    fn at_selector_root_is_invariant() {
        with_ctx("foo @ 10", |e, c| assert!(c.is_step_invariant(e)));
        with_ctx("foo", |e, c| assert!(!c.is_step_invariant(e)));
    }

    #[test]
    fn invariant_side_of_binary_is_marked() {
        with_ctx("foo + bar @ 10", |e, c| {
            let Expr::Binary(b) = e else { panic!() };
            assert!(!c.is_step_invariant(e));
            assert!(c.is_step_invariant(&b.rhs));
            assert!(!c.is_step_invariant(&b.lhs));
        });
    }

    #[test]
    fn unsafe_functions_are_not_invariant() {
        with_ctx("time()", |e, c| assert!(!c.is_step_invariant(e)));
        with_ctx(
            "timestamp(foo @ 10)",
            |e, c| assert!(c.is_step_invariant(e)),
        );
        assert!(is_at_modifier_unsafe("predict_linear"));
        assert!(!is_at_modifier_unsafe("rate"));
    }

    #[test]
    fn duration_expressions_resolve_against_the_query() {
        let e = parse_expr("foo[step() * 2]").unwrap();
        let c = QueryContext::new(&e, 0, 60_000, 10_000).unwrap();
        let Expr::MatrixSelector(m) = &e else {
            panic!()
        };
        assert_eq!(c.duration(&m.range, false).unwrap(), 20_000);
        // For an instant query step() is 0, so the range is invalid.
        let err = QueryContext::new(&e, 0, 0, 0).unwrap_err();
        assert!(
            err.to_string().ends_with("duration must be greater than 0"),
            "{err}"
        );
    }
}
