//! Regex compile errors of label matchers, worded as Go's `regexp/syntax` words them
//! (`error parsing regexp: missing closing ): `(``), which is what Prometheus reports.

/// The Prometheus message for a matcher regex `value` that does not compile.
pub(super) fn regex_error_message(value: &str) -> String {
    let Err(err) = regex::Regex::new(&format!("^(?s:{value})$")) else {
        return format!("error parsing regexp: invalid regexp: `{value}`");
    };
    let text = err.to_string();
    let lines: Vec<&str> = text.lines().collect();
    let reason = lines
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or(text.as_str())
        .trim();
    let fragment = caret_fragment(&lines, value);
    let (code, expr) = match reason {
        "unclosed group" => ("missing closing )", value.to_string()),
        "unopened group" => ("unexpected )", value.to_string()),
        "unclosed character class" => {
            let from = fragment.as_ref().map_or(0, |(start, _)| *start);
            (
                "missing closing ]",
                value.get(from..).unwrap_or(value).to_string(),
            )
        }
        "repetition operator missing expression" => (
            "missing argument to repetition operator",
            fragment_text(value, &fragment),
        ),
        "unrecognized escape sequence"
        | "incomplete escape sequence, reached end of pattern prematurely" => {
            ("invalid escape sequence", fragment_text(value, &fragment))
        }
        "invalid character class range, the start must be <= the end" => (
            "invalid character class range",
            fragment_text(value, &fragment),
        ),
        r if r.starts_with("invalid repetition count range")
            || r.starts_with("repetition quantifier expects a valid decimal")
            || r.starts_with("decimal literal") =>
        {
            ("invalid repeat count", fragment_text(value, &fragment))
        }
        other => return format!("error parsing regexp: {other}: `{value}`"),
    };
    format!("error parsing regexp: {code}: `{expr}`")
}

/// The byte range in `value` that the error's caret line marks (the compiled pattern is
/// `value` wrapped in `^(?s:` … `)$`).
fn caret_fragment(lines: &[&str], value: &str) -> Option<(usize, usize)> {
    let caret = lines.iter().find(|l| {
        let t = l.trim();
        !t.is_empty() && t.chars().all(|c| c == '^')
    })?;
    let col = caret
        .chars()
        .take_while(|c| *c == ' ')
        .count()
        .checked_sub(4)?;
    let len = caret.trim().chars().count();
    // Five characters of `^(?s:` precede the value.
    let start_char = col.checked_sub(5)?;
    let byte_at = |n: usize| value.char_indices().nth(n).map_or(value.len(), |(i, _)| i);
    let start = byte_at(start_char);
    let end = byte_at(start_char + len).max(start);
    (start <= value.len()).then_some((start, end))
}

fn fragment_text(value: &str, fragment: &Option<(usize, usize)>) -> String {
    match fragment {
        Some((s, e)) => value.get(*s..*e).unwrap_or(value).to_string(),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_follow_go_regexp_syntax() {
        assert_eq!(
            regex_error_message("("),
            "error parsing regexp: missing closing ): `(`"
        );
        assert_eq!(
            regex_error_message("a)"),
            "error parsing regexp: unexpected ): `a)`"
        );
        assert_eq!(
            regex_error_message("x[ab"),
            "error parsing regexp: missing closing ]: `[ab`"
        );
        assert_eq!(
            regex_error_message("*a"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            regex_error_message(r"a\qb"),
            r"error parsing regexp: invalid escape sequence: `\q`"
        );
        assert_eq!(
            regex_error_message("[z-a]"),
            "error parsing regexp: invalid character class range: `z-a`"
        );
    }
}
