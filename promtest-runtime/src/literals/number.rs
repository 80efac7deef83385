//! Numbers as Go's `strconv` reads them: `ParseInt(s, 0, 64)` then `ParseFloat(s, 64)`,
//! the way Prometheus's parser, promqltest's series notation and scalar lines do.

use super::quote::go_quote;

/// Parses a number token as Prometheus's parser does: an integer with Go's base prefixes
/// (`0x1f`, a leading `0` for octal, `_` separators), else a float. The error is Go's text,
/// the part after `error parsing number: `.
pub fn parse_number(text: &str) -> Result<f64, String> {
    if let Some(v) = parse_go_int(text) {
        return Ok(v as f64);
    }
    parse_go_float(text).ok_or_else(|| {
        let why = if parse_go_float_unbounded(text).is_some_and(f64::is_infinite) {
            "value out of range"
        } else {
            "invalid syntax"
        };
        format!("strconv.ParseFloat: parsing {}: {why}", go_quote(text))
    })
}

/// Parses `s` as Prometheus's parser does: an integer in any Go base first
/// (`0x1f`, `0o17`, `017`, `0b1`, `1_000`), otherwise a Go float (`1e3`, `.5`,
/// `Inf`, `NaN`, `0x1p-2`). `None` when neither accepts it (or it overflows).
pub fn parse_go_number(s: &str) -> Option<f64> {
    parse_go_int(s)
        .map(|n| n as f64)
        .or_else(|| parse_go_float(s))
}

/// `strconv.ParseInt(s, 0, 64)`: optional sign, base prefix, underscores between digits.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, mag) = parse_go_integer_parts(s)?;
    if neg {
        if mag > 1u64 << 63 {
            None
        } else {
            Some((mag as i128).wrapping_neg() as i64)
        }
    } else {
        i64::try_from(mag).ok()
    }
}

/// The sign and magnitude of an integer in Go's base-prefixed syntax (what `strconv.ParseInt`
/// and `ParseUint` with base 0 accept, before their range checks): `0x1f`, `0o17`, `0b1`, a
/// leading `0` for octal, `_` between digits. `None` when it is not such an integer or the
/// magnitude exceeds `u64`.
pub fn parse_go_integer_parts(s: &str) -> Option<(bool, u64)> {
    let (neg, body) = split_sign(s);
    if body.is_empty() {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.contains('_') && !underscores_ok(body) {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() || !clean.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some((neg, u64::from_str_radix(&clean, radix).ok()?))
}

/// `strconv.ParseFloat(s, 64)`: decimal and hex floats, `Inf`/`Infinity`/`NaN`
/// (any case), underscores between digits. Overflow to ±Inf is an error, as in Go.
pub fn parse_go_float(s: &str) -> Option<f64> {
    let v = parse_go_float_unbounded(s)?;
    let spelled_inf = s
        .trim_start_matches(['+', '-'])
        .to_ascii_lowercase()
        .starts_with("inf");
    if v.is_infinite() && !spelled_inf {
        return None;
    }
    Some(v)
}

/// `parse_go_float` without the overflow check: a too-large literal gives ±Inf.
fn parse_go_float_unbounded(s: &str) -> Option<f64> {
    let (neg, body) = split_sign(s);
    let sign = if neg { -1.0 } else { 1.0 };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(sign * f64::INFINITY);
    }
    if lower == "nan" {
        return if s.starts_with(['+', '-']) {
            None
        } else {
            Some(f64::NAN)
        };
    }
    if body.contains('_') && !underscores_ok(body) {
        return None;
    }
    let clean: String = lower.chars().filter(|&c| c != '_').collect();
    let v = if let Some(hex) = clean.strip_prefix("0x") {
        parse_hex_float(hex)?
    } else {
        if !is_decimal_float(&clean) {
            return None;
        }
        clean.parse::<f64>().ok()?
    };
    Some(sign * v)
}

fn split_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

/// Digits with at most one dot and an optional exponent: what Go's decimal float syntax allows.
fn is_decimal_float(s: &str) -> bool {
    let (mant, exp) = match s.find('e') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut digits = 0;
    let mut dots = 0;
    for c in mant.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' => dots += 1,
            _ => return false,
        }
    }
    if digits == 0 || dots > 1 {
        return false;
    }
    match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
        }
    }
}

/// A hex float mantissa (after `0x`) with its mandatory `p` exponent.
fn parse_hex_float(s: &str) -> Option<f64> {
    let p = s.find('p')?;
    let (mant, exp) = (&s[..p], &s[p + 1..]);
    let exp_digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
    if exp_digits.is_empty() || !exp_digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let exp: i32 = exp.parse().ok()?;
    let mut value = 0.0f64;
    let mut frac_digits = 0i32;
    let mut seen_dot = false;
    let mut digits = 0;
    for c in mant.chars() {
        if c == '.' {
            if seen_dot {
                return None;
            }
            seen_dot = true;
            continue;
        }
        let d = c.to_digit(16)?;
        value = value * 16.0 + f64::from(d);
        digits += 1;
        if seen_dot {
            frac_digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    Some(value * 2f64.powi(exp.saturating_sub(4 * frac_digits)))
}

/// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
fn underscores_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1] | 0x20, b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1] | 0x20 == b'x';
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && (c | 0x20).is_ascii_hexdigit()) {
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
    fn ints_in_all_bases() {
        assert_eq!(parse_go_int("42"), Some(42));
        assert_eq!(parse_go_int("-42"), Some(-42));
        assert_eq!(parse_go_int("0x1F"), Some(31));
        assert_eq!(parse_go_int("010"), Some(8));
        assert_eq!(parse_go_int("0o17"), Some(15));
        assert_eq!(parse_go_int("0b101"), Some(5));
        assert_eq!(parse_go_int("1_000"), Some(1000));
        assert_eq!(parse_go_int("1__0"), None);
        assert_eq!(parse_go_int("08"), None);
        assert_eq!(parse_go_int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_go_int("9223372036854775808"), None);
        assert_eq!(parse_go_int("1.5"), None);
    }

    #[test]
    fn floats_like_go() {
        assert_eq!(parse_go_float("1.5"), Some(1.5));
        assert_eq!(parse_go_float(".5"), Some(0.5));
        assert_eq!(parse_go_float("5."), Some(5.0));
        assert_eq!(parse_go_float("1e3"), Some(1000.0));
        assert_eq!(parse_go_float("-1E-3"), Some(-0.001));
        assert_eq!(parse_go_float("Inf"), Some(f64::INFINITY));
        assert_eq!(parse_go_float("-inf"), Some(f64::NEG_INFINITY));
        assert!(parse_go_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_go_float("0x1p-2"), Some(0.25));
        assert_eq!(parse_go_float("1_000.5"), Some(1000.5));
        assert_eq!(parse_go_float("1e400"), None);
        assert_eq!(parse_go_float("abc"), None);
        assert_eq!(parse_go_float("1e"), None);
        assert_eq!(parse_go_float(""), None);
    }

    #[test]
    fn number_prefers_int_then_float() {
        assert_eq!(parse_go_number("08"), Some(8.0));
        assert_eq!(parse_go_number("010"), Some(8.0));
        assert_eq!(parse_go_number("99999999999999999999"), Some(1e20));
        assert_eq!(parse_go_number("x"), None);
    }
}
