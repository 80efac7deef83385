//! End-to-end checks of the evaluator on hand-built syntax trees.

use crate::model::{Labels, Matcher};
use crate::promql::ast::*;
use crate::promql::engine::Engine;
use crate::promql::functions::lookup;
use crate::promql::value::Value;
use crate::store::Store;

pub(crate) fn sel(name: &str) -> Expr {
    Expr::VectorSelector(VectorSelector {
        name: Some(name.into()),
        matchers: vec![Matcher::equal("__name__", name)],
        offset: None,
        at: None,
        anchored: false,
        smoothed: false,
        span: Span::new(0, name.len()),
    })
}

pub(crate) fn num(v: f64) -> Expr {
    Expr::Number(NumberLiteral {
        val: v,
        duration: false,
        span: Span::default(),
    })
}

pub(crate) fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Call(Call {
        func: lookup(name).expect("known function"),
        args,
        span: Span::default(),
    })
}

pub(crate) fn range(e: Expr, ms: i64) -> Expr {
    Expr::MatrixSelector(MatrixSelector {
        selector: Box::new(e),
        range: Duration::Fixed(ms),
        span: Span::default(),
    })
}

pub(crate) fn bin(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    let both_vec = lhs.value_type() == ValueType::Vector && rhs.value_type() == ValueType::Vector;
    Expr::Binary(BinaryExpr {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
        matching: both_vec.then(|| VectorMatching {
            card: if op.is_set() {
                Cardinality::ManyToMany
            } else {
                Cardinality::OneToOne
            },
            ..Default::default()
        }),
        return_bool: false,
        span: Span::default(),
    })
}

/// `name{job="a"|"b"}` with value `i * factor` every minute for 10 minutes.
pub(crate) fn store() -> Store {
    let mut s = Store::new();
    for (job, factor) in [("a", 1.0), ("b", 10.0)] {
        let l = Labels::from_pairs([("__name__", "x_total"), ("job", job)]);
        for i in 0..=10 {
            s.append_float(&l, i * 60_000, i as f64 * factor);
        }
    }
    s
}

fn floats(v: &Value) -> Vec<(String, f64)> {
    match v {
        Value::Vector(v) => v.iter().map(|s| (s.metric.to_string(), s.f)).collect(),
        Value::Scalar { v, .. } => vec![(String::new(), *v)],
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn selector_and_arithmetic() {
    let e = Engine::default();
    let st = store();
    let r = e.instant(&st, &bin(BinaryOp::Mul, sel("x_total"), num(2.0)), 300_000);
    let mut got = floats(&r.value.unwrap());
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            (r#"{job="a"}"#.into(), 10.0),
            (r#"{job="b"}"#.into(), 100.0)
        ]
    );
}

#[test]
fn scalar_arithmetic() {
    let e = Engine::default();
    let r = e.instant(&Store::new(), &bin(BinaryOp::Pow, num(2.0), num(3.0)), 0);
    assert_eq!(r.value.unwrap(), Value::Scalar { t: 0, v: 8.0 });
}

#[test]
fn rate_over_range() {
    let e = Engine::default();
    let st = store();
    let r = e.instant(
        &st,
        &call("rate", vec![range(sel("x_total"), 300_000)]),
        600_000,
    );
    let got = floats(&r.value.unwrap());
    assert_eq!(got.len(), 2);
    let a = got.iter().find(|(l, _)| l == r#"{job="a"}"#).unwrap().1;
    assert!((a - 1.0 / 60.0).abs() < 1e-12, "{a}");
}

#[test]
fn abs_drops_name() {
    let e = Engine::default();
    let st = store();
    let neg = Expr::Unary(UnaryExpr {
        op: UnaryOp::Neg,
        expr: Box::new(sel("x_total")),
        span: Span::default(),
    });
    let r = e.instant(&st, &call("abs", vec![neg]), 120_000);
    let mut got = floats(&r.value.unwrap());
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![(r#"{job="a"}"#.into(), 2.0), (r#"{job="b"}"#.into(), 20.0)]
    );
}

#[test]
fn range_query_collects_steps() {
    let e = Engine::default();
    let st = store();
    let r = e.range(&st, &sel("x_total"), 0, 120_000, 60_000);
    let Value::Matrix(m) = r.value.unwrap() else {
        panic!("matrix expected")
    };
    assert_eq!(m.len(), 2);
    assert_eq!(
        m[1].floats.iter().map(|p| p.f).collect::<Vec<_>>(),
        vec![0.0, 10.0, 20.0]
    );
}

#[test]
fn lookback_ends_series() {
    let e = Engine::default();
    let st = store();
    // The last sample is at 10m; 5m later it is out of the lookback window.
    let r = e.instant(&st, &sel("x_total"), 900_000);
    assert_eq!(floats(&r.value.unwrap()).len(), 0);
    let r = e.instant(&st, &sel("x_total"), 899_999);
    assert_eq!(floats(&r.value.unwrap()).len(), 2);
}
