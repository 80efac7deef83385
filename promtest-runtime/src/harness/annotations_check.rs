//! Warnings and infos vs `expect warn/info/no_warn/no_info` (upstream's `checkAnnotations`).

use crate::promql::annotations::{Annotations, Severity};
use crate::script::MessageMatch;

use crate::literals::go_quote;

/// How a [`MessageMatch`] names itself in messages: `message` or `pattern`, and the text.
fn describe(m: &MessageMatch) -> (&'static str, String) {
    match m {
        MessageMatch::Any => ("pattern", "^.*$".into()),
        MessageMatch::Exact(s) => ("message", s.clone()),
        MessageMatch::Regex(r) => ("pattern", r.as_str().to_string()),
    }
}

fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

fn validate_of_type(
    expr: &str,
    expected: &[MessageMatch],
    actual: &[String],
    line: usize,
    kind: &str,
) -> Result<(), String> {
    if expected.is_empty() {
        return Ok(());
    }
    if actual.is_empty() {
        return Err(format!(
            "expected {kind} annotations but none were found for query {} (line {line})",
            go_quote(expr)
        ));
    }
    for e in expected {
        if !actual.iter().any(|a| e.matches(a)) {
            let (ty, text) = describe(e);
            return Err(format!(
                "expected {kind} annotation matching {ty} {} but no matching annotation was found for query {} (line {line}), found: {}",
                go_quote(&text),
                go_quote(expr),
                go_list(actual)
            ));
        }
    }
    for a in actual {
        if !expected.iter().any(|e| e.matches(a)) {
            return Err(format!(
                "unexpected {kind} annotation {} found for query {expr} (line {line})",
                go_quote(a)
            ));
        }
    }
    Ok(())
}

/// What an eval asks of annotations.
#[derive(Debug, Clone, Copy)]
pub struct AnnotationExpectations<'a> {
    /// `expect warn` lines (`eval_warn` adds a match-anything line).
    pub warn: &'a [MessageMatch],
    /// `expect info` lines.
    pub info: &'a [MessageMatch],
    /// `expect no_warn`.
    pub no_warn: bool,
    /// `expect no_info`.
    pub no_info: bool,
}

/// Checks annotations of a query against the expectations; `expr` is the query text the
/// annotation positions refer to. `with_positions`: the messages compared carry their
/// ` (line:col)` (HEAD) or not (3.5 and before, `Semantics::annotation_msg_without_position`).
pub fn check_annotations(
    want: AnnotationExpectations<'_>,
    expr: &str,
    line: usize,
    annos: &Annotations,
    with_positions: bool,
) -> Result<(), String> {
    let (warnings, infos) = if with_positions {
        annos.as_strings(expr)
    } else {
        annos.messages()
    };
    validate_of_type(expr, want.warn, &warnings, line, "warn")?;
    validate_of_type(expr, want.info, &infos, line, "info")?;
    let raw = |sev: Severity| -> Vec<String> {
        annos
            .iter()
            .filter(|a| a.severity == sev)
            .map(|a| a.message.clone())
            .collect()
    };
    if want.no_warn && !warnings.is_empty() {
        let all: Vec<String> = raw(Severity::Warning)
            .into_iter()
            .chain(raw(Severity::Info))
            .collect();
        return Err(format!(
            "unexpected warning annotations evaluating query {} (line {line}): {}",
            go_quote(expr),
            go_list(&all)
        ));
    }
    if want.no_info && !infos.is_empty() {
        let all: Vec<String> = raw(Severity::Warning)
            .into_iter()
            .chain(raw(Severity::Info))
            .collect();
        return Err(format!(
            "unexpected info annotations evaluating query {} (line {line}): {}",
            go_quote(expr),
            go_list(&all)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::ast::Span;

    fn annos() -> Annotations {
        let mut a = Annotations::new();
        a.warn("PromQL warning: boom", Some(Span::new(4, 6)));
        a.info("PromQL info: hint", None);
        a
    }

    #[test]
    fn nothing_asked_nothing_checked() {
        let want = AnnotationExpectations {
            warn: &[],
            info: &[],
            no_warn: false,
            no_info: false,
        };
        assert_eq!(check_annotations(want, "sum(x)", 1, &annos(), true), Ok(()));
    }

    #[test]
    fn messages_include_positions() {
        let warn = [MessageMatch::Exact("PromQL warning: boom (1:5)".into())];
        let want = AnnotationExpectations {
            warn: &warn,
            info: &[],
            no_warn: false,
            no_info: false,
        };
        assert_eq!(check_annotations(want, "sum(x)", 1, &annos(), true), Ok(()));
        let warn = [MessageMatch::Exact("PromQL warning: boom".into())];
        let want = AnnotationExpectations {
            warn: &warn,
            info: &[],
            no_warn: false,
            no_info: false,
        };
        let err = check_annotations(want, "sum(x)", 7, &annos(), true).unwrap_err();
        assert_eq!(
            err,
            "expected warn annotation matching message \"PromQL warning: boom\" but no matching annotation was found for query \"sum(x)\" (line 7), found: [PromQL warning: boom (1:5)]"
        );
    }

    #[test]
    fn no_info_and_missing_warnings() {
        let want = AnnotationExpectations {
            warn: &[],
            info: &[],
            no_warn: false,
            no_info: true,
        };
        assert!(check_annotations(want, "x", 1, &annos(), true)
            .unwrap_err()
            .starts_with("unexpected info annotations"));
        let warn = [MessageMatch::Any];
        let want = AnnotationExpectations {
            warn: &warn,
            info: &[],
            no_warn: false,
            no_info: false,
        };
        assert_eq!(
            check_annotations(want, "x", 2, &Annotations::new(), true).unwrap_err(),
            "expected warn annotations but none were found for query \"x\" (line 2)"
        );
    }
}
