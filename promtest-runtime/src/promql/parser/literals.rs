//! Literal values as Prometheus reads them: numbers (Go's `ParseInt` base 0, then `ParseFloat`),
//! durations (`model.ParseDuration`) and quoted strings (Go escapes).

/// Nanoseconds per second.
const NANOS_PER_SEC: i64 = 1_000_000_000;

/// Parses a number token as Prometheus does: as an integer with Go's base prefixes
/// (`0x1f`, a leading `0` for octal, `_` separators), else as a float.
/// The error text is the one after `error parsing number: `.
pub fn parse_number(text: &str) -> Result<f64, String> {
    if let Some(v) = parse_go_int(text) {
        return Ok(v as f64);
    }
    parse_go_float(text)
}

/// Go's `strconv.ParseInt(s, 0, 64)` for unsigned token text; `None` on any error.
fn parse_go_int(text: &str) -> Option<i64> {
    let lower = text.to_ascii_lowercase();
    let (base, digits) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if text.contains('_') && !underscores_ok(text) {
        return None;
    }
    let cleaned: String = digits.chars().filter(|&c| c != '_').collect();
    if cleaned.is_empty() {
        return None;
    }
    let v = u64::from_str_radix(&cleaned, base).ok()?;
    i64::try_from(v).ok()
}

/// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
fn underscores_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `strconv.ParseFloat(s, 64)` for the token texts the grammar admits.
fn parse_go_float(text: &str) -> Result<f64, String> {
    let invalid = || {
        format!(
            "strconv.ParseFloat: parsing {}: invalid syntax",
            go_quote(text)
        )
    };
    match text.to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" => return Ok(f64::INFINITY),
        "nan" => return Ok(f64::NAN),
        _ => {}
    }
    if text.contains('_') && !underscores_ok(text) {
        return Err(invalid());
    }
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    if cleaned.len() > 1 && cleaned[..2].eq_ignore_ascii_case("0x") {
        // Hexadecimal floats need a `p` exponent, which the grammar never admits.
        return Err(invalid());
    }
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_infinite() => Err(format!(
            "strconv.ParseFloat: parsing {}: value out of range",
            go_quote(text)
        )),
        Ok(v) => Ok(v),
        Err(_) => Err(invalid()),
    }
}

/// Go's `model.ParseDuration`: `1h30m`, `5m`, `100ms`, `0`; the result in nanoseconds.
pub fn parse_duration_nanos(text: &str) -> Result<i64, String> {
    const UNITS: [(&str, u64); 7] = [
        ("y", 365 * 24 * 3600 * 1_000_000_000),
        ("w", 7 * 24 * 3600 * 1_000_000_000),
        ("d", 24 * 3600 * 1_000_000_000),
        ("h", 3600 * 1_000_000_000),
        ("m", 60 * 1_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
    ];
    match text {
        "0" => return Ok(0),
        "" => return Err("empty duration string".to_string()),
        _ => {}
    }
    let invalid = || format!("not a valid duration string: {}", go_quote(text));
    let mut rest = text;
    let mut total: u64 = 0;
    let mut last_unit: Option<usize> = None;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(invalid());
        }
        let v: u64 = rest[..digits].parse().map_err(|_| invalid())?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(|b| !b.is_ascii_digit()).count();
        if unit_len == 0 {
            return Err(invalid());
        }
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let Some(pos) = UNITS.iter().position(|(u, _)| *u == unit) else {
            return Err(format!(
                "unknown unit {} in duration {}",
                go_quote(unit),
                go_quote(text)
            ));
        };
        if last_unit.is_some_and(|last| pos <= last) {
            return Err(invalid());
        }
        last_unit = Some(pos);
        let mult = UNITS[pos].1;
        if v > (1u64 << 63) / mult {
            return Err("duration out of range".to_string());
        }
        total = total.saturating_add(v * mult);
        if total > i64::MAX as u64 {
            return Err("duration out of range".to_string());
        }
    }
    Ok(total as i64)
}

/// Go's `time.Duration.Seconds()` of a nanosecond count.
pub fn nanos_to_seconds(ns: i64) -> f64 {
    let sec = ns / NANOS_PER_SEC;
    let nsec = ns % NANOS_PER_SEC;
    sec as f64 + nsec as f64 / 1e9
}

