//! Go-style quoted strings: `"…"` and `'…'` with Go escapes, and raw `` `…` ``.

/// Scans a quoted string starting at byte `start` of `s` (which must be a quote
/// character). Returns the unquoted value and the byte index just past the closing quote.
///
/// Escapes are those PromQL's lexer accepts: `\a \b \f \n \r \t \v \\`, the
/// opening quote, `\NNN` octal, `\xHH`, `\uHHHH`, `\UHHHHHHHH`. Raw strings take
/// no escapes. Errors give the byte offset of the problem and a message.
pub fn scan_quoted(s: &str, start: usize) -> Result<(String, usize), (usize, String)> {
    let bytes = s.as_bytes();
    let quote = bytes[start];
    let mut out: Vec<u8> = Vec::new();
    let mut i = start + 1;
    if quote == b'`' {
        return match s[i..].find('`') {
            Some(end) => Ok((s[i..i + end].to_string(), i + end + 1)),
            None => Err((start, "unterminated raw string".to_string())),
        };
    }
    loop {
        let Some(&c) = bytes.get(i) else {
            return Err((start, "unterminated quoted string".to_string()));
        };
        if c == quote {
            let text = String::from_utf8(out)
                .map_err(|_| (start, "invalid UTF-8 in quoted string".to_string()))?;
            return Ok((text, i + 1));
        }
        match c {
            b'\n' => return Err((start, "unterminated quoted string".to_string())),
            b'\\' => {
                let esc_at = i;
                i += 1;
                let Some(&e) = bytes.get(i) else {
                    return Err((esc_at, "escape sequence not terminated".to_string()));
                };
                i += 1;
                let simple = match e {
                    b'a' => Some(0x07),
                    b'b' => Some(0x08),
                    b'f' => Some(0x0c),
                    b'n' => Some(b'\n'),
                    b'r' => Some(b'\r'),
                    b't' => Some(b'\t'),
                    b'v' => Some(0x0b),
                    b'\\' => Some(b'\\'),
                    q if q == quote => Some(q),
                    _ => None,
                };
                if let Some(b) = simple {
                    out.push(b);
                    continue;
                }
                let (n, base, max, first_is_digit) = match e {
                    b'0'..=b'7' => (3, 8, 255, true),
                    b'x' => (2, 16, 255, false),
                    b'u' => (4, 16, 0x10ffff, false),
                    b'U' => (8, 16, 0x10ffff, false),
                    _ => {
                        let ch = s[esc_at + 1..].chars().next().unwrap_or(' ');
                        return Err((esc_at, format!("unknown escape sequence {ch:?}")));
                    }
                };
                let digits_start = if first_is_digit { i - 1 } else { i };
                let mut x: u32 = 0;
                for k in 0..n {
                    let Some(d) = bytes
                        .get(digits_start + k)
                        .and_then(|&b| (b as char).to_digit(base))
                    else {
                        return Err((esc_at, "invalid character in escape sequence".to_string()));
                    };
                    x = x * base + d;
                }
                i = digits_start + n;
                if x > max || (0xD800..0xE000).contains(&x) {
                    return Err((
                        esc_at,
                        "escape sequence is an invalid Unicode code point".to_string(),
                    ));
                }
                if e == b'u' || e == b'U' {
                    let ch = char::from_u32(x).unwrap_or('\u{fffd}');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                } else {
                    out.push(x as u8);
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// Unquotes a whole Go string literal as `strconv.Unquote` does: `"…"`, `` `…` ``,
/// or a one-character `'…'`. Nothing may follow the closing quote.
pub fn unquote_go(s: &str) -> Result<String, String> {
    let Some(first) = s.bytes().next() else {
        return Err("empty string literal".to_string());
    };
    if !matches!(first, b'"' | b'\'' | b'`') {
        return Err("missing opening quote".to_string());
    }
    let (text, end) = scan_quoted(s, 0).map_err(|(_, m)| m)?;
    if end != s.len() {
        return Err("unexpected text after the closing quote".to_string());
    }
    if first == b'\'' && text.chars().count() != 1 {
        return Err("a single-quoted literal must hold exactly one character".to_string());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let s = r#""a\"b\\c\n\t\x41\101\u00e9\U0001F600""#;
        let (v, end) = scan_quoted(s, 0).unwrap();
        assert_eq!(v, "a\"b\\c\n\tAAé😀");
        assert_eq!(end, s.len());
    }

    #[test]
    fn single_and_raw_quotes() {
        assert_eq!(scan_quoted(r"'it\'s'", 0).unwrap().0, "it's");
        assert_eq!(
            scan_quoted(r"`a\nb` rest", 0).unwrap(),
            (r"a\nb".to_string(), 6)
        );
    }

    #[test]
    fn errors() {
        assert!(scan_quoted(r#""abc"#, 0).is_err());
        assert_eq!(scan_quoted(r#""a\qb""#, 0).unwrap_err().0, 2);
        assert!(scan_quoted(r#""\'""#, 0).is_err());
        assert!(scan_quoted(r#""\ud800""#, 0).is_err());
        assert!(scan_quoted("`abc", 0).is_err());
    }

    #[test]
    fn unquote_whole_literal() {
        assert_eq!(unquote_go(r#""hi there""#).unwrap(), "hi there");
        assert_eq!(unquote_go("`raw`").unwrap(), "raw");
        assert_eq!(unquote_go("'x'").unwrap(), "x");
        assert!(unquote_go("'xy'").is_err());
        assert!(unquote_go(r#""a" b"#).is_err());
        assert!(unquote_go("abc").is_err());
    }
}
