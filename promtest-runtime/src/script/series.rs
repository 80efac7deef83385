//! Series notation: `metric{a="b"} 1+2x3 _ stale {{…}}x2`, as PromQL's
//! `ParseSeriesDesc` reads it for `load` blocks and expected results. Errors are worded and
//! placed as Prometheus's parser reports them: a token the grammar cannot take inside a
//! value (after `+`, `-` or `x`) is `unexpected … in series values`; one that cannot start
//! or follow a value is a bare `unexpected …`.

use std::cell::Cell;

use super::histogram_literal::histogram_series;
use super::histogram_literal::parse_histogram_literal;
use super::position::PosError;
use super::series_lexer::{tokenize, Kind, Token};
use super::SequenceValue;
use crate::literals::number::parse_number;
use crate::literals::quote::unquote;
use crate::model::{stale_nan, Label, Labels, METRIC_NAME};

/// How many values of a series can ever be read, and whether an over-long repetition was cut
/// short because of it (then the values from `max` on are dropped).
pub(crate) struct Limit {
    max: usize,
    cut: Cell<bool>,
}

/// The most values one repetition (`axN`) may expand to.
pub const MAX_REPEAT: u64 = 1_000_000;

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
    let toks = tokenize(s);
    let limit = limit.map(|max| Limit {
        max,
        cut: Cell::new(false),
    });
    let mut p = Parser {
        s,
        toks,
        i: 0,
        limit: limit.as_ref(),
    };
    let labels = p.metric()?;
    let mut values = p.values()?;
    if let Some(l) = limit.filter(|l| l.cut.get()) {
        values.truncate(l.max);
    }
    Ok((labels, values))
}

/// A label name given twice (with non-empty values) in the metric of the series description
/// `s`: Prometheus parses it but its storage refuses the series.
#[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
pub(crate) fn duplicate_label_name(s: &str) -> Option<String> {
    let mut p = Parser {
        s,
        toks: tokenize(s),
        i: 0,
        limit: None,
    };
    let mut names: Vec<String> = p
        .metric_raw()
        .ok()?
        .into_iter()
        .filter(|l| !l.value.is_empty())
        .map(|l| l.name.to_string())
        .collect();
    names.sort();
    names
        .windows(2)
        .find(|w| w[0] == w[1])
        .map(|w| w[0].clone())
}

/// `unexpected <token>[ in <context>][, expected <what>]`, or the lexer's error when the
/// token is one.
fn unexpected(t: &Token, context: &str, expected: &str) -> PosError {
    if t.kind == Kind::Error {
        return PosError::new(t.at, t.text.clone());
    }
    let msg = crate::promql::parser::unexpected_text(&t.desc(), context, expected);
    PosError::new(t.at, msg)
}

const VALUES: &str = "series values";
const LABELS: &str = "label set";

