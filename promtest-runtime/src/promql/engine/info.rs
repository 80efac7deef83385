//! The `info()` function: enriches series with data labels of info series (default
//! `target_info`) that share their identifying labels `instance` and `job`.

use std::collections::{HashMap, HashSet};

use crate::model::{Labels, MatchOp, Matcher, METRIC_NAME};
use crate::promql::ast::{Call, Expr};
use crate::promql::engine::errors::{EvalError, EvalResult};
use crate::promql::engine::selectors::lookup;
use crate::promql::engine::step_loop::{Evaluator, StepInput};
use crate::promql::value::{FPoint, Series, VectorSample};

const TARGET_INFO: &str = "target_info";
const IDENTIFYING: [&str; 2] = ["instance", "job"];

/// The name matchers that select info series (`effectiveInfoNameMatchers`).
fn effective_name_matchers(matchers: &[Matcher]) -> Vec<Matcher> {
    if matchers
        .iter()
        .any(|m| matches!(m.op, MatchOp::Equal | MatchOp::Regex))
    {
        return matchers.to_vec();
    }
    if !matchers.is_empty() {
        let mut out =
            vec![Matcher::new(MatchOp::Regex, METRIC_NAME, ".+_info").expect("a valid regex")];
        out.extend(matchers.iter().cloned());
        return out;
    }
    vec![Matcher::equal(METRIC_NAME, TARGET_INFO)]
}

/// The `@` time and offset of the first selector in `e` and its enclosing subqueries
/// (`infoSelectTimestampAndOffset`).
fn first_selector_time(ev: &Evaluator<'_>, e: &Expr) -> EvalResult<(Option<i64>, i64)> {
    fn find<'e>(
        e: &'e Expr,
        path: &mut Vec<&'e Expr>,
    ) -> Option<&'e crate::promql::ast::VectorSelector> {
        if let Expr::VectorSelector(vs) = e {
            return Some(vs);
        }
        path.push(e);
        let found = match e {
            Expr::MatrixSelector(m) => find(m.selector_expr(), path),
            Expr::Subquery(s) => find(&s.expr, path),
            Expr::Paren(p) => find(&p.expr, path),
            Expr::Unary(u) => find(&u.expr, path),
            Expr::Binary(b) => find(&b.lhs, path).or_else(|| find(&b.rhs, path)),
            Expr::Aggregate(a) => a
                .param
                .as_deref()
                .and_then(|p| find(p, path))
                .or_else(|| find(&a.expr, path)),
            Expr::Call(c) => c.args.iter().find_map(|a| find(a, path)),
            _ => None,
        };
        if found.is_none() {
            path.pop();
        }
        found
    }
    let mut path = Vec::new();
    let Some(vs) = find(e, &mut path) else {
        return Ok((None, 0));
    };
    let mut at = ev.ctx.at(vs.at);
    let mut offset = ev.ctx.offset(vs.offset.as_ref())?;
    for p in path.iter().rev() {
        if at.is_some() {
            break;
        }
        if let Expr::Subquery(sq) = p {
            offset += ev.ctx.offset(sq.offset.as_ref())?;
            at = ev.ctx.at(sq.at);
        }
    }
    Ok((at, offset))
}

impl<'a> Evaluator<'a> {
    /// Evaluates `info(v [, data-label-selector])`.
    pub(crate) fn eval_info(&mut self, c: &Call) -> EvalResult<Vec<Series>> {
        let arg0 = c
            .args
            .first()
            .ok_or_else(|| EvalError::engine("info(): expected at least one argument"))?;
        let (at, offset) = first_selector_time(self, arg0)?;
        let mat = self.eval_matrix(arg0)?;
        let mut data_matchers: HashMap<String, Vec<Matcher>> = HashMap::new();
        let mut name_matchers: Vec<Matcher> = Vec::new();
        match c.args.get(1).map(Expr::unparen) {
            Some(Expr::VectorSelector(sel)) => {
                for m in &sel.matchers {
                    data_matchers
                        .entry(m.name.clone())
                        .or_default()
                        .push(m.clone());
                    if m.name == METRIC_NAME {
                        name_matchers.push(m.clone());
                    }
                }
            }
            Some(_) => return Err(EvalError::engine("info(): expected a label selector")),
            None => name_matchers.push(Matcher::equal(METRIC_NAME, TARGET_INFO)),
        }
        let effective = effective_name_matchers(&name_matchers);
        let ignore: HashSet<Labels> = mat
            .iter()
            .filter(|s| {
                let name = s.metric.metric_name().unwrap_or("");
                effective.iter().all(|m| m.matches(name))
            })
            .map(|s| s.metric.clone())
            .collect();
        // Identifying label values of the series to enrich.
        let mut id_values: HashMap<&str, HashSet<String>> = HashMap::new();
        for s in mat.iter().filter(|s| !ignore.contains(&s.metric)) {
            for l in IDENTIFYING {
                if let Some(v) = s.metric.get(l) {
                    id_values.entry(l).or_default().insert(v.to_string());
                }
            }
        }
        let select_names: Vec<Matcher> =
            data_matchers.get(METRIC_NAME).cloned().unwrap_or_default();
        data_matchers.remove(METRIC_NAME);
        let info_mat = if id_values.is_empty() {
            Vec::new()
        } else {
            let mut matchers: Vec<Matcher> = data_matchers.values().flatten().cloned().collect();
            matchers.extend(effective_name_matchers(&select_names));
            self.info_series(&matchers, &id_values, at, offset)?
        };
        self.combine_with_info(mat, info_mat, &ignore, &data_matchers)
    }

