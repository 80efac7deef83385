//! One `fmt` directive applied to one template value, as Go's `pp.printArg` and `fmt.fmt`
//! do it: integers, runes, strings, bools, maps, slices and structs, padding, and the
//! `%!verb(type=value)` text for a verb the value's type lacks.

use super::fmt_float::fmt_float;
use super::value::Value;
use crate::literals::quote::{go_quote_rune, go_quote_with, is_go_printable};

/// The flags, width and precision of one directive (Go's `fmtFlags` with `wid` and `prec`).
#[derive(Default, Clone, Copy, Debug)]
pub struct Flags {
    /// `-`: pad on the right.
    pub minus: bool,
    /// `+`: always a sign (`%+q`: ASCII only).
    pub plus: bool,
    /// `#`: alternate form.
    pub sharp: bool,
    /// ` `: a space for the sign of positive numbers.
    pub space: bool,
    /// `0`: pad with zeros.
    pub zero: bool,
    /// `%+v`: field names in structs.
    pub plus_v: bool,
    /// `%#v`: Go syntax.
    pub sharp_v: bool,
    /// The width, when given.
    pub wid: usize,
    /// Whether a width was given.
    pub wid_present: bool,
    /// The precision, when given.
    pub prec: usize,
    /// Whether a precision was given.
    pub prec_present: bool,
}

/// Go's `writePadding`: `n` zeros (with the `0` flag) or spaces.
pub(super) fn write_padding(out: &mut String, n: usize, f: &Flags) {
    let c = if f.zero { '0' } else { ' ' };
    out.extend(std::iter::repeat_n(c, n));
}

/// Go's `fmt.pad`: `s` padded to the width (counted in runes), left or right.
pub(super) fn pad(out: &mut String, s: &str, f: &Flags) {
    if !f.wid_present || f.wid == 0 {
        out.push_str(s);
        return;
    }
    let fill = f.wid.saturating_sub(s.chars().count());
    if f.minus {
        out.push_str(s);
        write_padding(out, fill, f);
    } else {
        write_padding(out, fill, f);
        out.push_str(s);
    }
}

/// Formats `v` for `verb` (Go's `printArg`, and `printValue` for nested values).
pub(super) fn print_arg(out: &mut String, v: &Value, verb: char, f: &Flags) {
    match (v, verb) {
        (Value::Nil, 'T' | 'v') => pad(out, "<nil>", f),
        (Value::Nil, _) => bad_verb(out, verb, v, f),
        (_, 'T') => fmt_s(out, &v.type_name(), f),
        (_, 'p') => bad_verb(out, verb, v, f),
        // Go's handleMethods: %w outside fmt.Errorf is a bad verb for non-basic types.
        (
            Value::StrMap(_)
            | Value::Map(_)
            | Value::Slice(_)
            | Value::QueryResult(_)
            | Value::Sample(_)
            | Value::Struct(_)
            | Value::Time(_)
            | Value::Duration(_),
            'w',
        ) => bad_verb(out, verb, v, f),
        (Value::Bool(b), 't' | 'v') => pad(out, if *b { "true" } else { "false" }, f),
        (Value::Bool(_), _) => bad_verb(out, verb, v, f),
        (Value::Float(x), _) => {
            if !fmt_float(out, *x, verb, f) {
                bad_verb(out, verb, v, f)
            }
        }
        (Value::Int(i), _) => fmt_integer(out, *i as u64, true, verb, f, v),
        (Value::Uint(u), _) => fmt_integer(out, *u, false, verb, f, v),
        (Value::String(s), _) => fmt_string(out, s, verb, f, v),
        // Durations and times print through their String method for these verbs.
        (Value::Duration(_) | Value::Time(_), 'v' | 's' | 'x' | 'X' | 'q') if !f.sharp_v => {
            fmt_string(out, &super::printf::display(v), verb, f, v)
        }
        (Value::Duration(d), _) => fmt_integer(out, *d as u64, true, verb, f, v),
        (Value::StrMap(m), _) => {
            let items = m
                .iter()
                .map(|(k, x)| (Value::String(k.clone()), Value::String(x.clone())));
            print_map(out, v, items, verb, f);
        }
        (Value::Map(m), _) => {
            let items = m.iter().map(|(k, x)| (Value::String(k.clone()), x.clone()));
            print_map(out, v, items, verb, f);
        }
        (Value::Slice(items), _) => print_list(out, items.iter(), verb, f),
        (Value::QueryResult(q), _) => {
            let items: Vec<Value> = q.iter().map(|s| Value::Sample(s.clone())).collect();
            print_list(out, items.iter(), verb, f);
        }
        (Value::Sample(s), _) => {
            out.push('&');
            let fields = [
                ("Labels", Value::StrMap(s.labels.clone())),
                ("Value", s.value.clone()),
            ];
            print_struct(out, &fields, verb, f);
        }
        (Value::Struct(s), _) => {
            let fields: Vec<(&str, Value)> = s
                .fields
                .iter()
                .map(|(n, x)| (n.as_str(), x.clone()))
                .collect();
            print_struct(out, &fields, verb, f);
        }
        (Value::Time(_), _) => bad_verb(out, verb, v, f),
    }
}

