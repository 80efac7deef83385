//! Evaluation of a rule group at one tick, as Prometheus's `Group.Eval`: rules in order, each
//! seeing what earlier rules wrote; results and stale markers appended to the store.

use rustc_hash::FxHashSet as HashSet;
use std::sync::Arc;

use crate::model::{stale_nan, Labels, Sample, SampleValue, Timestamp};
use crate::promql::annotations::Annotations;
use crate::promql::ast::{AtModifier, Duration as AstDuration, Expr};
use crate::promql::engine::Engine;
use crate::promql::value::{Value, VectorSample};
use crate::store::Store;
use crate::template::QuerySample;

use super::alerting::{AlertContext, AlertingState};
use super::file::{RuleDef, RuleGroup, RuleKind};

/// A rule group with its evaluation state.
#[derive(Debug, Clone)]
pub struct GroupState {
    /// The group as loaded.
    pub group: RuleGroup,
    /// Template context for alerts.
    pub ctx: AlertContext,
    /// Per rule: alerting state (unused for recording rules).
    pub alerting: Vec<AlertingState>,
    /// Per rule: the error of the last evaluation.
    pub last_error: Vec<Option<String>>,
    /// Per rule: the annotations its queries raised (messages, each once).
    pub annotations: Vec<Vec<String>>,
    previous: Vec<HashSet<Labels>>,
}

/// The label sets of the series a rule returned at its latest tick (those that get a stale
/// marker when the next tick no longer returns them).
pub type Returned = HashSet<Labels>;

/// Runs an instant query the way rules do (`EngineQueryFunc`): a scalar becomes a one-sample
/// vector with no labels; other types are errors.
pub fn query_vector(
    engine: &Engine,
    store: &Store,
    expr: &Expr,
    t: Timestamp,
) -> Result<Vec<VectorSample>, String> {
    query_vector_noted(engine, store, expr, t, &mut |_| {})
}

