//! Syntax errors worded as Prometheus words them.
//!
//! pest reports where parsing stopped; a small re-implementation of Prometheus's lexer states
//! finds lexical errors (unclosed parentheses, unterminated strings, bad characters) and
//! describes the offending token (`unexpected <op:*>`, `unexpected identifier "x"`), with the
//! context Prometheus's grammar adds (`in label matching, expected string`).

use pest::error::{Error, InputLocation};

use super::grammar::Rule;
use super::lexer::{lex, Kind, Token};
use super::{perr, ParseError};
use crate::literals::go_quote;
use crate::promql::ast::Span;

/// Whether the input holds nothing but whitespace and comments.
pub(super) fn is_blank(input: &str) -> bool {
    let mut in_comment = false;
    for c in input.chars() {
        match c {
            '\n' | '\r' => in_comment = false,
            _ if in_comment => {}
            '#' => in_comment = true,
            ' ' | '\t' => {}
            _ => return false,
        }
    }
    true
}

/// Maps a pest failure to Prometheus's message for the same input.
pub(super) fn syntax_error(input: &str, e: &Error<Rule>) -> ParseError {
    let tokens = lex(input);
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let pos = skip_blank(input, pos.min(input.len()));
    // The token at (or containing) the failure position.
    let mut idx = tokens
        .iter()
        .position(|t| t.end > pos || t.kind == Kind::Eof)
        .unwrap_or(tokens.len().saturating_sub(1));
    // A number with a dangling exponent (`12.34e` before `,`): the grammar got as far as the
    // exponent's digits, inside the number rule where pest records no attempt; the failure is
    // at the token after it.
    if let Some(t) = tokens.get(idx) {
        let hex = t
            .text
            .get(..2)
            .is_some_and(|p| p.eq_ignore_ascii_case("0x"));
        let dangling = t.kind == Kind::Number
            && !hex
            && t.text.trim_end_matches(['+', '-']).ends_with(['e', 'E']);
        if dangling && tokens.get(idx + 1).is_some_and(|n| n.kind != Kind::Eof) {
            idx += 1;
        }
    }
    // Prometheus's parser pulls tokens one at a time: a lexical error is reported when the
    // grammar reaches it, not when a syntax error comes first (`sum(a)(` is "unexpected (").
    if let Some(t) = tokens[..(idx + 1).min(tokens.len())]
        .iter()
        .find(|t| t.kind == Kind::Error)
    {
        return perr(Span::new(t.start, input.len()), t.text.clone());
    }
    let Some(tok) = tokens.get(idx) else {
        return perr(Span::new(pos, pos), "unexpected end of input");
    };
    let (context, expected) = context_of(&tokens[..idx]);
    let msg = unexpected_text(&describe(tok), context, expected);
    perr(Span::new(tok.start, tok.end), msg)
}

/// Prometheus's `unexpected <token>[ in <context>][, expected <what>]` (its parser's
/// `unexpected`), for the PromQL parser and the series-notation parser.
pub(crate) fn unexpected_text(token: &str, context: &str, expected: &str) -> String {
    let mut msg = format!("unexpected {token}");
    if !context.is_empty() {
        msg.push_str(" in ");
        msg.push_str(context);
    }
    if !expected.is_empty() {
        msg.push_str(", expected ");
        msg.push_str(expected);
    }
    msg
}

/// Most nested parentheses, brackets and braces a query may have.
pub(super) const MAX_NESTING: usize = 256;
/// Most operators (binary, unary, keyword operators, `@`) a query may have.
pub(super) const MAX_OPERATORS: usize = 1500;

