//! The rule evaluation of one test group, in either of two orders that give the same samples:
//! tick by tick (every rule at each tick, as promtool does it) or, when
//! [`rule_by_rule_safe`](crate::rules::dependencies::rule_by_rule_safe) allows, rule by rule
//! (each rule's expression as one range query over all ticks, then its results taken tick by
//! tick). The second does one selection and one window walk per rule instead of one per rule and
//! tick, which is most of the work on long test groups.

use std::collections::HashMap;

use crate::model::{Labels, Timestamp};
use crate::promql::annotations::Annotations;
use crate::promql::engine::{Engine, EngineOptions};
use crate::promql::value::{Series, Value, VectorSample};
use crate::rules::group::{query_vector_noted, recorded_labels, validate_opts};
use crate::rules::{AlertState, AlertingState, GroupState, RuleKind};
use crate::store::Store;

use super::file::TestGroup;
use super::record_run::write_recorded_run;
use super::sample_bound::instant_peak_bound;
use super::time::go_duration;

/// The ticks of a test group and the alert cases checked after each.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Evaluation times, `evaluation_interval` apart, from the start to the last eval time.
    pub ticks: Vec<Timestamp>,
    /// Per tick: the indexes of the alert cases checked after it (the latest tick not after the
    /// case's `eval_time`).
    pub checks: Vec<Vec<usize>>,
    /// The interval between ticks (ms).
    pub interval: i64,
}

impl Schedule {
    /// The schedule of `tg` from `mint` to `maxt` every `interval` ms.
    pub fn new(tg: &TestGroup, mint: Timestamp, maxt: Timestamp, interval: i64) -> Self {
        let interval = interval.max(1);
        let mut cases: Vec<(i64, usize)> = tg
            .alert_rule_test
            .iter()
            .enumerate()
            .map(|(i, a)| (a.eval_time, i))
            .collect();
        cases.sort();
        let (mut ticks, mut checks) = (Vec::new(), Vec::new());
        let mut next = 0;
        let mut ts = mint;
        while ts <= maxt {
            let mut due = Vec::new();
            while next < cases.len()
                && ts - mint <= cases[next].0
                && cases[next].0 < ts + interval - mint
            {
                due.push(cases[next].1);
                next += 1;
            }
            ticks.push(ts);
            checks.push(due);
            ts += interval;
        }
        Schedule {
            ticks,
            checks,
            interval,
        }
    }

    /// The last tick (or `i64::MIN` when there is none).
    pub fn last_tick(&self) -> Timestamp {
        self.ticks.last().copied().unwrap_or(i64::MIN)
    }
}

/// What the evaluation leaves for the checks.
#[derive(Debug, Default)]
pub struct Evaluated {
    /// The first tick (index) at which rules failed, with promtool's error lines for it.
    pub errors: Option<(usize, Vec<String>)>,
    /// Firing alerts (labels, annotations) by tick index and alert name, at the ticks that have
    /// alert checks.
    firing: HashMap<(usize, String), Vec<(Labels, Labels)>>,
}

impl Evaluated {
    /// The alerts named `name` firing after tick `k`.
    pub fn firing_at(&self, k: usize, name: &str) -> Vec<(Labels, Labels)> {
        self.firing
            .get(&(k, name.to_string()))
            .cloned()
            .unwrap_or_default()
    }

    fn record_firing(&mut self, k: usize, name: &str, state: &AlertingState) {
        let list = self.firing.entry((k, name.to_string())).or_default();
        for a in state.active_alerts() {
            if a.state == AlertState::Firing {
                list.push((a.labels.clone(), a.annotations.clone()));
            }
        }
    }

    /// Notes rule `name`'s error `err` at tick `k` (at time `ts`); only the earliest tick's
    /// errors are kept, in evaluation order.
    fn record_error(&mut self, k: usize, ts: Timestamp, name: &str, err: &str) {
        let line = format!("    rule: {name}, time: {}, err: {err}", go_duration(ts));
        match &mut self.errors {
            Some((at, lines)) if *at == k => lines.push(line),
            Some((at, _)) if *at < k => {}
            _ => self.errors = Some((k, vec![line])),
        }
    }
}

