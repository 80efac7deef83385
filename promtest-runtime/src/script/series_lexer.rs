//! Tokens of series notation, scanned as PromQL's lexer scans a series description: the
//! metric (name, `{…}` label set) and the value sequence, with the lexer's own error texts
//! (`unexpected character inside braces: '1'`, `bad number syntax: "1.."`, …) and the
//! token descriptions its parser puts in `unexpected …` messages.

use super::position::{is_alnum, is_alpha, is_space, scan_number_go};
use crate::literals::quote::{go_quote, unquote};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A name without a colon.
    Ident,
    /// A name with a colon (`a:b`).
    MetricIdent,
    /// A PromQL keyword; whether it may name a metric, and how it describes itself.
    Keyword {
        metric_ok: bool,
        class: Class,
    },
    /// A number (`inf` and `nan` included).
    Number,
    /// A duration (only as the first token).
    Duration,
    /// A quoted string, quotes included.
    Str,
    LBrace,
    RBrace,
    Comma,
    Eql,
    /// `=~`, `!=`, `!~` and the other operators (described as `<op:…>`).
    Operator,
    Space,
    Blank,
    Times,
    Add,
    Sub,
    /// A whole `{{…}}` histogram literal.
    Hist,
    /// Other punctuation, described by its text.
    Punct,
    Eof,
    /// A lexer error: the scan ends here.
    Error,
}

/// How a keyword token describes itself in Prometheus's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// `<op:and>`.
    Operator,
    /// `<aggr:sum>`.
    Aggregator,
    /// `<offset>`.
    Keyword,
    /// `"start"` (the `@` preprocessors and duration keywords).
    Plain,
}

/// One token: its kind, byte offset and text (the message for [`Kind::Error`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub at: usize,
    pub text: String,
}

impl Token {
    fn new(kind: Kind, at: usize, text: &str) -> Token {
        Token {
            kind,
            at,
            text: text.to_string(),
        }
    }

    /// The token as Prometheus's parser names it after `unexpected `.
    pub(crate) fn desc(&self) -> String {
        let t = &self.text;
        match self.kind {
            Kind::Eof => "end of input".into(),
            Kind::Error => "error".into(),
            Kind::Ident => format!("identifier {}", go_quote(t)),
            Kind::MetricIdent => format!("metric identifier {}", go_quote(t)),
            Kind::Number => format!("number {}", quote10(t)),
            Kind::Duration => format!("duration {}", quote10(t)),
            Kind::Str => format!("string {}", quote10(t)),
            Kind::Keyword { class, .. } => match class {
                Class::Operator => format!("<op:{t}>"),
                Class::Aggregator => format!("<aggr:{t}>"),
                Class::Keyword => format!("<{t}>"),
                Class::Plain => quote10(t),
            },
            Kind::Operator | Kind::Add | Kind::Sub => format!("<op:{t}>"),
            Kind::Hist => "\"{{\"".into(),
            _ => quote10(t),
        }
    }
}

/// Go's `%q` of a string, cut to 10 runes and marked `...` when longer.
fn quote10(s: &str) -> String {
    if s.chars().count() > 10 {
        let cut: String = s.chars().take(10).collect();
        format!("{}...", go_quote(&cut))
    } else {
        go_quote(s)
    }
}

/// Go's `%q` of a rune.
fn rune_quote(c: Option<char>) -> String {
    match c {
        None => "'\u{FFFD}'".into(),
        Some(c) => format!("{c:?}"),
    }
}

/// The keyword a word is, if any (case-insensitively).
fn keyword(word: &str) -> Option<Kind> {
    let lower = word.to_ascii_lowercase();
    let (metric_ok, class) = match lower.as_str() {
        "inf" | "nan" => return Some(Kind::Number),
        "and" | "or" | "unless" => (true, Class::Operator),
        "atan2" => (false, Class::Operator),
        "sum" | "avg" | "count" | "min" | "max" | "group" | "stddev" | "stdvar" | "topk"
        | "bottomk" | "count_values" | "quantile" | "limitk" | "limit_ratio" => {
            (true, Class::Aggregator)
        }
        "offset" | "smoothed" | "anchored" | "by" | "without" => (true, Class::Keyword),
        "on" | "ignoring" | "group_left" | "group_right" | "bool" => (false, Class::Keyword),
        // `fill(` only: without a parenthesis these are names.
        "fill" | "fill_left" | "fill_right" => return None,
        "start" | "end" | "step" | "range" | "max_of" | "min_of" => (true, Class::Plain),
        _ => return None,
    };
    Some(Kind::Keyword { metric_ok, class })
}

