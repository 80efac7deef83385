//! Function calls: per-step dispatch to [`crate::promql::functions`], windows of range-vector
//! arguments slid over the steps, and the calls Prometheus's engine treats specially.

use crate::promql::annotations::Annotations;
use crate::promql::ast::{Call, Expr, ValueType};
use crate::promql::engine::errors::{go_quote, EvalError, EvalResult};
use crate::promql::engine::matrix::PointSeries;
use crate::promql::engine::selectors::lookup;
use crate::promql::engine::step_loop::Evaluator;
use crate::promql::functions::{
    labels_for_absent, ArgValue, Evaluation, FunctionCall, FunctionImpl, RangeArg,
};
use crate::promql::value::{FPoint, Series, VectorSample};

/// The range-vector input of a call: its series and how windows are cut from them.
struct RangeInput<'s> {
    series: Vec<RangeSeries<'s>>,
    range: i64,
    /// Effective offset, as Prometheus's adjusted `Offset` (with `@`: relative to the start).
    offset: i64,
    /// Whether the window is fixed (an `@` modifier): taken at the first step for all steps.
    fixed: bool,
    anchored: bool,
    smoothed: bool,
    /// Samples the subquery's result holds (released once the call is evaluated).
    held_samples: usize,
}

/// One series of a range-vector input: a stored one, whose points are read only when the call
/// comes to it (one series' points in memory at a time), or a subquery's.
enum RangeSeries<'s> {
    /// A selected series; `stats_only` reads its histograms as count and sum only.
    Stored {
        view: crate::store::SeriesView<'s>,
        stats_only: bool,
        /// The release's histogram reset detection
        /// ([`crate::Semantics::nhcb_bounds_change_is_reset`]).
        bounds_change_is_reset: bool,
    },
    /// A subquery's output series.
    Computed(PointSeries),
}

impl RangeSeries<'_> {
    /// The series' points.
    fn points(&self) -> std::borrow::Cow<'_, PointSeries> {
        use std::borrow::Cow;
        match self {
            RangeSeries::Stored {
                view,
                stats_only: false,
                ..
            } => Cow::Owned(PointSeries::from_view(view)),
            RangeSeries::Stored {
                view,
                stats_only: true,
                bounds_change_is_reset,
            } => {
                let stats = crate::promql::engine::histogram_stats::stats_samples(
                    view.samples,
                    *bounds_change_is_reset,
                );
                Cow::Owned(PointSeries::from_view(&crate::store::SeriesView {
                    labels: view.labels,
                    samples: stats.all(),
                }))
            }
            RangeSeries::Computed(ps) => Cow::Borrowed(ps),
        }
    }
}

/// The implementation the function table gives `c`'s function.
fn function_for(c: &Call) -> EvalResult<FunctionImpl> {
    match c.func.evaluation {
        Evaluation::Impl(f) => Ok(f),
        Evaluation::Engine => Err(EvalError::unsupported(format!(
            "function {}()",
            c.func.name
        ))),
    }
}

impl<'a> Evaluator<'a> {
    /// Evaluates a function call.
    pub(crate) fn eval_call(&mut self, c: &Call) -> EvalResult<Vec<Series>> {
        let (name, flags) = (c.func.name, &c.func.flags);
        if flags.query_constant {
            let q = self.ctx;
            let v = match name {
                "start" => q.start as f64 / 1000.0,
                "end" => q.end as f64 / 1000.0,
                "range" => (q.end - q.start) as f64 / 1000.0,
                _ if q.start != q.end => q.step as f64 / 1000.0,
                _ => 0.0,
            };
            return self.constant(v);
        }
        if name == "info" {
            return self.eval_info(c);
        }
        if name == "timestamp" || name == "start_timestamp" {
            if let Some(Expr::VectorSelector(vs)) = c.args.first().map(Expr::unparen) {
                return self.eval_timestamp_of_selector(c, vs);
            }
        }
        if name == "start_timestamp" {
            // Start timestamps are only known for samples read by a selector.
            if let Some(a) = c.args.first() {
                self.eval_matrix(a)?;
            }
            return Ok(Vec::new());
        }
        let matrix_arg = c
            .args
            .iter()
            .position(|a| matches!(a.unparen(), Expr::MatrixSelector(_) | Expr::Subquery(_)));
        if flags.sorts && !self.is_instant() {
            self.annos.warn(
                "PromQL warning: sort is ineffective for range queries since results are always ordered by labels",
                Some(c.span),
            );
        }
        let Some(mi) = matrix_arg else {
            let f = function_for(c)?;
            let args: Vec<&Expr> = c.args.iter().collect();
            let delayed = self.opts.delayed_name_removal;
            return self.range_eval(&args, None, |input, annos| {
                let vals: Vec<ArgValue<'_>> = c
                    .args
                    .iter()
                    .zip(input.vectors)
                    .map(|(e, v)| arg_value(e, v))
                    .collect();
                let mut out = Vec::new();
                let mut call = FunctionCall {
                    call: c,
                    t: input.ts,
                    args: &vals,
                    out: &mut out,
                    annotations: annos,
                    delayed_name_removal: delayed,
                    semantics: self.opts.semantics,
                };
                f(&mut call)?;
                Ok(out)
            });
        };
        self.eval_range_function(c, mi)
    }

