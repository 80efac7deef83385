//! Go string literals: unquoting (`"…"`, `'…'` with Go escapes, raw backticks) and
//! `strconv.Quote`, as Prometheus prints label values and messages.

use std::fmt;

/// An error unquoting a string literal: the message and the byte offset (in the token) it refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct UnquoteError {
    /// The message, worded as Prometheus's lexer words it.
    pub message: String,
}

/// Unquotes a string token (`"…"`, `'…'` with Go escapes, or a backtick raw string).
///
/// Bytes that do not form valid UTF-8 (from `\x` or octal escapes) are replaced by U+FFFD.
pub fn unquote(token: &str) -> Result<String, UnquoteError> {
    let bytes = unquote_bytes(token)?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Unquotes a string token to its exact bytes (which may not be valid UTF-8).
pub fn unquote_bytes(token: &str) -> Result<Vec<u8>, UnquoteError> {
    let err = |message: String| UnquoteError { message };
    let quote = token
        .chars()
        .next()
        .ok_or_else(|| err("empty string".into()))?;
    let body = &token[1..token.len().saturating_sub(1).max(1)];
    if quote == '`' {
        return Ok(body.as_bytes().to_vec());
    }
    let mut out = Vec::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let Some(e) = chars.next() else {
            return Err(err("escape sequence not terminated".into()));
        };
        let simple = match e {
            'a' => Some(0x07),
            'b' => Some(0x08),
            'f' => Some(0x0c),
            'n' => Some(b'\n'),
            'r' => Some(b'\r'),
            't' => Some(b'\t'),
            'v' => Some(0x0b),
            '\\' => Some(b'\\'),
            c if c == quote => Some(c as u8),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            continue;
        }
        let (count, base, max, first) = match e {
            '0'..='7' => (3, 8, 255u32, Some(e)),
            'x' => (2, 16, 255, None),
            'u' => (4, 16, 0x10FFFF, None),
            'U' => (8, 16, 0x10FFFF, None),
            other => {
                return Err(err(format!(
                    "unknown escape sequence {}",
                    go_unicode_desc(other)
                )))
            }
        };
        let mut value: u32 = 0;
        let mut pending = first;
        for _ in 0..count {
            let d = match pending.take().or_else(|| chars.next()) {
                None => return Err(err("escape sequence not terminated".into())),
                Some(d) => d,
            };
            match d.to_digit(base) {
                Some(v) => value = value * base + v,
                None => {
                    return Err(err(format!(
                        "illegal character {} in escape sequence",
                        go_unicode_desc(d)
                    )))
                }
            }
        }
        if value > max || (0xD800..0xE000).contains(&value) {
            return Err(err(
                "escape sequence is an invalid Unicode code point".into()
            ));
        }
        if matches!(e, 'u' | 'U') {
            let c = char::from_u32(value)
                .ok_or_else(|| err("escape sequence is an invalid Unicode code point".into()))?;
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        } else {
            out.push(value as u8);
        }
    }
    Ok(out)
}

/// Go's `strconv.Unquote`: a whole literal, `"…"` or `` `…` `` or a one-character `'…'`,
/// with nothing after the closing quote.
pub fn unquote_literal(s: &str) -> Result<String, UnquoteError> {
    let err = |m: &str| UnquoteError { message: m.into() };
    let quote = match s.chars().next() {
        Some(q @ ('"' | '\'' | '`')) => q,
        _ => return Err(err("missing opening quote")),
    };
    if s.len() < 2 || !s.ends_with(quote) {
        return Err(err("missing closing quote"));
    }
    let body = &s[1..s.len() - 1];
    if quote == '`' {
        if body.contains('`') {
            return Err(err("unexpected text after the closing quote"));
        }
        return Ok(body.replace('\r', ""));
    }
    if body.contains('\n') {
        return Err(err("newline in string"));
    }
    let mut escaped = false;
    for c in body.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return Err(err("unexpected text after the closing quote"));
        }
    }
    let v = unquote(s)?;
    if quote == '\'' && v.chars().count() != 1 {
        return Err(err(
            "a single-quoted literal must hold exactly one character",
        ));
    }
    Ok(v)
}