/// Evaluates every group at each tick in turn (promtool's order), calling `reveal` first to
/// add the input samples up to the tick; stops after the first tick at which a rule fails.
/// At the ticks `refused` marks, the storage refused the inputs' append: nothing is added and
/// no rule runs (the alerts stay as they were).
pub fn eval_tick_by_tick(
    engine: &Engine,
    store: &mut Store,
    states: &mut [GroupState],
    schedule: &Schedule,
    refused: &[bool],
    mut reveal: impl FnMut(&mut Store, Timestamp),
) -> Evaluated {
    let mut out = Evaluated::default();
    for (k, &ts) in schedule.ticks.iter().enumerate() {
        if !refused.get(k).copied().unwrap_or(false) {
            reveal(store, ts);
            for g in states.iter_mut() {
                g.eval(engine, store, ts);
            }
        }
        for g in states.iter() {
            for (r, e) in g.group.rules.iter().zip(&g.last_error) {
                if let Some(e) = e {
                    out.record_error(k, ts, &r.name, e);
                }
            }
        }
        if out.errors.is_some() {
            return out;
        }
        if !schedule.checks[k].is_empty() {
            for g in states.iter() {
                for (r, st) in g.group.rules.iter().zip(&g.alerting) {
                    if r.kind == RuleKind::Alert {
                        out.record_firing(k, &r.name, st);
                    }
                }
            }
        }
    }
    out
}

/// How many ticks one range query covers: the engine's working memory grows with it (every
/// node's result holds all of its ticks: 1,000 series over 240 ticks are 4 MB a node), while
/// each extra query re-reads only its windows' overlap with the previous one. At 120 a day of
/// 1,000 series peaks 7 MB lower than at 240 for 3% more instructions; at 60, 3 MB lower again
/// for 7% more.
const TICKS_PER_QUERY: usize = 120;

/// Evaluates one rule at a time over a run of ticks, run after run (all input samples must be
/// in `store`): each rule's expression runs as one range query per run, falling back to one
/// instant query per tick when the range query fails (an error at some tick must surface at
/// that tick). Rules only read earlier rules' outputs at earlier or equal times, which earlier
/// runs or earlier rules of this run have written.
pub fn eval_rule_by_rule(
    engine: &Engine,
    store: &mut Store,
    states: &mut [GroupState],
    schedule: &Schedule,
) -> Evaluated {
    let mut out = Evaluated::default();
    let n = schedule.ticks.len();
    let mut start = 0;
    while start < n && out.errors.is_none() {
        let end = (start + TICKS_PER_QUERY).min(n);
        for g in states.iter_mut() {
            for i in 0..g.group.rules.len() {
                // Ticks after the first failing one are never looked at.
                let until = out.errors.as_ref().map_or(end, |(k, _)| (k + 1).min(end));
                if until <= start {
                    continue;
                }
                eval_rule_run(engine, store, g, i, schedule, start..until, n, &mut out);
            }
        }
        start = end;
    }
    out
}