/// Whether `seconds` would overflow a Go `time.Duration` (int64 nanoseconds).
pub fn duration_out_of_range(seconds: f64) -> bool {
    const LIMIT: f64 = 9_223_372_036.854_776; // 2^63 / 1e9
    seconds.is_nan() || !(-LIMIT..=LIMIT).contains(&seconds)
}

/// Seconds → milliseconds as Prometheus does: round to nanoseconds, then truncate to ms.
pub fn seconds_to_millis(seconds: f64) -> i64 {
    let ns = (seconds * 1e9).round();
    let ns = if ns >= i64::MAX as f64 {
        i64::MAX
    } else if ns <= i64::MIN as f64 {
        i64::MIN
    } else {
        ns as i64
    };
    ns / 1_000_000
}

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

/// Go's `%#U` for a rune: `U+0063 'c'`.
pub fn go_unicode_desc(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{}'", c as u32, c)
    }
}

/// Go's `strconv.Quote`: a double-quoted string with Go escapes for non-printable runes.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_go_escaped(&mut out, c);
    }
    out.push('"');
    out
}

/// Go's `strconv.Quote` of raw bytes: invalid UTF-8 bytes print as `\xNN`.
pub fn go_quote_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_go_escaped(&mut out, c);
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

fn push_go_escaped(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if is_go_printable(c) => out.push(c),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// An approximation of Go's `unicode.IsPrint`: no controls, no spaces but U+0020,
/// no common format characters.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFFFE | 0xFFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_go_rules() {
        assert_eq!(parse_number("1_000").unwrap(), 1000.0);
        assert_eq!(parse_number("0x1f").unwrap(), 31.0);
        assert_eq!(parse_number("0X_1F").unwrap(), 31.0);
        assert_eq!(parse_number("017").unwrap(), 15.0);
        assert_eq!(parse_number("08").unwrap(), 8.0);
        assert_eq!(parse_number("1e3").unwrap(), 1000.0);
        assert_eq!(parse_number(".5").unwrap(), 0.5);
        assert_eq!(parse_number("1.").unwrap(), 1.0);
        assert_eq!(parse_number("1_000.5").unwrap(), 1000.5);
        assert!(parse_number("Inf").unwrap().is_infinite());
        assert!(parse_number("nAn").unwrap().is_nan());
        assert_eq!(
            parse_number("1e400").unwrap_err(),
            "strconv.ParseFloat: parsing \"1e400\": value out of range"
        );
        assert_eq!(parse_number("99999999999999999999").unwrap(), 1e20);
    }

    #[test]
    fn durations_follow_model_parse_duration() {
        assert_eq!(parse_duration_nanos("5m").unwrap(), 300 * NANOS_PER_SEC);
        assert_eq!(parse_duration_nanos("1h30m").unwrap(), 5400 * NANOS_PER_SEC);
        assert_eq!(parse_duration_nanos("1s500ms").unwrap(), 1_500_000_000);
        assert_eq!(parse_duration_nanos("0").unwrap(), 0);
        assert_eq!(
            parse_duration_nanos("5y1hs").unwrap_err(),
            "unknown unit \"hs\" in duration \"5y1hs\""
        );
        assert_eq!(
            parse_duration_nanos("1m1h").unwrap_err(),
            "not a valid duration string: \"1m1h\""
        );
        assert_eq!(
            parse_duration_nanos("1.5m").unwrap_err(),
            "unknown unit \".\" in duration \"1.5m\""
        );
        assert_eq!(
            parse_duration_nanos("300y").unwrap_err(),
            "duration out of range"
        );
    }

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
    fn quoting_matches_strconv_quote() {
        assert_eq!(go_quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(go_quote("é\u{0}\u{200b}"), r#""é\x00\u200b""#);
        assert_eq!(go_quote_bytes(b"a\xc5z"), r#""a\xc5z""#);
    }

    #[test]
    fn millis_round_then_truncate() {
        assert_eq!(seconds_to_millis(1.5), 1500);
        assert_eq!(seconds_to_millis(-300.0), -300_000);
        assert_eq!(seconds_to_millis(0.0004), 0);
        assert!(duration_out_of_range(f64::INFINITY));
        assert!(!duration_out_of_range(1e9));
    }
}