    /// A call with a range-vector argument: per series, per step.
    fn eval_range_function(&mut self, c: &Call, mi: usize) -> EvalResult<Vec<Series>> {
        let flags = &c.func.flags;
        let input = self.range_input(c, mi)?;
        if let Some(e) = c.range_modifier_error() {
            return Err(EvalError::engine(e));
        }
        let f = function_for(c)?;
        let mut others: Vec<Option<Vec<Series>>> = Vec::with_capacity(c.args.len());
        for (i, a) in c.args.iter().enumerate() {
            if i == mi || a.value_type() == ValueType::String {
                others.push(None);
            } else {
                others.push(Some(self.eval_matrix(a)?));
            }
        }
        let steps = self.steps();
        let lookback = self.opts.lookback_delta;
        let sem = self.opts.semantics;
        let delayed = self.opts.delayed_name_removal;
        let use_sts = flags.start_timestamps;
        let keeps_name = flags.keeps_name;
        let (extend_back, extend_fwd) = if input.anchored {
            (lookback, 0)
        } else if input.smoothed {
            (lookback, lookback)
        } else {
            (0, 0)
        };
        let mut mat: Vec<Series> = Vec::with_capacity(input.series.len());
        let mut out: Vec<VectorSample> = Vec::with_capacity(1);
        for source in &input.series {
            let ps = source.points();
            let ps = ps.as_ref();
            // Borrows this series' points.
            let mut vals: Vec<ArgValue<'_>> = Vec::with_capacity(c.args.len());
            let mut ss = Series {
                metric: ps.metric.clone(),
                floats: Vec::new(),
                histograms: Vec::new(),
                drop_name: !keeps_name || ps.drop_name,
            };
            if !delayed && ss.drop_name {
                ss.metric = crate::promql::engine::names::drop_metadata_labels(&ss.metric);
            }
            let irregular = if use_sts {
                ps.irregular_pairs()
            } else {
                Vec::new()
            };
            let mut window: Option<crate::promql::engine::matrix::Window> = None;
            for (step, ts) in steps.enumerate() {
                if window.is_none() || !input.fixed {
                    let maxt = ts - input.offset;
                    let mint = sem.window_start(maxt, input.range);
                    let (lo, hi) = (mint - extend_back, maxt + extend_fwd);
                    match &mut window {
                        // Consecutive steps' windows are near each other.
                        Some(w) => ps.slide(w, lo, hi),
                        None => window = Some(ps.window(lo, hi)),
                    }
                }
                let Some(w) = window else { continue };
                if w.len() == 0 {
                    continue;
                }
                let held = ps.window_samples(&w);
                if self.samples + held > self.opts.max_samples {
                    return Err(EvalError::too_many_samples());
                }
                let range_end = ts - input.offset;
                vals.clear();
                vals.extend(c.args.iter().enumerate().map(|(i, e)| {
                    if i == mi {
                        ArgValue::Range(RangeArg {
                            metric: &ps.metric,
                            floats: &ps.floats[w.floats.0..w.floats.1],
                            histograms: &ps.histograms[w.histograms.0..w.histograms.1],
                            // Empty when every start timestamp is 0 (which reads as none).
                            float_start_timestamps: if use_sts {
                                ps.float_sts.get(w.floats.0..w.floats.1).unwrap_or(&[])
                            } else {
                                &[]
                            },
                            histogram_start_timestamps: if use_sts {
                                let (a, b) = w.histograms;
                                ps.histogram_sts.get(a..b).unwrap_or(&[])
                            } else {
                                &[]
                            },
                            range: input.range,
                            range_start: range_end - input.range,
                            range_end,
                            anchored: input.anchored,
                            smoothed: input.smoothed,
                            plain_counter: use_sts && {
                                let (a, b) = w.floats;
                                b < a + 2 || irregular[b - 1] == irregular[a]
                            },
                        })
                    } else {
                        match (&others[i], e.unparen()) {
                            (Some(m), _) => ArgValue::Scalar(
                                m.first()
                                    .and_then(|s| s.floats.get(step))
                                    .map_or(f64::NAN, |p| p.f),
                            ),
                            (None, Expr::String(s)) => ArgValue::String(&s.val),
                            (None, _) => ArgValue::String(""),
                        }
                    }
                }));
                out.clear();
                let mut call = FunctionCall {
                    call: c,
                    t: ts,
                    args: &vals,
                    out: &mut out,
                    annotations: &mut self.annos,
                    delayed_name_removal: delayed,
                    semantics: self.opts.semantics,
                };
                f(&mut call)?;
                if let Some(s) = out.pop() {
                    match s.h {
                        Some(h) => ss
                            .histograms
                            .push(crate::promql::value::HPoint { t: ts, h }),
                        None => ss.floats.push(FPoint { t: ts, f: s.f }),
                    }
                }
            }
            let n = crate::promql::engine::limits::matrix_samples(std::slice::from_ref(&ss));
            if n > 0 {
                if self.samples + n > self.opts.max_samples {
                    return Err(EvalError::too_many_samples());
                }
                self.samples += n;
                if flags.counter_info && !ss.floats.is_empty() {
                    non_counter_info(&mut self.annos, &ps.metric, c.args[0].span());
                }
                mat.push(ss);
            }
        }
        // The subquery's result is no longer held.
        self.samples = self.samples.saturating_sub(input.held_samples);
        if flags.fills_absent_steps {
            return Ok(self.absent_over_time(c, &mat, keeps_name));
        }
        if !delayed {
            let mut seen = rustc_hash::FxHashSet::default();
            if !mat.iter().all(|s| seen.insert(&s.metric)) {
                return Err(EvalError::duplicate_labelset());
            }
        }
        Ok(mat)
    }

