//! PromQL functions: the function table (signature, implementation and evaluation flags of
//! each), and the interface implementations are written against.
//!
//! # Writing a function
//!
//! An implementation is a plain `fn(&mut FunctionCall<'_>) -> Result<(), EvalError>`,
//! registered in its function's entry of the [`table`] (with its signature and the flags
//! that make the engine treat it specially). The engine calls it once per evaluation step
//! (and, for functions taking a range vector, once per step *and per input series*) with the
//! arguments already evaluated for that step:
//!
//! - scalar arguments arrive as [`ArgValue::Scalar`],
//! - string arguments as [`ArgValue::String`] (the literal's value),
//! - instant vectors as [`ArgValue::Vector`] (each [`VectorSample`] has `metric`, `t` (the
//!   step's timestamp; for `timestamp(selector)` the sample's own timestamp), `f` or `h`, and
//!   `drop_name`),
//! - the range-vector argument as [`ArgValue::Range`]: one series' window of float and
//!   histogram points ([`RangeArg`]), stale markers already removed, with the window's bounds.
//!
//! The implementation pushes its result onto [`FunctionCall::out`]:
//!
//! - functions returning an instant vector push one sample per output series, with the
//!   output labels and `drop_name` set as Prometheus's function does (most functions that
//!   change a value set `drop_name: true`; with delayed name removal the engine removes
//!   `__name__` at the end; see [`FunctionCall::result_metric`]);
//! - functions over a range vector push at most one sample (labels and timestamp are filled
//!   in by the engine, which also sets `drop_name` unless the function is
//!   `last_over_time`/`first_over_time`);
//! - functions returning a scalar push exactly one sample (empty labels) holding the value.
//!
//! Annotations are added with [`FunctionCall::annotations`] (`warn`/`info` with the message
//! text as Prometheus words it and the span of the argument it refers to, e.g.
//! `call.arg_span(0)`). Errors Prometheus would raise are returned as
//! [`EvalError::Engine`] with Prometheus's text; features not implemented as
//! [`EvalError::Unsupported`] naming them (never a silently wrong answer, e.g. for native
//! histogram arithmetic not implemented yet).
//!
//! The engine itself handles: `start()`, `end()`, `range()`, `step()` (query constants),
//! `timestamp(selector)` (passes the samples' own timestamps in `t`), `start_timestamp()`,
//! `info()`, the "sort in range query" warning, the rate/increase "might not be a counter"
//! info, `absent_over_time`'s filling of the missing steps (the function only needs to push
//! nothing for present series), the anchored/smoothed allow-lists, and sample limits.
//!
//! Native histogram arithmetic for implementations lives in the model:
//! [`histogram_math`](crate::model::histogram_math) (`combine` for `Add`/`Sub` with
//! schema, zero-bucket and custom-bound reconciliation, `mul`, `div`, `compact`, `equals`,
//! `exponential_bound`, `expand`/`collapse`),
//! [`KahanSum`](crate::model::histogram_math::KahanSum)
//! (compensated sums, as `sum`/`avg` use) and
//! [`histogram_trim`](crate::promql::engine::histogram_trim) (`trim`, `histogram_string`).

pub mod annotate;
pub mod arithmetic;
pub mod changes;
pub mod conversion;
pub mod extrapolation;
pub mod histogram_buckets;
pub mod histogram_classic;

pub mod histogram_native;
pub mod histogram_quantile;
pub mod histogram_stats;
pub mod instant_rate;
pub mod labels;
pub mod math;
pub mod nhcb_bounds;
pub mod over_time;
pub mod over_time_histograms;
pub mod over_time_pick;
pub mod over_time_stats;
pub mod quantile;
pub mod rate;
pub mod rate_histogram;
pub mod regression;
#[cfg(test)]
mod robustness_tests;
pub mod smoothing;
pub mod sort;
pub mod table;
#[cfg(test)]
pub(crate) mod test_util;
pub mod time;
pub mod trig;

pub use table::Evaluation;
#[cfg(test)]
pub use table::{lookup, FUNCTIONS};

use crate::model::{Labels, Timestamp};
use crate::promql::annotations::Annotations;
use crate::promql::ast::{Call, Expr, Span};
use crate::promql::engine::EvalError;
use crate::promql::value::{FPoint, HPoint, VectorSample};

/// A function implementation: reads [`FunctionCall::args`], pushes onto [`FunctionCall::out`].
pub type FunctionImpl = fn(&mut FunctionCall<'_>) -> Result<(), EvalError>;

/// One series' points for one step of a function over a range vector.
#[derive(Debug, Clone, Copy)]
pub struct RangeArg<'a> {
    /// The input series' labels (with `__name__`).
    pub metric: &'a Labels,
    /// Float points in the window, in time order (no stale markers).
    pub floats: &'a [FPoint],
    /// Histogram points in the window, in time order (no stale markers).
    pub histograms: &'a [HPoint],
    /// Start (created) timestamps aligned with `floats` (0 when unknown); only given to
    /// `rate`, `irate`, `increase` and `resets` (Prometheus's `UseStartTimestamps`), else empty.
    pub float_start_timestamps: &'a [i64],
    /// Start timestamps aligned with `histograms`, as `float_start_timestamps`.
    pub histogram_start_timestamps: &'a [i64],
    /// The selector's range (ms), e.g. 300000 for `[5m]` (the subquery's range for a subquery).
    pub range: i64,
    /// Exclusive lower bound of the window: `t - offset - range`.
    pub range_start: Timestamp,
    /// Inclusive upper bound of the window: `t - offset`.
    pub range_end: Timestamp,
    /// The `anchored` modifier: the window also holds points up to the lookback delta before
    /// `range_start` (the function extends the window itself).
    pub anchored: bool,
    /// The `smoothed` modifier: the window also holds points up to the lookback delta before
    /// `range_start` and after `range_end`.
    pub smoothed: bool,
    /// Known: no two consecutive `floats` decrease and every start timestamp is 0, so a
    /// counter's reset loop would add nothing (false when not known).
    pub plain_counter: bool,
}

