//! Go's `fmt` formatting for template values: `%v` printing, `Sprint`/`Sprintln`,
//! and `Sprintf` with the common verbs, flags, width and precision.

use super::timefmt::{duration_string, time_string};
use super::value::Value;
use crate::literals::go_quote;

/// The largest width or precision honoured (Go rejects larger ones); bounds memory use.
const MAX_WIDTH: usize = 1_000_000;

/// Formats `v` as Go's `strconv.FormatFloat(v, verb, prec, 64)` does (`prec` `None` = shortest).
pub fn format_float(v: f64, verb: char, prec: Option<usize>) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let neg = v.is_sign_negative();
    let a = v.abs();
    let body = match verb {
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
        _ => {
            // 'g' / 'G'
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
    };
    if neg {
        format!("-{body}")
    } else {
        body
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

/// Formats a value as Go's `%v` (and `fmt.Sprint` of one operand) does.
pub fn display(v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => u.to_string(),
        Value::Float(f) => format_float(*f, 'g', None),
        Value::String(s) => s.clone(),
        Value::StrMap(m) => {
            let items: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("map[{}]", items.join(" "))
        }
        Value::Map(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}:{}", display(v)))
                .collect();
            format!("map[{}]", items.join(" "))
        }
        Value::Slice(s) => {
            let items: Vec<String> = s.iter().map(display).collect();
            format!("[{}]", items.join(" "))
        }
        Value::QueryResult(q) => {
            let items: Vec<String> = q
                .iter()
                .map(|s| display(&Value::Sample(s.clone())))
                .collect();
            format!("[{}]", items.join(" "))
        }
        Value::Sample(s) => format!(
            "&{{{} {}}}",
            display(&Value::StrMap(s.labels.clone())),
            display(&s.value)
        ),
        Value::Struct(s) => {
            let items: Vec<String> = s.fields.iter().map(|(_, v)| display(v)).collect();
            format!("{{{}}}", items.join(" "))
        }
        Value::Time(ns) => time_string(*ns),
        Value::Duration(d) => duration_string(*d),
    }
}

/// Go's `fmt.Sprint`: operands concatenated, with a space between two operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = a.is_string();
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        out.push_str(&display(a));
        prev_string = is_string;
    }
    out
}

/// Go's `fmt.Sprintln`: operands separated by spaces, newline appended.
pub fn sprintln(args: &[Value]) -> String {
    let parts: Vec<String> = args.iter().map(display).collect();
    let mut out = parts.join(" ");
    out.push('\n');
    out
}

#[derive(Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

impl Spec {
    /// Pads `s` to the width; `numeric` puts zero padding after a leading sign.
    fn pad(&self, s: String, numeric: bool) -> String {
        let n = s.chars().count();
        let Some(w) = self.width.filter(|w| *w > n) else {
            return s;
        };
        let fill = w - n;
        if self.minus {
            format!("{s}{}", " ".repeat(fill))
        } else if self.zero && numeric {
            let (sign, rest) = match s.chars().next() {
                Some(c @ ('+' | '-' | ' ')) => (c.to_string(), s[1..].to_string()),
                _ => (String::new(), s),
            };
            format!("{sign}{}{rest}", "0".repeat(fill))
        } else if self.zero && !numeric {
            format!("{}{s}", "0".repeat(fill))
        } else {
            format!("{}{s}", " ".repeat(fill))
        }
    }

    fn sign(&self, s: String, neg: bool) -> String {
        if neg {
            s
        } else if self.plus {
            format!("+{s}")
        } else if self.space {
            format!(" {s}")
        } else {
            s
        }
    }
}

fn bad_verb(verb: char, v: &Value) -> String {
    match v {
        Value::Nil => format!("%!{verb}(<nil>)"),
        _ => format!("%!{verb}({}={})", v.type_name(), display(v)),
    }
}

