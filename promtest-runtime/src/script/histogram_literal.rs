//! `{{schema:1 sum:3 count:22 buckets:[5 10 7] …}}` native histogram literals.
//!
//! Built as Prometheus's `buildHistogramFromMap` does: bucket counts are absolute,
//! and `offset`+`buckets` become one span (`n_offset`+`n_buckets` for the negative side).

use super::position::{is_alpha, is_space, scan_number, skip_space, PosError};
use crate::literals::number::{parse_go_float, parse_go_number};
use crate::model::histogram_math::combine;
use crate::model::{CounterResetHint, FloatHistogram, Span};

/// A parsed histogram literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HistogramLiteral {
    /// The histogram.
    pub h: FloatHistogram,
    /// Whether the literal named a `counter_reset_hint`.
    pub hint_set: bool,
}

/// The fields a literal may name.
const KEYS: [&str; 11] = [
    "sum",
    "count",
    "schema",
    "offset",
    "n_offset",
    "buckets",
    "n_buckets",
    "z_bucket",
    "z_bucket_w",
    "custom_values",
    "counter_reset_hint",
];

/// The largest magnitude accepted for `schema`, `offset` and `n_offset` (far beyond
/// any real bucket index, small enough that bucket arithmetic cannot overflow).
const MAX_INT_FIELD: i64 = 10_000_000;

/// One field's value.
enum FieldValue {
    Float(f64),
    Int(i64),
    List(Vec<f64>),
    Hint(CounterResetHint),
}

/// Parses the literal starting at byte `start` of `s` (which holds `{{`); returns it
/// and the byte index just past its closing `}}`.
pub(crate) fn parse_histogram_literal(
    s: &str,
    start: usize,
) -> Result<(HistogramLiteral, usize), PosError> {
    let b = s.as_bytes();
    let mut i = start + 2;
    let mut fields: Vec<(&'static str, FieldValue)> = Vec::new();
    let after_space = skip_space(b, i);
    if b[after_space..].starts_with(b"}}") {
        return Ok((build(fields), after_space + 2));
    }
    if after_space != i {
        return Err(PosError::new(
            i,
            "unexpected space after \"{{\", expected a histogram field like buckets:[5 10 7]",
        ));
    }
    loop {
        let (key, value, next) = parse_field(s, i)?;
        if fields.iter().any(|(k, _)| *k == key) {
            return Err(PosError::new(
                i,
                format!("duplicate key \"{key}\" in histogram"),
            ));
        }
        fields.push((key, value));
        i = next;
        if b[i..].starts_with(b"}}") {
            return Ok((build(fields), i + 2));
        }
        match b.get(i) {
            Some(&c) if is_space(c) => {
                i = skip_space(b, i);
                if b[i..].starts_with(b"}}") {
                    return Ok((build(fields), i + 2));
                }
                if i >= b.len() {
                    return Err(PosError::new(i, "unclosed histogram, expected \"}}\""));
                }
            }
            None => return Err(PosError::new(i, "unclosed histogram, expected \"}}\"")),
            Some(_) => {
                return Err(PosError::new(
                    i,
                    format!(
                        "unexpected {:?} in histogram, expected a space or \"}}}}\"",
                        char_at(s, i)
                    ),
                ))
            }
        }
    }
}

fn char_at(s: &str, i: usize) -> char {
    s[i..].chars().next().unwrap_or(' ')
}

fn word_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_alpha(b[i]) {
        i += 1;
    }
    i
}

