//! The automatic `@` check of every instant eval (upstream's `atModifierTestCases`): pin every
//! selector and subquery to the eval time and run the pinned query at other times.

use crate::model::Timestamp;
use crate::promql::ast::{AtModifier, Expr};

fn pin_at(at: &mut Option<AtModifier>, ts: Timestamp) {
    if !matches!(at, Some(AtModifier::Timestamp(_))) {
        *at = Some(AtModifier::Timestamp(ts));
    }
}

/// Sets `@ ts` on every selector and subquery that has no `@ <timestamp>` yet, without entering
/// subqueries (they are pinned as a whole). Returns whether an `@`-unsafe function was seen
/// outside subqueries.
fn pin(expr: &mut Expr, ts: Timestamp) -> bool {
    match expr {
        Expr::Number(_) | Expr::String(_) => false,
        Expr::VectorSelector(v) => {
            pin_at(&mut v.at, ts);
            false
        }
        Expr::MatrixSelector(m) => {
            if let Expr::VectorSelector(v) = &mut *m.selector {
                pin_at(&mut v.at, ts);
            }
            false
        }
        Expr::Subquery(s) => {
            pin_at(&mut s.at, ts);
            false
        }
        Expr::Paren(p) => pin(&mut p.expr, ts),
        Expr::Unary(u) => pin(&mut u.expr, ts),
        Expr::Binary(b) => {
            let l = pin(&mut b.lhs, ts);
            pin(&mut b.rhs, ts) || l
        }
        Expr::Aggregate(a) => {
            let p = a.param.as_mut().is_some_and(|p| pin(p, ts));
            pin(&mut a.expr, ts) || p
        }
        Expr::Call(c) => {
            let mut unsafe_fn = c.func.flags.at_modifier_unsafe;
            for arg in &mut c.args {
                unsafe_fn |= pin(arg, ts);
            }
            unsafe_fn
        }
    }
}

/// The expression with every selector pinned to `ts`, or `None` when an `@`-unsafe function
/// makes the check meaningless.
pub fn pinned(expr: &Expr, ts: Timestamp) -> Option<Expr> {
    let mut e = expr.clone();
    if pin(&mut e, ts) {
        None
    } else {
        Some(e)
    }
}

/// The other times the pinned query runs at, exactly as upstream lists them.
pub fn additional_eval_times(ts: Timestamp) -> Vec<Timestamp> {
    if ts == 0 {
        vec![-1000, 0, 1000]
    } else {
        vec![-10 * ts, 0, ts / 5, ts, 10 * ts]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Matcher;
    use crate::promql::ast::{Call, Duration, MatrixSelector, Span, SubqueryExpr, VectorSelector};
    use crate::promql::functions::table::lookup;

    fn sel(name: &str) -> Expr {
        Expr::VectorSelector(VectorSelector {
            name: Some(name.into()),
            matchers: vec![Matcher::equal("__name__", name)],
            offset: None,
            at: None,
            anchored: false,
            smoothed: false,
            span: Span::default(),
        })
    }

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call(Call {
            func: lookup(name).unwrap(),
            args,
            span: Span::default(),
        })
    }

    fn ats(e: &Expr) -> Vec<Option<AtModifier>> {
        let mut out = Vec::new();
        e.walk(&mut |n| match n {
            Expr::VectorSelector(v) => out.push(v.at),
            Expr::Subquery(s) => out.push(s.at),
            _ => {}
        });
        out
    }

    #[test]
    fn pins_selectors_but_not_inside_subqueries() {
        let inner = Expr::Subquery(SubqueryExpr {
            expr: Box::new(sel("b")),
            range: Duration::Fixed(300_000),
            step: None,
            offset: None,
            at: None,
            span: Span::default(),
        });
        let rate = call(
            "rate",
            vec![Expr::MatrixSelector(MatrixSelector {
                selector: Box::new(sel("a")),
                range: Duration::Fixed(60_000),
                span: Span::default(),
            })],
        );
        let e = call("clamp_min", vec![call("max_over_time", vec![inner]), rate]);
        let got = pinned(&e, 5000).unwrap();
        assert_eq!(
            ats(&got),
            vec![
                Some(AtModifier::Timestamp(5000)),
                None,
                Some(AtModifier::Timestamp(5000))
            ]
        );
    }

    #[test]
    fn keeps_explicit_timestamps_and_replaces_start_end() {
        let mut a = sel("a");
        if let Expr::VectorSelector(v) = &mut a {
            v.at = Some(AtModifier::Timestamp(7));
        }
        let mut b = sel("b");
        if let Expr::VectorSelector(v) = &mut b {
            v.at = Some(AtModifier::Start);
        }
        let e = call("absent", vec![a]);
        assert_eq!(
            ats(&pinned(&e, 9).unwrap()),
            vec![Some(AtModifier::Timestamp(7))]
        );
        assert_eq!(
            ats(&pinned(&b, 9).unwrap()),
            vec![Some(AtModifier::Timestamp(9))]
        );
    }

    #[test]
    fn unsafe_functions_skip_the_check() {
        assert!(pinned(&call("timestamp", vec![sel("a")]), 10).is_none());
        assert!(pinned(&call("abs", vec![call("time", vec![])]), 10).is_none());
        assert!(pinned(&call("abs", vec![sel("a")]), 10).is_some());
    }

    #[test]
    fn pinned_query_prints_and_reparses() {
        let e =
            crate::promql::parse_expr("rate(m[5m]) + sum(m) + max_over_time(m[10m:1m])").unwrap();
        let text = pinned(&e, 120_000).unwrap().to_string();
        assert_eq!(
            text,
            "rate(m[5m] @ 120.000) + sum(m @ 120.000) + max_over_time(m[10m:1m] @ 120.000)"
        );
        assert!(crate::promql::parse_expr(&text).is_ok());
    }

    #[test]
    fn eval_times_as_upstream() {
        assert_eq!(additional_eval_times(0), vec![-1000, 0, 1000]);
        assert_eq!(
            additional_eval_times(5000),
            vec![-50_000, 0, 1000, 5000, 50_000]
        );
    }
}