/// One evaluated argument for one step.
#[derive(Debug, Clone, Copy)]
pub enum ArgValue<'a> {
    /// A scalar argument's value at this step.
    Scalar(f64),
    /// A string argument (a literal).
    String(&'a str),
    /// An instant-vector argument at this step.
    Vector(&'a [VectorSample]),
    /// The range-vector argument: one series' window.
    Range(RangeArg<'a>),
}

/// The context of one call of a function implementation.
pub struct FunctionCall<'a> {
    /// The call in the query (function signature, argument expressions and spans).
    pub call: &'a Call,
    /// The evaluation timestamp of this step (ms).
    pub t: Timestamp,
    /// The evaluated arguments, one per argument of the call.
    pub args: &'a [ArgValue<'a>],
    /// The output; see the module documentation for what to push.
    pub out: &'a mut Vec<VectorSample>,
    /// Warnings and infos of the query.
    pub annotations: &'a mut Annotations,
    /// Whether `__name__` removal is delayed to the end of evaluation (always so in tests).
    pub delayed_name_removal: bool,
    /// The Prometheus release whose results to give.
    pub semantics: crate::semantics::Semantics,
}

impl<'a> FunctionCall<'a> {
    /// The function's name.
    pub fn name(&self) -> &'static str {
        self.call.func.name
    }

    /// The span of argument `i` (for annotations), or the call's span if there is no such argument.
    pub fn arg_span(&self, i: usize) -> Span {
        self.call.args.get(i).map_or(self.call.span, Expr::span)
    }

    /// Argument `i` as a scalar (NaN if it is not one).
    pub fn scalar(&self, i: usize) -> f64 {
        match self.args.get(i) {
            Some(ArgValue::Scalar(f)) => *f,
            _ => f64::NAN,
        }
    }

    /// Argument `i` as a string ("" if it is not one).
    pub fn string(&self, i: usize) -> &'a str {
        match self.args.get(i) {
            Some(ArgValue::String(s)) => s,
            _ => "",
        }
    }

    /// Argument `i` as an instant vector (empty if it is not one).
    pub fn vector(&self, i: usize) -> &'a [VectorSample] {
        match self.args.get(i) {
            Some(ArgValue::Vector(v)) => v,
            _ => &[],
        }
    }

    /// The range-vector argument (the first `ArgValue::Range`), if any.
    pub fn range(&self) -> Option<RangeArg<'a>> {
        self.args.iter().find_map(|a| match a {
            ArgValue::Range(r) => Some(*r),
            _ => None,
        })
    }

    /// The labels an output sample derived from `metric` gets when its name is to be dropped:
    /// unchanged with delayed name removal (set `drop_name: true` on the sample instead),
    /// otherwise without `__name__`, `__type__` and `__unit__`.
    pub fn result_metric(&self, metric: &Labels) -> Labels {
        if self.delayed_name_removal {
            metric.clone()
        } else {
            crate::promql::engine::names::drop_metadata_labels(metric)
        }
    }

    /// Pushes a float sample with `metric`, dropping the name (as most functions do).
    pub fn push_float_dropping_name(&mut self, metric: &Labels, f: f64) {
        let metric = self.result_metric(metric);
        self.out.push(VectorSample {
            metric,
            t: self.t,
            f,
            h: None,
            drop_name: true,
        });
    }

    /// Pushes a single value with empty labels (range-vector and scalar functions).
    pub fn push_value(&mut self, f: f64) {
        self.out.push(VectorSample {
            metric: Labels::empty(),
            t: self.t,
            f,
            h: None,
            drop_name: false,
        });
    }
}

/// The labels `absent(...)`/`absent_over_time(...)` give their output, from the argument's
/// equality matchers (Prometheus's `createLabelsForAbsentFunction`): a label matched more than
/// once, or by a non-equality matcher, is left out.
pub fn labels_for_absent(arg: &Expr) -> Labels {
    let matchers = match arg.unparen() {
        Expr::VectorSelector(vs) => &vs.matchers,
        Expr::MatrixSelector(ms) => &ms.vector_selector().matchers,
        _ => return Labels::empty(),
    };
    let mut out = Labels::empty();
    let mut has = std::collections::HashSet::new();
    for m in matchers {
        if m.name == crate::model::METRIC_NAME {
            continue;
        }
        if m.op == crate::model::MatchOp::Equal && !has.contains(m.name.as_str()) {
            out = out.with(&m.name, &m.value);
            has.insert(m.name.as_str());
        } else {
            out = out.with(&m.name, "");
        }
    }
    out
}