/// One `key:value` field at `i`.
fn parse_field(s: &str, i: usize) -> Result<(&'static str, FieldValue, usize), PosError> {
    let b = s.as_bytes();
    let end = word_end(b, i);
    if end == i {
        let what = if i >= b.len() {
            "end of line".to_string()
        } else {
            format!("{:?}", char_at(s, i))
        };
        return Err(PosError::new(
            i,
            format!("unexpected {what} in histogram, expected a field like buckets:[5 10 7]"),
        ));
    }
    let word = s[i..end].to_ascii_lowercase();
    let Some(&key) = KEYS.iter().find(|k| **k == word) else {
        return Err(PosError::new(
            i,
            format!("bad histogram descriptor found: {:?}", &s[i..end]),
        ));
    };
    if b.get(end) != Some(&b':') {
        return Err(PosError::new(end, "missing `:` for histogram descriptor"));
    }
    let v = end + 1;
    let (value, next) = match key {
        "schema" | "offset" | "n_offset" => {
            let (n, next) = parse_int(s, v, key)?;
            (FieldValue::Int(n), next)
        }
        "sum" | "count" | "z_bucket" => {
            let (f, next) = parse_float(s, v, true)?;
            (FieldValue::Float(f), next)
        }
        "z_bucket_w" => {
            let (f, next) = parse_float(s, v, false)?;
            (FieldValue::Float(f), next)
        }
        "counter_reset_hint" => {
            let wend = word_end(b, v);
            let hint = match s[v..wend].to_ascii_lowercase().as_str() {
                "unknown" => CounterResetHint::Unknown,
                "reset" => CounterResetHint::CounterReset,
                "not_reset" => CounterResetHint::NotCounterReset,
                "gauge" => CounterResetHint::Gauge,
                _ => {
                    return Err(PosError::new(
                        v,
                        format!(
                            "invalid counter_reset_hint {:?}, expected unknown, reset, not_reset or gauge",
                            &s[v..wend]
                        ),
                    ))
                }
            };
            (FieldValue::Hint(hint), wend)
        }
        _ => {
            let (list, next) = parse_list(s, v)?;
            (FieldValue::List(list), next)
        }
    };
    Ok((key, value, next))
}

/// A number (optionally negative when `signed`), or `Inf`/`NaN`.
pub(crate) fn parse_float(s: &str, i: usize, signed: bool) -> Result<(f64, usize), PosError> {
    let b = s.as_bytes();
    let (neg, j) = if signed && b.get(i) == Some(&b'-') {
        (true, i + 1)
    } else {
        (false, i)
    };
    let starts_number = match b.get(j) {
        Some(c) if c.is_ascii_digit() => true,
        Some(b'.') => b.get(j + 1).is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    };
    let (v, end) = if starts_number {
        let end = scan_number(b, j)
            .ok_or_else(|| PosError::new(j, format!("bad number syntax: {:?}", token(s, j))))?;
        let v = parse_go_number(&s[j..end])
            .ok_or_else(|| PosError::new(j, format!("error parsing number: {:?}", &s[j..end])))?;
        (v, end)
    } else {
        let end = word_end(b, j);
        match parse_go_float(&s[j..end]) {
            Some(v)
                if end > j && matches!(s[j..end].to_ascii_lowercase().as_str(), "inf" | "nan") =>
            {
                (v, end)
            }
            _ => {
                return Err(PosError::new(
                    j,
                    format!(
                        "unexpected {:?} in histogram, expected a number",
                        token(s, j)
                    ),
                ))
            }
        }
    };
    Ok((if neg { -v } else { v }, end))
}

/// The text from `i` to the next space or bracket, for messages.
fn token(s: &str, i: usize) -> &str {
    let rest = &s[i.min(s.len())..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ']' | '}' | '['))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// An integer field (`schema`, `offset`, `n_offset`).
fn parse_int(s: &str, i: usize, key: &str) -> Result<(i64, usize), PosError> {
    let b = s.as_bytes();
    let (neg, j) = if b.get(i) == Some(&b'-') {
        (true, i + 1)
    } else {
        (false, i)
    };
    let bad = || PosError::new(i, format!("invalid integer {:?} for {key}", token(s, i)));
    let end = scan_number(b, j).ok_or_else(bad)?;
    let n: i64 = s[j..end].parse::<u32>().map_err(|_| bad())?.into();
    if n > MAX_INT_FIELD {
        return Err(PosError::new(
            i,
            format!(
                "{key} {} is out of range (at most {MAX_INT_FIELD} in magnitude)",
                &s[i..end]
            ),
        ));
    }
    Ok((if neg { -n } else { n }, end))
}

