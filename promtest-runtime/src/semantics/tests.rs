//! One test per switch of [`Semantics`]: what each release does, through the engine.

use super::{PrometheusVersion as V, Semantics};
use crate::model::{Labels, Sample};
use crate::promql::parse_expr;
use crate::promql::value::Value;
use crate::promql::{Engine, EngineOptions};
use crate::store::Store;

fn store(series: &[(&str, &[(i64, f64)])]) -> Store {
    let mut st = Store::new();
    for (name, points) in series {
        let labels = Labels::from_pairs([("__name__", *name)]);
        for &(t, v) in *points {
            st.append(&labels, Sample::float(t, v));
        }
    }
    st
}

fn engine(v: V) -> Engine {
    Engine::new(EngineOptions {
        semantics: Semantics::of(v),
        ..EngineOptions::default()
    })
}

/// The values of an instant query's vector, in output order.
fn values(v: V, st: &Store, q: &str, t: i64) -> Vec<f64> {
    let expr = parse_expr(q).unwrap();
    match engine(v).instant(st, &expr, t).value.unwrap() {
        Value::Vector(vs) => vs.iter().map(|s| s.f).collect(),
        Value::Scalar { v, .. } => vec![v],
        other => panic!("{other:?}"),
    }
}

#[test]
fn left_closed_windows() {
    assert!(Semantics::of(V::V2_42).left_closed_windows);
    assert!(Semantics::of(V::V2_53).left_closed_windows);
    assert!(!Semantics::of(V::V3_5).left_closed_windows);
    let st = store(&[("x", &[(0, 1.0), (60_000, 2.0)])]);
    // Lookback: the sample at 0 is seen at 5m in 2.x, not in 3.x.
    assert_eq!(values(V::V2_42, &st, "x", 360_000), vec![2.0]);
    let st0 = store(&[("x", &[(0, 1.0)])]);
    assert_eq!(values(V::V2_42, &st0, "x", 300_000), vec![1.0]);
    assert!(values(V::Latest, &st0, "x", 300_000).is_empty());
    // Range selectors: [1m] at 1m holds both samples in 2.x, one in 3.x.
    assert_eq!(
        values(V::V2_53, &st, "count_over_time(x[1m])", 60_000),
        vec![2.0]
    );
    assert_eq!(
        values(V::V3_5, &st, "count_over_time(x[1m])", 60_000),
        vec![1.0]
    );
    // Subqueries: [1m:1m] at 1m has the steps 0 and 1m in 2.x.
    assert_eq!(
        values(V::V2_42, &st, "count_over_time(x[1m:1m])", 60_000),
        vec![2.0]
    );
    assert_eq!(
        values(V::Latest, &st, "count_over_time(x[1m:1m])", 60_000),
        vec![1.0]
    );
}
