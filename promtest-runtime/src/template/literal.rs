//! Go literal syntax in templates: unquoting strings and character constants, and reading
//! number constants into their int/uint/float interpretations (as `parse.NumberNode` does).

use super::ast::Number;

/// Unquotes a Go string literal (`"..."` or `` `...` ``); `None` on invalid syntax.
pub fn unquote(src: &str) -> Option<String> {
    if let Some(raw) = src.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        return Some(raw.replace('\r', ""));
    }
    let inner = src.strip_prefix('"')?.strip_suffix('"')?;
    unescape(inner, '"')
}

/// Unquotes a character constant such as `'a'` or `'\n'` to its code point.
pub fn unquote_char(src: &str) -> Option<char> {
    let inner = src.strip_prefix('\'')?.strip_suffix('\'')?;
    let s = unescape(inner, '\'')?;
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

fn unescape(s: &str, quote: char) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == quote || c == '\n' {
            return None;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        let hex = |chars: &mut std::iter::Peekable<std::str::Chars>, n: usize| -> Option<u32> {
            let mut v = 0u32;
            for _ in 0..n {
                v = v * 16 + chars.next()?.to_digit(16)?;
            }
            Some(v)
        };
        match e {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' | '\'' if e == quote => out.push(e),
            'x' => out.push(char::from_u32(hex(&mut chars, 2)?)?),
            'u' => out.push(char::from_u32(hex(&mut chars, 4)?)?),
            'U' => out.push(char::from_u32(hex(&mut chars, 8)?)?),
            '0'..='7' => {
                let mut v = e.to_digit(8)?;
                for _ in 0..2 {
                    v = v * 8 + chars.next()?.to_digit(8)?;
                }
                if v > 255 {
                    return None;
                }
                out.push(char::from_u32(v)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Parses an unsigned integer with Go's base prefixes (`0x`, `0o`, `0b`, leading `0`) and `_`.
fn parse_uint(text: &str) -> Option<u64> {
    let (digits, radix) = if let Some(r) = text.strip_prefix("0x").or(text.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = text.strip_prefix("0o").or(text.strip_prefix("0O")) {
        (r, 8)
    } else if let Some(r) = text.strip_prefix("0b").or(text.strip_prefix("0B")) {
        (r, 2)
    } else if text.len() > 1 && text.starts_with('0') {
        (&text[1..], 8)
    } else {
        (text, 10)
    };
    if digits.is_empty()
        || digits.starts_with('_') && radix == 10
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    u64::from_str_radix(&digits.replace('_', ""), radix).ok()
}

/// Reads a number constant; `Err` carries Go's message (`illegal number syntax: "..."`).
pub fn parse_number(text: &str) -> Result<Number, String> {
    let mut n = Number {
        text: text.to_string(),
        int: None,
        uint: None,
        float: None,
        is_float_syntax: false,
    };
    if text.starts_with('\'') {
        let c = unquote_char(text).ok_or_else(|| "invalid syntax".to_string())?;
        n.int = Some(c as i64);
        n.uint = Some(c as u64);
        n.float = Some(c as u32 as f64);
        return Ok(n);
    }
    if text.ends_with('i') {
        return Err(format!(
            "illegal number syntax: {}",
            crate::literals::go_quote(text)
        ));
    }
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if let Some(u) = parse_uint(body) {
        if !neg {
            n.uint = Some(u);
        }
        if neg {
            if u <= i64::MAX as u64 + 1 {
                n.int = Some((u as i128).wrapping_neg() as i64);
            }
        } else if u <= i64::MAX as u64 {
            n.int = Some(u as i64);
        }
    }
    if let Some(i) = n.int {
        n.float = Some(i as f64);
    } else if let Some(u) = n.uint {
        n.float = Some(u as f64);
    } else if let Ok(f) = text.replace('_', "").parse::<f64>() {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!(
                "integer overflow: {}",
                crate::literals::go_quote(text)
            ));
        }
        n.is_float_syntax = true;
        n.float = Some(f);
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            n.int = Some(f as i64);
            if f >= 0.0 {
                n.uint = Some(f as u64);
            }
        }
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(format!(
            "illegal number syntax: {}",
            crate::literals::go_quote(text)
        ));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings() {
        assert_eq!(
            unquote(r#""a\tb\"\x41\u00e9""#).as_deref(),
            Some("a\tb\"Aé")
        );
        assert_eq!(unquote("`a\\n`").as_deref(), Some("a\\n"));
        assert_eq!(unquote(r#""\q""#), None);
        assert_eq!(unquote_char(r"'\n'"), Some('\n'));
    }

    #[test]
    fn numbers() {
        let n = parse_number("0x1F").unwrap();
        assert_eq!(n.int, Some(31));
        let n = parse_number("1.5").unwrap();
        assert_eq!((n.int, n.float, n.is_float_syntax), (None, Some(1.5), true));
        let n = parse_number("1e3").unwrap();
        assert_eq!((n.int, n.is_float_syntax), (Some(1000), true));
        assert_eq!(parse_number("-7").unwrap().int, Some(-7));
        assert_eq!(parse_number("'a'").unwrap().int, Some(97));
        assert_eq!(parse_number("1_000").unwrap().int, Some(1000));
        assert!(parse_number("99999999999999999999").is_err());
    }
}
