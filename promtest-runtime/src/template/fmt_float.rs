//! Floats as Go's `strconv.FormatFloat` writes them (`%e %f %g %b %x` and their capitals),
//! and as `fmt` lays a float directive out: signs, `#`, and padding that keeps zeros away
//! from infinities and NaN.

use super::fmt_value::{pad, write_padding, Flags};

/// Go's `strconv.FormatFloat(v, verb, prec, 64)`; `prec` `None` means the shortest digits
/// that read back as `v` (`-1` in Go). Verbs: `e E f g G b x X`.
pub fn format_float(v: f64, verb: char, prec: Option<usize>) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let neg = v.is_sign_negative();
    let a = v.abs();
    let body = match verb {
        'b' => return binary_exponent(v),
        'x' | 'X' => return hex_float(v, verb, prec),
        'f' | 'F' => {
            // A double's exact decimal expansion ends within 1100 fraction digits: the rest is zeros.
            let p = prec.unwrap_or(6);
            let mut out = format!("{:.*}", p.min(1100), a);
            out.extend(std::iter::repeat_n('0', p.saturating_sub(1100)));
            out
        }
        'e' | 'E' => {
            let (digits, dp) = decimal_digits(a, prec.map(|p| p + 1));
            fmt_e(
                &digits,
                dp,
                prec.unwrap_or(digits.len().saturating_sub(1)),
                verb,
            )
        }
        _ => general(a, verb, prec),
    };
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

/// `%g` / `%G` of `a >= 0`: exponent form when the exponent is below -4 or reaches the
/// precision (6 for shortest), else plain decimals.
fn general(a: f64, verb: char, prec: Option<usize>) -> String {
    let sig = prec.map(|p| p.max(1));
    let (digits, dp) = decimal_digits(a, sig);
    let mut p = sig.unwrap_or(digits.len());
    let mut eprec = p;
    if eprec > digits.len() && digits.len() as i64 >= dp {
        eprec = digits.len();
    }
    if sig.is_none() {
        eprec = 6;
    }
    let exp = dp - 1;
    let e = if verb == 'G' { 'E' } else { 'e' };
    if exp < -4 || exp >= eprec as i64 {
        if p > digits.len() {
            p = digits.len();
        }
        fmt_e(&digits, dp, p.saturating_sub(1), e)
    } else {
        if p as i64 > dp {
            p = digits.len();
        }
        fmt_f(&digits, dp, (p as i64 - dp).max(0) as usize)
    }
}

/// The decimal digits (no trailing zeros) and decimal-point position of `a >= 0`,
/// rounded to `sig` significant digits or shortest round-trip when `None`.
fn decimal_digits(a: f64, sig: Option<usize>) -> (Vec<u8>, i64) {
    if a == 0.0 {
        return (Vec::new(), 0);
    }
    let s = match sig {
        // A double has at most 767 significant decimal digits: further ones are zeros.
        Some(n) => format!("{:.*e}", n.clamp(1, 800) - 1, a),
        None => format!("{a:e}"),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, exp + 1)
}

fn fmt_e(digits: &[u8], dp: i64, prec: usize, e: char) -> String {
    let mut out = String::new();
    out.push(digits.first().map(|d| *d as char).unwrap_or('0'));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(digits.get(i).map(|d| *d as char).unwrap_or('0'));
        }
    }
    let exp = if digits.is_empty() { 0 } else { dp - 1 };
    out.push(e);
    out.push(if exp < 0 { '-' } else { '+' });
    let ae = exp.unsigned_abs();
    if ae < 10 {
        out.push('0');
    }
    out.push_str(&ae.to_string());
    out
}

