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

/// The metric names of an instant query's vector.
fn names(v: V, st: &Store, q: &str, t: i64) -> Vec<Option<String>> {
    let expr = parse_expr(q).unwrap();
    match engine(v).instant(st, &expr, t).value.unwrap() {
        Value::Vector(vs) => vs
            .iter()
            .map(|s| s.metric.metric_name().map(str::to_string))
            .collect(),
        other => panic!("{other:?}"),
    }
}

fn error(v: V, st: &Store, q: &str, t: i64) -> Option<String> {
    let expr = super::parse_for(q, &Semantics::of(v)).map_err(|e| e.message);
    match expr {
        Err(e) => Some(e),
        Ok(expr) => engine(v)
            .instant(st, &expr, t)
            .value
            .err()
            .map(|e| e.to_string()),
    }
}

// Expected values below are promtool 2.42's (scripts/oracle, tests/rules_2_42).

#[test]
fn atan2_keeps_name() {
    let st = store(&[("y", &[(0, 1.0)]), ("x", &[(0, 2.0)])]);
    assert_eq!(names(V::V2_42, &st, "y atan2 x", 0), vec![Some("y".into())]);
    assert_eq!(names(V::V2_53, &st, "y atan2 x", 0), vec![None]);
    assert_eq!(names(V::V2_42, &st, "y atan2 2", 0), vec![Some("y".into())]);
}

#[test]
fn comparison_filters_before_match_check() {
    let mut st = Store::new();
    st.append(
        &Labels::from_pairs([("__name__", "b"), ("x", "1")]),
        Sample::float(0, 1.0),
    );
    for (x, v) in [("1", 1.0), ("2", 5.0)] {
        st.append(
            &Labels::from_pairs([("__name__", "a"), ("x", x)]),
            Sample::float(0, v),
        );
    }
    // Two `a` series match one `b`; only one comparison is true (promtool 2.42: `{__name__="a"} 1`).
    let q = "a == ignoring(x) b";
    assert!(error(V::V2_42, &st, q, 0).is_none());
    let e = error(V::Latest, &st, q, 0).unwrap();
    assert!(e.contains("multiple matches for labels"), "{e}");
}

#[test]
fn stddev_nonfinite_first_is_zero() {
    let st = store(&[("s", &[(0, f64::INFINITY)])]);
    assert_eq!(values(V::V2_42, &st, "stddev(s)", 0), vec![0.0]);
    assert_eq!(values(V::V2_53, &st, "stddev(s)", 0), vec![0.0]);
    assert!(values(V::V3_5, &st, "stddev(s)", 0)[0].is_nan());
    assert!(values(V::Latest, &st, "stdvar(s)", 0)[0].is_nan());
}

#[test]
fn kahan_aggregation() {
    let mut st = Store::new();
    for (i, v) in [("1", 0.1), ("2", 0.2), ("3", 0.3)] {
        st.append(
            &Labels::from_pairs([("__name__", "c"), ("i", i)]),
            Sample::float(0, v),
        );
    }
    assert_eq!(values(V::V2_42, &st, "sum(c)", 0), vec![0.6000000000000001]);
    // 2.53 adds plainly too (v2.53.5 engine.go: `group.floatValue += f`); 3.x compensates.
    assert_eq!(values(V::V2_53, &st, "sum(c)", 0), vec![0.6000000000000001]);
    assert_eq!(values(V::V3_5, &st, "sum(c)", 0), vec![0.6]);
    // `sum(-vector(0))`: -0 added plainly stays -0.
    let neg = values(V::V2_42, &st, "sum(-vector(0))", 0)[0];
    assert!(neg == 0.0 && neg.is_sign_negative());
    assert!(values(V::Latest, &st, "sum(-vector(0))", 0)[0].is_sign_positive());
    // `avg` of one -0 is -0 in 2.42 (difftest seed 11000337).
    assert!(values(V::V2_42, &st, "avg(-vector(0))", 0)[0].is_sign_negative());
    assert!(values(V::Latest, &st, "avg(-vector(0))", 0)[0].is_sign_positive());
    let ab = store(&[("a", &[(0, 0.7)]), ("b", &[(0, 3.0)])]);
    let q = "avg({__name__=~\"a|b\"})";
    assert_eq!(values(V::V2_42, &ab, q, 0), vec![1.8499999999999999]);
    assert_eq!(values(V::Latest, &ab, q, 0), vec![1.85]);
}

