//! Annotations shared by function implementations, worded as Prometheus's `util/annotations`.

use crate::literals::float::format_g;
use crate::model::Labels;
use crate::promql::ast::Span;
use crate::promql::engine::errors::go_quote;
use crate::promql::functions::FunctionCall;

/// The metric name of `metric`, or "" (Prometheus's `getMetricName`).
pub fn metric_name(metric: &Labels) -> &str {
    metric.metric_name().unwrap_or("")
}

/// `NewMixedFloatsHistogramsWarning`: a range held both floats and histograms.
pub fn mixed_floats_histograms(call: &mut FunctionCall<'_>, metric: &Labels, span: Span) {
    call.annotations.warn(
        format!(
            "PromQL warning: encountered a mix of histograms and floats for metric name {}",
            go_quote(metric_name(metric))
        ),
        Some(span),
    );
}

/// `NewHistogramIgnoredInMixedRangeInfo`: histograms were ignored in a mixed range.
pub fn histogram_ignored_in_mixed_range(call: &mut FunctionCall<'_>, metric: &Labels, span: Span) {
    call.annotations.info(
        format!(
            "PromQL info: ignored histograms in a range containing both floats and histograms for metric name {}",
            go_quote(metric_name(metric))
        ),
        Some(span),
    );
}

/// `NewInvalidQuantileWarning`: a quantile outside `[0, 1]` (or NaN).
pub fn invalid_quantile(call: &mut FunctionCall<'_>, q: f64, span: Span) {
    call.annotations.warn(
        format!(
            "PromQL warning: quantile value should be between 0 and 1, got {}",
            format_g(q)
        ),
        Some(span),
    );
}

/// The span covering all arguments of the call (Prometheus's `args.PositionRange()`).
pub fn args_span(call: &FunctionCall<'_>) -> Span {
    match (call.call.args.first(), call.call.args.last()) {
        (Some(first), Some(last)) => Span {
            start: first.span().start,
            end: last.span().end,
        },
        _ => call.call.span,
    }
}

/// `NewMixedExponentialCustomHistogramsWarning`.
pub fn mixed_exponential_custom(call: &mut FunctionCall<'_>, metric: &Labels, span: Span) {
    call.annotations.warn(
        format!(
            "PromQL warning: vector contains a mix of histograms with exponential and custom buckets schemas for metric name {}",
            go_quote(metric_name(metric))
        ),
        Some(span),
    );
}

/// `NewIncompatibleCustomBucketsHistogramsWarning` (3.5 and before: custom-bucket histograms
/// with different bounds, `Semantics::nhcb_mismatch_incompatible`).
pub fn incompatible_custom_buckets(
    annotations: &mut crate::promql::annotations::Annotations,
    metric: &Labels,
    span: Span,
) {
    annotations.warn(
        format!(
            "PromQL warning: vector contains histograms with incompatible custom buckets for metric name {}",
            go_quote(metric_name(metric))
        ),
        Some(span),
    );
}

/// `NewHistogramCounterResetCollisionWarning` for `operation` ("aggregation", "subtraction").
pub fn counter_reset_collision(call: &mut FunctionCall<'_>, span: Span, operation: &str) {
    call.annotations.warn(
        format!("PromQL warning: conflicting counter resets during histogram {operation}"),
        Some(span),
    );
}

/// `NewMismatchedCustomBucketsHistogramsInfo` for `operation`.
pub fn mismatched_custom_buckets(call: &mut FunctionCall<'_>, span: Span, operation: &str) {
    call.annotations.info(
        format!("PromQL info: mismatched custom buckets were reconciled during {operation}"),
        Some(span),
    );
}

/// `NewNativeHistogramNotCounterWarning`.
pub fn not_a_counter(call: &mut FunctionCall<'_>, metric: &Labels, span: Span) {
    call.annotations.warn(
        format!(
            "PromQL warning: this native histogram metric is not a counter: {}",
            go_quote(metric_name(metric))
        ),
        Some(span),
    );
}

/// `NewNativeHistogramNotGaugeWarning`.
pub fn not_a_gauge(call: &mut FunctionCall<'_>, metric: &Labels, span: Span) {
    call.annotations.warn(
        format!(
            "PromQL warning: this native histogram metric is not a gauge: {}",
            go_quote(metric_name(metric))
        ),
        Some(span),
    );
}
