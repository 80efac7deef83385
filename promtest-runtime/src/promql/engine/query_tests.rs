//! End-to-end checks of the evaluator on parsed queries: matching, aggregations, subqueries,
//! step invariance, name dropping, limits and errors.

use crate::model::Labels;
use crate::promql::engine::{Engine, EngineOptions, EvalError};
use crate::promql::parse_expr;
use crate::promql::value::Value;
use crate::store::Store;

/// `m{job, inst}` series: `a`:{1,2} with values `i*k` every minute for 10 minutes.
fn store() -> Store {
    let mut s = Store::new();
    type Def<'a> = (&'a str, &'a [(&'a str, &'a str)], f64);
    let series: &[Def<'_>] = &[
        ("m", &[("job", "a"), ("inst", "1")], 1.0),
        ("m", &[("job", "a"), ("inst", "2")], 2.0),
        ("m", &[("job", "b"), ("inst", "1")], 3.0),
        ("n", &[("job", "a")], 10.0),
        ("n", &[("job", "b")], 20.0),
        ("o", &[("job", "a")], 5.0),
    ];
    for (name, labels, k) in series {
        let mut pairs: Vec<(&str, &str)> = labels.to_vec();
        pairs.push(("__name__", name));
        let l = Labels::from_pairs(pairs);
        for i in 0..=10 {
            s.append_float(&l, i * 60_000, i as f64 * k);
        }
    }
    s
}