#[test]
fn avg_over_time_running_mean() {
    let pts: Vec<(i64, f64)> = [0.1, 0.2, 0.3, 0.7, 0.11, 1e-17, 0.13]
        .iter()
        .enumerate()
        .map(|(i, &v)| (i as i64 * 60_000, v))
        .collect();
    let st = store(&[("a", &pts)]);
    let q = "avg_over_time(a[10m])";
    assert_eq!(values(V::V2_42, &st, q, 360_000), vec![0.21999999999999997]);
    assert_eq!(values(V::V2_53, &st, q, 360_000), vec![0.21999999999999997]);
    assert_eq!(values(V::Latest, &st, q, 360_000), vec![0.22]);
    // sum_over_time is compensated in 2.42 too.
    assert_eq!(
        values(V::V2_42, &st, "sum_over_time(a[10m])", 120_000),
        vec![0.6]
    );
}

#[test]
fn rate_zero_clamp_before_threshold() {
    let st = store(&[(
        "c_total",
        &[
            (120_000, 8.0),
            (180_000, 18.0),
            (240_000, 28.0),
            (300_000, 38.0),
        ],
    )]);
    let q = "increase(c_total[5m])";
    assert_eq!(values(V::V2_42, &st, q, 300_000), vec![38.0]);
    assert_eq!(values(V::V2_53, &st, q, 300_000), vec![35.0]);
}