/// The lexer's modes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Start,
    Braces,
    Values,
}

/// Scans `s` into tokens, ending with [`Kind::Eof`] or at the first [`Kind::Error`].
pub(crate) fn tokenize(s: &str) -> Vec<Token> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut mode = Mode::Start;
    let mut i = 0;
    loop {
        let c = s[i..].chars().next();
        let err = |out: &mut Vec<Token>, at: usize, msg: String| {
            out.push(Token {
                kind: Kind::Error,
                at,
                text: msg,
            });
        };
        let Some(c) = c else {
            if mode == Mode::Braces {
                err(&mut out, i, "unexpected end of input inside braces".into());
            } else {
                out.push(Token::new(Kind::Eof, i, ""));
            }
            return out;
        };
        let start = i;
        if c.is_ascii() && is_space(c as u8) {
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            if mode == Mode::Values {
                out.push(Token::new(Kind::Space, start, &s[start..start + 1]));
            }
            continue;
        }
        match mode {
            Mode::Braces => match c {
                '#' => i = b.len(),
                c if c.is_ascii() && is_alpha(c as u8) => {
                    while i < b.len() && is_alnum(b[i]) {
                        i += 1;
                    }
                    out.push(Token::new(Kind::Ident, start, &s[start..i]));
                }
                ',' | '}' => {
                    i += 1;
                    let kind = if c == ',' { Kind::Comma } else { Kind::RBrace };
                    out.push(Token::new(kind, start, &s[start..i]));
                    if c == '}' {
                        mode = Mode::Values;
                    }
                }
                '"' | '\'' | '`' => match scan_string(s, start) {
                    Ok(end) => {
                        out.push(Token::new(Kind::Str, start, &s[start..end]));
                        i = end;
                    }
                    Err(msg) => {
                        err(&mut out, start, msg);
                        return out;
                    }
                },
                '=' => {
                    if b.get(i + 1) == Some(&b'~') {
                        i += 2;
                        out.push(Token::new(Kind::Operator, start, "=~"));
                    } else {
                        i += 1;
                        out.push(Token::new(Kind::Eql, start, "="));
                    }
                }
                '!' => match b.get(i + 1) {
                    Some(b'~' | b'=') => {
                        i += 2;
                        out.push(Token::new(Kind::Operator, start, &s[start..i]));
                    }
                    _ => {
                        let next = s[i + 1..].chars().next();
                        let msg = format!(
                            "unexpected character after '!' inside braces: {}",
                            rune_quote(next)
                        );
                        err(&mut out, start, msg);
                        return out;
                    }
                },
                '{' => {
                    err(&mut out, start, "unexpected left brace '{'".into());
                    return out;
                }
                other => {
                    let msg = format!(
                        "unexpected character inside braces: {}",
                        rune_quote(Some(other))
                    );
                    err(&mut out, start, msg);
                    return out;
                }
            },
            Mode::Values => match c {
                '{' if b.get(i + 1) == Some(&b'{') => match s[i + 2..].find("}}") {
                    Some(k) => {
                        i += k + 4;
                        out.push(Token::new(Kind::Hist, start, &s[start..i]));
                    }
                    None => {
                        err(
                            &mut out,
                            start,
                            "unclosed histogram \"{{\", expected \"}}\"".into(),
                        );
                        return out;
                    }
                },
                '+' | '-' | 'x' | '_' => {
                    i += 1;
                    let kind = match c {
                        '+' => Kind::Add,
                        '-' => Kind::Sub,
                        'x' => Kind::Times,
                        _ => Kind::Blank,
                    };
                    out.push(Token::new(kind, start, &s[start..i]));
                }
                c if c.is_ascii_digit()
                    || (c == '.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
                {
                    match scan_number_go(b, i) {
                        Ok(end) => {
                            out.push(Token::new(Kind::Number, start, &s[start..end]));
                            i = end;
                        }
                        Err(end) => {
                            let msg = format!("bad number syntax: {}", go_quote(&s[start..end]));
                            err(&mut out, start, msg);
                            return out;
                        }
                    }
                }
                c if c.is_ascii() && is_alpha(c as u8) => {
                    i = word(s, i, &mut out);
                    mode = if b.get(i) == Some(&b'{') {
                        Mode::Start
                    } else {
                        Mode::Values
                    };
                }
                other => {
                    let msg = format!(
                        "unexpected character in series sequence: {}",
                        rune_quote(Some(other))
                    );
                    err(&mut out, start, msg);
                    return out;
                }
            },
            Mode::Start => match c {
                '{' => {
                    i += 1;
                    out.push(Token::new(Kind::LBrace, start, "{"));
                    mode = Mode::Braces;
                }
                c if c == ':' || (c.is_ascii() && is_alpha(c as u8)) => {
                    i = word(s, i, &mut out);
                    if b.get(i) != Some(&b'{') {
                        mode = Mode::Values;
                    }
                }
                _ => {
                    // Anything else cannot start a metric: the parser stops at this token.
                    match start_token(s, start) {
                        Ok(t) => out.push(t),
                        Err(msg) => err(&mut out, start, msg),
                    }
                    return out;
                }
            },
        }
    }
}

