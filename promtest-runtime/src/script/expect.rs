//! Expectation lines of an eval block: `expect fail|warn|info|no_warn|no_info|ordered`
//! with optional `msg:`/`regex:`, `expect range vector from … to … step …`, and
//! `expect string "…"`.

use std::sync::OnceLock;

use regex::Regex;

use super::{Expectations, MessageMatch};
use crate::literals::parse_duration;
use crate::model::Timestamp;

/// The prefix of an `expect range vector` line.
pub(crate) const RANGE_VECTOR_PREFIX: &str = "expect range vector";
/// The prefix of an `expect string` line.
pub(crate) const STRING_PREFIX: &str = "expect string";

fn expect_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^expect[\t\n\x0C\r ]+(ordered|fail|warn|no_warn|info|no_info)(?:[\t\n\x0C\r ]+(regex|msg):(.+))?$",
        )
        .expect("valid regex")
    })
}

fn range_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^expect range vector[\t\n\x0C\r ]+from[\t\n\x0C\r ]+(.+)[\t\n\x0C\r ]+to[\t\n\x0C\r ]+(.+)[\t\n\x0C\r ]+step[\t\n\x0C\r ]+(.+)$",
        )
        .expect("valid regex")
    })
}

/// Applies an `expect <type> [msg:|regex:…]` line to `exp`, then checks the
/// combinations upstream forbids. `fail_lines` counts the `expect fail` lines seen so far.
pub(crate) fn apply_expect_line(
    line: &str,
    exp: &mut Expectations,
    fail_lines: &mut usize,
) -> Result<(), String> {
    let caps = expect_re().captures(line.trim()).ok_or_else(|| {
        "invalid expect statement, must match `expect <type> <match_type>: <string>` format"
            .to_string()
    })?;
    let kind = &caps[1];
    let matcher = match (caps.get(2).map(|m| m.as_str()), caps.get(3)) {
        (Some("msg"), Some(text)) => MessageMatch::Exact(text.as_str().trim().to_string()),
        (Some(_), Some(text)) => {
            let pattern = text.as_str().trim();
            MessageMatch::Regex(
                Regex::new(pattern).map_err(|_| format!("invalid regex {pattern} for {kind}"))?,
            )
        }
        _ => MessageMatch::Any,
    };
    match kind {
        "fail" => {
            if *fail_lines > 0 {
                return Err(
                    "invalid expect lines, multiple expect fail lines are not allowed".to_string(),
                );
            }
            *fail_lines += 1;
            exp.fail = Some(matcher);
        }
        "warn" => exp.warn.push(matcher),
        "info" => exp.info.push(matcher),
        "no_warn" => exp.no_warn = true,
        "no_info" => exp.no_info = true,
        _ => exp.ordered = true,
    }
    if !exp.info.is_empty() && exp.no_info {
        return Err("invalid expect lines, info and no_info cannot be used together".to_string());
    }
    if !exp.warn.is_empty() && exp.no_warn {
        return Err("invalid expect lines, warn and no_warn cannot be used together".to_string());
    }
    Ok(())
}

/// Parses `from`, `to` and `step` durations, checking that `to` is not before `from`.
pub(crate) fn parse_window(
    from: &str,
    to: &str,
    step: &str,
) -> Result<(Timestamp, Timestamp, i64), String> {
    let start = parse_duration(from)
        .map_err(|e| format!("invalid start timestamp definition {from:?}: {e}"))?;
    let end =
        parse_duration(to).map_err(|e| format!("invalid end timestamp definition {to:?}: {e}"))?;
    if end < start {
        return Err(format!(
            "invalid test definition, end timestamp ({to}) is before start timestamp ({from})"
        ));
    }
    let step =
        parse_duration(step).map_err(|e| format!("invalid step definition {step:?}: {e}"))?;
    Ok((start, end, step))
}

/// Parses `expect range vector from <d> to <d> step <d>`.
pub(crate) fn parse_range_vector(line: &str) -> Result<(Timestamp, Timestamp, i64), String> {
    let caps = range_re()
        .captures(line)
        .ok_or_else(|| format!("invalid range vector definition {line:?}"))?;
    parse_window(&caps[1], &caps[2], &caps[3])
}

/// Parses `expect string "…"` (a Go-quoted literal: `"…"` or backticks).
pub(crate) fn parse_expect_string(line: &str) -> Result<String, String> {
    let missing =
        || "expected string literal not valid - a quoted string literal is required".to_string();
    if line == STRING_PREFIX {
        return Err(missing());
    }
    let s = line
        .strip_prefix(STRING_PREFIX)
        .and_then(|r| r.strip_prefix(' '))
        .unwrap_or(line);
    if s.is_empty() {
        return Err(missing());
    }
    crate::literals::quote::unquote_literal(s).map_err(|_| {
        "expected string literal not valid - check that the string is correctly quoted".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expect_kinds() {
        let (mut e, mut n) = (Expectations::default(), 0);
        apply_expect_line("expect warn", &mut e, &mut n).unwrap();
        apply_expect_line("expect info msg: PromQL info: something  ", &mut e, &mut n).unwrap();
        apply_expect_line("expect fail regex:bad .* here", &mut e, &mut n).unwrap();
        apply_expect_line("expect ordered", &mut e, &mut n).unwrap();
        assert_eq!(e.warn, vec![MessageMatch::Any]);
        assert_eq!(
            e.info,
            vec![MessageMatch::Exact("PromQL info: something".into())]
        );
        assert!(matches!(&e.fail, Some(MessageMatch::Regex(r)) if r.as_str() == "bad .* here"));
        assert!(e.ordered);
        assert!(e.fail.as_ref().unwrap().matches("a bad thing here"));
    }

    #[test]
    fn expect_errors() {
        let (mut e, mut n) = (Expectations::default(), 0);
        assert!(apply_expect_line("expect sometimes", &mut e, &mut n).is_err());
        assert!(apply_expect_line("expect warn msg:", &mut e, &mut n).is_err());
        assert!(apply_expect_line("expect fail regex: (", &mut e, &mut n).is_err());
        apply_expect_line("expect warn", &mut e, &mut n).unwrap();
        assert_eq!(
            apply_expect_line("expect no_warn", &mut e, &mut n).unwrap_err(),
            "invalid expect lines, warn and no_warn cannot be used together"
        );
        let (mut f, mut n) = (Expectations::default(), 0);
        apply_expect_line("expect fail", &mut f, &mut n).unwrap();
        assert!(apply_expect_line("expect fail msg: x", &mut f, &mut n).is_err());
        let (mut g, mut n) = (Expectations::default(), 0);
        apply_expect_line("expect no_info", &mut g, &mut n).unwrap();
        assert!(apply_expect_line("expect info", &mut g, &mut n).is_err());
    }

    #[test]
    fn range_vectors_and_strings() {
        assert_eq!(
            parse_range_vector("expect range vector from 10s to 1m step 10s"),
            Ok((10_000, 60_000, 10_000))
        );
        assert!(parse_range_vector("expect range vector from 1m to 10s step 10s").is_err());
        assert!(parse_range_vector("expect range vector 10s").is_err());
        assert_eq!(
            parse_expect_string(r#"expect string "a\"b""#),
            Ok("a\"b".to_string())
        );
        assert_eq!(
            parse_expect_string("expect string `raw`"),
            Ok("raw".to_string())
        );
        assert!(parse_expect_string("expect string").is_err());
        assert!(parse_expect_string("expect string abc").is_err());
        assert!(parse_expect_string(r#"expect string  "two spaces""#).is_err());
    }
}