fn instant(q: &str, t: i64) -> Result<Vec<(String, f64)>, EvalError> {
    let e = parse_expr(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    let r = Engine::default().instant(&store(), &e, t);
    Ok(match r.value? {
        Value::Vector(v) => {
            let mut out: Vec<(String, f64)> =
                v.iter().map(|s| (s.metric.to_string(), s.f)).collect();
            out.sort_by(|a, b| a.0.cmp(&b.0));
            out
        }
        Value::Scalar { v, .. } => vec![(String::new(), v)],
        other => panic!("unexpected {other:?}"),
    })
}

fn one(q: &str, t: i64) -> Vec<(String, f64)> {
    instant(q, t).unwrap_or_else(|e| panic!("{q}: {e}"))
}

fn pairs(v: &[(&str, f64)]) -> Vec<(String, f64)> {
    v.iter().map(|(l, f)| (l.to_string(), *f)).collect()
}

#[test]
fn group_left_copies_labels_from_the_one_side() {
    let got = one("m * on(job) group_left n", 60_000);
    assert_eq!(
        got,
        pairs(&[
            (r#"{inst="1", job="a"}"#, 10.0),
            (r#"{inst="1", job="b"}"#, 60.0),
            (r#"{inst="2", job="a"}"#, 20.0),
        ])
    );
}

#[test]
fn one_to_one_needs_unique_matches() {
    let err = instant("n + on() m", 60_000).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("found duplicate series for the match group {} on the right hand-side"),
        "{err}"
    );
    let err = instant("m + on(job) n", 60_000).unwrap_err();
    assert_eq!(
        err.to_string(),
        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
    );
}

#[test]
fn fill_supplies_missing_sides() {
    let got = one("n{job=\"a\"} + fill(100) n{job=\"b\"}", 60_000);
    assert_eq!(
        got,
        pairs(&[(r#"{job="a"}"#, 110.0), (r#"{job="b"}"#, 120.0)])
    );
}

#[test]
fn set_operators() {
    assert_eq!(one("m and on(job) n{job=\"b\"}", 60_000).len(), 1);
    assert_eq!(one("m unless on(job) n{job=\"b\"}", 60_000).len(), 2);
    assert_eq!(one("n or m", 60_000).len(), 5);
}

#[test]
fn comparison_filters_or_returns_bool() {
    assert_eq!(one("m > 2", 60_000).len(), 1);
    let got = one("m > bool 2", 60_000);
    assert_eq!(got.iter().map(|p| p.1).sum::<f64>(), 1.0);
    assert!(got.iter().all(|(l, _)| !l.contains("__name__")));
}

#[test]
fn aggregations() {
    assert_eq!(one("sum(m)", 60_000), pairs(&[("{}", 6.0)]));
    assert_eq!(
        one("avg by (job) (m)", 60_000),
        pairs(&[(r#"{job="a"}"#, 1.5), (r#"{job="b"}"#, 3.0)])
    );
    assert_eq!(one("count without (inst) (m)", 60_000).len(), 2);
    assert_eq!(one("quantile(0.5, m)", 60_000), pairs(&[("{}", 2.0)]));
    assert_eq!(one("stddev(n)", 60_000), pairs(&[("{}", 5.0)]));
    let top = one("topk(1, m)", 60_000);
    assert_eq!(top, pairs(&[(r#"{__name__="m", inst="1", job="b"}"#, 3.0)]));
    let cv = one("count_values(\"v\", n)", 60_000);
    assert_eq!(cv, pairs(&[(r#"{v="10"}"#, 1.0), (r#"{v="20"}"#, 1.0)]));
}

#[test]
fn topk_keeps_descending_order() {
    let e = parse_expr("topk(3, m)").unwrap();
    let Value::Vector(v) = Engine::default()
        .instant(&store(), &e, 60_000)
        .value
        .unwrap()
    else {
        panic!("vector expected")
    };
    let values: Vec<f64> = v.iter().map(|s| s.f).collect();
    assert_eq!(values, vec![3.0, 2.0, 1.0]);
}

#[test]
fn subquery_steps_are_aligned() {
    let e = parse_expr("n{job=\"a\"}[3m:1m]").unwrap();
    let Value::Matrix(m) = Engine::default()
        .instant(&store(), &e, 310_000)
        .value
        .unwrap()
    else {
        panic!("matrix expected")
    };
    let ts: Vec<i64> = m[0].floats.iter().map(|p| p.t).collect();
    assert_eq!(ts, vec![180_000, 240_000, 300_000]);
}

#[test]
fn at_modifier_is_step_invariant() {
    let e = parse_expr("n{job=\"a\"} @ 120").unwrap();
    let Value::Matrix(m) = Engine::default()
        .range(&store(), &e, 0, 300_000, 60_000)
        .value
        .unwrap()
    else {
        panic!("matrix expected")
    };
    assert_eq!(m[0].floats.len(), 6);
    assert!(m[0].floats.iter().all(|p| p.f == 20.0));
}

#[test]
fn offset_moves_the_lookup_time() {
    assert_eq!(
        one("n{job=\"a\"} offset 2m", 300_000),
        pairs(&[(r#"{__name__="n", job="a"}"#, 30.0)])
    );
}

#[test]
fn delayed_name_removal_detects_collisions() {
    // `n{job="a"}` and `o{job="a"}` differ only by name.
    let err = instant("-{job=\"a\", inst=\"\"}", 60_000).unwrap_err();
    assert_eq!(err, EvalError::duplicate_labelset());
    // Without the name dropped, they do not collide.
    assert_eq!(one("{job=\"a\", inst=\"\"}", 60_000).len(), 2);
}

#[test]
fn names_dropped_at_the_end() {
    let got = one("-n", 60_000);
    assert_eq!(
        got,
        pairs(&[(r#"{job="a"}"#, -10.0), (r#"{job="b"}"#, -20.0)])
    );
}

#[test]
fn max_samples_is_enforced() {
    let e = parse_expr("m[10m]").unwrap();
    let engine = Engine::new(EngineOptions {
        max_samples: 5,
        ..Default::default()
    });
    let r = engine.instant(&store(), &e, 600_000);
    assert_eq!(r.value.unwrap_err(), EvalError::too_many_samples());
}

#[test]
fn range_query_of_a_range_vector_is_refused() {
    let e = parse_expr("m[1m]").unwrap();
    let r = Engine::default().range(&store(), &e, 0, 60_000, 30_000);
    assert!(r.value.unwrap_err().to_string().contains("range vector"));
}

#[test]
fn limit_ratio_picks_by_label_hash() {
    let all = one("limit_ratio(1, m)", 60_000).len();
    let half = one("limit_ratio(0.5, m)", 60_000).len();
    let other = one("limit_ratio(-0.5, m)", 60_000).len();
    assert_eq!(all, 3);
    assert_eq!(half + other, 3, "r and -(1-r) split the series");
}

#[test]
fn a_subquery_with_billions_of_steps_stops_at_the_sample_limit_without_allocating_them() {
    // 1000d at 1ms is 8.64e10 steps: counting must stop the query long before any step list
    // or point list of that length could be made.
    for q in [
        "max_over_time(m[1000d:1ms])",
        "max_over_time(vector(1)[1000d:1ms])",
        "max_over_time(sum(m)[1000d:1ms])",
    ] {
        let e = parse_expr(q).unwrap();
        let r = Engine::default().instant(&store(), &e, 86_400_000_000);
        assert_eq!(
            r.value.unwrap_err().to_string(),
            "query processing would load too many samples into memory in query execution",
            "{q}"
        );
    }
}

#[test]
fn steps_no_sample_falls_on_cost_no_memory() {
    // 8.64e6 steps of which 899 see a sample (1s..899s, within the 5m lookback of 0..10m).
    let e = parse_expr(r#"count_over_time(m{inst="2"}[100d:1s])"#).unwrap();
    let r = Engine::default().instant(&store(), &e, 8_640_000_000);
    let Value::Vector(v) = r.value.unwrap() else {
        panic!("not a vector")
    };
    assert_eq!(v[0].f, 899.0);
}

#[test]
fn a_query_past_its_deadline_fails_with_prometheus_timeout_error() {
    let e = parse_expr("sum(m)").unwrap();
    let engine = Engine::new(EngineOptions {
        timeout: Some(std::time::Duration::ZERO),
        ..Default::default()
    });
    let r = engine.instant(&store(), &e, 600_000);
    assert_eq!(
        r.value.unwrap_err().to_string(),
        "query timed out in expression evaluation"
    );
    assert_eq!(
        EngineOptions::default().timeout,
        Some(std::time::Duration::from_secs(100)),
        "promqltest's and promtool's engine timeout"
    );
}
