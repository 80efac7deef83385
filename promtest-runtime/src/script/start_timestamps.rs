//! Start-timestamp lines: `metric{…}@st <offsets>` before the matching sample line.
//!
//! Offsets are Prometheus durations with an optional sign, in the series notation's
//! shapes: `_`, `_xN`, `d`, `dxN`, `d+dxN`, `d-dxN` (e.g. `-30s-1mx2`, `-59999msx15`).

use super::position::PosError;
use super::series::{parse_series_desc, MAX_REPEAT};
use crate::literals::parse_duration;
use crate::model::Labels;

/// Whether `text` is a start-timestamp line: its first word ends in `@st`.
pub(crate) fn is_st_line(text: &str) -> bool {
    match text.find([' ', '\t']) {
        Some(i) => text[..i].ends_with("@st"),
        None => false,
    }
}

/// Parses a start-timestamp line into its labels and per-value offsets (ms; `None` = `_`).
pub(crate) fn parse_st_line(text: &str) -> Result<(Labels, Vec<Option<i64>>), PosError> {
    let Some(space) = text.find([' ', '\t']) else {
        return Err(PosError::new(0, "invalid @st line: missing value sequence"));
    };
    let metric_part = text[..space].strip_suffix("@st").unwrap_or(&text[..space]);
    let (labels, _) = parse_series_desc(&format!("{metric_part} _")).map_err(|e| {
        PosError::new(
            e.at,
            format!("invalid @st line metric {metric_part:?}: {}", e.msg),
        )
    })?;
    let mut out = Vec::new();
    let mut i = space;
    let b = text.as_bytes();
    loop {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        if i >= b.len() {
            return Ok((labels, out));
        }
        let start = i;
        while i < b.len() && b[i] != b' ' && b[i] != b'\t' {
            i += 1;
        }
        parse_st_item(&text[start..i], &mut out).map_err(|m| {
            PosError::new(
                start,
                format!(
                    "invalid @st sequence: invalid ST item {:?}: {m}",
                    &text[start..i]
                ),
            )
        })?;
    }
}

fn repeat_count(s: &str) -> Result<u64, String> {
    let n: u64 = s.parse().map_err(|_| "invalid repeat count".to_string())?;
    if n > MAX_REPEAT {
        return Err(format!("repeat count {n} is too large"));
    }
    Ok(n)
}

/// One item of an offset sequence.
fn parse_st_item(item: &str, out: &mut Vec<Option<i64>>) -> Result<(), String> {
    if item == "_" {
        out.push(None);
        return Ok(());
    }
    if let Some(n) = item.strip_prefix("_x") {
        let n = repeat_count(n)?;
        if n == 0 {
            return Err("invalid repeat count".to_string());
        }
        out.extend((0..n).map(|_| None));
        return Ok(());
    }
    let (base, rest) = duration_prefix(item)?;
    if rest.is_empty() {
        out.push(Some(base));
        return Ok(());
    }
    if let Some(n) = rest.strip_prefix('x') {
        let n = repeat_count(n)?;
        out.extend((0..=n).map(|_| Some(base)));
        return Ok(());
    }
    let negative = match rest.as_bytes()[0] {
        b'+' => false,
        b'-' => true,
        c => {
            return Err(format!(
                "unexpected character {:?} after duration",
                c as char
            ))
        }
    };
    let (delta, rest) =
        duration_prefix(&rest[1..]).map_err(|e| format!("invalid step duration: {e}"))?;
    let delta = if negative { -delta } else { delta };
    let Some(n) = rest.strip_prefix('x') else {
        return Err("expected 'x<count>' after step duration".to_string());
    };
    let n = repeat_count(n)?;
    let mut offset = base;
    for _ in 0..=n {
        out.push(Some(offset));
        offset = offset.saturating_add(delta);
    }
    Ok(())
}

/// A signed duration at the start of `s` (units stop at `x`); returns ms and the rest.
fn duration_prefix(s: &str) -> Result<(i64, &str), String> {
    if s.is_empty() {
        return Err("empty duration".to_string());
    }
    let b = s.as_bytes();
    let (negative, mut i) = match b[0] {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == start {
        return Err(format!("expected digits in duration {s:?}"));
    }
    while i < b.len() && b[i].is_ascii_alphabetic() && b[i] != b'x' {
        i += 1;
    }
    let ms = parse_duration(&s[start..i])
        .map_err(|e| format!("invalid duration {:?}: {e}", &s[start..i]))?;
    Ok((if negative { -ms } else { ms }, &s[i..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets(seq: &str) -> Vec<Option<i64>> {
        parse_st_line(&format!("m{{a=\"b\"}}@st {seq}")).unwrap().1
    }

    #[test]
    fn detects_st_lines() {
        assert!(is_st_line(r#"m{a="b"}@st _ -1m"#));
        assert!(!is_st_line(r#"m{a="b"} 1"#));
        assert!(!is_st_line("m@st"));
    }

    #[test]
    fn offset_sequences() {
        assert_eq!(offsets("_ _x2"), vec![None, None, None]);
        assert_eq!(
            offsets("-30s-1mx2"),
            vec![Some(-30_000), Some(-90_000), Some(-150_000)]
        );
        assert_eq!(offsets("-59999msx1"), vec![Some(-59_999); 2]);
        assert_eq!(offsets("0-1mx1 1ms"), vec![Some(0), Some(-60_000), Some(1)]);
        assert_eq!(offsets("-0msx1"), vec![Some(0), Some(0)]);
        assert_eq!(offsets("10s+5sx1"), vec![Some(10_000), Some(15_000)]);
        let (l, _) = parse_st_line(r#"m{a="b"}@st 0"#).unwrap();
        assert_eq!(l.to_string(), r#"{__name__="m", a="b"}"#);
    }

    #[test]
    fn malformed_offsets() {
        let e = parse_st_line("m@st 1m 5q").unwrap_err();
        assert_eq!(e.at, 8);
        assert!(e.msg.contains("invalid ST item \"5q\""), "{}", e.msg);
        assert!(parse_st_line("m@st _x0").is_err());
        assert!(parse_st_line("m@st 1m+1m").is_err());
        assert!(parse_st_line("m@st 1m*2").is_err());
        assert!(parse_st_line("m{@st 1").is_err());
    }
}