    /// The series and window parameters of argument `mi` (a range selector or subquery).
    fn range_input(&mut self, c: &Call, mi: usize) -> EvalResult<RangeInput<'a>> {
        match c.args[mi].unparen() {
            Expr::MatrixSelector(ms) => {
                let vs = ms.vector_selector();
                let (offset, at) = self.selector_times(vs)?;
                let range = self.ctx.duration(&ms.range, false)?;
                let eff_offset = offset + at.map_or(0, |a| self.start - a);
                let lookback = self.opts.lookback_delta;
                let (lo, hi) = match at {
                    Some(a) => (a - offset, a - offset),
                    None => (self.start - offset, self.end - offset),
                };
                let mut mint = self.opts.semantics.window_start(lo, range);
                let mut maxt = hi;
                if vs.anchored || vs.smoothed {
                    mint -= lookback;
                }
                if vs.smoothed {
                    maxt += lookback;
                }
                let store = self.store;
                let stats_only = self.ctx.stats_only_selector(vs);
                // Stats-only reading starts at the first sample at or after the first window's
                // start.
                let first = if stats_only { mint } else { mint + 1 };
                let series = store
                    .select(&vs.matchers, first, maxt)
                    .into_iter()
                    .map(|view| RangeSeries::Stored {
                        view,
                        stats_only,
                        bounds_change_is_reset: self.opts.semantics.nhcb_bounds_change_is_reset,
                    })
                    .collect();
                Ok(RangeInput {
                    series,
                    range,
                    offset: eff_offset,
                    fixed: at.is_some(),
                    anchored: vs.anchored,
                    smoothed: vs.smoothed,
                    held_samples: 0,
                })
            }
            Expr::Subquery(sq) => {
                let (mat, eff_offset, range) = self.run_subquery(sq)?;
                let held_samples = crate::promql::engine::limits::matrix_samples(&mat);
                let series = mat
                    .into_iter()
                    .map(|s| RangeSeries::Computed(subquery_points(s)))
                    .collect();
                Ok(RangeInput {
                    series,
                    range,
                    offset: eff_offset,
                    fixed: sq.at.is_some(),
                    anchored: false,
                    smoothed: false,
                    held_samples,
                })
            }
            _ => Err(EvalError::engine("expected a range vector argument")),
        }
    }

    /// `absent_over_time`: 1 at the steps where no input series had a value.
    fn absent_over_time(&self, c: &Call, mat: &[Series], keeps_name: bool) -> Vec<Series> {
        let steps = self.num_steps();
        let mut found = rustc_hash::FxHashSet::default();
        for s in mat {
            if s.floats.len() + s.histograms.len() == steps {
                return Vec::new();
            }
            found.extend(s.floats.iter().map(|p| p.t));
            found.extend(s.histograms.iter().map(|p| p.t));
        }
        if found.len() == steps {
            return Vec::new();
        }
        let floats: Vec<FPoint> = self
            .steps()
            .filter(|t| !found.contains(t))
            .map(|t| FPoint { t, f: 1.0 })
            .collect();
        let metric = match c.args[0].unparen() {
            Expr::MatrixSelector(_) => labels_for_absent(&c.args[0]),
            _ => crate::model::Labels::empty(),
        };
        vec![Series {
            metric,
            floats,
            histograms: Vec::new(),
            drop_name: !keeps_name,
        }]
    }

    /// `timestamp(selector)`: the selected samples' own timestamps, per step; likewise
    /// `start_timestamp(selector)` with their start (created) timestamps.
    fn eval_timestamp_of_selector(
        &mut self,
        c: &Call,
        vs: &crate::promql::ast::VectorSelector,
    ) -> EvalResult<Vec<Series>> {
        let (offset, at) = self.selector_times(vs)?;
        let lookback = self.opts.lookback_delta;
        let (lo, hi) = match at {
            Some(a) => (a - offset, a - offset),
            None => (self.start - offset, self.end - offset),
        };
        let store = self.store;
        let sem = self.opts.semantics;
        let views = store.select(&vs.matchers, sem.window_start(lo, lookback) + 1, hi);
        let start_ts = c.func.name == "start_timestamp";
        let f = if start_ts {
            None
        } else {
            Some(function_for(c)?)
        };
        let delayed = self.opts.delayed_name_removal;
        let max = self.opts.max_samples;
        let base = self.samples;
        self.range_eval(&[], None, |input, annos: &mut Annotations| {
            let mut vec = Vec::with_capacity(views.len());
            for view in &views {
                let r = at.unwrap_or(input.ts) - offset;
                if let Some(s) = lookup(view.samples, r, sem.window_start(r, lookback)) {
                    vec.push(VectorSample {
                        metric: view.labels.clone(),
                        t: s.t,
                        // start_timestamp() reports the sample's start time.
                        f: s.st as f64 / 1000.0,
                        h: None,
                        drop_name: start_ts,
                    });
                }
            }
            if base + vec.len() > max {
                return Err(EvalError::too_many_samples());
            }
            let Some(f) = f else {
                if !delayed {
                    for s in &mut vec {
                        s.metric = crate::promql::engine::names::drop_metadata_labels(&s.metric);
                    }
                }
                return Ok(vec);
            };
            let args = [ArgValue::Vector(&vec)];
            let mut out = Vec::new();
            let mut call = FunctionCall {
                call: c,
                t: input.ts,
                args: &args,
                out: &mut out,
                annotations: annos,
                delayed_name_removal: delayed,
                semantics: self.opts.semantics,
            };
            f(&mut call)?;
            Ok(out)
        })
    }
}

