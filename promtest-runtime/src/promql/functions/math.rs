//! Element-wise math functions on instant vectors (`abs`, ...).

use crate::promql::engine::EvalError;
use crate::promql::functions::FunctionCall;

/// Applies `f` to every float sample of argument 0, dropping the metric name; histogram
/// samples are skipped (Prometheus's `simpleFloatFunc`).
pub fn simple_float(call: &mut FunctionCall<'_>, f: fn(f64) -> f64) -> Result<(), EvalError> {
    for s in call.vector(0) {
        if s.h.is_none() {
            call.push_float_dropping_name(&s.metric, f(s.f));
        }
    }
    Ok(())
}

/// `abs(v instant-vector)`.
pub fn abs(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    simple_float(call, f64::abs)
}
