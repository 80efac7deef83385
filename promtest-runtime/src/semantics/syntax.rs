//! Which functions, aggregations and syntax a release knows. The parser accepts everything
//! HEAD accepts; [`check_available`] then refuses what the chosen release would not parse,
//! worded as that release's parser words it. The parser also compiles label-matcher regexes
//! as the release does (whether `.` matches a newline), as Prometheus does at parse time.

use crate::model::labels::{is_legacy_label_name, is_legacy_metric_name};
use crate::promql::ast::{AggregateOp, Expr, Span};
use crate::promql::parser::ParseError;

use super::Semantics;

/// The first release a function appeared in, for those newer than 2.42 (or renamed).
fn function_available(name: &str, sem: &Semantics) -> bool {
    match name {
        "holt_winters" => sem.holt_winters,
        "sort_by_label" | "sort_by_label_desc" | "histogram_avg" | "histogram_stddev"
        | "histogram_stdvar" | "mad_over_time" => sem.post_2_42_functions,
        "double_exponential_smoothing"
        | "info"
        | "ts_of_last_over_time"
        | "ts_of_max_over_time"
        | "ts_of_min_over_time" => sem.v3_syntax,
        "first_over_time"
        | "ts_of_first_over_time"
        | "start_timestamp"
        | "histogram_quantiles"
        | "start"
        | "end"
        | "range"
        | "step" => sem.head_syntax,
        _ => true,
    }
}

/// Parses `input` as the release of `sem` does: HEAD's parser, then (2.x) what 2.x's lexer and
/// grammar refuse (duration expressions, durations as numbers, `1_000`: `lex_2x`), then
/// [`check_available`].
pub(crate) fn parse_for(input: &str, sem: &Semantics) -> Result<Expr, ParseError> {
    let parsed = crate::promql::parser::parse_any_release(input, sem.regex_dot_matches_newline);
    if !sem.v3_syntax {
        // 2.x stops at its first error: a 2.x-only one wins unless HEAD's comes earlier.
        if let Some(e) = super::lex_2x::first_error(input) {
            if !matches!(&parsed, Err(h) if h.span.start < e.span.start) {
                return Err(e);
            }
        }
    }
    let expr = parsed?;
    check_available(&expr, sem)?;
    Ok(expr)
}

fn err(span: Span, message: String) -> ParseError {
    ParseError { message, span }
}

/// Refuses the first function, aggregation or construct of `expr` that the release of `sem`
/// does not have.
pub(crate) fn check_available(expr: &Expr, sem: &Semantics) -> Result<(), ParseError> {
    let mut first: Option<ParseError> = None;
    expr.walk(&mut |e| {
        if first.is_some() {
            return;
        }
        first = refused(e, sem);
    });
    first.map_or(Ok(()), Err)
}

/// Why `e` itself (not its children) does not parse in the release of `sem`.
fn refused(e: &Expr, sem: &Semantics) -> Option<ParseError> {
    match e {
        Expr::Call(c) if !function_available(c.func.name, sem) => Some(err(
            c.span,
            format!("unknown function with name {:?}", c.func.name),
        )),
        Expr::Aggregate(a)
            if matches!(a.op, AggregateOp::Limitk | AggregateOp::LimitRatio) && !sem.v3_syntax =>
        {
            Some(err(
                a.span,
                format!("unknown function with name {:?}", a.op.as_str()),
            ))
        }
        Expr::VectorSelector(vs) => {
            if (vs.anchored || vs.smoothed) && !sem.head_syntax {
                let which = if vs.anchored { "anchored" } else { "smoothed" };
                return Some(err(vs.span, format!("unexpected identifier {which:?}")));
            }
            if !sem.utf8_names {
                let bad = vs.matchers.iter().find(|m| {
                    if m.name == "__name__" {
                        !is_legacy_metric_name(&m.value) && m.op == crate::MatchOp::Equal
                    } else {
                        !is_legacy_label_name(&m.name)
                    }
                });
                if let Some(m) = bad {
                    return Some(err(
                        vs.span,
                        format!(
                            "unexpected string {:?} in label matching, expected identifier or \"}}\"",
                            crate::literals::go_quote(&m.name)
                        ),
                    ));
                }
            }
            None
        }
        Expr::Binary(b)
            if !sem.head_syntax
                && b.matching
                    .as_ref()
                    .is_some_and(|m| m.fill_lhs.is_some() || m.fill_rhs.is_some()) =>
        {
            Some(err(b.span, "unexpected identifier \"fill\"".into()))
        }
        _ => None,
    }
}
