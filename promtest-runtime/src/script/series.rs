//! Series notation: `metric{a="b"} 1+2x3 _ stale {{…}}x2`, as PromQL's
//! `ParseSeriesDesc` reads it for `load` blocks and expected results.

use std::cell::Cell;

use super::histogram_literal::parse_histogram_literal;
use super::histogram_math::histogram_series;
use super::position::{is_alnum, is_alpha, is_space, scan_number, skip_space, PosError};
use super::quoted::scan_quoted;
use super::SequenceValue;
use crate::literals::number::{parse_go_float, parse_go_number};
use crate::model::{stale_nan, Label, Labels, METRIC_NAME};

/// How many values of a series can ever be read, and whether an over-long repetition was cut
/// short because of it (then the values from `max` on are dropped).
pub(crate) struct Limit {
    max: usize,
    cut: Cell<bool>,
}

/// The most values one repetition (`axN`) may expand to.
pub const MAX_REPEAT: u64 = 1_000_000;

/// Keywords that PromQL's grammar does not accept as a metric name.
const NOT_METRIC_NAMES: [&str; 8] = [
    "bool",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "atan2",
    "inf",
    "nan",
];

/// Parses a series description: the metric, then its space-separated values.
pub(crate) fn parse_series_desc(s: &str) -> Result<(Labels, Vec<SequenceValue>), PosError> {
    parse_series_desc_upto(s, None)
}

/// As [`parse_series_desc`]; with `limit`, a repetition longer than [`MAX_REPEAT`] is not an
/// error but expanded only until the series holds `limit` values (the rest could never be
/// read), while the whole text is still checked.
pub(crate) fn parse_series_desc_upto(
    s: &str,
    limit: Option<usize>,
) -> Result<(Labels, Vec<SequenceValue>), PosError> {
    let (labels, i) = parse_metric(s, skip_space(s.as_bytes(), 0))?;
    let limit = limit.map(|max| Limit {
        max,
        cut: Cell::new(false),
    });
    let mut values = parse_values(s, i, limit.as_ref())?;
    if let Some(l) = limit.filter(|l| l.cut.get()) {
        values.truncate(l.max);
    }
    Ok((labels, values))
}

/// Parses `name`, `name{…}` or `{…}` at `i`; returns the labels and the index after them.
pub(crate) fn parse_metric(s: &str, i: usize) -> Result<(Labels, usize), PosError> {
    let b = s.as_bytes();
    let mut name = None;
    let mut i = i;
    if b.get(i).is_some_and(|&c| is_alpha(c)) {
        let start = i;
        while i < b.len() && (is_alnum(b[i]) || b[i] == b':') {
            i += 1;
        }
        let word = &s[start..i];
        if NOT_METRIC_NAMES.contains(&word.to_ascii_lowercase().as_str()) {
            return Err(PosError::new(
                start,
                format!("unexpected keyword {word:?}, expected a metric name"),
            ));
        }
        name = Some(word.to_string());
    }
    let mut labels = Vec::new();
    if b.get(i) == Some(&b'{') {
        i = parse_label_set(s, i, &mut labels)?;
    } else if name.is_none() {
        let what = match s[i..].chars().next() {
            Some(c) => format!("{c:?}"),
            None => "end of line".to_string(),
        };
        return Err(PosError::new(
            i,
            format!("unexpected {what}, expected a metric name or a label set"),
        ));
    }
    if let Some(n) = name {
        labels.retain(|l: &Label| l.name != METRIC_NAME);
        labels.push(Label::new(METRIC_NAME, n));
    }
    Ok((Labels::new(labels), i))
}