/// A cursor over the tokens of one series description.
struct Parser<'a> {
    s: &'a str,
    toks: Vec<Token>,
    i: usize,
    limit: Option<&'a Limit>,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof or Error, and the cursor never passes it.
        &self.toks[self.i.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }

    /// `name`, `name{…}`, `{…}` or nothing.
    fn metric(&mut self) -> Result<Labels, PosError> {
        self.metric_raw().map(Labels::new)
    }

    /// The metric's labels as written (duplicates and empty values kept, the name last).
    fn metric_raw(&mut self) -> Result<Vec<Label>, PosError> {
        let name = match self.peek().kind {
            Kind::Ident | Kind::MetricIdent => Some(self.next().text),
            Kind::Keyword {
                metric_ok: true, ..
            } => Some(self.next().text),
            _ => None,
        };
        let mut labels = Vec::new();
        if self.peek().kind == Kind::LBrace {
            self.next();
            self.label_set(&mut labels)?;
        }
        if let Some(n) = name {
            labels.retain(|l: &Label| l.name != METRIC_NAME);
            labels.push(Label::new(METRIC_NAME, n));
        }
        Ok(labels)
    }

    /// The label set after `{`, through `}`.
    fn label_set(&mut self, out: &mut Vec<Label>) -> Result<(), PosError> {
        if self.peek().kind == Kind::RBrace {
            self.next();
            return Ok(());
        }
        loop {
            let t = self.next();
            match t.kind {
                Kind::Ident => {
                    let eq = self.next();
                    if eq.kind != Kind::Eql {
                        return Err(unexpected(&eq, LABELS, "\"=\""));
                    }
                    let value = self.string(LABELS)?;
                    out.push(Label::new(t.text, value));
                }
                Kind::Str => {
                    let name = self.unquoted(&t)?;
                    if self.peek().kind == Kind::Eql {
                        self.next();
                        let value = self.string(LABELS)?;
                        out.push(Label::new(name, value));
                    } else {
                        out.push(Label::new(METRIC_NAME, name));
                    }
                }
                _ => return Err(unexpected(&t, LABELS, "identifier or \"}\"")),
            }
            let sep = self.next();
            match sep.kind {
                Kind::RBrace => return Ok(()),
                Kind::Comma if self.peek().kind == Kind::RBrace => {
                    self.next();
                    return Ok(());
                }
                Kind::Comma => {}
                _ => return Err(unexpected(&sep, LABELS, "\",\" or \"}\"")),
            }
        }
    }

    fn string(&mut self, context: &str) -> Result<String, PosError> {
        let t = self.next();
        if t.kind != Kind::Str {
            return Err(unexpected(&t, context, "string"));
        }
        self.unquoted(&t)
    }

    fn unquoted(&self, t: &Token) -> Result<String, PosError> {
        unquote(&t.text).map_err(|e| PosError::new(t.at, e.message))
    }

    /// The values after the metric: nothing, or a space and space-separated items.
    fn values(&mut self) -> Result<Vec<SequenceValue>, PosError> {
        let mut out = Vec::new();
        let t = self.next();
        match t.kind {
            Kind::Eof => return Ok(out),
            Kind::Space => {}
            _ => return Err(unexpected(&t, VALUES, "")),
        }
        loop {
            let t = self.next();
            match t.kind {
                Kind::Eof => return Ok(out),
                Kind::Blank => {
                    if self.peek().kind == Kind::Times {
                        self.next();
                        let n = self.times(out.len())?;
                        out.extend((0..n).map(|_| SequenceValue::Omitted));
                    } else {
                        out.push(SequenceValue::Omitted);
                    }
                }
                Kind::Hist => self.histogram_item(&t, &mut out)?,
                Kind::Ident | Kind::Number | Kind::Add | Kind::Sub => {
                    let first = self.value(t)?;
                    self.float_item(first, &mut out)?;
                }
                _ => return Err(unexpected(&t, "", "")),
            }
            // After an item: a space and more, or the end.
            let t = self.next();
            match t.kind {
                Kind::Eof => return Ok(out),
                Kind::Space => {}
                _ => return Err(unexpected(&t, "", "")),
            }
        }
    }

    /// A value starting with `t`: a number, `+`/`-` and a number, or `stale`.
    fn value(&mut self, t: Token) -> Result<f64, PosError> {
        match t.kind {
            Kind::Ident => {
                if t.text != "stale" {
                    return Err(unexpected(&t, VALUES, "number or \"stale\""));
                }
                Ok(stale_nan())
            }
            Kind::Add | Kind::Sub => {
                let n = self.number()?;
                Ok(if t.kind == Kind::Sub { -n } else { n })
            }
            _ => self.number_of(&t),
        }
    }

    fn number(&mut self) -> Result<f64, PosError> {
        let t = self.next();
        if t.kind != Kind::Number {
            return Err(unexpected(&t, VALUES, ""));
        }
        self.number_of(&t)
    }

    fn number_of(&self, t: &Token) -> Result<f64, PosError> {
        parse_number(&t.text).map_err(|e| PosError::new(t.at, format!("error parsing number: {e}")))
    }

    /// The count after `x`. Counts above [`MAX_REPEAT`] are errors unless the limit allows
    /// cutting the series short: then the count is reduced to the values still missing to
    /// reach it (`out_len` are there).
    fn times(&mut self, out_len: usize) -> Result<u64, PosError> {
        let t = self.next();
        if t.kind != Kind::Number {
            return Err(unexpected(&t, VALUES, ""));
        }
        let n = go_parse_uint(&t.text).map_err(|e| {
            PosError::new(
                t.at,
                format!(
                    "invalid repetition in series values: strconv.ParseUint: parsing {}: {e}",
                    crate::literals::quote::go_quote(&t.text)
                ),
            )
        })?;
        if n > MAX_REPEAT {
            if let Some(l) = self.limit.filter(|l| l.max as u64 <= MAX_REPEAT) {
                l.cut.set(true);
                return Ok(n.min(l.max.saturating_sub(out_len) as u64));
            }
            return Err(PosError::new(
                t.at,
                format!("repetition count {n} is too large (at most {MAX_REPEAT})"),
            ));
        }
        Ok(n)
    }

    /// After a float value: `xN`, `+dxN`, `-dxN` or nothing.
    fn float_item(&mut self, first: f64, out: &mut Vec<SequenceValue>) -> Result<(), PosError> {
        match self.peek().kind {
            Kind::Times => {
                self.next();
                let n = self.times(out.len())?;
                out.extend((0..=n).map(|_| SequenceValue::Float(first)));
            }
            Kind::Add | Kind::Sub => {
                let sign = self.next();
                let inc = self.number()?;
                let inc = if sign.kind == Kind::Sub { -inc } else { inc };
                let x = self.next();
                if x.kind != Kind::Times {
                    return Err(unexpected(&x, VALUES, ""));
                }
                let n = self.times(out.len())?;
                let mut v = first;
                for _ in 0..=n {
                    out.push(SequenceValue::Float(v));
                    v += inc;
                }
            }
            _ => out.push(SequenceValue::Float(first)),
        }
        Ok(())
    }

    /// `{{…}}`, `{{…}}xN`, `{{…}}+{{…}}xN`, `{{…}}-{{…}}xN`.
    fn histogram_item(&mut self, t: &Token, out: &mut Vec<SequenceValue>) -> Result<(), PosError> {
        let base = self.histogram(t)?;
        match self.peek().kind {
            Kind::Times => {
                self.next();
                let n = self.times(out.len())?;
                out.extend((0..=n).map(|_| SequenceValue::Histogram {
                    h: Box::new(base.h.clone()),
                    counter_reset_hint_set: base.hint_set,
                }));
            }
            Kind::Add | Kind::Sub => {
                let sub = self.next().kind == Kind::Sub;
                let h = self.next();
                if h.kind != Kind::Hist {
                    return Err(unexpected(&h, VALUES, ""));
                }
                let inc = self.histogram(&h)?;
                let x = self.next();
                if x.kind != Kind::Times {
                    return Err(unexpected(&x, VALUES, ""));
                }
                let n = self.times(out.len())?;
                let values = histogram_series(&base.h, &inc.h, n as usize, sub)
                    .map_err(|m| PosError::new(t.at, m))?;
                out.extend(values.into_iter().map(|h| SequenceValue::Histogram {
                    h: Box::new(h),
                    counter_reset_hint_set: inc.hint_set,
                }));
            }
            _ => out.push(SequenceValue::Histogram {
                h: Box::new(base.h),
                counter_reset_hint_set: base.hint_set,
            }),
        }
        Ok(())
    }

    fn histogram(&self, t: &Token) -> Result<super::histogram_literal::HistogramLiteral, PosError> {
        let end = t.at + t.text.len();
        let (lit, stop) = parse_histogram_literal(&self.s[..end], t.at)?;
        if stop != end {
            return Err(PosError::new(stop, "unexpected text after histogram"));
        }
        Ok(lit)
    }
}