/// A `[n n n]` list.
fn parse_list(s: &str, i: usize) -> Result<(Vec<f64>, usize), PosError> {
    let b = s.as_bytes();
    if b.get(i) != Some(&b'[') {
        return Err(PosError::new(i, "expected \"[\" to start a bucket list"));
    }
    let mut j = i + 1;
    let mut out = Vec::new();
    loop {
        let (v, next) = parse_float(s, j, true)?;
        out.push(v);
        j = next;
        if b.get(j) == Some(&b']') {
            return Ok((out, j + 1));
        }
        match b.get(j) {
            Some(&c) if is_space(c) => {
                j = skip_space(b, j);
                if b.get(j) == Some(&b']') {
                    return Ok((out, j + 1));
                }
            }
            _ => {
                return Err(PosError::new(
                    j,
                    "invalid bucket list, expected a space or \"]\" after a number",
                ))
            }
        }
    }
}

/// Assembles the histogram from its fields.
fn build(fields: Vec<(&'static str, FieldValue)>) -> HistogramLiteral {
    let mut h = FloatHistogram::default();
    let mut hint_set = false;
    let (mut buckets, mut offset) = (Vec::new(), 0i32);
    let (mut n_buckets, mut n_offset) = (Vec::new(), 0i32);
    for (key, value) in fields {
        match (key, value) {
            ("schema", FieldValue::Int(n)) => h.schema = n as i32,
            ("offset", FieldValue::Int(n)) => offset = n as i32,
            ("n_offset", FieldValue::Int(n)) => n_offset = n as i32,
            ("sum", FieldValue::Float(f)) => h.sum = f,
            ("count", FieldValue::Float(f)) => h.count = f,
            ("z_bucket", FieldValue::Float(f)) => h.zero_count = f,
            ("z_bucket_w", FieldValue::Float(f)) => h.zero_threshold = f,
            ("buckets", FieldValue::List(l)) => buckets = l,
            ("n_buckets", FieldValue::List(l)) => n_buckets = l,
            ("custom_values", FieldValue::List(l)) => h.custom_values = l,
            (_, FieldValue::Hint(hint)) => {
                h.counter_reset_hint = hint;
                hint_set = true;
            }
            _ => {}
        }
    }
    if !buckets.is_empty() {
        h.positive_spans = vec![Span {
            offset,
            length: buckets.len() as u32,
        }];
    }
    if !n_buckets.is_empty() {
        h.negative_spans = vec![Span {
            offset: n_offset,
            length: n_buckets.len() as u32,
        }];
    }
    h.positive_buckets = buckets;
    h.negative_buckets = n_buckets;
    HistogramLiteral { h, hint_set }
}

/// The values of `base+incxN` (or `base-incxN`): `N+1` histograms starting at `base`, each
/// the previous one plus (minus) `inc` as Prometheus's `FloatHistogram.Add`/`Sub`.
pub(crate) fn histogram_series(
    base: &FloatHistogram,
    inc: &FloatHistogram,
    times: usize,
    subtract: bool,
) -> Result<Vec<FloatHistogram>, String> {
    let mut out = Vec::with_capacity(times + 1);
    out.push(base.clone());
    let mut cur = base.clone();
    for _ in 0..times {
        if cur.schema > inc.schema {
            return Err(format!(
                "error combining histograms: cannot merge from schema {} to {}",
                inc.schema, cur.schema
            ));
        }
        cur = combine(&cur, inc, subtract).map_err(|e| e.to_string())?.h;
        out.push(cur.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_and_subtraction() {
        let h = |schema: i32, count: f64| FloatHistogram {
            schema,
            positive_spans: vec![Span {
                offset: 0,
                length: 1,
            }],
            positive_buckets: vec![count],
            ..Default::default()
        };
        let (base, inc) = (h(0, 10.0), h(0, 1.0));
        let up = histogram_series(&base, &inc, 2, false).unwrap();
        assert_eq!(
            up.iter().map(|h| h.positive_buckets[0]).collect::<Vec<_>>(),
            vec![10.0, 11.0, 12.0]
        );
        let down = histogram_series(&base, &inc, 1, true).unwrap();
        assert_eq!(down[1].positive_buckets, vec![9.0]);
        assert!(histogram_series(&base, &h(-1, 1.0), 1, false).is_err());
        let mut custom = h(-53, 1.0);
        custom.custom_values = vec![1.0];
        assert_eq!(
            histogram_series(&custom, &base, 1, false).unwrap_err(),
            "cannot apply this operation on histograms with a mix of exponential and custom bucket schemas"
        );
    }

    fn lit(s: &str) -> Result<(HistogramLiteral, usize), PosError> {
        parse_histogram_literal(s, 0)
    }

    #[test]
    fn full_literal() {
        let s = "{{schema:1 sum:3 count:22 z_bucket:1 z_bucket_w:0.001 buckets:[5 10 7] offset:1 n_buckets:[1 2] n_offset:-2 counter_reset_hint:gauge}} rest";
        let (l, end) = lit(s).unwrap();
        assert_eq!(&s[end..], " rest");
        let h = &l.h;
        assert_eq!(h.schema, 1);
        assert_eq!(
            (h.sum, h.count, h.zero_count, h.zero_threshold),
            (3.0, 22.0, 1.0, 0.001)
        );
        assert_eq!(h.positive_buckets, vec![5.0, 10.0, 7.0]);
        assert_eq!(
            h.positive_spans,
            vec![Span {
                offset: 1,
                length: 3
            }]
        );
        assert_eq!(h.negative_buckets, vec![1.0, 2.0]);
        assert_eq!(
            h.negative_spans,
            vec![Span {
                offset: -2,
                length: 2
            }]
        );
        assert_eq!(h.counter_reset_hint, CounterResetHint::Gauge);
        assert!(l.hint_set);
    }

    #[test]
    fn empty_and_custom() {
        assert_eq!(lit("{{}}").unwrap().0.h, FloatHistogram::default());
        assert_eq!(lit("{{ }}").unwrap().1, 5);
        let (l, _) = lit("{{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}}").unwrap();
        assert!(l.h.uses_custom_buckets());
        assert_eq!(l.h.custom_values, vec![5.0, 10.0]);
        assert!(!l.hint_set);
    }

    #[test]
    fn special_numbers_and_trailing_space() {
        let (l, _) = lit("{{sum:-Inf count:NaN buckets:[1 -2 ] }}").unwrap();
        assert_eq!(l.h.sum, f64::NEG_INFINITY);
        assert!(l.h.count.is_nan());
        assert_eq!(l.h.positive_buckets, vec![1.0, -2.0]);
    }

    #[test]
    fn malformed() {
        assert_eq!(
            lit("{{sum:1 sum:2}}").unwrap_err().msg,
            "duplicate key \"sum\" in histogram"
        );
        assert_eq!(
            lit("{{foo:1}}").unwrap_err(),
            PosError::new(2, "bad histogram descriptor found: \"foo\"")
        );
        assert_eq!(lit("{{sum 1}}").unwrap_err().at, 5);
        assert_eq!(lit("{{sum:1").unwrap_err().at, 7);
        assert_eq!(lit("{{schema:1.5}}").unwrap_err().at, 9);
        assert!(lit("{{buckets:[]}}").is_err());
        assert!(lit("{{ sum:1}}").is_err());
        assert!(lit("{{sum: 1}}").is_err());
        assert!(lit("{{counter_reset_hint:maybe}}").is_err());
        assert_eq!(lit("{{offset:-99999999}}").unwrap_err().at, 9);
    }
}