/// `map[k:v k:v]`, keys in order, each key and value formatted with the directive.
fn print_map(
    out: &mut String,
    map: &Value,
    items: impl Iterator<Item = (Value, Value)>,
    verb: char,
    f: &Flags,
) {
    if f.sharp_v {
        out.push_str(&map.type_name());
        out.push('{');
    } else {
        out.push_str("map[");
    }
    for (i, (k, x)) in items.enumerate() {
        if i > 0 {
            out.push_str(if f.sharp_v { ", " } else { " " });
        }
        print_arg(out, &k, verb, f);
        out.push(':');
        print_arg(out, &x, verb, f);
    }
    out.push(if f.sharp_v { '}' } else { ']' });
}

/// `[a b c]`, each element formatted with the directive.
fn print_list<'a>(out: &mut String, items: impl Iterator<Item = &'a Value>, verb: char, f: &Flags) {
    out.push('[');
    for (i, x) in items.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        print_arg(out, x, verb, f);
    }
    out.push(']');
}

/// `{a b}`, or `{Name:a Name:b}` for `%+v`.
fn print_struct(out: &mut String, fields: &[(&str, Value)], verb: char, f: &Flags) {
    out.push('{');
    for (i, (name, x)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if f.plus_v || f.sharp_v {
            out.push_str(name);
            out.push(':');
        }
        print_arg(out, x, verb, f);
    }
    out.push('}');
}

/// `%!verb(type=value)`, the value printed with `%v` and the directive's flags.
pub(super) fn bad_verb(out: &mut String, verb: char, v: &Value, f: &Flags) {
    out.push_str("%!");
    out.push(verb);
    out.push('(');
    if let Value::Nil = v {
        out.push_str("<nil>");
    } else {
        out.push_str(&v.type_name());
        out.push('=');
        print_arg(out, v, 'v', f);
    }
    out.push(')');
}

/// Go's `fmtS`: `s` cut to the precision (in runes), padded.
fn fmt_s(out: &mut String, s: &str, f: &Flags) {
    pad(out, truncate(s, f), f);
}

fn truncate<'a>(s: &'a str, f: &Flags) -> &'a str {
    if f.prec_present {
        if let Some((i, _)) = s.char_indices().nth(f.prec) {
            return &s[..i];
        }
    }
    s
}

fn fmt_string(out: &mut String, s: &str, verb: char, f: &Flags, v: &Value) {
    match verb {
        'v' if f.sharp_v => fmt_q(out, s, f),
        'v' | 's' => fmt_s(out, s, f),
        'x' => fmt_hex_bytes(out, s, false, f),
        'X' => fmt_hex_bytes(out, s, true, f),
        'q' => fmt_q(out, s, f),
        _ => bad_verb(out, verb, v, f),
    }
}

/// Go's `fmtQ`: `strconv.Quote` (ASCII-only with `+`), or backquotes with `#` when possible.
fn fmt_q(out: &mut String, s: &str, f: &Flags) {
    let s = truncate(s, f);
    if f.sharp && can_backquote(s) {
        pad(out, &format!("`{s}`"), f);
    } else {
        pad(out, &go_quote_with(s, f.plus), f);
    }
}

/// Go's `strconv.CanBackquote`: no backquote, no control character but tab, no BOM.
fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| c != '`' && c != '\u{feff}' && c != '\u{7f}' && (c >= ' ' || c == '\t'))
}

