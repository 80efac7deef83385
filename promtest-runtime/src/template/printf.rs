//! Go's `fmt` for template values: `%v` printing, `Sprint`/`Sprintln`, and `Sprintf`'s
//! directives (flags, `[n]` argument indexes, `*` widths and precisions, and the
//! `%!(MISSING)`, `%!(EXTRA …)`, `%!(BADINDEX)`, `%!(NOVERB)` texts). Each directive is
//! applied by [`super::fmt_value`] (and [`super::fmt_float`] for floats).

use super::fmt_value::{print_arg, Flags};
use super::timefmt::{duration_string, time_string};
use super::value::Value;

pub use super::fmt_float::format_float;

/// Formats a value as Go's `%v` (and `fmt.Sprint` of one operand) does.
pub fn display(v: &Value) -> String {
    match v {
        Value::Time(ns) => time_string(*ns),
        Value::Duration(d) => duration_string(*d),
        _ => {
            let mut out = String::new();
            print_arg(&mut out, v, 'v', &Flags::default());
            out
        }
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

/// Go's `tooLarge`: widths, precisions and argument numbers stop at a million.
fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

/// Go's `parsenum`: the decimal number at `s[start..end]`, if any, and where it ends (`end`
/// on overflow, which then leaves no verb).
fn parse_num(s: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let (mut num, mut isnum, mut i) = (0i64, false, start);
    while i < end && s[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + i64::from(s[i] - b'0');
        isnum = true;
        i += 1;
    }
    (num, isnum, i)
}

/// The state of one `Sprintf` across directives (Go's `pp` fields).
struct Printer<'a> {
    args: &'a [Value],
    arg_num: usize,
    reordered: bool,
    good_arg_num: bool,
}

impl Printer<'_> {
    /// Go's `argNumber`: an explicit `[n]` index at `format[i]`, if any.
    fn arg_number(&mut self, format: &[u8], i: usize) -> (usize, bool) {
        if i >= format.len() || format[i] != b'[' {
            return (i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && index >= 0 && (index as usize) < self.args.len() {
            self.arg_num = index as usize;
            return (i + wid, true);
        }
        self.good_arg_num = false;
        (i + wid, ok)
    }

    /// Go's `intFromArg`: a `*` width or precision from the next argument.
    fn int_from_arg(&mut self) -> (i64, bool) {
        let Some(a) = self.args.get(self.arg_num) else {
            return (0, false);
        };
        self.arg_num += 1;
        let n = match a {
            Value::Int(i) => Some(*i),
            Value::Uint(u) => i64::try_from(*u).ok(),
            _ => None,
        };
        match n {
            Some(n) if !too_large(n) => (n, true),
            _ => (0, false),
        }
    }
}

/// Go's `parseArgNumber`: the zero-based index in `[n]`, the bytes taken, and whether it parsed.
fn parse_arg_number(format: &[u8]) -> (i64, usize, bool) {
    if format.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (width, ok, newi) = parse_num(format, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// `%v` moves `#` and `+` to their `%v` meanings (Go syntax, field names).
fn v_flags(f: &mut Flags) {
    f.sharp_v = f.sharp;
    f.sharp = false;
    f.plus_v = f.plus;
    f.plus = false;
}

/// Go's `fmt.Sprintf` for template values (`pp.doPrintf`).
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let fmt = format.as_bytes();
    let end = fmt.len();
    let mut out = String::new();
    let mut p = Printer {
        args,
        arg_num: 0,
        reordered: false,
        good_arg_num: true,
    };
    let mut i = 0;
    'directives: while i < end {
        // Past what an execution may produce the executor fails the call: stop early (each
        // directive adds at most a million-wide field or one argument).
        if out.len() > super::exec::MAX_EXEC_BYTES {
            return out;
        }
        p.good_arg_num = true;
        let last = i;
        while i < end && fmt[i] != b'%' {
            i += 1;
        }
        out.push_str(&format[last..i]);
        if i >= end {
            break;
        }
        i += 1;
        let mut f = Flags::default();
        while i < end {
            match fmt[i] {
                b'#' => f.sharp = true,
                b'0' => f.zero = !f.minus,
                b'+' => f.plus = true,
                b'-' => {
                    f.minus = true;
                    f.zero = false;
                }
                b' ' => f.space = true,
                c => {
                    // The common case: flags and a lower-case verb.
                    if c.is_ascii_lowercase() && p.arg_num < args.len() {
                        if c == b'v' {
                            v_flags(&mut f);
                        }
                        print_arg(&mut out, &args[p.arg_num], c as char, &f);
                        p.arg_num += 1;
                        i += 1;
                        continue 'directives;
                    }
                    break;
                }
            }
            i += 1;
        }
        let (ni, mut after_index) = p.arg_number(fmt, i);
        i = ni;
        if i < end && fmt[i] == b'*' {
            i += 1;
            let (w, ok) = p.int_from_arg();
            f.wid_present = ok;
            if !ok {
                out.push_str("%!(BADWIDTH)");
            }
            if w < 0 {
                f.minus = true;
                f.zero = false;
            }
            f.wid = w.unsigned_abs() as usize;
            after_index = false;
        } else {
            let (w, ok, ni) = parse_num(fmt, i, end);
            (f.wid, f.wid_present, i) = (w as usize, ok, ni);
            if after_index && f.wid_present {
                p.good_arg_num = false;
            }
        }
        if i + 1 < end && fmt[i] == b'.' {
            i += 1;
            if after_index {
                p.good_arg_num = false;
            }
            let (ni, found) = p.arg_number(fmt, i);
            (i, after_index) = (ni, found);
            if i < end && fmt[i] == b'*' {
                i += 1;
                let (n, ok) = p.int_from_arg();
                (f.prec, f.prec_present) = (n.max(0) as usize, ok && n >= 0);
                if !f.prec_present {
                    out.push_str("%!(BADPREC)");
                }
                after_index = false;
            } else {
                let (n, ok, ni) = parse_num(fmt, i, end);
                (f.prec, f.prec_present, i) = (n as usize, true, ni);
                if !ok {
                    f.prec = 0;
                }
            }
        }
        if !after_index {
            i = p.arg_number(fmt, i).0;
        }
        let Some(verb) = format.get(i..).and_then(|r| r.chars().next()) else {
            out.push_str("%!(NOVERB)");
            break;
        };
        i += verb.len_utf8();
        if verb == '%' {
            out.push('%');
        } else if !p.good_arg_num {
            out.push_str(&format!("%!{verb}(BADINDEX)"));
        } else if p.arg_num >= args.len() {
            out.push_str(&format!("%!{verb}(MISSING)"));
        } else {
            if verb == 'v' {
                v_flags(&mut f);
            }
            print_arg(&mut out, &args[p.arg_num], verb, &f);
            p.arg_num += 1;
        }
    }
    if !p.reordered && p.arg_num < args.len() {
        out.push_str("%!(EXTRA ");
        for (k, a) in args[p.arg_num..].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            if let Value::Nil = a {
                out.push_str("<nil>");
            } else {
                out.push_str(&a.type_name());
                out.push('=');
                print_arg(&mut out, a, 'v', &Flags::default());
            }
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            s("%.99999999f", vec![Value::Float(1.0)]),
            "%!(NOVERB)%!(EXTRA float64=1)"
        );
        assert_eq!(s("%.999999f", vec![Value::Float(1.0)]).len(), 1_000_001);
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