    /// Info series matching `matchers` and the identifying values, evaluated at every step
    /// (at the `@` time if given, shifted by `offset`) with their sample timestamps as values.
    fn info_series(
        &mut self,
        matchers: &[Matcher],
        id_values: &HashMap<&str, HashSet<String>>,
        at: Option<i64>,
        offset: i64,
    ) -> EvalResult<Vec<Series>> {
        let lookback = self.opts.lookback_delta;
        let (lo, hi) = match at {
            Some(a) => (a, a),
            None => (self.start, self.end),
        };
        let store = self.store;
        let sem = self.opts.semantics;
        let views = store.select(
            matchers,
            sem.window_start(lo - offset, lookback) + 1,
            hi - offset,
        );
        let steps = self.steps();
        let mut out = Vec::new();
        for view in views {
            let ids_match = id_values
                .iter()
                .all(|(l, vals)| view.labels.get(l).is_some_and(|v| vals.contains(v)));
            if !ids_match {
                continue;
            }
            let mut ss = Series {
                metric: view.labels.clone(),
                ..Default::default()
            };
            for ts in steps {
                let r = at.unwrap_or(ts) - offset;
                let Some(s) = lookup(view.samples, r, sem.window_start(r, lookback)) else {
                    continue;
                };
                if matches!(s.value, crate::store::ValueRef::Histogram(_)) {
                    return Err(EvalError::engine(format!(
                        "this should be an info metric, with float samples: {}",
                        view.labels
                    )));
                }
                self.add_samples(1)?;
                ss.floats.push(FPoint {
                    t: ts,
                    f: s.t as f64,
                });
            }
            if !ss.floats.is_empty() {
                out.push(ss);
            }
        }
        Ok(out)
    }