fn fmt_f(digits: &[u8], dp: i64, prec: usize) -> String {
    let mut out = String::new();
    if dp > 0 {
        for i in 0..dp as usize {
            out.push(digits.get(i).map(|d| *d as char).unwrap_or('0'));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec as i64 {
            let j = dp + i;
            let c = if j < 0 {
                b'0'
            } else {
                *digits.get(j as usize).unwrap_or(&b'0')
            };
            out.push(c as char);
        }
    }
    out
}

/// The integer mantissa and binary exponent of finite `v`: `|v| = mant × 2^(exp - 52)`,
/// with subnormals at exponent -1022 (strconv's decomposition).
fn mantissa_exponent(v: f64) -> (u64, i64) {
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1 << 52) - 1);
    let exp = if biased == 0 {
        1 - 1023
    } else {
        mant |= 1 << 52;
        biased - 1023
    };
    (mant, exp)
}

/// `%b`: `-ddddp±ddd`, the integer mantissa and the power of two.
fn binary_exponent(v: f64) -> String {
    let (mant, exp) = mantissa_exponent(v);
    let sign = if v.is_sign_negative() { "-" } else { "" };
    let e = exp - 52;
    format!("{sign}{mant}p{}{e}", if e >= 0 { "+" } else { "" })
}