/// The per-step argument value of expression `e` from its gathered vector.
fn arg_value<'v>(e: &'v Expr, v: &'v [VectorSample]) -> ArgValue<'v> {
    match e.value_type() {
        ValueType::Scalar => ArgValue::Scalar(v.first().map_or(f64::NAN, |s| s.f)),
        ValueType::String => match e.unparen() {
            Expr::String(s) => ArgValue::String(&s.val),
            _ => ArgValue::String(""),
        },
        _ => ArgValue::Vector(v),
    }
}

/// A subquery's output series as range-vector input: counter-reset hints other than
/// "gauge" become "unknown" (Prometheus's `evalSubquery`).
fn subquery_points(s: Series) -> PointSeries {
    use crate::model::CounterResetHint;
    let histograms = s
        .histograms
        .into_iter()
        .map(|mut p| {
            if matches!(
                p.h.counter_reset_hint,
                CounterResetHint::CounterReset | CounterResetHint::NotCounterReset
            ) {
                let mut h = (*p.h).clone();
                h.counter_reset_hint = CounterResetHint::Unknown;
                p.h = std::sync::Arc::new(h);
            }
            p
        })
        .collect::<Vec<_>>();
    PointSeries {
        metric: s.metric,
        float_sts: Vec::new(),
        histogram_sts: Vec::new(),
        floats: s.floats,
        histograms,
        drop_name: s.drop_name,
    }
}

/// The "might not be a counter" info for `rate`/`increase` over a badly named metric.
fn non_counter_info(
    annos: &mut Annotations,
    metric: &crate::model::Labels,
    span: crate::promql::ast::Span,
) {
    let Some(name) = metric.metric_name() else {
        return;
    };
    if ["_total", "_sum", "_count", "_bucket"]
        .iter()
        .any(|s| name.ends_with(s))
    {
        return;
    }
    annos.info(
        format!(
            "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: {}",
            go_quote(name)
        ),
        Some(span),
    );
}