/// Rule `i` of `g` over the ticks `run` (of `n` in all).
#[allow(clippy::too_many_arguments)]
fn eval_rule_run(
    engine: &Engine,
    store: &mut Store,
    g: &mut GroupState,
    i: usize,
    schedule: &Schedule,
    run: std::ops::Range<usize>,
    n: usize,
    out: &mut Evaluated,
) {
    let first = g.query_time(schedule.ticks[run.start]);
    let expr = &g.group.rules[i].expr;
    let mut per_tick = range_by_tick(engine, store, expr, first, schedule.interval, run.len());
    if let Some(v) = &per_tick {
        g.note(i, &v.annotations);
    }
    if let (Some(v), RuleKind::Record) = (&per_tick, &g.group.rules[i].kind) {
        // A result series is written once per tick it has a point, plus perhaps a stale marker.
        // One present at every tick of the run is likely to stay: room for all remaining ticks;
        // otherwise room for this run's points.
        for s in &v.series {
            let id = store.series_id(&recorded_labels(&g.group.rules[i], &s.metric));
            let points = s.floats.len() + s.histograms.len();
            let room = if points == run.len() {
                n - run.start
            } else {
                points
            };
            store.reserve(id, room + 1);
        }
        let times: Vec<Timestamp> = run
            .clone()
            .map(|k| g.query_time(schedule.ticks[k]))
            .collect();
        if write_recorded_run(g, i, store, &v.series, &times) {
            return;
        }
    }
    for k in run {
        let ts = schedule.ticks[k];
        let res = match per_tick.as_mut() {
            Some(v) => Ok(v.at(g.query_time(ts))),
            None => {
                let mut notes = Annotations::default();
                let res = query_vector_noted(
                    engine,
                    store,
                    &g.group.rules[i].expr,
                    g.query_time(ts),
                    &mut |a| notes = a.clone(),
                );
                g.note(i, &notes);
                res
            }
        };
        g.apply(i, engine, store, ts, res);
        let rule = &g.group.rules[i];
        if let Some(e) = &g.last_error[i] {
            out.record_error(k, ts, &rule.name, e);
            return;
        }
        if rule.kind == RuleKind::Alert && !schedule.checks[k].is_empty() {
            out.record_firing(k, &rule.name, &g.alerting[i]);
        }
    }
}

/// `expr` as a range query from `first` every `step` ms over `n` steps, to be taken apart tick
/// by tick; `None` when the range query fails or might differ from the instant queries in
/// reaching the sample limit.
fn range_by_tick(
    engine: &Engine,
    store: &Store,
    expr: &crate::promql::ast::Expr,
    first: Timestamp,
    step: i64,
    n: usize,
) -> Option<StepVectors> {
    validate_opts(engine, expr).ok()?;
    // promtool's instant queries stop at the sample limit; the range query holds all ticks'
    // results at once, so it runs unlimited, and only when no tick's query could reach it.
    let last = first + step * (n as i64 - 1);
    let bound = instant_peak_bound(expr, store, engine.options.lookback_delta, first, last)?;
    if bound > engine.options.max_samples {
        return None;
    }
    let unlimited = Engine::new(EngineOptions {
        max_samples: usize::MAX,
        ..engine.options.clone()
    });
    let res = unlimited.range(store, expr, first, last, step);
    match res.value {
        Ok(Value::Matrix(series)) => Some(StepVectors {
            cursors: vec![(0, 0); series.len()],
            series,
            annotations: res.annotations,
        }),
        _ => None,
    }
}

/// A range query's result, read back one step at a time in increasing time order (no more
/// memory than the matrix itself).
struct StepVectors {
    series: Vec<Series>,
    /// The range query's annotations.
    annotations: Annotations,
    /// Per series: the next float and histogram point.
    cursors: Vec<(usize, usize)>,
}

impl StepVectors {
    /// The instant vector at step time `t` (which must not go back in time between calls).
    fn at(&mut self, t: Timestamp) -> Vec<VectorSample> {
        let mut out = Vec::new();
        for (s, (f, h)) in self.series.iter().zip(self.cursors.iter_mut()) {
            while s.floats.get(*f).is_some_and(|p| p.t < t) {
                *f += 1;
            }
            while s.histograms.get(*h).is_some_and(|p| p.t < t) {
                *h += 1;
            }
            let (value, hist) = if let Some(p) = s.floats.get(*f).filter(|p| p.t == t) {
                (p.f, None)
            } else if let Some(p) = s.histograms.get(*h).filter(|p| p.t == t) {
                (0.0, Some(p.h.clone()))
            } else {
                continue;
            };
            out.push(VectorSample {
                metric: s.metric.clone(),
                t,
                f: value,
                h: hist,
                drop_name: s.drop_name,
            });
        }
        out
    }
}