/// `%x` / `%X`: `-0x1.hhhhp±dd`, rounded to `prec` hex digits (half to even) or shortest.
fn hex_float(v: f64, verb: char, prec: Option<usize>) -> String {
    let (mut mant, mut exp) = mantissa_exponent(v);
    if mant == 0 {
        exp = 0;
    }
    // The leading 1 (if any) at bit 60.
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if let Some(p) = prec.filter(|p| *p < 15) {
        let shift = (p * 4) as u32;
        let extra = (mant << shift) & ((1 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let upper = verb == 'X';
    let digit = |d: u64| {
        let c = char::from_digit(d as u32, 16).unwrap_or('0');
        if upper {
            c.to_ascii_uppercase()
        } else {
            c
        }
    };
    let mut out = String::new();
    if v.is_sign_negative() {
        out.push('-');
    }
    out.push('0');
    out.push(verb);
    out.push(if (mant >> 60) & 1 == 1 { '1' } else { '0' });
    mant <<= 4;
    match prec {
        None if mant != 0 => {
            out.push('.');
            while mant != 0 {
                out.push(digit((mant >> 60) & 15));
                mant <<= 4;
            }
        }
        Some(p) if p > 0 => {
            out.push('.');
            for _ in 0..p {
                out.push(digit((mant >> 60) & 15));
                mant <<= 4;
            }
        }
        _ => {}
    }
    out.push(if upper { 'P' } else { 'p' });
    out.push(if exp < 0 { '-' } else { '+' });
    let ae = exp.unsigned_abs();
    if ae < 10 {
        out.push('0');
    }
    out.push_str(&ae.to_string());
    out
}

/// A float directive (Go's `pp.fmtFloat` and `fmt.fmtFloat`); false for a verb floats lack.
pub(super) fn fmt_float(out: &mut String, v: f64, verb: char, f: &Flags) -> bool {
    let (verb, default_prec) = match verb {
        'v' => ('g', None),
        'b' | 'g' | 'G' | 'x' | 'X' => (verb, None),
        'f' | 'e' | 'E' => (verb, Some(6)),
        'F' => ('f', Some(6)),
        _ => return false,
    };
    let prec = if f.prec_present {
        Some(f.prec)
    } else {
        default_prec
    };
    let text = format_float(v, verb, prec);
    // num[0] is always a sign.
    let mut num: Vec<u8> = if text.starts_with(['-', '+']) {
        text.into_bytes()
    } else {
        let mut n = vec![b'+'];
        n.extend(text.bytes());
        n
    };
    if f.space && num[0] == b'+' && !f.plus {
        num[0] = b' ';
    }
    // Infinities and NaN are not numbers to pad with zeros.
    if num[1] == b'I' || num[1] == b'N' {
        let mut g = *f;
        g.zero = false;
        if num[1] == b'N' && !f.space && !f.plus {
            num.remove(0);
        }
        pad(out, &String::from_utf8_lossy(&num), &g);
        return true;
    }
    if f.sharp && verb != 'b' {
        sharp_float(&mut num, verb, prec);
    }
    let num = String::from_utf8_lossy(&num).into_owned();
    if f.plus || !num.starts_with('+') {
        // With zero padding the sign goes before the zeros.
        if f.zero && f.wid_present && f.wid > num.len() {
            out.push_str(&num[..1]);
            write_padding(out, f.wid - num.len(), f);
            out.push_str(&num[1..]);
            return true;
        }
        pad(out, &num, f);
        return true;
    }
    pad(out, &num[1..], f);
    true
}

/// `#` on a float: always a decimal point, and for `%g`/`%x` the trailing zeros kept up
/// to the precision (6 for shortest), counting digits from the first non-zero byte as Go does.
fn sharp_float(num: &mut Vec<u8>, verb: char, prec: Option<usize>) {
    let mut digits: i64 = match verb {
        'g' | 'G' | 'x' => prec.map_or(6, |p| p as i64),
        _ => 0,
    };
    let mut tail = Vec::new();
    let mut has_point = false;
    let mut saw_nonzero = false;
    let mut i = 1;
    while i < num.len() {
        match num[i] {
            b'.' => has_point = true,
            b'p' | b'P' => {
                tail = num.split_off(i);
                break;
            }
            b'e' | b'E' if verb != 'x' && verb != 'X' => {
                tail = num.split_off(i);
                break;
            }
            c => {
                if c != b'0' {
                    saw_nonzero = true;
                }
                if saw_nonzero {
                    digits -= 1;
                }
            }
        }
        i += 1;
    }
    if !has_point {
        if num.len() == 2 && num[1] == b'0' {
            digits -= 1;
        }
        num.push(b'.');
    }
    while digits > 0 {
        num.push(b'0');
        digits -= 1;
    }
    num.extend(tail);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_floats_match_go() {
        assert_eq!(format_float(1.5, 'g', None), "1.5");
        assert_eq!(format_float(1353755652.0, 'g', None), "1.353755652e+09");
        assert_eq!(format_float(100000.0, 'g', None), "100000");
        assert_eq!(format_float(1e6, 'g', None), "1e+06");
        assert_eq!(format_float(0.0001, 'g', None), "0.0001");
        assert_eq!(format_float(0.00001, 'g', None), "1e-05");
        assert_eq!(format_float(0.0, 'g', None), "0");
        assert_eq!(format_float(f64::INFINITY, 'g', None), "+Inf");
    }

    #[test]
    fn precision_g_matches_go() {
        assert_eq!(format_float(1.234567, 'g', Some(4)), "1.235");
        assert_eq!(format_float(120.00000000000001, 'g', Some(4)), "120");
        assert_eq!(format_float(123456700.0, 'g', Some(4)), "1.235e+08");
        assert_eq!(
            format_float(9.223372036854776e20, 'g', Some(4)),
            "9.223e+20"
        );
        assert_eq!(format_float(-22.222, 'g', Some(4)), "-22.22");
        assert_eq!(format_float(0.0, 'g', Some(4)), "0");
        assert_eq!(format_float(1.0, 'g', Some(4)), "1");
    }

    #[test]
    fn binary_and_hex_forms() {
        assert_eq!(format_float(1.5, 'b', None), "6755399441055744p-52");
        assert_eq!(format_float(-0.0, 'b', None), "-0p-1074");
        assert_eq!(format_float(1.5, 'x', None), "0x1.8p+00");
        assert_eq!(format_float(0.0, 'x', Some(3)), "0x0.000p+00");
        assert_eq!(
            format_float(f64::MAX, 'X', Some(10)),
            "0X1.0000000000P+1024"
        );
        assert_eq!(format_float(5e-324, 'x', None), "0x1p-1074");
    }
}