/// Parses `{a="b", "c.d"="e", "name"}` at `i` (which holds `{`).
fn parse_label_set(s: &str, i: usize, out: &mut Vec<Label>) -> Result<usize, PosError> {
    let b = s.as_bytes();
    let mut i = skip_space(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Ok(i + 1);
    }
    loop {
        let (name, quoted) = match b.get(i) {
            Some(&c) if is_alpha(c) => {
                let start = i;
                while i < b.len() && is_alnum(b[i]) {
                    i += 1;
                }
                (s[start..i].to_string(), false)
            }
            Some(b'"' | b'\'' | b'`') => {
                let (v, end) = scan_quoted(s, i).map_err(|(at, m)| PosError::new(at, m))?;
                i = end;
                (v, true)
            }
            _ => return Err(unexpected(s, i, "label set", "a label name or \"}\"")),
        };
        i = skip_space(b, i);
        if b.get(i) == Some(&b'=') && b.get(i + 1) != Some(&b'~') {
            i = skip_space(b, i + 1);
            if !matches!(b.get(i), Some(b'"' | b'\'' | b'`')) {
                return Err(unexpected(s, i, "label set", "a quoted label value"));
            }
            let (value, end) = scan_quoted(s, i).map_err(|(at, m)| PosError::new(at, m))?;
            i = end;
            out.push(Label::new(name, value));
        } else if quoted {
            out.push(Label::new(METRIC_NAME, name));
        } else {
            return Err(unexpected(s, i, "label set", "\"=\""));
        }
        i = skip_space(b, i);
        match b.get(i) {
            Some(b',') => {
                i = skip_space(b, i + 1);
                if b.get(i) == Some(&b'}') {
                    return Ok(i + 1);
                }
            }
            Some(b'}') => return Ok(i + 1),
            _ => return Err(unexpected(s, i, "label set", "\",\" or \"}\"")),
        }
    }
}

fn unexpected(s: &str, i: usize, context: &str, expected: &str) -> PosError {
    let what = match s[i..].chars().next() {
        Some(c) => format!("{c:?}"),
        None => "end of line".to_string(),
    };
    PosError::new(
        i,
        format!("unexpected {what} in {context}, expected {expected}"),
    )
}

/// Parses the values after the metric, starting at `i` (a space or the end).
pub(crate) fn parse_values(
    s: &str,
    i: usize,
    limit: Option<&Limit>,
) -> Result<Vec<SequenceValue>, PosError> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    if i < b.len() && !is_space(b[i]) {
        return Err(unexpected(
            s,
            i,
            "series description",
            "a space before the values",
        ));
    }
    let mut i = i;
    loop {
        i = skip_space(b, i);
        if i >= b.len() {
            return Ok(out);
        }
        let start = i;
        while i < b.len() && !is_space(b[i]) {
            if b[i..].starts_with(b"{{") {
                match s[i + 2..].find("}}") {
                    Some(k) => i += k + 4,
                    None => {
                        return Err(PosError::new(
                            i,
                            "unclosed histogram \"{{\", expected \"}}\"",
                        ))
                    }
                }
            } else {
                i += 1;
            }
        }
        parse_item(&s[..i], start, &mut out, limit)?;
    }
}

/// A repetition count after `x` at `i` (the index of `x`), which must end the item. Counts
/// above [`MAX_REPEAT`] are errors unless `limit` allows cutting the series short: then the
/// count is reduced to the values still missing to reach `limit` (`out_len` are there).
fn parse_times(
    s: &str,
    x_at: usize,
    out_len: usize,
    limit: Option<&Limit>,
) -> Result<u64, PosError> {
    let digits = &s[x_at + 1..];
    let n: u64 = digits.parse().map_err(|_| {
        PosError::new(
            x_at + 1,
            format!("invalid repetition count {digits:?} in series values (expected an unsigned integer)"),
        )
    })?;
    if n > MAX_REPEAT {
        if let Some(l) = limit.filter(|l| l.max as u64 <= MAX_REPEAT) {
            l.cut.set(true);
            return Ok(n.min(l.max.saturating_sub(out_len) as u64));
        }
        return Err(PosError::new(
            x_at + 1,
            format!("repetition count {n} is too large (at most {MAX_REPEAT})"),
        ));
    }
    Ok(n)
}