    /// Joins base series with info series step by step (`combineWithInfoSeries`).
    fn combine_with_info(
        &mut self,
        mat: Vec<Series>,
        info_mat: Vec<Series>,
        ignore: &HashSet<Labels>,
        data_matchers: &HashMap<String, Vec<Matcher>>,
    ) -> EvalResult<Vec<Series>> {
        let sig = |name: &str, l: &Labels| l.keep_only(&IDENTIFYING).with(METRIC_NAME, name);
        let info_names: Vec<String> = {
            let mut v: Vec<String> = info_mat
                .iter()
                .filter_map(|s| s.metric.metric_name().map(str::to_string))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let all_match_empty = data_matchers.values().flatten().all(|m| m.matches(""));
        let n_base = mat.len();
        let mut inputs = mat;
        inputs.extend(info_mat);
        // Feed both matrices through the step loop as two "expressions" already evaluated.
        let combined = self.range_eval_series(inputs, |inp, _| {
            let (base, info): (Vec<&VectorSample>, Vec<&VectorSample>) = {
                let mut b = Vec::new();
                let mut i = Vec::new();
                for (idx, s) in inp.vectors[0].iter().enumerate() {
                    if inp.sigs[0][idx] < n_base {
                        b.push(s);
                    } else {
                        i.push(s);
                    }
                }
                (b, i)
            };
            if base.is_empty() {
                return Ok(Vec::new());
            }
            let mut by_sig: HashMap<Labels, &VectorSample> = HashMap::new();
            for s in info {
                let name = s.metric.metric_name().unwrap_or("");
                let key = sig(name, &s.metric);
                let orig_t = s.f as i64;
                match by_sig.get(&key) {
                    Some(existing) => {
                        let et = existing.f as i64;
                        if et < orig_t {
                            by_sig.insert(key, s);
                        } else if et == orig_t {
                            return Err(EvalError::engine(format!(
                                "found duplicate series for info metric: existing {} @ {}, new {} @ {}",
                                existing.metric, et, s.metric, orig_t
                            )));
                        }
                    }
                    None => {
                        by_sig.insert(key, s);
                    }
                }
            }
            let mut out = Vec::with_capacity(base.len());
            for bs in base {
                if ignore.contains(&bs.metric) {
                    out.push(bs.clone());
                    continue;
                }
                let mut added: Vec<(String, String)> = Vec::new();
                let mut seen = 0;
                for name in &info_names {
                    let Some(is) = by_sig.get(&sig(name, &bs.metric)) else {
                        continue;
                    };
                    seen += 1;
                    for l in &is.metric {
                        if l.name == METRIC_NAME {
                            continue;
                        }
                        if !data_matchers.is_empty() && !data_matchers.contains_key(&l.name) {
                            continue;
                        }
                        if let Some((_, v)) = added.iter().find(|(n, _)| *n == l.name) {
                            if *v != l.value {
                                return Err(EvalError::engine(format!(
                                    "conflicting label: {}",
                                    l.name
                                )));
                            }
                        }
                        if bs.metric.has(&l.name) {
                            continue;
                        }
                        added.push((l.name.clone(), l.value.clone()));
                    }
                }
                if seen == 0 && !all_match_empty {
                    continue;
                }
                let mut metric = bs.metric.clone();
                for (n, v) in &added {
                    metric = metric.with(n, v);
                }
                out.push(VectorSample {
                    metric,
                    t: bs.t,
                    f: bs.f,
                    h: bs.h.clone(),
                    drop_name: bs.drop_name,
                });
            }
            Ok(out)
        })?;
        Ok(combined)
    }

    /// Runs an operation over already evaluated series, one vector per step holding all of
    /// them; `sigs[0][i]` is the index of the series sample `i` came from.
    fn range_eval_series<F>(&mut self, series: Vec<Series>, mut op: F) -> EvalResult<Vec<Series>>
    where
        F: FnMut(
            &StepInput<'_>,
            &mut crate::promql::annotations::Annotations,
        ) -> EvalResult<Vec<VectorSample>>,
    {
        let original = self.samples;
        let mut curs = vec![(0usize, 0usize); series.len()];
        let mut out_index: HashMap<Labels, (usize, i64)> = HashMap::new();
        let mut out: Vec<Series> = Vec::new();
        let steps = self.steps();
        for ts in steps {
            let mut vec = Vec::new();
            let mut idx = Vec::new();
            for (i, s) in series.iter().enumerate() {
                let c = &mut curs[i];
                if s.floats.get(c.0).is_some_and(|p| p.t == ts) {
                    c.0 += 1;
                    vec.push(VectorSample {
                        metric: s.metric.clone(),
                        t: ts,
                        f: s.floats[c.0 - 1].f,
                        h: None,
                        drop_name: s.drop_name,
                    });
                    idx.push(i);
                } else if s.histograms.get(c.1).is_some_and(|p| p.t == ts) {
                    c.1 += 1;
                    vec.push(VectorSample {
                        metric: s.metric.clone(),
                        t: ts,
                        f: 0.0,
                        h: Some(s.histograms[c.1 - 1].h.clone()),
                        drop_name: s.drop_name,
                    });
                    idx.push(i);
                }
            }
            let vectors = [vec];
            let sigs = [idx];
            let input = StepInput {
                ts,
                vectors: &vectors,
                sigs: &sigs,
                num_sigs: series.len(),
            };
            let result = op(&input, &mut self.annos)?;
            for s in result {
                match out_index.get_mut(&s.metric) {
                    Some((i, last)) => {
                        if *last == ts {
                            return Err(EvalError::duplicate_labelset());
                        }
                        *last = ts;
                        crate::promql::engine::step_loop::push_point(&mut out[*i], ts, s.f, s.h);
                    }
                    None => {
                        out_index.insert(s.metric.clone(), (out.len(), ts));
                        out.push(crate::promql::engine::step_loop::sample_series(s, ts));
                    }
                }
            }
        }
        self.samples = original + crate::promql::engine::limits::matrix_samples(&out);
        self.check_samples()?;
        Ok(out)
    }
}
