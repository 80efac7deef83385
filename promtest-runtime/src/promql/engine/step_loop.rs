//! The evaluator: one step loop for instant and range queries. Every node evaluates to a
//! matrix over the evaluator's steps (a scalar is one series without labels); `range_eval`
//! feeds per-step vectors of its inputs to an operation and collects the results.

use rustc_hash::FxHashMap as HashMap;

use crate::model::Labels;
use crate::promql::annotations::Annotations;
use crate::promql::ast::{Expr, UnaryOp, ValueType, VectorMatching};
use crate::promql::engine::errors::{EvalError, EvalResult};
use crate::promql::engine::limits::{matrix_samples, vector_samples};
use crate::promql::engine::preprocess::QueryContext;
use crate::promql::engine::EngineOptions;
use crate::promql::value::{FPoint, HPoint, Series, VectorSample};
use crate::store::Store;

/// The value of a node over all steps.
#[derive(Debug)]
pub(crate) enum Val {
    /// Series (a scalar is one series with empty labels and a point per step).
    Matrix(Vec<Series>),
    /// A string literal.
    Str(String),
}

/// Evaluates expressions over the steps `start..=end` every `interval`.
pub(crate) struct Evaluator<'a> {
    pub store: &'a Store,
    pub ctx: &'a QueryContext,
    pub opts: &'a EngineOptions,
    pub start: i64,
    pub end: i64,
    pub interval: i64,
    /// Samples currently held in memory (for the max-samples limit).
    pub samples: usize,
    pub annos: Annotations,
    /// When the query times out (`EngineOptions::timeout` after it started).
    pub deadline: Option<std::time::Instant>,
    /// Work done since the deadline was last read (see [`Evaluator::tick`]).
    pub ticks: u32,
}

/// The steps `start..=end` every `interval`, computed as they are iterated (a subquery may
/// have billions of steps that no sample falls on; they cost time, bounded by the timeout,
/// not memory).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Steps {
    next: Option<i64>,
    end: i64,
    interval: i64,
}

impl Iterator for Steps {
    type Item = i64;

    fn next(&mut self) -> Option<i64> {
        let t = self.next.filter(|&t| t <= self.end)?;
        self.next = t.checked_add(self.interval);
        Some(t)
    }
}

/// Per-step input to an operation run by [`Evaluator::range_eval`].
pub(crate) struct StepInput<'v> {
    /// The step's timestamp.
    pub ts: i64,
    /// One vector per input expression (empty for string inputs).
    pub vectors: &'v [Vec<VectorSample>],
    /// For binary operations: per input, the match-signature ordinal of each sample.
    pub sigs: &'v [Vec<usize>],
    /// Number of distinct signatures (0 without matching).
    pub num_sigs: usize,
}

