//! Rewriting an eval's expected block in a script's text (the update mode): only the
//! expected-result lines of the block change; `expect` lines, comments, blank lines, line
//! endings and everything else stay byte for byte.

use super::expect::{RANGE_VECTOR_PREFIX, STRING_PREFIX};
use super::lines::split_lines;

/// Whether a block line (trimmed) is an expectation rather than an expected result.
fn is_expect_line(text: &str) -> bool {
    text.split(' ').next() == Some("expect")
        || text.starts_with(RANGE_VECTOR_PREFIX)
        || text.starts_with(STRING_PREFIX)
        || text.starts_with("expected_fail_message")
        || text.starts_with("expected_fail_regexp")
}

/// The 0-based indexes of the block lines of the eval at 1-based line `eval_line` (the lines
/// after it up to a blank or comment line), and which of them are expected results.
fn block(src: &str, eval_line: usize) -> Vec<(usize, bool)> {
    let lines = split_lines(src);
    let mut out = Vec::new();
    let mut j = eval_line;
    while j < lines.len() && !lines[j].text.is_empty() {
        out.push((j, !is_expect_line(lines[j].text)));
        j += 1;
    }
    out
}

/// `src` with the expected-result lines of the eval at 1-based line `eval_line` replaced by
/// `new` (given without indentation): at the place of the first old one, else after the
/// block's last line, indented as the block's lines are (two spaces past the eval line's own
/// indentation when the block has none).
pub fn replace_expected(src: &str, eval_line: usize, new: &[String]) -> String {
    let raw: Vec<&str> = src.split('\n').collect();
    let Some(head) = raw.get(eval_line.saturating_sub(1)) else {
        return src.to_string();
    };
    let cr = if head.ends_with('\r') { "\r" } else { "" };
    let lines = block(src, eval_line);
    let lead = |s: &str| s[..s.len() - s.trim_start().len()].to_string();
    // The block's own indentation, else the file's (its first indented line's), else two
    // spaces past the eval line.
    let indent = match lines.iter().find(|(_, r)| *r).or(lines.first()) {
        Some(&(j, _)) => lead(raw[j]),
        None => match raw
            .iter()
            .find(|l| !l.trim().is_empty() && lead(l) != lead(head))
        {
            Some(l) if lead(head).is_empty() => lead(l),
            _ => format!("{}  ", lead(head)),
        },
    };
    let at = lines.iter().find(|(_, r)| *r).map_or_else(
        || lines.last().map_or(eval_line, |(j, _)| j + 1),
        |(j, _)| *j,
    );
    let mut out: Vec<String> = Vec::with_capacity(raw.len() + new.len());
    for (j, line) in raw.iter().enumerate() {
        if j == at {
            out.extend(new.iter().map(|n| format!("{indent}{n}{cr}")));
        }
        if !lines.iter().any(|&(k, r)| k == j && r) {
            out.push(line.to_string());
        }
    }
    if at >= raw.len() {
        out.extend(new.iter().map(|n| format!("{indent}{n}{cr}")));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn replaces_only_result_lines() {
        let src = "load 1m\n  m 1\n\n# note\neval instant at 0 m\n\texpect warn\n\tm 2\n\tm{a=\"1\"} 3\n# after\n";
        let got = replace_expected(src, 5, &lines(&["m 1"]));
        assert_eq!(
            got,
            "load 1m\n  m 1\n\n# note\neval instant at 0 m\n\texpect warn\n\tm 1\n# after\n"
        );
    }

    #[test]
    fn adds_lines_to_a_block_without_results() {
        let tabs = "load 1m\n\tm 1\n\neval instant at 0 m\n";
        assert_eq!(
            replace_expected(tabs, 4, &lines(&["m 1"])),
            "load 1m\n\tm 1\n\neval instant at 0 m\n\tm 1\n"
        );
        let src = "eval instant at 0 m\n\neval instant at 0 m\n  expect no_warn\n";
        let got = replace_expected(src, 1, &lines(&["m 1", "n 2"]));
        assert_eq!(
            got,
            "eval instant at 0 m\n  m 1\n  n 2\n\neval instant at 0 m\n  expect no_warn\n"
        );
        let got = replace_expected(src, 3, &lines(&["m 1"]));
        assert_eq!(
            got,
            "eval instant at 0 m\n\neval instant at 0 m\n  expect no_warn\n  m 1\n"
        );
        let got = replace_expected("eval instant at 0 m", 1, &lines(&["m 1"]));
        assert_eq!(got, "eval instant at 0 m\n  m 1");
    }

    #[test]
    fn keeps_crlf_line_endings() {
        let src = "eval instant at 0 m\r\n  m 2\r\n\r\n";
        assert_eq!(
            replace_expected(src, 1, &lines(&["m 1"])),
            "eval instant at 0 m\r\n  m 1\r\n\r\n"
        );
    }
}
