//! PromQL text → [`Expr`], with Prometheus's error texts.
//!
//! The pest grammar (`promql.pest`, bound in `grammar`) recognises the syntax; the builder
//! turns pairs into the AST with the checks Prometheus's grammar actions make; `check` then
//! runs Prometheus's `checkAST` type checks. Syntax errors are reworded as Prometheus's lexer
//! and parser word them (`errors`, `lexer`).

mod builder;
mod check;
mod durations;
mod errors;
pub(crate) use errors::unexpected_text;
mod grammar;
mod lexer;
mod regex_text;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod tests;

use pest::iterators::Pair;
use pest::Parser as _;

use crate::promql::ast::{Expr, Span};
use grammar::{PromQlGrammar, Rule};

/// A PromQL parse error: the message as Prometheus words it and where it points.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// The message, without position (e.g. `unexpected end of input`).
    pub message: String,
    /// The offending byte range in the query.
    pub span: Span,
}

impl ParseError {
    /// Renders as Prometheus's `ParseErr.Error()`: `line:col: parse error: message`.
    pub fn render(&self, query: &str) -> String {
        format!(
            "{}: parse error: {}",
            crate::promql::annotations::line_col(query, self.span.start),
            self.message
        )
    }
}

/// Parses a PromQL expression as Prometheus HEAD does, with every experimental option its
/// test engine enables (another release's parser: `crate::semantics::parse_for`).
pub fn parse_expr(input: &str) -> Result<Expr, ParseError> {
    crate::semantics::parse_for(input, &crate::semantics::Semantics::default())
}

/// Parses everything any supported release parses; `crate::semantics` then refuses what the
/// chosen release does not know. `regex_dot_matches_newline`: how the release compiles its
/// label-matcher regexes ([`crate::Semantics::regex_dot_matches_newline`]).
pub(crate) fn parse_any_release(
    input: &str,
    regex_dot_matches_newline: bool,
) -> Result<Expr, ParseError> {
    if errors::is_blank(input) {
        return Err(perr(Span::default(), "no expression found in input"));
    }
    if let Some(e) = errors::too_complex(input) {
        return Err(e);
    }
    let mut pairs = match PromQlGrammar::parse(Rule::query, input) {
        Ok(pairs) => pairs,
        Err(e) => return Err(errors::syntax_error(input, &e)),
    };
    let expr_pair = pairs
        .next()
        .and_then(|q| q.into_inner().find(|p| p.as_rule() == Rule::expr))
        .ok_or_else(|| perr(Span::default(), "no expression found in input"))?;
    let builder = Builder {
        regex_dot_matches_newline,
    };
    let mut expr = builder.expr(expr_pair)?;
    check::check(&mut expr, input)?;
    Ok(expr)
}

/// Result of a building step.
type PResult<T> = Result<T, ParseError>;

/// Builds AST nodes from pest pairs of one query.
struct Builder {
    /// Label-matcher regexes compile with `.` matching a newline (3.x).
    regex_dot_matches_newline: bool,
}

/// A parse error at `span`.
fn perr(span: Span, message: impl Into<String>) -> ParseError {
    ParseError {
        message: message.into(),
        span,
    }
}

/// The byte span of a pair, without the whitespace pest's implicit skipping may leave at its end.
fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    let text = s.as_str();
    let trimmed = text.trim_end_matches([' ', '\t', '\n', '\r']);
    Span::new(s.start(), s.start() + trimmed.len())
}
