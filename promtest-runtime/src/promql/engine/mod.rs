//! Evaluation of PromQL expressions over a [`Store`]: instant and range queries share one
//! step loop (`step_loop`); the modules below hold one concept each.

mod aggregate;
mod aggregate_k;
mod binary;
mod call;
pub mod errors;
mod hash;
mod histogram_stats;
pub mod histogram_trim;
mod info;
mod label_memo;
pub mod limits;
mod matrix;
pub mod names;
mod preprocess;
mod selectors;
mod smoothed;
mod step_loop;
mod subquery;
mod vector_match;

pub use errors::EvalError;

use crate::model::Timestamp;
use crate::promql::annotations::Annotations;
use crate::promql::ast::{Expr, ValueType};
use crate::promql::value::{Value, VectorSample};
use crate::semantics::Semantics;
use crate::store::Store;
use preprocess::QueryContext;
use step_loop::{Evaluator, Val};

/// Engine settings; the defaults are those of Prometheus's promqltest engine. Start from
/// `EngineOptions::default()` and set the fields that differ.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EngineOptions {
    /// How far back an instant selector looks for a sample (ms). Default 5m.
    pub lookback_delta: i64,
    /// Most samples a query may hold in memory at once. Default 10,000.
    pub max_samples: usize,
    /// Subquery step when none is written (ms). Default 1m.
    pub default_subquery_step: i64,
    /// Whether the `@` modifier is allowed.
    pub enable_at_modifier: bool,
    /// Whether negative offsets are allowed.
    pub enable_negative_offset: bool,
    /// Whether `__name__` removal is delayed to the end of evaluation.
    pub delayed_name_removal: bool,
    /// How long a query may run before it fails with Prometheus's "query timed out in
    /// expression evaluation"; `None` for no limit. Default 100s (promqltest's and promtool's
    /// engines).
    pub timeout: Option<std::time::Duration>,
    /// The Prometheus release whose semantics to follow (window closedness, function
    /// results, …): every difference is one switch of [`Semantics`]. Default: HEAD.
    pub semantics: Semantics,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            lookback_delta: 5 * 60 * 1000,
            max_samples: 10_000,
            default_subquery_step: 60 * 1000,
            enable_at_modifier: true,
            enable_negative_offset: true,
            delayed_name_removal: true,
            timeout: Some(std::time::Duration::from_secs(100)),
            semantics: Semantics::default(),
        }
    }
}

/// The outcome of one query: a value or an error, plus annotations.
#[derive(Debug, Clone)]
pub struct QueryResult {
    /// The value, or the evaluation error.
    pub value: Result<Value, EvalError>,
    /// Warnings and infos.
    pub annotations: Annotations,
}

/// The PromQL engine.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    /// Settings.
    pub options: EngineOptions,
}

impl Engine {
    /// An engine with these settings.
    pub fn new(options: EngineOptions) -> Self {
        Engine { options }
    }

    /// Evaluates `expr` at time `t`.
    pub fn instant(&self, store: &Store, expr: &Expr, t: Timestamp) -> QueryResult {
        self.range(store, expr, t, t, 0)
    }

    /// Evaluates `expr` at every `step` from `start` to `end` (inclusive); `step == 0` means an instant query.
    pub fn range(
        &self,
        store: &Store,
        expr: &Expr,
        start: Timestamp,
        end: Timestamp,
        step: i64,
    ) -> QueryResult {
        let mut annotations = Annotations::new();
        let value = self.run(store, expr, start, end, step, &mut annotations);
        QueryResult { value, annotations }
    }

    fn run(
        &self,
        store: &Store,
        expr: &Expr,
        start: Timestamp,
        end: Timestamp,
        step: i64,
        annotations: &mut Annotations,
    ) -> Result<Value, EvalError> {
        let instant = start == end && step == 0;
        let ty = expr.value_type();
        if !instant && !matches!(ty, ValueType::Scalar | ValueType::Vector) {
            return Err(EvalError::engine(format!(
                "invalid expression type {:?} for range query, must be Scalar or instant Vector",
                ty.name()
            )));
        }
        if !instant && step <= 0 {
            return Err(EvalError::engine(
                "zero or negative query resolution step widths are not accepted. Try a positive integer",
            ));
        }
        let ctx = QueryContext::new(expr, start, end, step)?;
        let mut ev = Evaluator {
            store,
            ctx: &ctx,
            opts: &self.options,
            start,
            end,
            interval: if instant { 1 } else { step },
            samples: 0,
            annos: Annotations::new(),
            deadline: self
                .options
                .timeout
                .and_then(|t| std::time::Instant::now().checked_add(t)),
            ticks: 0,
        };
        ev.check_deadline()?;
        let res = ev.eval(expr);
        annotations.merge(std::mem::take(&mut ev.annos));
        let val = res?;
        let mut mat = match val {
            Val::Str(s) => return Ok(Value::String { t: start, v: s }),
            Val::Matrix(m) => m,
        };
        let delayed = self.options.delayed_name_removal;
        if instant {
            match ty {
                ValueType::Vector => {
                    let vec: Vec<VectorSample> = mat
                        .into_iter()
                        .map(|s| VectorSample {
                            metric: s.metric,
                            t: start,
                            f: s.floats.first().map_or(0.0, |p| p.f),
                            h: s.histograms.first().map(|p| p.h.clone()),
                            drop_name: s.drop_name,
                        })
                        .collect();
                    let vec = if delayed {
                        names::cleanup_vector(vec)?
                    } else {
                        vec
                    };
                    return Ok(Value::Vector(vec));
                }
                ValueType::Scalar => {
                    let v = mat
                        .first()
                        .and_then(|s| s.floats.first())
                        .map_or(f64::NAN, |p| p.f);
                    return Ok(Value::Scalar { t: start, v });
                }
                _ => {}
            }
        }
        if delayed {
            mat = names::cleanup_matrix(mat)?;
        }
        mat.sort_by(|a, b| a.metric.cmp(&b.metric));
        Ok(Value::Matrix(mat))
    }
}

#[cfg(test)]
mod query_tests;
#[cfg(test)]
mod tests;