impl<'a> Evaluator<'a> {
    /// An evaluator over the given steps sharing this one's store, query and sample count.
    pub fn child(&self, start: i64, end: i64, interval: i64) -> Evaluator<'a> {
        Evaluator {
            store: self.store,
            ctx: self.ctx,
            opts: self.opts,
            start,
            end,
            interval,
            samples: self.samples,
            annos: Annotations::new(),
            deadline: self.deadline,
            ticks: self.ticks,
        }
    }

    /// Takes back a child's sample count and annotations.
    pub fn absorb(&mut self, child: Evaluator<'a>) {
        self.samples = child.samples;
        self.ticks = child.ticks;
        self.annos.merge(child.annos);
    }

    /// Number of steps.
    pub fn num_steps(&self) -> usize {
        (self.end.abs_diff(self.start) / self.interval.max(1).unsigned_abs()) as usize + 1
    }

    /// The step timestamps.
    pub fn steps(&self) -> Steps {
        Steps {
            next: Some(self.start),
            end: self.end,
            interval: self.interval.max(1),
        }
    }

    /// Counts one unit of work, and every 4096 units fails if the query's deadline has
    /// passed (Prometheus checks its context at each step of its loops).
    pub fn tick(&mut self) -> EvalResult<()> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(4096) {
            self.check_deadline()?;
        }
        Ok(())
    }

    /// Fails with Prometheus's timeout error if the query's deadline has passed.
    pub fn check_deadline(&self) -> EvalResult<()> {
        match self.deadline {
            Some(d) if std::time::Instant::now() >= d => Err(EvalError::query_timeout()),
            _ => Ok(()),
        }
    }

    /// Whether this evaluator has a single step at `start == end`.
    pub fn is_instant(&self) -> bool {
        self.start == self.end
    }

    /// Counts `n` more samples in memory; fails past the limit.
    pub fn add_samples(&mut self, n: usize) -> EvalResult<()> {
        self.samples = self.samples.saturating_add(n);
        self.tick()?;
        self.check_samples()
    }

    /// Fails if the samples in memory exceed the limit.
    pub fn check_samples(&self) -> EvalResult<()> {
        if self.samples > self.opts.max_samples {
            Err(EvalError::too_many_samples())
        } else {
            Ok(())
        }
    }

    /// Evaluates `e` (step-invariant parts once, repeated over the steps).
    pub fn eval(&mut self, e: &Expr) -> EvalResult<Val> {
        if self.end < self.start {
            return Ok(Val::Matrix(Vec::new()));
        }
        // The evaluator recurses once per level of the expression.
        crate::deep_stack::deep(|| {
            if self.ctx.is_step_invariant(e) && !self.is_instant() {
                return self.eval_step_invariant(e);
            }
            self.eval_node(e)
        })
    }

    /// Evaluates `e`, which must yield series (not a string).
    pub fn eval_matrix(&mut self, e: &Expr) -> EvalResult<Vec<Series>> {
        match self.eval(e)? {
            Val::Matrix(m) => Ok(m),
            Val::Str(_) => Err(EvalError::engine(format!(
                "unexpected string where series were expected: {e:?}"
            ))),
        }
    }

    fn eval_node(&mut self, e: &Expr) -> EvalResult<Val> {
        Ok(Val::Matrix(match e {
            Expr::Number(n) => self.constant(n.val)?,
            Expr::String(s) => return Ok(Val::Str(s.val.clone())),
            Expr::Paren(p) => return self.eval(&p.expr),
            Expr::Unary(u) => {
                let mut mat = self.eval_matrix(&u.expr)?;
                if u.op == UnaryOp::Neg {
                    let delayed = self.opts.delayed_name_removal;
                    for s in &mut mat {
                        if !delayed {
                            s.metric =
                                crate::promql::engine::names::drop_metadata_labels(&s.metric);
                        }
                        s.drop_name = true;
                        for p in &mut s.floats {
                            p.f = -p.f;
                        }
                        for p in &mut s.histograms {
                            p.h =
                                std::sync::Arc::new(crate::model::histogram_math::mul(&p.h, -1.0));
                        }
                    }
                    // Names dropped at once can leave two series with one label set.
                    if !delayed {
                        let mut seen = rustc_hash::FxHashSet::default();
                        if !mat.iter().all(|s| seen.insert(&s.metric)) {
                            return Err(EvalError::duplicate_labelset());
                        }
                    }
                }
                mat
            }
            Expr::Binary(b) => self.eval_binary(b)?,
            Expr::VectorSelector(vs) => self.eval_vector_selector(vs)?,
            Expr::MatrixSelector(ms) => {
                if !self.is_instant() {
                    return Err(EvalError::engine(
                        "cannot do range evaluation of matrix selector",
                    ));
                }
                self.eval_matrix_selector(ms)?
            }
            Expr::Subquery(sq) => self.eval_subquery(sq)?,
            Expr::Aggregate(a) => self.eval_aggregate(a)?,
            Expr::Call(c) => self.eval_call(c)?,
        }))
    }

    /// A scalar constant at every step.
    pub fn constant(&mut self, v: f64) -> EvalResult<Vec<Series>> {
        // Counted before the points are made, so a huge step count fails without allocating.
        self.add_samples(self.num_steps())?;
        let floats: Vec<FPoint> = self.steps().map(|t| FPoint { t, f: v }).collect();
        Ok(vec![Series {
            metric: Labels::empty(),
            floats,
            histograms: Vec::new(),
            drop_name: false,
        }])
    }

    /// Evaluates a step-invariant node once at the first step and repeats it.
    fn eval_step_invariant(&mut self, e: &Expr) -> EvalResult<Val> {
        let mut child = self.child(self.start, self.start, self.interval);
        let res = child.eval_node(e);
        self.absorb(child);
        let mut mat = match res? {
            Val::Str(s) => return Ok(Val::Str(s)),
            Val::Matrix(m) => m,
        };
        if matches!(e, Expr::MatrixSelector(_) | Expr::Subquery(_)) {
            return Ok(Val::Matrix(mat));
        }
        let steps = self.steps().skip(1);
        let more = self.num_steps() - 1;
        for s in &mut mat {
            // Counted before the points are made, so a huge step count fails without allocating.
            if let Some(p) = s.floats.first().copied() {
                self.add_samples(more)?;
                s.floats.extend(steps.clone().map(|t| FPoint { t, f: p.f }));
            } else if let Some(p) = s.histograms.first().cloned() {
                let size = crate::promql::engine::limits::histogram_point_size(&p.h);
                self.add_samples(size.saturating_mul(more))?;
                for t in steps.clone() {
                    s.histograms.push(HPoint { t, h: p.h.clone() });
                }
            }
        }
        Ok(Val::Matrix(mat))
    }

    /// Evaluates `exprs`, then calls `op` at each step with their vectors at that step, and
    /// collects its outputs into series (Prometheus's `rangeEval`).
    pub fn range_eval<F>(
        &mut self,
        exprs: &[&Expr],
        matching: Option<&VectorMatching>,
        mut op: F,
    ) -> EvalResult<Vec<Series>>
    where
        F: FnMut(&StepInput<'_>, &mut Annotations) -> EvalResult<Vec<VectorSample>>,
    {
        let original = self.samples;
        let mut inputs: Vec<Vec<Series>> = Vec::with_capacity(exprs.len());
        for e in exprs {
            if e.value_type() == ValueType::String {
                inputs.push(Vec::new());
            } else {
                inputs.push(self.eval_matrix(e)?);
            }
        }
        let (series_sigs, num_sigs) = match matching {
            Some(m) => signatures(&inputs, m),
            None => (vec![Vec::new(); inputs.len()], 0),
        };
        let mut cursors: Vec<Vec<(usize, usize)>> =
            inputs.iter().map(|m| vec![(0, 0); m.len()]).collect();
        let mut vectors: Vec<Vec<VectorSample>> = vec![Vec::new(); inputs.len()];
        let mut sigs: Vec<Vec<usize>> = vec![Vec::new(); inputs.len()];
        let mut out_index: HashMap<Labels, usize> = HashMap::default();
        let mut out: Vec<(Series, i64)> = Vec::new();
        let mut last_step_out: Vec<usize> = Vec::new();
        let mut temp = self.samples;
        let instant = self.is_instant();
        for ts in self.steps() {
            self.tick()?;
            self.samples = temp;
            for (i, input) in inputs.iter().enumerate() {
                vectors[i].clear();
                sigs[i].clear();
                for (si, s) in input.iter().enumerate() {
                    let cur = &mut cursors[i][si];
                    let sample = if s.floats.get(cur.0).is_some_and(|p| p.t == ts) {
                        cur.0 += 1;
                        VectorSample {
                            metric: s.metric.clone(),
                            t: ts,
                            f: s.floats[cur.0 - 1].f,
                            h: None,
                            drop_name: s.drop_name,
                        }
                    } else if s.histograms.get(cur.1).is_some_and(|p| p.t == ts) {
                        cur.1 += 1;
                        VectorSample {
                            metric: s.metric.clone(),
                            t: ts,
                            f: 0.0,
                            h: Some(s.histograms[cur.1 - 1].h.clone()),
                            drop_name: s.drop_name,
                        }
                    } else {
                        continue;
                    };
                    vectors[i].push(sample);
                    if matching.is_some() {
                        sigs[i].push(series_sigs[i][si]);
                    }
                    self.add_samples(1)?;
                }
            }
            let input = StepInput {
                ts,
                vectors: &vectors,
                sigs: &sigs,
                num_sigs,
            };
            let result = op(&input, &mut self.annos)?;
            let n = vector_samples(&result);
            self.samples += n;
            temp += n;
            self.check_samples()?;
            if instant {
                if !self.opts.delayed_name_removal {
                    let mut seen = rustc_hash::FxHashSet::default();
                    if !result.iter().all(|s| seen.insert(&s.metric)) {
                        return Err(EvalError::duplicate_labelset());
                    }
                }
                let mat: Vec<Series> = result.into_iter().map(|s| sample_series(s, ts)).collect();
                self.samples = original + matrix_samples(&mat);
                return Ok(mat);
            }
            for (j, s) in result.into_iter().enumerate() {
                // An operation mostly returns the same series in the same order at every
                // step: the output series at this position last step is tried first (equal
                // labels usually share their storage, which compares by address).
                let guess = last_step_out
                    .get(j)
                    .copied()
                    .filter(|&i: &usize| out.get(i).is_some_and(|o| o.0.metric == s.metric));
                let found = guess.or_else(|| out_index.get(&s.metric).copied());
                match found.as_ref() {
                    Some(&i) => {
                        let (series, last) = &mut out[i];
                        if *last == ts {
                            return Err(EvalError::duplicate_labelset());
                        }
                        *last = ts;
                        push_point(series, ts, s.f, s.h);
                        set_at(&mut last_step_out, j, i);
                    }
                    None => {
                        set_at(&mut last_step_out, j, out.len());
                        out_index.insert(s.metric.clone(), out.len());
                        let mut series = Series {
                            metric: s.metric,
                            floats: Vec::new(),
                            histograms: Vec::new(),
                            drop_name: s.drop_name,
                        };
                        push_point(&mut series, ts, s.f, s.h);
                        out.push((series, ts));
                    }
                }
            }
        }
        let mat: Vec<Series> = out.into_iter().map(|(s, _)| s).collect();
        self.samples = original + matrix_samples(&mat);
        Ok(mat)
    }
}