/// [`query_vector`], giving the query's annotations (which Prometheus's rules drop) to `note`.
pub fn query_vector_noted(
    engine: &Engine,
    store: &Store,
    expr: &Expr,
    t: Timestamp,
    note: &mut dyn FnMut(&Annotations),
) -> Result<Vec<VectorSample>, String> {
    validate_opts(engine, expr)?;
    let res = engine.instant(store, expr, t);
    note(&res.annotations);
    match res.value {
        Ok(Value::Vector(v)) => Ok(v),
        Ok(Value::Scalar { t, v }) => Ok(vec![VectorSample {
            metric: Labels::empty(),
            t,
            f: v,
            h: None,
            drop_name: false,
        }]),
        Ok(_) => Err("rule result is not a vector or scalar".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// The engine's `validateOpts`: `@` and negative offsets rejected when disabled.
pub fn validate_opts(engine: &Engine, expr: &Expr) -> Result<(), String> {
    let (mut at, mut neg) = (false, false);
    let mut check = |a: &Option<AtModifier>, o: &Option<AstDuration>| {
        at |= a.is_some();
        neg |= o
            .as_ref()
            .and_then(AstDuration::fixed)
            .is_some_and(|d| d < 0);
    };
    expr.walk_time_modifiers(&mut check);
    if at && !engine.options.enable_at_modifier {
        return Err("@ modifier is disabled".into());
    }
    if neg && !engine.options.enable_negative_offset {
        return Err("negative offset is disabled".into());
    }
    Ok(())
}

impl GroupState {
    /// A fresh state for `group`.
    pub fn new(group: RuleGroup, ctx: AlertContext) -> Self {
        let n = group.rules.len();
        GroupState {
            group,
            ctx,
            alerting: vec![AlertingState::default(); n],
            last_error: vec![None; n],
            annotations: vec![Vec::new(); n],
            previous: vec![HashSet::default(); n],
        }
    }

    /// Evaluates every rule at `ts`, appending results to `store`.
    pub fn eval(&mut self, engine: &Engine, store: &mut Store, ts: Timestamp) {
        let qt = self.query_time(ts);
        for i in 0..self.group.rules.len() {
            let mut notes = Annotations::default();
            let res = query_vector_noted(engine, store, &self.group.rules[i].expr, qt, &mut |a| {
                notes = a.clone()
            });
            self.note(i, &notes);
            self.apply(i, engine, store, ts, res);
        }
    }

    /// Keeps the annotations rule `i`'s query raised.
    pub fn note(&mut self, i: usize, annotations: &Annotations) {
        for a in annotations.iter() {
            if !self.annotations[i].contains(&a.message) {
                self.annotations[i].push(a.message.clone());
            }
        }
    }

    /// When the group's queries run for the tick `ts`: `ts` minus the group's `query_offset`.
    pub fn query_time(&self, ts: Timestamp) -> Timestamp {
        ts - self.group.query_offset.unwrap_or(0)
    }

    /// Takes rule `i`'s query result `res` for the tick `ts`: a recording rule's samples, or an
    /// alerting rule's `ALERTS`/`ALERTS_FOR_STATE` samples after its state machine has run, are
    /// appended to `store` together with stale markers for the series the rule no longer
    /// returns; an error is kept in `last_error` instead.
    pub fn apply(
        &mut self,
        i: usize,
        engine: &Engine,
        store: &mut Store,
        ts: Timestamp,
        res: Result<Vec<VectorSample>, String>,
    ) {
        let qt = self.query_time(ts);
        let rule = &self.group.rules[i];
        let ro: &Store = store;
        let query = |q: &str| -> Result<Vec<QuerySample>, String> {
            let e = crate::semantics::parse_for(q, &engine.options.semantics)
                .map_err(|e| e.render(q))?;
            Ok(query_vector(engine, ro, &e, qt)?
                .into_iter()
                .map(|s| QuerySample {
                    labels: s.metric,
                    value: s.f,
                })
                .collect())
        };
        let out = res.and_then(|res| match rule.kind {
            RuleKind::Record => record(rule, res, self.group.limit),
            RuleKind::Alert => self.alerting[i]
                .eval(rule, &self.ctx, res, ts, self.group.limit, &query)
                .map(|v| {
                    v.into_iter()
                        .map(|(metric, f)| VectorSample {
                            metric,
                            t: qt,
                            f,
                            h: None,
                            drop_name: false,
                        })
                        .collect()
                }),
        });
        let vector = match out {
            Ok(v) => {
                self.last_error[i] = None;
                v
            }
            Err(e) => {
                self.last_error[i] = Some(e);
                return;
            }
        };
        let mut returned = HashSet::with_capacity_and_hasher(vector.len(), Default::default());
        for s in vector {
            let value = match s.h {
                Some(h) => SampleValue::Histogram(Arc::clone(&h)),
                None => SampleValue::Float(s.f),
            };
            store.append(
                &s.metric,
                Sample {
                    t: qt,
                    st: 0,
                    value,
                },
            );
            returned.insert(s.metric);
        }
        for gone in self.previous[i].difference(&returned) {
            store.append_float(gone, qt, stale_nan());
        }
        self.previous[i] = returned;
    }

    /// The series recording rule `i` returned at its latest tick.
    pub fn previous(&self, i: usize) -> &Returned {
        &self.previous[i]
    }

    /// Sets what recording rule `i` returned at its latest tick, and clears its error: the
    /// end of a run of ticks written by a caller that did [`GroupState::apply`]'s work in bulk.
    pub fn set_previous(&mut self, i: usize, returned: Returned) {
        self.last_error[i] = None;
        self.previous[i] = returned;
    }
}

/// The labels a recording rule writes a result series under: renamed to the rule, with the
/// rule's labels set.
pub fn recorded_labels(rule: &RuleDef, metric: &Labels) -> Labels {
    let mut l = metric.with("__name__", &rule.name);
    for x in rule.labels.iter() {
        l = l.with(&x.name, &x.value);
    }
    l
}

/// A recording rule's output: the result renamed and relabelled, checked for duplicates and
/// the group's limit.
fn record(
    rule: &RuleDef,
    res: Vec<VectorSample>,
    limit: usize,
) -> Result<Vec<VectorSample>, String> {
    let mut seen = HashSet::with_capacity_and_hasher(res.len(), Default::default());
    let mut out = Vec::with_capacity(res.len());
    for mut s in res {
        let l = recorded_labels(rule, &s.metric);
        if !seen.insert(l.clone()) {
            return Err(
                "vector contains metrics with the same labelset after applying rule labels".into(),
            );
        }
        s.metric = l;
        out.push(s);
    }
    if limit > 0 && out.len() > limit {
        return Err(format!(
            "exceeded limit of {limit} with {} series",
            out.len()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::engine::EngineOptions;
    use crate::promql::parser::parse_expr;

    #[test]
    fn disabled_modifiers_are_rejected() {
        let off = Engine::new(EngineOptions {
            enable_at_modifier: false,
            enable_negative_offset: false,
            ..EngineOptions::default()
        });
        let at = parse_expr("sum(x @ 100)").unwrap();
        let neg = parse_expr("rate(x[5m] offset -1m)").unwrap();
        assert_eq!(
            validate_opts(&off, &at).unwrap_err(),
            "@ modifier is disabled"
        );
        assert_eq!(
            validate_opts(&off, &neg).unwrap_err(),
            "negative offset is disabled"
        );
        assert!(validate_opts(&Engine::default(), &at).is_ok());
    }

    #[test]
    fn stale_markers_for_vanished_series() {
        let src = "groups:\n- name: g\n  rules:\n  - record: r\n    expr: x\n";
        let g =
            super::super::parse_rule_file("f", src, false, &crate::semantics::Semantics::default())
                .unwrap()
                .remove(0);
        let mut st = GroupState::new(g, AlertContext::default());
        let mut store = Store::new();
        let x = Labels::from_pairs([("__name__", "x")]);
        store.append_float(&x, 0, 1.0);
        st.eval(&Engine::default(), &mut store, 0);
        store.append_float(&x, 1000, crate::model::stale_nan());
        st.eval(&Engine::default(), &mut store, 60_000);
        let r = Labels::from_pairs([("__name__", "r")]);
        let got = store.select(&[crate::model::Matcher::equal("__name__", "r")], 0, 60_000);
        assert_eq!(got[0].labels, &r);
        assert_eq!(got[0].samples.len(), 2);
        assert!(got[0].samples.get(1).value.is_stale());
    }

    #[test]
    fn limit_and_query_offset() {
        let src = "groups:\n- name: g\n  limit: 1\n  query_offset: 1m\n  rules:\n  - record: r\n    expr: x\n";
        let g =
            super::super::parse_rule_file("f", src, false, &crate::semantics::Semantics::default())
                .unwrap()
                .remove(0);
        let mut st = GroupState::new(g, AlertContext::default());
        let mut store = Store::new();
        store.append_float(&Labels::from_pairs([("__name__", "x"), ("a", "1")]), 0, 1.0);
        st.eval(&Engine::default(), &mut store, 60_000);
        assert!(st.last_error[0].is_none());
        let r = crate::model::Matcher::equal("__name__", "r");
        let got = store.select(std::slice::from_ref(&r), 0, 60_000);
        assert_eq!(got[0].samples.t(0), 0, "written at ts - query_offset");
        store.append_float(
            &Labels::from_pairs([("__name__", "x"), ("a", "2")]),
            60_000,
            1.0,
        );
        st.eval(&Engine::default(), &mut store, 120_000);
        assert_eq!(
            st.last_error[0].as_deref(),
            Some("exceeded limit of 1 with 2 series")
        );
    }
}
