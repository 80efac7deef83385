//! Label manipulation: `label_replace` and `label_join`.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::{Captures, Regex};

use crate::model::METRIC_NAME;
use crate::promql::engine::EvalError;
use crate::promql::functions::FunctionCall;
use crate::promql::value::VectorSample;

/// Whether `name` is a valid label name: under UTF-8 validation (3.x) non-empty (invalid
/// UTF-8 in the query string arrives as U+FFFD, which is rejected too); in 2.x a legacy name.
fn is_valid_label_name(name: &str, sem: &crate::semantics::Semantics) -> bool {
    if sem.utf8_names {
        !name.is_empty() && !name.contains('\u{FFFD}')
    } else {
        crate::model::labels::is_legacy_label_name(name)
    }
}

thread_local! {
    static REGEX_CACHE: RefCell<HashMap<(String, bool), Regex>> = RefCell::new(HashMap::new());
}

/// `pattern` compiled fully anchored as the release does (the matchers' one compilation,
/// `.` matching newlines or not); cached per thread because the engine calls the function
/// once per step.
fn anchored_regex(pattern: &str, dot_matches_newline: bool) -> Option<Regex> {
    REGEX_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let key = (pattern.to_string(), dot_matches_newline);
        if let Some(re) = cache.get(&key) {
            return Some(re.clone());
        }
        let re = crate::model::matcher::anchored_regex(pattern, dot_matches_newline).ok()?;
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(key, re.clone());
        Some(re)
    })
}

/// The `$name`/`${name}` reference at the start of `template` (which starts with `$`):
/// the name and the bytes consumed, or `None` when malformed (Go's `regexp.extract`).
fn extract_reference(template: &str) -> Option<(&str, usize)> {
    let rest = &template[1..];
    let (brace, body) = match rest.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, rest),
    };
    let len = body
        .char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || c.is_numeric() || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut consumed = 1 + usize::from(brace) + len;
    if brace {
        if !body[len..].starts_with('}') {
            return None;
        }
        consumed += 1;
    }
    Some((name, consumed))
}

/// The group number `name` denotes, if it is a number without leading zeros.
fn group_number(name: &str) -> Option<usize> {
    if !name.bytes().all(|b| b.is_ascii_digit()) || (name.len() > 1 && name.starts_with('0')) {
        return None;
    }
    name.parse().ok().filter(|&n: &usize| n < 100_000_000)
}

