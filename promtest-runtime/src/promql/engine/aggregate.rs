//! Aggregation operators (placeholder until the aggregation work lands).

use crate::promql::ast::AggregateExpr;
use crate::promql::engine::errors::{EvalError, EvalResult};
use crate::promql::engine::step_loop::Evaluator;
use crate::promql::value::Series;

impl<'a> Evaluator<'a> {
    /// Evaluates an aggregation.
    pub(crate) fn eval_aggregate(&mut self, a: &AggregateExpr) -> EvalResult<Vec<Series>> {
        Err(EvalError::unsupported(format!(
            "aggregation {}",
            a.op.as_str()
        )))
    }
}