/// Sets `v[j]`, growing `v` as needed.
fn set_at(v: &mut Vec<usize>, j: usize, x: usize) {
    if j >= v.len() {
        v.resize(j + 1, usize::MAX);
    }
    v[j] = x;
}

/// A one-point series from a vector sample at `ts`.
pub(crate) fn sample_series(s: VectorSample, ts: i64) -> Series {
    let mut series = Series {
        metric: s.metric,
        floats: Vec::new(),
        histograms: Vec::new(),
        drop_name: s.drop_name,
    };
    push_point(&mut series, ts, s.f, s.h);
    series
}

/// Appends a float or histogram point.
pub(crate) fn push_point(
    series: &mut Series,
    t: i64,
    f: f64,
    h: Option<std::sync::Arc<crate::model::FloatHistogram>>,
) {
    match h {
        Some(h) => series.histograms.push(HPoint { t, h }),
        None => series.floats.push(FPoint { t, f }),
    }
}

/// The match signature of every input series: equal signatures share an ordinal.
fn signatures(inputs: &[Vec<Series>], m: &VectorMatching) -> (Vec<Vec<usize>>, usize) {
    let mut names: Vec<&str> = m.matching_labels.iter().map(String::as_str).collect();
    if !m.on {
        names.push(crate::model::METRIC_NAME);
    }
    let mut ordinals: HashMap<Labels, usize> = HashMap::default();
    let sigs = inputs
        .iter()
        .map(|mat| {
            mat.iter()
                .map(|s| {
                    let key = if m.on {
                        s.metric.keep_only(&names)
                    } else {
                        s.metric.without(&names)
                    };
                    let n = ordinals.len();
                    *ordinals.entry(key).or_insert(n)
                })
                .collect()
        })
        .collect();
    (sigs, ordinals.len())
}