/// Go's `fmtSbx`: two hex digits a byte, `# ` giving `0x` prefixes and spaces.
fn fmt_hex_bytes(out: &mut String, s: &str, upper: bool, f: &Flags) {
    let bytes = s.as_bytes();
    let length = if f.prec_present {
        bytes.len().min(f.prec)
    } else {
        bytes.len()
    };
    let mut width = 2 * length;
    if width == 0 {
        if f.wid_present {
            write_padding(out, f.wid, f);
        }
        return;
    }
    if f.space {
        if f.sharp {
            width *= 2;
        }
        width += length - 1;
    } else if f.sharp {
        width += 2;
    }
    if f.wid_present && f.wid > width && !f.minus {
        write_padding(out, f.wid - width, f);
    }
    let prefix = if upper { "0X" } else { "0x" };
    if f.sharp {
        out.push_str(prefix);
    }
    for (i, b) in bytes[..length].iter().enumerate() {
        if f.space && i > 0 {
            out.push(' ');
            if f.sharp {
                out.push_str(prefix);
            }
        }
        if upper {
            out.push_str(&format!("{b:02X}"));
        } else {
            out.push_str(&format!("{b:02x}"));
        }
    }
    if f.wid_present && f.wid > width && f.minus {
        write_padding(out, f.wid - width, f);
    }
}

/// An integer directive (Go's `pp.fmtInteger`); `u` holds the value's bits.
fn fmt_integer(out: &mut String, u: u64, signed: bool, verb: char, f: &Flags, v: &Value) {
    match verb {
        'v' if f.sharp_v && !signed => {
            let g = Flags { sharp: true, ..*f };
            fmt_int(out, u, 16, signed, 'v', false, &g);
        }
        'v' | 'd' => fmt_int(out, u, 10, signed, verb, false, f),
        'b' => fmt_int(out, u, 2, signed, verb, false, f),
        'o' | 'O' => fmt_int(out, u, 8, signed, verb, false, f),
        'x' => fmt_int(out, u, 16, signed, verb, false, f),
        'X' => fmt_int(out, u, 16, signed, verb, true, f),
        'c' => pad(out, &rune(u).to_string(), f),
        'q' => pad(out, &go_quote_rune(rune(u), f.plus), f),
        'U' => fmt_unicode(out, u, f),
        _ => bad_verb(out, verb, v, f),
    }
}

/// The rune of an integer, U+FFFD when it is no valid code point.
fn rune(u: u64) -> char {
    u32::try_from(u)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{fffd}')
}

/// Go's `fmt.fmtInteger`: digits in `base`, precision or zero padding as leading zeros,
/// then the `0b`/`0`/`0x`/`0o` prefix and the sign.
fn fmt_int(out: &mut String, u: u64, base: u64, signed: bool, verb: char, upper: bool, f: &Flags) {
    let negative = signed && (u as i64) < 0;
    let mut u = if negative { u.wrapping_neg() } else { u };
    let mut prec = 0;
    if f.prec_present {
        prec = f.prec;
        // Precision 0 and value 0 print nothing but padding.
        if prec == 0 && u == 0 {
            let g = Flags { zero: false, ..*f };
            write_padding(out, f.wid, &g);
            return;
        }
    } else if f.zero && f.wid_present {
        prec = f.wid;
        if negative || f.plus || f.space {
            prec = prec.saturating_sub(1);
        }
    }
    // Built right to left.
    let mut buf: Vec<u8> = Vec::new();
    let digit = |d: u64| {
        let c = b"0123456789abcdef"[d as usize];
        if upper {
            c.to_ascii_uppercase()
        } else {
            c
        }
    };
    loop {
        buf.push(digit(u % base));
        u /= base;
        if u == 0 {
            break;
        }
    }
    while buf.len() < prec {
        buf.push(b'0');
    }
    if f.sharp {
        match base {
            2 => buf.extend_from_slice(b"b0"),
            8 if buf.last() != Some(&b'0') => buf.push(b'0'),
            16 => buf.extend_from_slice(if upper { b"X0" } else { b"x0" }),
            _ => {}
        }
    }
    if verb == 'O' {
        buf.extend_from_slice(b"o0");
    }
    if negative {
        buf.push(b'-');
    } else if f.plus {
        buf.push(b'+');
    } else if f.space {
        buf.push(b' ');
    }
    buf.reverse();
    let g = Flags { zero: false, ..*f };
    pad(out, &String::from_utf8_lossy(&buf), &g);
}

/// Go's `fmtUnicode`: `U+0041`, with `#` also the quoted rune when printable.
fn fmt_unicode(out: &mut String, u: u64, f: &Flags) {
    let prec = if f.prec_present && f.prec > 4 {
        f.prec
    } else {
        4
    };
    let mut s = format!("U+{u:0prec$X}");
    if f.sharp {
        if let Some(c) = u32::try_from(u).ok().and_then(char::from_u32) {
            if is_go_printable(c) {
                s.push_str(&format!(" '{c}'"));
            }
        }
    }
    let g = Flags { zero: false, ..*f };
    pad(out, &s, &g);
}
