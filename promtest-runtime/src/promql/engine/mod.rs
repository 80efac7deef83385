//! Evaluation of PromQL expressions over a [`Store`]: instant and range queries share one step loop.
//!
//! (Placeholder: the evaluator lands in the engine work.)

use crate::model::Timestamp;
use crate::promql::annotations::Annotations;
use crate::promql::ast::Expr;
use crate::promql::value::Value;
use crate::store::Store;

/// Engine settings; the defaults are those of Prometheus's promqltest engine.
#[derive(Debug, Clone)]
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
        }
    }
}

/// An error evaluating a query.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// An error Prometheus would also report; the text is Prometheus's.
    #[error("{0}")]
    Engine(String),
    /// A PromQL feature promtest does not implement yet (never a silent wrong answer).
    #[error("unsupported by promtest: {0}")]
    Unsupported(String),
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
        _store: &Store,
        _expr: &Expr,
        _start: Timestamp,
        _end: Timestamp,
        _step: i64,
    ) -> QueryResult {
        QueryResult {
            value: Err(EvalError::Unsupported("evaluator not built yet".into())),
            annotations: Annotations::new(),
        }
    }
}