#[test]
fn sort_by_label_ties_by_value() {
    let mut st = Store::new();
    for (g, v) in [("a", 2.0), ("b", 1.0)] {
        st.append(
            &Labels::from_pairs([("__name__", "m"), ("g", g), ("i", "0")]),
            Sample::float(0, v),
        );
    }
    let order = |v| {
        let expr = parse_expr("sort_by_label(m, \"i\")").unwrap();
        match engine(v).instant(&st, &expr, 0).value.unwrap() {
            Value::Vector(vs) => vs.iter().map(|s| s.f).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(order(V::V2_53), vec![1.0, 2.0]);
    assert_eq!(order(V::Latest), vec![2.0, 1.0]);
}

#[test]
fn utf8_names() {
    let st = store(&[("m", &[(0, 1.0)])]);
    let q = "label_replace(m, \"a-b\", \"x\", \"__name__\", \".*\")";
    let e = error(V::V2_42, &st, q, 0).unwrap();
    assert_eq!(e, "invalid destination label name in label_replace(): a-b");
    assert!(error(V::V3_5, &st, q, 0).is_none());
    let e = error(V::V2_53, &st, "{\"my.metric\"}", 0).unwrap();
    assert!(e.contains("unexpected string"), "{e}");
    assert!(error(V::V3_5, &st, "{\"my.metric\"}", 0).is_none());
}

#[test]
fn delayed_name_removal_available() {
    assert!(!Semantics::of(V::V2_53).delayed_name_removal_available);
    assert!(Semantics::of(V::V3_5).delayed_name_removal_available);
    // Without it, names dropped at once collide (promqltest's 2.42 engine).
    let st = store(&[("a", &[(0, 1.0)]), ("b", &[(0, 1.0)])]);
    let e = error(V::V2_42, &st, "-{__name__=~\"a|b\"}", 0).unwrap();
    assert!(e.contains("same labelset"), "{e}");
}

#[test]
fn function_availability() {
    let st = store(&[("m", &[(0, 1.0), (60_000, 2.0)])]);
    let unknown = |v, q| error(v, &st, q, 60_000);
    let hw = "holt_winters(m[5m], 0.5, 0.5)";
    assert!(unknown(V::V2_42, hw).is_none());
    assert_eq!(
        unknown(V::V3_5, hw).unwrap(),
        "unknown function with name \"holt_winters\""
    );
    assert_eq!(
        unknown(V::Latest, hw).unwrap(),
        "unknown function with name \"holt_winters\""
    );
    assert!(unknown(V::V2_42, "sort_by_label(m, \"a\")")
        .unwrap()
        .contains("sort_by_label"));
    assert!(unknown(V::V2_53, "sort_by_label(m, \"a\")").is_none());
    assert!(unknown(V::V2_53, "double_exponential_smoothing(m[5m], 0.5, 0.5)").is_some());
    assert!(unknown(V::V2_53, "limitk(1, m)")
        .unwrap()
        .contains("limitk"));
    assert!(unknown(V::V3_5, "limitk(1, m)").is_none());
    assert!(unknown(V::V3_5, "ts_of_max_over_time(m[5m])").is_none());
    assert!(unknown(V::V3_5, "first_over_time(m[5m])").is_some());
    assert!(unknown(V::Latest, "first_over_time(m[5m])").is_none());
}

#[test]
fn syntax_availability() {
    let st = store(&[("m", &[(0, 1.0)])]);
    // 2.x's lexer and grammar words (promtool 2.42; semantics/lex_2x.rs has the table).
    assert_eq!(
        error(V::V2_53, &st, "m[5m+1m]", 0).unwrap(),
        "unexpected <op:+> in subquery or range, expected \":\" or \"]\""
    );
    assert_eq!(
        error(V::V2_42, &st, "vector(1_000)", 0).unwrap(),
        "bad number or duration syntax: \"1\""
    );
    assert!(error(V::V3_5, &st, "vector(1_000)", 0).is_none());
    // Also where HEAD's parser fails at the same place (promtool 2.42's words).
    assert_eq!(
        error(V::V2_42, &st, "max_over_time(m[1m:-1m])", 0).unwrap(),
        "unexpected <op:-> in subquery selector, expected duration or \"]\""
    );
    assert_eq!(
        error(V::V2_42, &st, "m offset 1_0m", 0).unwrap(),
        "bad number or duration syntax: \"1\""
    );
    assert!(error(V::V3_5, &st, "count_over_time(m[5m+1m])", 0).is_none());
    assert!(error(V::V3_5, &st, "rate(m[5m] anchored)", 0).is_some());
}

#[test]
fn post_2_42_and_v3_and_head_sets_are_nested() {
    for v in V::ALL {
        let s = Semantics::of(v);
        assert!(!s.head_syntax || s.v3_syntax);
        assert!(!s.v3_syntax || s.post_2_42_functions);
        assert_eq!(s.holt_winters, v.is_v2());
        assert_eq!(s.left_closed_windows, v.is_v2());
    }
}

#[test]
fn every_switch_is_listed_once() {
    // Each switch, set alone, makes a `Semantics` differ from the default in one field.
    let names: Vec<&str> = super::SWITCHES.iter().map(|s| s.name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len());
    let fields = format!("{:?}", Semantics::default()).matches(": ").count();
    // All fields but `version` are switches.
    assert_eq!(names.len(), fields - 1);
    for s in super::SWITCHES {
        let mut m = Semantics::default();
        let v = (s.get)(&m);
        (s.set)(&mut m, !v);
        assert_ne!(m, Semantics::default(), "{}", s.name);
        assert!(format!("{m:?}").contains(&format!("{}: {}", s.name, !v)));
    }
}

#[test]
fn native_histogram_linear_interpolation() {
    use crate::promql::functions::histogram_native::histogram_quantile;
    // One exponential bucket (1, 2] (schema 0) holding every observation: 2.x's median is the
    // bucket's middle, 3.x's its geometric middle (v2.53.5 native_histograms.test:50).
    let h = crate::model::FloatHistogram {
        count: 1.0,
        sum: 1.5,
        schema: 0,
        positive_spans: vec![crate::model::Span {
            offset: 1,
            length: 1,
        }],
        positive_buckets: vec![1.0],
        ..Default::default()
    };
    assert!(Semantics::of(V::V2_53).native_histogram_linear_interpolation);
    assert_eq!(histogram_quantile(0.5, &h, true).0, 1.5);
    // Go's exp2(0.5): one ulp below √2.
    assert_eq!(
        histogram_quantile(0.5, &h, false).0,
        std::f64::consts::SQRT_2.next_down()
    );
}

#[test]
fn annotation_msg_without_position() {
    use crate::harness::plan_script;
    assert!(Semantics::of(V::V3_5).annotation_msg_without_position);
    assert!(Semantics::of(V::V2_53).annotation_msg_without_position);
    assert!(!Semantics::of(V::Latest).annotation_msg_without_position);
    // v3.5.0 limit.test:115 expects the bare message; HEAD's ends in ` (1:19)`.
    let text = "PromQL warning: ratio value should be between -1 and 1, got 1.1, capping to 1";
    let script = |msg: &str| {
        format!(
            "load 1m\n\thttp_requests 1\n\n\
             eval instant at 0 count(limit_ratio(1.1, http_requests) and http_requests)\n\
             \texpect warn msg: {msg}\n\t{{}} 1\n"
        )
    };
    let passes = |v: V, msg: &str| {
        plan_script("t.test", &script(msg), Semantics::of(v))
            .iter()
            .all(|c| c.run().is_ok())
    };
    assert!(passes(V::V3_5, text));
    assert!(!passes(V::V3_5, &format!("{text} (1:19)")));
    assert!(passes(V::Latest, &format!("{text} (1:19)")));
    assert!(!passes(V::Latest, text));
}

#[test]
fn nhcb_mismatch_incompatible() {
    use crate::harness::plan_script;
    assert!(Semantics::of(V::V3_5).nhcb_mismatch_incompatible);
    assert!(!Semantics::of(V::Latest).nhcb_mismatch_incompatible);
    // v3.5.0 native_histograms.test:1127: bounds [2] and [5 10] cannot be summed in 3.5 (no
    // result, a warning); HEAD reconciles them to the common bounds (only +Inf) with an info.
    let load = "load 1m\n\
        \tm{s=\"1\"} {{schema:-53 sum:1 count:1 custom_values:[2] buckets:[1]}}\n\
        \tm{s=\"2\"} {{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}}\n\n";
    let v35 = format!(
        "{load}eval instant at 0 sum(m)\n\texpect warn msg: PromQL warning: vector contains \
         histograms with incompatible custom buckets for metric name \"m\"\n"
    );
    let head = format!(
        "{load}eval instant at 0 sum(m)\n\texpect no_warn\n\
         \t{{}} {{{{schema:-53 sum:2 count:2 buckets:[2]}}}}\n"
    );
    let passes = |v: V, src: &str| {
        plan_script("t.test", src, Semantics::of(v))
            .iter()
            .all(|c| c.run().is_ok())
    };
    assert!(passes(V::V3_5, &v35));
    assert!(!passes(V::Latest, &v35));
    assert!(passes(V::Latest, &head));
    // Binary `+` (v3.5.0 native_histograms.test:1162): a warning and no result in 3.5.
    let add = format!(
        "{load}eval instant at 0 m{{s=\"1\"}} + ignoring(s) m{{s=\"2\"}}\n\texpect warn msg: \
         PromQL warning: incompatible bucket layout encountered for binary operator +\n"
    );
    assert!(passes(V::V3_5, &add));
    assert!(!passes(V::Latest, &add));
    // `sum_over_time` (v3.5.0 native_histograms.test:1189): the same within one series.
    let over_time = "load 1m\n\tn {{schema:-53 sum:1 count:1 custom_values:[2] buckets:[1]}} \
        {{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}}\n\n\
        eval instant at 1m sum_over_time(n[2m])\n\texpect warn msg: PromQL warning: vector \
        contains histograms with incompatible custom buckets for metric name \"n\"\n";
    assert!(passes(V::V3_5, over_time));
    assert!(!passes(V::Latest, over_time));
}

/// Whether every case of the promqltest script `src` passes in release `v`'s mode.
fn script_passes(v: V, src: &str) -> bool {
    crate::harness::plan_script("t.test", src, Semantics::of(v))
        .iter()
        .all(|c| c.run().is_ok())
}

#[test]
fn nhcb_mismatch_incompatible_in_rates() {
    // v3.5.0 native_histograms.test:1205-1209 and functions.test:329: `delta`, `increase`,
    // `rate` and `idelta` across a change of custom bounds: a warning and no result in 3.5,
    // reconciled at HEAD.
    let load = "load 6m\n\tm {{schema:-53 sum:1 count:1 custom_values:[2] buckets:[1]}} \
        {{schema:-53 sum:1 count:1 custom_values:[2] buckets:[1]}} \
        {{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}}\n\n";
    let warn = "\texpect warn msg: PromQL warning: vector contains histograms with \
        incompatible custom buckets for metric name \"m\"\n";
    for f in ["delta", "increase", "rate"] {
        let src = format!("{load}eval instant at 12m {f}(m[13m])\n{warn}");
        assert!(script_passes(V::V3_5, &src), "{f}");
        assert!(!script_passes(V::Latest, &src), "{f}");
    }
    // `idelta` of gauge histograms (else it also warns that they are no gauges).
    let gauge = load.replace("buckets:[1]}}", "buckets:[1] counter_reset_hint:gauge}}");
    let src = format!("{gauge}eval instant at 12m idelta(m[13m])\n{warn}");
    assert!(script_passes(V::V3_5, &src));
    assert!(!script_passes(V::Latest, &src));
    // `rate` keeps only the incompatibility warning (Go starts a fresh annotation set), not
    // the one about gauge histograms it gathered before.
    let src = format!("{gauge}eval instant at 12m rate(m[13m])\n{warn}");
    assert!(script_passes(V::V3_5, &src));
}

#[test]
fn nhcb_bounds_change_is_reset() {
    assert!(Semantics::of(V::V3_5).nhcb_bounds_change_is_reset);
    assert!(!Semantics::of(V::Latest).nhcb_bounds_change_is_reset);
    // v3.5.0 native_histograms.test:1211: bounds [2] then [5 10] with the same count: a reset
    // in 3.5; HEAD finds no count that went down at the shared bound (+Inf).
    let src = "load 6m\n\tm {{schema:-53 sum:1 count:1 custom_values:[2] buckets:[1]}} \
        {{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}}\n\n\
        eval instant at 6m resets(m[7m])\n\t{} 1\n";
    assert!(script_passes(V::V3_5, src));
    assert!(!script_passes(V::Latest, src));
    // functions.test:261 (v3.5.0): `irate` over a reset is the newer histogram per second.
    let irate = "load 5m\n\tm {{schema:-53 sum:3 count:3 custom_values:[1] buckets:[3]}} \
        {{schema:-53 sum:3 count:3 custom_values:[5 10] buckets:[3]}}\n\n\
        eval instant at 5m irate(m[10m])\n\
        \t{} {{schema:-53 sum:0.01 count:0.01 custom_values:[5 10] buckets:[0.01] counter_reset_hint:gauge}}\n";
    assert!(script_passes(V::V3_5, irate));
    assert!(!script_passes(V::Latest, irate));
}

#[test]
fn histogram_rate_zero_clamp() {
    assert!(Semantics::of(V::Latest).histogram_rate_zero_clamp);
    assert!(!Semantics::of(V::V3_5).histogram_rate_zero_clamp);
    // native_histograms.test:1045 (v3.5.0) / :1131 (HEAD): a reset (custom to exponential
    // buckets) after the first sample. 3.5 extrapolates the exponential histogram over the
    // whole minute (divided by 30); HEAD stops at the zero point the first count gives
    // (divided by 48).
    let load = "load 30s\n\tm {{schema:0 sum:1 count:1 buckets:[1]}} \
        {{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}} \
        {{schema:0 sum:5 count:4 buckets:[1 2 1]}}\n\n";
    let v35 = format!(
        "{load}eval instant at 1m rate(m[1m])\n\t{{}} {{{{schema:0 sum:0.16666666666666666 \
         count:0.13333333333333333 buckets:[0.03333333333333333 0.06666666666666667 \
         0.03333333333333333]}}}}\n"
    );
    let head = format!(
        "{load}eval instant at 1m rate(m[1m])\n\t{{}} {{{{count:0.08333333333333333 \
         sum:0.10416666666666666 counter_reset_hint:gauge buckets:[0.020833333333333332 \
         0.041666666666666664 0.020833333333333332]}}}}\n"
    );
    assert!(script_passes(V::V3_5, &v35));
    assert!(!script_passes(V::Latest, &v35));
    assert!(script_passes(V::Latest, &head));
}

#[test]
fn kahan_nan_compensation_at_inf() {
    assert!(Semantics::of(V::V2_53).kahan_nan_compensation_at_inf);
    assert!(!Semantics::of(V::V3_5).kahan_nan_compensation_at_inf);
    // v2.53.5 native_histograms.test:357/360: a histogram with an infinite sum; its variance
    // sums infinite terms, NaN in 2.53, +Inf from 2.54 on.
    let load = "load 10m\n\th {{schema:3 count:7 sum:Inf z_bucket:1 buckets:[0 0 0 0 0 0 0 0 \
        0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 \
        0 1 ] n_buckets:[0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 \
        0 0 0 0 0 0 0 0 0 1 ]}}x1\n\n";
    for f in ["histogram_stddev", "histogram_stdvar"] {
        let nan = format!("{load}eval instant at 10m {f}(h)\n\t{{}} NaN\n");
        let inf = format!("{load}eval instant at 10m {f}(h)\n\t{{}} +Inf\n");
        assert!(script_passes(V::V2_53, &nan), "{f}");
        assert!(script_passes(V::V3_5, &inf), "{f}");
        assert!(!script_passes(V::V3_5, &nan), "{f}");
    }
}

#[test]
fn regex_dot_matches_newline() {
    assert!(!Semantics::of(V::V2_53).regex_dot_matches_newline);
    assert!(Semantics::of(V::V3_5).regex_dot_matches_newline);
    // Checked against promtool 2.42 (tests/rules_2_42/regex_newline_test.yml).
    let load = "load 1m\n\tm{a=\"x\\ny\"} 1\n\n";
    let matcher_2x = format!("{load}eval instant at 0 count(m{{a=~\"x.y\"}})\n");
    let matcher_3x = format!("{load}eval instant at 0 count(m{{a=~\"x.y\"}})\n\t{{}} 1\n");
    let replace_2x = format!(
        "{load}eval instant at 0 label_replace(m, \"b\", \"$1\", \"a\", \"(.*)\")\n\
         \tm{{a=\"x\\ny\"}} 1\n"
    );
    let replace_3x = format!(
        "{load}eval instant at 0 label_replace(m, \"b\", \"$1\", \"a\", \"(.*)\")\n\
         \tm{{a=\"x\\ny\", b=\"x\\ny\"}} 1\n"
    );
    for v in [V::V2_42, V::V2_53] {
        assert!(script_passes(v, &matcher_2x), "{v:?}");
        assert!(script_passes(v, &replace_2x), "{v:?}");
        assert!(!script_passes(v, &matcher_3x), "{v:?}");
    }
    for v in [V::V3_5, V::Latest] {
        assert!(script_passes(v, &matcher_3x), "{v:?}");
        assert!(script_passes(v, &replace_3x), "{v:?}");
        assert!(!script_passes(v, &replace_2x), "{v:?}");
    }
}