/// A name or keyword at `i`; returns the index after it.
fn word(s: &str, i: usize, out: &mut Vec<Token>) -> usize {
    let b = s.as_bytes();
    let mut end = i;
    while end < b.len() && (is_alnum(b[end]) || b[end] == b':') {
        end += 1;
    }
    let w = &s[i..end];
    let kind = keyword(w).unwrap_or(if w.contains(':') {
        Kind::MetricIdent
    } else {
        Kind::Ident
    });
    out.push(Token::new(kind, i, w));
    end
}

/// The end of a quoted string starting at `start`, or the lexer's error about it.
fn scan_string(s: &str, start: usize) -> Result<usize, String> {
    let b = s.as_bytes();
    let quote = b[start];
    let mut i = start + 1;
    if quote == b'`' {
        return match s[i..].find('`') {
            Some(k) => Ok(i + k + 1),
            None => Err("unterminated raw string".into()),
        };
    }
    while i < b.len() && b[i] != quote && b[i] != b'\n' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    let i = i.min(b.len());
    let closed = b.get(i) == Some(&quote);
    // Escapes are checked as they are scanned, so a bad escape is reported before a missing
    // closing quote.
    let token = if closed {
        s[start..=i].to_string()
    } else {
        format!("{}{}", &s[start..i], quote as char)
    };
    if let Err(e) = unquote(&token) {
        return Err(e.message);
    }
    if closed {
        Ok(i + 1)
    } else {
        Err("unterminated quoted string".into())
    }
}

/// A first token that cannot start a metric (a number, a string, an operator…).
fn start_token(s: &str, i: usize) -> Result<Token, String> {
    let b = s.as_bytes();
    let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
    let two = s.get(i..i + 2).unwrap_or("");
    let tok = |kind, len: usize| Ok(Token::new(kind, i, &s[i..i + len]));
    match c {
        '0'..='9' | '.' => match scan_number_go(b, i) {
            Ok(end) => tok(Kind::Number, end - i),
            Err(end) => match duration_end(b, end) {
                Ok(d) => tok(Kind::Duration, d - i),
                Err(e) => Err(format!(
                    "bad number or duration syntax: {}",
                    go_quote(&s[i..e.min(s.len())])
                )),
            },
        },
        '"' | '\'' | '`' => scan_string(s, i).and_then(|end| tok(Kind::Str, end - i)),
        ',' => tok(Kind::Comma, 1),
        '+' => tok(Kind::Add, 1),
        '-' => tok(Kind::Sub, 1),
        '(' | '[' => tok(Kind::Punct, 1),
        ')' => Err("unexpected right parenthesis ')'".into()),
        ']' => Err("unexpected right bracket ']'".into()),
        '=' if two == "=~" => Err("unexpected character after '=': '~'".into()),
        '!' if two != "!=" => Err(format!(
            "unexpected character after '!': {}",
            rune_quote(s[i + 1..].chars().next())
        )),
        '=' | '!' | '<' | '>' if two.ends_with('=') => tok(Kind::Operator, 2),
        '<' | '>' if two.ends_with('/') => tok(Kind::Operator, 2),
        '=' => tok(Kind::Eql, 1),
        '*' | '/' | '%' | '^' | '@' | '<' | '>' => tok(Kind::Operator, 1),
        other => Err(format!("unexpected character: {}", rune_quote(Some(other)))),
    }
}