/// `strconv.ParseUint(s, 10, 64)`'s verdict: the value, or Go's reason.
fn go_parse_uint(s: &str) -> Result<u64, &'static str> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err("invalid syntax");
    }
    s.parse().map_err(|_| "value out of range")
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

    /// The error at `s`: (1-based column, message).
    fn err(s: &str) -> (usize, String) {
        let e = parse_series_desc(s).unwrap_err();
        (e.at + 1, e.msg)
    }

    // The texts below are Prometheus's (checked against promtool where its version shares
    // the grammar): `in series values` inside a value, bare `unexpected` between values.
    #[test]
    fn malformed_values() {
        let cases: &[(&str, usize, &str)] = &[
            ("m 1+", 5, "unexpected end of input in series values"),
            ("m 1+x3", 5, "unexpected \"x\" in series values"),
            ("m 1+2 x3", 6, "unexpected \" \" in series values"),
            ("m 1+2+3x3", 6, "unexpected <op:+> in series values"),
            ("m 1x", 5, "unexpected end of input in series values"),
            ("m 1xa", 5, "unexpected identifier \"a\" in series values"),
            ("m 1x-1", 5, "unexpected <op:-> in series values"),
            ("m --1", 4, "unexpected <op:-> in series values"),
            ("m 1 foo", 5, "unexpected identifier \"foo\" in series values, expected number or \"stale\""),
            ("m x3", 3, "unexpected \"x\""),
            ("m 1x3x3", 6, "unexpected \"x\""),
            ("m _+1x3", 4, "unexpected <op:+>"),
            ("m offset", 3, "unexpected <offset>"),
            ("m 5m", 3, "bad number syntax: \"5\""),
            ("m 1..2", 3, "bad number syntax: \"1..\""),
            ("m 1,2", 4, "unexpected character in series sequence: ','"),
            ("m 1e400", 3, "error parsing number: strconv.ParseFloat: parsing \"1e400\": value out of range"),
            ("m 1x3.5", 5, "invalid repetition in series values: strconv.ParseUint: parsing \"3.5\": invalid syntax"),
            ("m 1x99999999999", 5, "repetition count 99999999999 is too large (at most 1000000)"),
            ("m -stale", 4, "unexpected identifier \"stale\" in series values"),
            ("m {{sum:1}", 3, "unclosed histogram \"{{\", expected \"}}\""),
            ("m {{sum:1}}+{{sum:1}}", 22, "unexpected end of input in series values"),
        ];
        for (s, col, msg) in cases {
            assert_eq!(err(s), (*col, msg.to_string()), "{s}");
        }
    }

    #[test]
    fn duplicate_names_are_found() {
        assert_eq!(
            duplicate_label_name(r#"m{a="1",b="2",a="3"} 1"#),
            Some("a".into())
        );
        assert_eq!(duplicate_label_name(r#"m{a="",a="3"} 1"#), None);
        assert_eq!(duplicate_label_name(r#"m{__name__="x"} 1"#), None);
    }

    #[test]
    fn malformed_metrics() {
        let cases: &[(&str, usize, &str)] = &[
            (r#"m{a="b" 1"#, 9, "unexpected character inside braces: '1'"),
            (
                r#"m{a=b} 1"#,
                5,
                "unexpected identifier \"b\" in label set, expected string",
            ),
            (
                r#"m{a} 1"#,
                4,
                "unexpected \"}\" in label set, expected \"=\"",
            ),
            (
                r#"m{a=~"b"} 1"#,
                4,
                "unexpected <op:=~> in label set, expected \"=\"",
            ),
            (
                r#"m{="b"} 1"#,
                3,
                "unexpected \"=\" in label set, expected identifier or \"}\"",
            ),
            (
                r#"m{a="b",,c="d"} 1"#,
                9,
                "unexpected \",\" in label set, expected identifier or \"}\"",
            ),
            (
                r#"m{a="b" c="d"} 1"#,
                9,
                "unexpected identifier \"c\" in label set, expected \",\" or \"}\"",
            ),
            (
                r#"m{a:b="c"} 1"#,
                4,
                "unexpected character inside braces: ':'",
            ),
            (r#"m{a="b}"#, 5, "unterminated quoted string"),
            (
                r#"m{a="b"}} 1"#,
                9,
                "unexpected character in series sequence: '}'",
            ),
            (
                r#"m{a="b"}1"#,
                9,
                "unexpected number \"1\" in series values",
            ),
            ("m-n 1", 2, "unexpected <op:-> in series values"),
            (
                "sum(m) 1",
                4,
                "unexpected character in series sequence: '('",
            ),
            ("on 1", 1, "unexpected <on> in series values"),
            ("1 2", 1, "unexpected number \"1\" in series values"),
            ("1m 2", 1, "unexpected duration \"1m\" in series values"),
            ("1up 2", 1, "bad number or duration syntax: \"1\""),
        ];
        for (s, col, msg) in cases {
            assert_eq!(err(s), (*col, msg.to_string()), "{s}");
        }
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