fn bad_value(s: &str, start: usize) -> PosError {
    PosError::new(
        start,
        format!(
            "invalid series value {:?} (expected a number, '_', 'stale' or a {{{{histogram}}}}, optionally followed by +<n>x<count>, -<n>x<count> or x<count>)",
            &s[start..]
        ),
    )
}

/// Parses one space-free item `s[start..]` and appends its values to `out`.
fn parse_item(
    s: &str,
    start: usize,
    out: &mut Vec<SequenceValue>,
    limit: Option<&Limit>,
) -> Result<(), PosError> {
    let b = s.as_bytes();
    if b[start] == b'_' {
        return match &s[start + 1..] {
            "" => {
                out.push(SequenceValue::Omitted);
                Ok(())
            }
            rest if rest.starts_with('x') => {
                let n = parse_times(s, start + 1, out.len(), limit)?;
                out.extend((0..n).map(|_| SequenceValue::Omitted));
                Ok(())
            }
            _ => Err(bad_value(s, start)),
        };
    }
    if b[start..].starts_with(b"{{") {
        return parse_histogram_item(s, start, out, limit);
    }
    let (first, i) = parse_float_value(s, start)?.ok_or_else(|| bad_value(s, start))?;
    match b.get(i) {
        None => out.push(SequenceValue::Float(first)),
        Some(b'x') => {
            let n = parse_times(s, i, out.len(), limit)?;
            out.extend((0..=n).map(|_| SequenceValue::Float(first)));
        }
        Some(b'+' | b'-') => {
            let (inc, j) = match parse_float_value(s, i)? {
                Some((inc, j)) if b.get(j) == Some(&b'x') => (inc, j),
                _ => return Err(bad_value(s, start)),
            };
            let n = parse_times(s, j, out.len(), limit)?;
            let mut v = first;
            for _ in 0..=n {
                out.push(SequenceValue::Float(v));
                v += inc;
            }
        }
        Some(_) => return Err(bad_value(s, start)),
    }
    Ok(())
}

/// A float value at `i`: `[+-]number`, `[+-]Inf`, `[+-]NaN` or `stale`. Returns the
/// value and the index after it, `None` when there is no value here.
fn parse_float_value(s: &str, i: usize) -> Result<Option<(f64, usize)>, PosError> {
    let b = s.as_bytes();
    let (sign, j) = match b.get(i) {
        Some(b'-') => (-1.0, i + 1),
        Some(b'+') => (1.0, i + 1),
        _ => (1.0, i),
    };
    match b.get(j) {
        Some(c)
            if c.is_ascii_digit()
                || (*c == b'.' && b.get(j + 1).is_some_and(u8::is_ascii_digit)) =>
        {
            let end = scan_number(b, j).ok_or_else(|| {
                PosError::new(
                    j,
                    format!("bad number syntax in series values: {:?}", &s[j..]),
                )
            })?;
            let v = parse_go_number(&s[j..end]).ok_or_else(|| {
                PosError::new(j, format!("error parsing number: {:?}", &s[j..end]))
            })?;
            Ok(Some((sign * v, end)))
        }
        Some(&c) if is_alpha(c) => {
            let mut end = j;
            while end < b.len() && (is_alnum(b[end]) || b[end] == b':') {
                end += 1;
            }
            let word = &s[j..end];
            let lower = word.to_ascii_lowercase();
            if lower == "inf" || lower == "nan" {
                Ok(parse_go_float(word).map(|v| (sign * v, end)))
            } else if word == "stale" && j == i {
                Ok(Some((stale_nan(), end)))
            } else {
                Ok(None)
            }
        }
        _ => Ok(None),
    }
}