/// Where a duration continuing at `i` (after the number part) ends, or where the lexer's
/// attempt stopped.
fn duration_end(b: &[u8], mut i: usize) -> Result<usize, usize> {
    let unit = |i: &mut usize, units: &[u8]| {
        if b.get(*i).is_some_and(|c| units.contains(c)) {
            *i += 1;
            if b.get(*i) == Some(&b's') {
                *i += 1;
            }
            true
        } else {
            false
        }
    };
    if !unit(&mut i, b"smhdwy") {
        return Err(i);
    }
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if !unit(&mut i, b"smhdw") {
            return Err(i);
        }
    }
    match b.get(i) {
        Some(&c) if is_alnum(c) => Err(i + 1),
        _ => Ok(i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Kind> {
        tokenize(s).iter().map(|t| t.kind).collect()
    }

    fn error(s: &str) -> (usize, String) {
        let t = tokenize(s).pop().unwrap();
        assert_eq!(t.kind, Kind::Error, "{s}");
        (t.at, t.text)
    }

    #[test]
    fn token_streams() {
        use Kind::*;
        assert_eq!(
            kinds(r#"up{a="b", c!~'d'} 1+2x3 _ stale"#),
            vec![
                Ident, LBrace, Ident, Eql, Str, Comma, Ident, Operator, Str, RBrace, Space, Number,
                Add, Number, Times, Number, Space, Blank, Space, Ident, Eof
            ]
        );
        assert_eq!(
            kinds("a:b -Inf"),
            vec![MetricIdent, Space, Sub, Number, Eof]
        );
        assert_eq!(
            kinds("m {{sum:1}}x2"),
            vec![Ident, Space, Hist, Times, Number, Eof]
        );
        assert_eq!(kinds("5m"), vec![Duration]);
    }

    #[test]
    fn lexer_errors_as_prometheus_words_them() {
        assert_eq!(
            error(r#"up{a="b" 1"#),
            (9, "unexpected character inside braces: '1'".into())
        );
        assert_eq!(
            error(r#"up{a="b""#),
            (8, "unexpected end of input inside braces".into())
        );
        assert_eq!(
            error("up 1,2"),
            (4, "unexpected character in series sequence: ','".into())
        );
        assert_eq!(error("up 1..2"), (3, "bad number syntax: \"1..\"".into()));
        assert_eq!(
            error("1up"),
            (0, "bad number or duration syntax: \"1\"".into())
        );
        assert_eq!(
            error(r#"up{a="\q"}"#),
            (5, "unknown escape sequence U+0071 'q'".into())
        );
        assert_eq!(
            error(r#"up{a="b"#),
            (5, "unterminated quoted string".into())
        );
        assert_eq!(
            error("up{a!b}"),
            (
                4,
                "unexpected character after '!' inside braces: 'b'".into()
            )
        );
    }

    #[test]
    fn descriptions() {
        let d = |s: &str, n: usize| tokenize(s)[n].desc();
        assert_eq!(d("up b", 2), "identifier \"b\"");
        assert_eq!(d("up 12345678901", 2), "number \"1234567890\"...");
        assert_eq!(d("up +", 2), "<op:+>");
        assert_eq!(d("up x", 2), "\"x\"");
        assert_eq!(d("up offset", 2), "<offset>");
        assert_eq!(d("up", 1), "end of input");
        assert_eq!(d("on", 0), "<on>");
        assert_eq!(d("sum", 0), "<aggr:sum>");
        assert_eq!(d("up{\"a\"}", 2), "string \"\\\"a\\\"\"");
    }
}