/// Go's `%#U` for a rune: `U+0063 'c'`.
pub fn go_unicode_desc(c: char) -> String {
    if !is_go_printable(c) {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{}'", c as u32, c)
    }
}

/// Go's `strconv.Quote`: a double-quoted string with Go escapes for non-printable runes.
pub fn go_quote(s: &str) -> String {
    go_quote_with(s, false)
}

/// Go's `strconv.Quote`, or `strconv.QuoteToASCII` when `ascii_only` (every non-ASCII rune
/// escaped too).
pub fn go_quote_with(s: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_go_escaped(&mut out, c, '"', ascii_only);
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteRune` (or `QuoteRuneToASCII` when `ascii_only`): `'x'`.
#[cfg_attr(not(feature = "rule-tests"), allow(dead_code))]
pub fn go_quote_rune(c: char, ascii_only: bool) -> String {
    let mut out = String::from("'");
    push_go_escaped(&mut out, c, '\'', ascii_only);
    out.push('\'');
    out
}

/// Go's `strconv.Quote` of raw bytes: invalid UTF-8 bytes print as `\xNN`.
pub fn go_quote_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_go_escaped(&mut out, c, '"', false);
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

/// Go's `appendEscapedRune`: `c` as it appears inside a literal quoted with `quote`.
fn push_go_escaped(out: &mut String, c: char, quote: char, ascii_only: bool) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    let printable = if ascii_only {
        c.is_ascii() && is_go_printable(c)
    } else {
        is_go_printable(c)
    };
    if printable {
        out.push(c);
        return;
    }
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// Go's `strconv.IsPrint`: whether Go's quoting shows `c` as it is.
pub fn is_go_printable(c: char) -> bool {
    super::printable::is_print(c)
}

/// Writes `s` as Go's `strconv.Quote` to any formatter.
pub fn write_go_quoted(f: &mut impl fmt::Write, s: &str) -> fmt::Result {
    f.write_str(&go_quote(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_unquote_with_go_escapes() {
        assert_eq!(unquote(r#""a\nb\"c""#).unwrap(), "a\nb\"c");
        assert_eq!(unquote(r"'it\'s'").unwrap(), "it's");
        assert_eq!(unquote(r#""\x41\101\u00e9\U0001F600""#).unwrap(), "AAé😀");
        assert_eq!(unquote(r"`raw\n`").unwrap(), "raw\\n");
        assert_eq!(
            unquote(r#""\c""#).unwrap_err().message,
            "unknown escape sequence U+0063 'c'"
        );
        assert_eq!(
            unquote(r#""\'""#).unwrap_err().message,
            "unknown escape sequence U+0027 '''"
        );
        assert_eq!(unquote_bytes(r#""a\xc5z""#).unwrap(), b"a\xc5z");
    }

    #[test]
    fn whole_literals_as_strconv_unquote() {
        assert_eq!(
            unquote_literal(r#""hi \"there\"""#).unwrap(),
            "hi \"there\""
        );
        assert_eq!(unquote_literal("`raw\\n`").unwrap(), "raw\\n");
        assert_eq!(unquote_literal("'x'").unwrap(), "x");
        assert!(unquote_literal("'xy'").is_err());
        assert!(unquote_literal(r#""a" b""#).is_err());
        assert!(unquote_literal(r#""a" b"#).is_err());
        assert!(unquote_literal("abc").is_err());
        assert!(unquote_literal("\"").is_err());
        assert!(unquote_literal("\"a\nb\"").is_err());
    }

    #[test]
    fn quoting_matches_strconv_quote() {
        assert_eq!(go_quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(go_quote("é\u{0}\u{200b}"), r#""é\x00\u200b""#);
        assert_eq!(go_quote_bytes(b"a\xc5z"), r#""a\xc5z""#);
    }
}