/// `{{…}}`, `{{…}}xN`, `{{…}}+{{…}}xN`, `{{…}}-{{…}}xN`.
fn parse_histogram_item(
    s: &str,
    start: usize,
    out: &mut Vec<SequenceValue>,
    limit: Option<&Limit>,
) -> Result<(), PosError> {
    let b = s.as_bytes();
    let (base, i) = parse_histogram_literal(s, start)?;
    match b.get(i) {
        None => out.push(SequenceValue::Histogram {
            h: base.h,
            counter_reset_hint_set: base.hint_set,
        }),
        Some(b'x') => {
            let n = parse_times(s, i, out.len(), limit)?;
            out.extend((0..=n).map(|_| SequenceValue::Histogram {
                h: base.h.clone(),
                counter_reset_hint_set: base.hint_set,
            }));
        }
        Some(&op @ (b'+' | b'-')) => {
            if !b[i + 1..].starts_with(b"{{") {
                return Err(PosError::new(
                    i + 1,
                    "expected a {{histogram}} after the histogram's + or -",
                ));
            }
            let (inc, j) = parse_histogram_literal(s, i + 1)?;
            if b.get(j) != Some(&b'x') {
                return Err(PosError::new(
                    j,
                    "expected x<count> after {{histogram}}+{{histogram}}",
                ));
            }
            let n = parse_times(s, j, out.len(), limit)?;
            let values = histogram_series(&base.h, &inc.h, n as usize, op == b'-')
                .map_err(|m| PosError::new(start, m))?;
            out.extend(values.into_iter().map(|h| SequenceValue::Histogram {
                h,
                counter_reset_hint_set: inc.hint_set,
            }));
        }
        Some(_) => {
            return Err(PosError::new(
                i,
                format!(
                    "unexpected {:?} after histogram, expected a space, x<count>, + or -",
                    &s[i..]
                ),
            ))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::is_stale_nan;

    fn floats(vals: &[SequenceValue]) -> Vec<Option<f64>> {
        vals.iter()
            .map(|v| match v {
                SequenceValue::Float(f) => Some(*f),
                _ => None,
            })
            .collect()
    }

    fn desc(s: &str) -> (Labels, Vec<SequenceValue>) {
        parse_series_desc(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    #[test]
    fn metric_forms() {
        let (l, v) = desc(r#"http_requests{job="api", instance='0'} 1"#);
        assert_eq!(
            l.to_string(),
            r#"{__name__="http_requests", instance="0", job="api"}"#
        );
        assert_eq!(floats(&v), vec![Some(1.0)]);
        let (l, _) = desc(r#"{__name__="m", a="b",} 1"#);
        assert_eq!(l.to_string(), r#"{__name__="m", a="b"}"#);
        let (l, _) = desc(r#"{"utf8.name", "a.b"=`x\y`, c="\"q\"\n"} 1"#);
        assert_eq!(l.metric_name(), Some("utf8.name"));
        assert_eq!(l.get("a.b"), Some(r"x\y"));
        assert_eq!(l.get("c"), Some("\"q\"\n"));
        let (l, v) = desc("ns:metric:rate5m");
        assert_eq!(l.metric_name(), Some("ns:metric:rate5m"));
        assert!(v.is_empty());
        let (l, _) = desc(r#"sum{__name__="x"} 1"#);
        assert_eq!(l.metric_name(), Some("sum"));
    }

    #[test]
    fn value_forms() {
        assert_eq!(
            floats(&desc("m 1+2x3").1),
            vec![Some(1.0), Some(3.0), Some(5.0), Some(7.0)]
        );
        assert_eq!(
            floats(&desc("m 10-2.5x2").1),
            vec![Some(10.0), Some(7.5), Some(5.0)]
        );
        assert_eq!(floats(&desc("m -1-1x1").1), vec![Some(-1.0), Some(-2.0)]);
        assert_eq!(floats(&desc("m 4x2").1), vec![Some(4.0); 3]);
        assert_eq!(
            floats(&desc("m _ _x2 3").1),
            vec![None, None, None, Some(3.0)]
        );
        assert_eq!(
            floats(&desc("m 1e3 -.5 +2 010 1_000").1),
            vec![Some(1000.0), Some(-0.5), Some(2.0), Some(8.0), Some(1000.0)]
        );
        let v = floats(&desc("m Inf -Inf NaN inf").1);
        assert_eq!(v[0], Some(f64::INFINITY));
        assert_eq!(v[1], Some(f64::NEG_INFINITY));
        assert!(v[2].unwrap().is_nan());
        assert_eq!(v[3], Some(f64::INFINITY));
        match desc("m stale").1[0] {
            SequenceValue::Float(f) => assert!(is_stale_nan(f)),
            ref other => panic!("{other:?}"),
        }
        assert_eq!(floats(&desc("m 0+1e3x1").1), vec![Some(0.0), Some(1000.0)]);
        // As upstream's lexer reads `Infx1` as one word, an Inf step cannot repeat.
        assert!(parse_series_desc("m 0+Infx1").is_err());
    }

    #[test]
    fn histogram_forms() {
        let v = desc("m {{schema:0 sum:1 count:1 buckets:[1]}}x2 {{}}").1;
        assert_eq!(v.len(), 4);
        let v = desc("m {{sum:2 count:2}}+{{sum:3 count:3 counter_reset_hint:gauge}}x2").1;
        let sums: Vec<f64> = v
            .iter()
            .map(|v| match v {
                SequenceValue::Histogram {
                    h,
                    counter_reset_hint_set,
                } => {
                    assert!(*counter_reset_hint_set);
                    h.sum
                }
                _ => panic!(),
            })
            .collect();
        assert_eq!(sums, vec![2.0, 5.0, 8.0]);
        let v = desc("m {{count:10}}-{{count:1}}x1").1;
        assert!(matches!(&v[1], SequenceValue::Histogram { h, .. } if h.count == 9.0));
    }

    #[test]
    fn malformed_values() {
        let err = |s: &str| parse_series_desc(s).unwrap_err();
        assert_eq!(err("m 1+").at, 2);
        assert!(err("m 1+").msg.starts_with("invalid series value \"1+\""));
        assert_eq!(err("m 1 foo").at, 4);
        assert_eq!(err("m 1x").at, 4);
        assert_eq!(err("m 1x-1").at, 4);
        assert_eq!(err("m 5m").at, 2);
        assert_eq!(err("m -stale").at, 2);
        assert_eq!(err("m {{sum:1}").at, 2);
        assert_eq!(err("m {{sum:1}}+{{sum:1}}").at, 21);
        assert_eq!(err("m 1x99999999999").at, 4);
    }

    #[test]
    fn malformed_metrics() {
        let err = |s: &str| parse_series_desc(s).unwrap_err();
        assert_eq!(err(r#"m{a="b" 1"#).at, 8);
        assert_eq!(err(r#"m{a=b} 1"#).at, 4);
        assert_eq!(err(r#"m{a=~"b"} 1"#).at, 3);
        assert_eq!(err(r#"m{a:b="c"} 1"#).at, 3);
        assert_eq!(err(r#"m{a="b}"#).at, 4);
        assert_eq!(err("on 1").at, 0);
        assert_eq!(err("1 2").at, 0);
        assert_eq!(err(r#"m{a="b"}1"#).at, 8);
    }

    #[test]
    fn overlong_repetition_is_cut_at_the_limit_but_still_checked() {
        let text = "m 1 2x5000000 _x9000000 3";
        assert!(parse_series_desc(text).is_err());
        let (_, vals) = parse_series_desc_upto(text, Some(10)).unwrap();
        assert_eq!(vals.len(), 10);
        assert_eq!(floats(&vals)[..3], [Some(1.0), Some(2.0), Some(2.0)]);
        // Syntax after the cut is still an error.
        assert!(parse_series_desc_upto("m 1x5000000 zz", Some(10)).is_err());
        // Counts within the cap expand fully whatever the limit.
        let (_, vals) = parse_series_desc_upto("m 1x20", Some(3)).unwrap();
        assert_eq!(vals.len(), 21);
    }
}