fn fmt_int(verb: char, i: i128, spec: &Spec, v: &Value) -> String {
    let neg = i < 0;
    let a = i.unsigned_abs();
    let body = match verb {
        'd' | 'v' => a.to_string(),
        'b' => format!("{a:b}"),
        'o' => format!("{}{a:o}", if spec.sharp { "0" } else { "" }),
        'O' => format!("0o{a:o}"),
        'x' => format!("{}{a:x}", if spec.sharp { "0x" } else { "" }),
        'X' => format!("{}{a:X}", if spec.sharp { "0X" } else { "" }),
        'c' => {
            return spec.pad(
                char::from_u32(i as u32).unwrap_or('\u{FFFD}').to_string(),
                false,
            )
        }
        'q' => {
            let c = char::from_u32(i as u32).unwrap_or('\u{FFFD}');
            return spec.pad(
                format!("'{}'", go_quote(&c.to_string()).trim_matches('"')),
                false,
            );
        }
        'U' => format!("U+{a:04X}"),
        _ => return bad_verb(verb, v),
    };
    let mut body = body;
    if let Some(p) = spec.prec {
        while body.len() < p {
            body.insert(0, '0');
        }
    }
    let s = spec.sign(if neg { format!("-{body}") } else { body }, neg);
    spec.pad(s, spec.prec.is_none())
}

fn fmt_float_verb(verb: char, f: f64, spec: &Spec) -> String {
    let (verb, prec) = match verb {
        'v' => ('g', spec.prec),
        'f' | 'F' | 'e' | 'E' => (verb, Some(spec.prec.unwrap_or(6))),
        _ => (verb, spec.prec),
    };
    let s = format_float(f, verb, prec);
    if f.is_infinite() || f.is_nan() {
        let s = if f.is_nan() && !spec.plus && !spec.space {
            s
        } else if f.is_nan() {
            spec.sign(s, false)
        } else {
            s
        };
        return spec.pad(s, false);
    }
    let neg = s.starts_with('-');
    let s = spec.sign(s, neg);
    spec.pad(s, true)
}

fn fmt_string(verb: char, s: &str, spec: &Spec, v: &Value) -> String {
    let s: String = match spec.prec {
        Some(p) if matches!(verb, 's' | 'v' | 'q') => s.chars().take(p).collect(),
        _ => s.to_string(),
    };
    let body = match verb {
        's' | 'v' => s,
        'q' => {
            if spec.sharp && !s.contains('`') && !s.chars().any(|c| c.is_control() && c != '\t') {
                format!("`{s}`")
            } else {
                go_quote(&s)
            }
        }
        'x' => s.bytes().map(|b| format!("{b:02x}")).collect(),
        'X' => s.bytes().map(|b| format!("{b:02X}")).collect(),
        _ => return bad_verb(verb, v),
    };
    spec.pad(body, false)
}

fn fmt_value(verb: char, v: &Value, spec: &Spec) -> String {
    match v {
        Value::Nil => match verb {
            'v' => spec.pad("<nil>".into(), false),
            _ => bad_verb(verb, v),
        },
        Value::Bool(b) => match verb {
            't' | 'v' => spec.pad(b.to_string(), false),
            _ => bad_verb(verb, v),
        },
        Value::Int(i) => fmt_int(verb, *i as i128, spec, v),
        Value::Uint(u) => fmt_int(verb, *u as i128, spec, v),
        Value::Float(f) => match verb {
            'v' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' => fmt_float_verb(verb, *f, spec),
            _ => bad_verb(verb, v),
        },
        Value::String(s) => fmt_string(verb, s, spec, v),
        Value::Time(_) | Value::Duration(_) => match verb {
            'v' | 's' | 'q' => fmt_string(verb, &display(v), spec, v),
            'd' => match v {
                Value::Duration(d) => fmt_int(verb, *d as i128, spec, v),
                _ => bad_verb(verb, v),
            },
            _ => bad_verb(verb, v),
        },
        Value::Slice(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|x| fmt_value(verb, x, &Spec::default()))
                .collect();
            spec.pad(format!("[{}]", parts.join(" ")), false)
        }
        _ => match verb {
            'v' | 's' => spec.pad(display(v), false),
            _ => bad_verb(verb, v),
        },
    }
}