/// A query too deeply nested to be parsed and evaluated by recursion without exhausting the
/// stack; Prometheus has no such limit (its parser keeps an explicit stack), but no real query
/// comes close.
pub(super) fn too_complex(input: &str) -> Option<ParseError> {
    // Short queries cannot exceed either limit.
    if input.len() < MAX_NESTING {
        return None;
    }
    let b = input.as_bytes();
    let (mut i, mut depth, mut braces, mut ops) = (0usize, 0usize, 0usize, 0usize);
    while i < b.len() {
        let start = i;
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' && q != b'`' { 2 } else { 1 };
                }
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            c @ (b'(' | b'[' | b'{') => {
                depth += 1;
                ops += usize::from(c == b'[');
                braces += usize::from(c == b'{');
                if depth > MAX_NESTING {
                    return Some(perr(
                        Span::new(start, start + 1),
                        format!(
                            "query too complex: more than {MAX_NESTING} nested parentheses or brackets"
                        ),
                    ));
                }
            }
            c @ (b')' | b']' | b'}') => {
                depth = depth.saturating_sub(1);
                if c == b'}' {
                    braces = braces.saturating_sub(1);
                }
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'@' | b'<' | b'>' => ops += 1,
            b'=' | b'!' if braces == 0 => ops += 1,
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b':')
                {
                    i += 1;
                }
                let word = &input[start..i];
                if [
                    "and", "or", "unless", "atan2", "offset", "anchored", "smoothed",
                ]
                .iter()
                .any(|k| word.eq_ignore_ascii_case(k))
                {
                    ops += 1;
                }
                i -= 1;
            }
            _ => {}
        }
        if ops > MAX_OPERATORS {
            return Some(perr(
                Span::new(start, (start + 1).min(input.len())),
                format!("query too complex: more than {MAX_OPERATORS} operators"),
            ));
        }
        i += 1;
    }
    None
}

fn skip_blank(input: &str, mut pos: usize) -> usize {
    let b = input.as_bytes();
    while pos < b.len() {
        match b[pos] {
            b' ' | b'\t' | b'\n' | b'\r' => pos += 1,
            b'#' => {
                while pos < b.len() && b[pos] != b'\n' && b[pos] != b'\r' {
                    pos += 1;
                }
            }
            _ => break,
        }
    }
    pos
}

/// The grammar context of a failure after `before` (the tokens already read).
fn context_of(before: &[Token]) -> (&'static str, &'static str) {
    let Some(prev) = before.last() else {
        return ("", "");
    };
    let prev_text = prev.text.to_ascii_lowercase();
    // Innermost open bracket among the tokens read.
    let mut stack: Vec<&Token> = Vec::new();
    for t in before {
        match t.text.as_str() {
            "(" | "{" | "[" if t.kind == Kind::Punct => stack.push(t),
            ")" | "}" | "]" if t.kind == Kind::Punct => {
                stack.pop();
            }
            _ => {}
        }
    }
    let open = stack.last().map(|t| t.text.as_str());
    if open == Some("{") {
        return match prev.kind {
            Kind::Op if matches!(prev.text.as_str(), "=~" | "!~" | "!=") => {
                ("label matching", "string")
            }
            Kind::Punct if prev.text == "=" => ("label matching", "string"),
            Kind::Identifier => ("label matching", "label matching operator"),
            Kind::Str => ("label matching", "\",\" or \"}\""),
            _ => ("label matching", "identifier or \"}\""),
        };
    }
    if prev.kind == Kind::Keyword && prev_text == "offset" {
        return ("offset", "number, duration, step(), or range()");
    }
    if prev.kind == Kind::Op && prev.text == "@" {
        return ("@", "timestamp");
    }
    if prev.kind == Kind::Keyword && matches!(prev_text.as_str(), "by" | "without") {
        return ("grouping opts", "\"(\"");
    }
    if open == Some("(") {
        let opener = stack.len() - 1;
        let opener_pos = before
            .iter()
            .rposition(|t| std::ptr::eq(t, stack[opener]))
            .unwrap_or(0);
        let grouping = opener_pos > 0
            && before[opener_pos - 1].kind == Kind::Keyword
            && matches!(
                before[opener_pos - 1].text.to_ascii_lowercase().as_str(),
                "by" | "without" | "on" | "ignoring" | "group_left" | "group_right"
            );
        if grouping {
            return if prev.text == "(" || prev.text == "," {
                ("grouping opts", "label")
            } else {
                ("grouping opts", "\",\" or \")\"")
            };
        }
    }
    if open == Some("[") {
        if let Some(c) = bracket_context(before, prev) {
            return c;
        }
    }
    // Prometheus's `aggregate_op error` production: inside an aggregation's parentheses,
    // however deep, an error no narrower rule catches is "in aggregation".
    let in_aggregation = stack.iter().any(|open| {
        let at = before
            .iter()
            .position(|t| std::ptr::eq(t, *open))
            .unwrap_or(0);
        opens_aggregation_body(before, at)
    });
    if in_aggregation {
        return ("aggregation", "");
    }
    ("", "")
}

/// Whether the `(` at `before[at]` opens an aggregation's arguments: right after the
/// aggregator, or after its `by (...)`/`without (...)` clause.
fn opens_aggregation_body(before: &[Token], at: usize) -> bool {
    let Some(prev) = at.checked_sub(1).map(|i| &before[i]) else {
        return false;
    };
    if prev.kind == Kind::Aggregator {
        return true;
    }
    if prev.text != ")" {
        return false;
    }
    // The grouping clause: `(` … `)` right after `by`/`without`, itself after the aggregator.
    let mut depth = 0;
    for i in (0..at - 1).rev() {
        match before[i].text.as_str() {
            ")" => depth += 1,
            "(" if depth > 0 => depth -= 1,
            "(" => {
                return i >= 2
                    && before[i - 1].kind == Kind::Keyword
                    && matches!(
                        before[i - 1].text.to_ascii_lowercase().as_str(),
                        "by" | "without"
                    )
                    && before[i - 2].kind == Kind::Aggregator;
            }
            _ => {}
        }
    }
    false
}

/// The context of a failure inside `[...]` (range or subquery), if one applies.
fn bracket_context(before: &[Token], prev: &Token) -> Option<(&'static str, &'static str)> {
    let since_bracket = before.iter().rev().take_while(|t| t.text != "[");
    let mut seen_duration = false;
    for t in since_bracket {
        seen_duration |= matches!(t.kind, Kind::Number | Kind::Duration) || t.text == ")";
    }
    if !seen_duration {
        return Some((
            "subquery or range selector",
            "number, duration, step(), or range()",
        ));
    }
    if prev.text == ":" {
        return Some((
            "subquery selector",
            "number, duration, step(), range(), or \"]\"",
        ));
    }
    let ends_duration = matches!(prev.kind, Kind::Number | Kind::Duration) || prev.text == ")";
    if !ends_duration {
        return None;
    }
    let colon_seen = before
        .iter()
        .rev()
        .take_while(|t| t.text != "[")
        .any(|t| t.text == ":");
    Some(if colon_seen {
        ("subquery selector", "\"]\"")
    } else {
        ("subquery or range", "\":\" or \"]\"")
    })
}

/// Go's `Item.desc()` for a token.
fn describe(t: &Token) -> String {
    match t.kind {
        Kind::Eof => "end of input".to_string(),
        Kind::Error => t.text.clone(),
        Kind::Identifier => format!("identifier {}", go_quote(&t.text)),
        Kind::MetricIdentifier => format!("metric identifier {}", go_quote(&t.text)),
        Kind::Number => format!("number {}", quote_trunc(&t.text)),
        Kind::Duration => format!("duration {}", quote_trunc(&t.text)),
        Kind::Str => format!("string {}", quote_trunc(&t.text)),
        Kind::Keyword => format!("<{}>", t.text),
        Kind::Op => format!("<op:{}>", t.text),
        Kind::Aggregator => format!("<aggr:{}>", t.text),
        Kind::Punct => go_quote(&t.text),
    }
}

/// Go's `%q`, or `%.10q...` for values longer than 10 bytes (numbers, strings, durations).
fn quote_trunc(s: &str) -> String {
    if s.len() > 10 {
        let short: String = s.chars().take(10).collect();
        format!("{}...", go_quote(&short))
    } else {
        go_quote(s)
    }
}