/// Expands `$1`, `${name}`, `$$` in `template` from `caps` (Go's `Regexp.ExpandString`):
/// unknown or unmatched groups expand to nothing, malformed references stay literal.
fn expand(template: &str, caps: &Captures<'_>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with("$$") {
            out.push('$');
            rest = &rest[2..];
            continue;
        }
        match extract_reference(rest) {
            Some((name, consumed)) => {
                let group = match group_number(name) {
                    Some(n) => caps.get(n),
                    None => caps.name(name),
                };
                out.push_str(group.map_or("", |m| m.as_str()));
                rest = &rest[consumed..];
            }
            None => {
                out.push('$');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The sample with label `dst` set to `value` (removed when empty); setting `__name__`
/// keeps the name, otherwise the sample's drop-name mark is kept.
fn relabel(call: &FunctionCall<'_>, s: &VectorSample, dst: &str, value: &str) -> VectorSample {
    VectorSample {
        metric: s.metric.with(dst, value),
        t: call.t,
        f: s.f,
        h: s.h.clone(),
        drop_name: dst != METRIC_NAME && s.drop_name,
    }
}

/// `label_replace(v instant-vector, dst string, replacement string, src string, regex string)`.
pub fn label_replace(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let (dst, repl, src, pattern) = (
        call.string(1),
        call.string(2),
        call.string(3),
        call.string(4),
    );
    let re =
        anchored_regex(pattern, call.semantics.regex_dot_matches_newline).ok_or_else(|| {
            EvalError::engine(format!(
                "invalid regular expression in label_replace(): {pattern}"
            ))
        })?;
    if !is_valid_label_name(dst, &call.semantics) {
        return Err(EvalError::engine(format!(
            "invalid destination label name in label_replace(): {dst}"
        )));
    }
    for s in call.vector(0) {
        let src_val = s.metric.get(src).unwrap_or("");
        let out = match re.captures(src_val) {
            Some(caps) => relabel(call, s, dst, &expand(repl, &caps)),
            None => VectorSample {
                t: call.t,
                ..s.clone()
            },
        };
        call.out.push(out);
    }
    Ok(())
}

/// `label_join(v instant-vector, dst string, separator string, src string...)`.
pub fn label_join(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let (dst, sep) = (call.string(1), call.string(2));
    let srcs: Vec<&str> = (3..call.args.len()).map(|i| call.string(i)).collect();
    if let Some(bad) = srcs
        .iter()
        .find(|s| !is_valid_label_name(s, &call.semantics))
    {
        return Err(EvalError::engine(format!(
            "invalid source label name in label_join(): {bad}"
        )));
    }
    if !is_valid_label_name(dst, &call.semantics) {
        return Err(EvalError::engine(format!(
            "invalid destination label name in label_join(): {dst}"
        )));
    }
    for s in call.vector(0) {
        let joined = srcs
            .iter()
            .map(|l| s.metric.get(l).unwrap_or(""))
            .collect::<Vec<_>>()
            .join(sep);
        let out = relabel(call, s, dst, &joined);
        call.out.push(out);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::functions::test_util::{call, labels, sample};
    use crate::promql::functions::ArgValue;

    fn replace(
        v: &[VectorSample],
        args: [&str; 4],
    ) -> crate::promql::functions::test_util::Outcome {
        let mut a = vec![ArgValue::Vector(v)];
        a.extend(args.iter().map(|s| ArgValue::String(s)));
        call("label_replace", 0, &a)
    }

    #[test]
    fn replaces_with_groups() {
        let v = [sample(
            &[("__name__", "m"), ("src", "source-value-10")],
            1.0,
        )];
        let out = replace(&v, ["dst", "value-$1", "src", "source-value-(.*)"]);
        assert_eq!(
            out.out[0].metric,
            labels(&[
                ("__name__", "m"),
                ("src", "source-value-10"),
                ("dst", "value-10")
            ])
        );
        let unanchored = replace(&v, ["dst", "x", "src", "value"]);
        assert_eq!(unanchored.out[0].metric, v[0].metric);
        let named = replace(&v, ["dst", "${n}$$", "src", "source-(?P<n>[a-z]+)-.*"]);
        assert_eq!(named.out[0].metric.get("dst"), Some("value$"));
        let empty = replace(&v, ["src", "", "src", ".*"]);
        assert_eq!(empty.out[0].metric, labels(&[("__name__", "m")]));
    }

    #[test]
    fn expansion_follows_go() {
        let re = Regex::new("^(?s:(a)(b)?)$").unwrap();
        let caps = re.captures("a").unwrap();
        assert_eq!(expand("$1-$2-$1x-${1}x-$01-$", &caps), "a---ax--$");
        assert_eq!(expand("${1", &caps), "${1");
    }

    #[test]
    fn errors_use_prometheus_texts() {
        let v = [sample(&[("src", "a")], 1.0)];
        let bad = replace(&v, ["dst", "", "src", "(.*"]);
        assert_eq!(
            bad.result.unwrap_err().to_string(),
            "invalid regular expression in label_replace(): (.*"
        );
        let bad = replace(&v, ["", "", "src", ".*"]);
        assert_eq!(
            bad.result.unwrap_err().to_string(),
            "invalid destination label name in label_replace(): "
        );
    }

    #[test]
    fn joins_labels() {
        let mut v = [sample(&[("__name__", "m"), ("a", "x"), ("b", "y")], 1.0)];
        v[0].drop_name = true;
        let args = [
            ArgValue::Vector(&v),
            ArgValue::String("dst"),
            ArgValue::String("-"),
            ArgValue::String("a"),
            ArgValue::String("missing"),
            ArgValue::String("b"),
        ];
        let out = call("label_join", 0, &args);
        assert_eq!(out.out[0].metric.get("dst"), Some("x--y"));
        assert!(out.out[0].drop_name);
        let name = [
            ArgValue::Vector(&v),
            ArgValue::String("__name__"),
            ArgValue::String(""),
            ArgValue::String("a"),
        ];
        let renamed = call("label_join", 0, &name);
        assert_eq!(renamed.out[0].metric.metric_name(), Some("x"));
        assert!(!renamed.out[0].drop_name);
    }
}