/// Go's `fmt.Sprintf` for template values.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut argi = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = !spec.minus,
                _ => break,
            }
            chars.next();
        }
        let read_num = |chars: &mut std::iter::Peekable<std::str::Chars>, argi: &mut usize| {
            if chars.peek() == Some(&'*') {
                chars.next();
                let n = match args.get(*argi) {
                    Some(Value::Int(i)) => Some((i.unsigned_abs() as usize).min(MAX_WIDTH)),
                    _ => None,
                };
                *argi += 1;
                return n;
            }
            let mut n: Option<usize> = None;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize));
                chars.next();
            }
            n.map(|n| n.min(MAX_WIDTH))
        };
        spec.width = read_num(&mut chars, &mut argi);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.prec = Some(read_num(&mut chars, &mut argi).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        match args.get(argi) {
            None => out.push_str(&format!("%!{verb}(MISSING)")),
            Some(v) => out.push_str(&fmt_value(verb, v, &spec)),
        }
        argi += 1;
    }
    if argi < args.len() {
        let extra: Vec<String> = args[argi..]
            .iter()
            .map(|v| match v {
                Value::Nil => "<nil>".to_string(),
                _ => format!("{}={}", v.type_name(), display(v)),
            })
            .collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
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
    fn sprintf_verbs() {
        let s = |f: &str, a: Vec<Value>| sprintf(f, &a);
        assert_eq!(s("%0.2f", vec![Value::Float(3720.01)]), "3720.01");
        assert_eq!(
            s("%d|%5d|%-5d|%05d", vec![Value::Int(3); 4]),
            "3|    3|3    |00003"
        );
        assert_eq!(s("%s %q", vec!["a".into(), "b\"".into()]), "a \"b\\\"\"");
        assert_eq!(s("%x %X", vec![Value::Int(255), "hi".into()]), "ff 6869");
        assert_eq!(s("%e", vec![Value::Float(1234.5678)]), "1.234568e+03");
        assert_eq!(s("%g", vec![Value::Float(0.5)]), "0.5");
        assert_eq!(s("%5.1f|", vec![Value::Float(1.23456)]), "  1.2|");
        assert_eq!(s("%-10s|", vec!["ab".into()]), "ab        |");
        assert_eq!(
            s("%v %t", vec![Value::Bool(true), Value::Bool(false)]),
            "true false"
        );
        assert_eq!(s("100%%", vec![]), "100%");
        assert_eq!(s("%d", vec!["x".into()]), "%!d(string=x)");
        assert_eq!(s("%d %d", vec![Value::Int(1)]), "1 %!d(MISSING)");
        assert_eq!(
            s("%d", vec![Value::Int(1), "a".into()]),
            "1%!(EXTRA string=a)"
        );
        assert_eq!(s("%v %s", vec![Value::Nil, Value::Nil]), "<nil> %!s(<nil>)");
        assert_eq!(s("%.2s", vec!["abc".into()]), "ab");
        assert_eq!(s("%+d", vec![Value::Int(5)]), "+5");
        assert_eq!(s("%f", vec![Value::Int(5)]), "%!f(int=5)");
        assert_eq!(s("%c%q", vec![Value::Int(97), Value::Int(98)]), "a'b'");
        assert_eq!(s("%*d", vec![Value::Int(3), Value::Int(7)]), "  7");
        assert_eq!(s("%.99999999f", vec![Value::Float(1.0)]).len(), 1_000_002);
        assert_eq!(s("%.70000e", vec![Value::Float(1.5)]).len(), 70_006);
        assert_eq!(
            s("%.70000g", vec![Value::Float(0.1)]),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
    }

    #[test]
    fn sprint_spacing() {
        assert_eq!(sprint(&[Value::Int(1), Value::Int(2)]), "1 2");
        assert_eq!(sprint(&["a".into(), Value::Int(2), "b".into()]), "a2b");
        assert_eq!(sprintln(&["a".into(), Value::Int(2)]), "a 2\n");
    }

    #[test]
    fn display_collections() {
        let m = Value::str_map([("b", "2"), ("a", "1")]);
        assert_eq!(display(&m), "map[a:1 b:2]");
        assert_eq!(
            display(&Value::slice(vec![Value::Int(1), "x".into()])),
            "[1 x]"
        );
    }
}
