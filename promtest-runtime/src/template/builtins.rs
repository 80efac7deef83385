//! Go's predefined template functions: `and or not len index slice print printf println
//! eq ne lt le gt ge html js urlquery call`. (`and`/`or` short-circuit in the executor;
//! their entries here only give the arity.)

use std::cmp::Ordering;
use std::sync::Arc;

use super::functions::{CallCtx, FnError, FuncDef};
use super::printf::{sprint, sprintf, sprintln};
use super::value::Value;

/// Go's builtin functions.
pub static FUNCS: &[FuncDef] = &[
    FuncDef {
        name: "and",
        params: 1,
        variadic: true,
        f: and,
    },
    FuncDef {
        name: "or",
        params: 1,
        variadic: true,
        f: or,
    },
    FuncDef {
        name: "not",
        params: 1,
        variadic: false,
        f: not,
    },
    FuncDef {
        name: "len",
        params: 1,
        variadic: false,
        f: len,
    },
    FuncDef {
        name: "index",
        params: 1,
        variadic: true,
        f: index,
    },
    FuncDef {
        name: "slice",
        params: 1,
        variadic: true,
        f: slice,
    },
    FuncDef {
        name: "print",
        params: 0,
        variadic: true,
        f: print,
    },
    FuncDef {
        name: "printf",
        params: 1,
        variadic: true,
        f: printf,
    },
    FuncDef {
        name: "println",
        params: 0,
        variadic: true,
        f: println,
    },
    FuncDef {
        name: "eq",
        params: 1,
        variadic: true,
        f: eq,
    },
    FuncDef {
        name: "ne",
        params: 2,
        variadic: false,
        f: ne,
    },
    FuncDef {
        name: "lt",
        params: 2,
        variadic: false,
        f: lt,
    },
    FuncDef {
        name: "le",
        params: 2,
        variadic: false,
        f: le,
    },
    FuncDef {
        name: "gt",
        params: 2,
        variadic: false,
        f: gt,
    },
    FuncDef {
        name: "ge",
        params: 2,
        variadic: false,
        f: ge,
    },
    FuncDef {
        name: "html",
        params: 0,
        variadic: true,
        f: html,
    },
    FuncDef {
        name: "js",
        params: 0,
        variadic: true,
        f: js,
    },
    FuncDef {
        name: "urlquery",
        params: 0,
        variadic: true,
        f: urlquery,
    },
    FuncDef {
        name: "call",
        params: 1,
        variadic: true,
        f: call,
    },
];

fn err(msg: impl Into<String>) -> FnError {
    FnError::Call(msg.into())
}

fn and(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(args
        .iter()
        .find(|a| !a.is_true())
        .or(args.last())
        .cloned()
        .unwrap_or(Value::Nil))
}

fn or(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(args
        .iter()
        .find(|a| a.is_true())
        .or(args.last())
        .cloned()
        .unwrap_or(Value::Nil))
}

fn not(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::Bool(!args[0].is_true()))
}

fn len(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    let n = match &args[0] {
        Value::String(s) => s.len(),
        Value::StrMap(m) => m.len(),
        Value::Map(m) => m.len(),
        Value::Slice(s) => s.len(),
        Value::QueryResult(q) => q.len(),
        Value::Nil => return Err(err("len of untyped nil")),
        other => return Err(err(format!("len of type {}", other.type_name()))),
    };
    Ok(Value::Int(n as i64))
}

/// Go's `indexArg`: an integer index below `cap`.
fn index_arg(v: &Value, cap: usize, inclusive: bool) -> Result<usize, FnError> {
    let x: i128 = match v {
        Value::Int(i) => *i as i128,
        Value::Uint(u) => *u as i128,
        Value::Nil => return Err(err("cannot index slice/array with nil")),
        other => {
            return Err(err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            )))
        }
    };
    let over = if inclusive {
        x > cap as i128
    } else {
        x >= cap as i128
    };
    if x < 0 || over {
        return Err(err(format!("index out of range: {x}")));
    }
    Ok(x as usize)
}

fn index(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    let mut item = args[0].clone();
    if matches!(item, Value::Nil) {
        return Err(err("index of untyped nil"));
    }
    for idx in &args[1..] {
        item = match &item {
            Value::String(s) => {
                Value::Uint(u64::from(s.as_bytes()[index_arg(idx, s.len(), false)?]))
            }
            Value::Slice(s) => s[index_arg(idx, s.len(), false)?].clone(),
            Value::QueryResult(q) => Value::Sample(q[index_arg(idx, q.len(), false)?].clone()),
            Value::StrMap(m) => match idx {
                Value::String(k) => Value::String(m.get(k).cloned().unwrap_or_default()),
                other => {
                    return Err(err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    )))
                }
            },
            Value::Map(m) => match idx {
                Value::String(k) => m.get(k).cloned().unwrap_or(Value::Nil),
                other => {
                    return Err(err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    )))
                }
            },
            Value::Nil => return Err(err("index of nil pointer")),
            other => {
                return Err(err(format!(
                    "can't index item of type {}",
                    other.type_name()
                )))
            }
        };
    }
    Ok(item)
}

fn slice(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    let item = &args[0];
    let idxs = &args[1..];
    if idxs.len() > 3 {
        return Err(err(format!("too many slice indexes: {}", idxs.len())));
    }
    let len = match item {
        Value::String(s) => {
            if idxs.len() == 3 {
                return Err(err("cannot 3-index slice a string"));
            }
            s.len()
        }
        Value::Slice(s) => s.len(),
        Value::QueryResult(q) => q.len(),
        Value::Nil => return Err(err("slice of untyped nil")),
        other => {
            return Err(err(format!(
                "can't slice item of type {}",
                other.type_name()
            )))
        }
    };
    let mut idx = [0, len, len];
    for (i, v) in idxs.iter().enumerate() {
        idx[i] = index_arg(v, len, true)?;
    }
    if idx[0] > idx[1] {
        return Err(err(format!("invalid slice index: {} > {}", idx[0], idx[1])));
    }
    if idxs.len() == 3 && idx[1] > idx[2] {
        return Err(err(format!("invalid slice index: {} > {}", idx[1], idx[2])));
    }
    Ok(match item {
        Value::String(s) => match s.get(idx[0]..idx[1]) {
            Some(sub) => Value::String(sub.to_string()),
            None => {
                Value::String(String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into_owned())
            }
        },
        Value::Slice(s) => Value::Slice(Arc::new(s[idx[0]..idx[1]].to_vec())),
        Value::QueryResult(q) => Value::QueryResult(Arc::new(q[idx[0]..idx[1]].to_vec())),
        _ => Value::Nil,
    })
}

fn print(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(sprint(&args)))
}

fn printf(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    let format = super::functions::arg_str(&args[0])?;
    Ok(Value::String(sprintf(&format, &args[1..])))
}

fn println(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(sprintln(&args)))
}

#[derive(PartialEq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    String,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) => Kind::Int,
        Value::Uint(_) => Kind::Uint,
        Value::Float(_) => Kind::Float,
        Value::String(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

const BAD_TYPE: &str = "invalid type for comparison";
const INCOMPATIBLE: &str = "incompatible types for comparison";

/// Compares two values of basic kinds; `None` when they are equal-kind but unordered (bools).
fn compare_basic(a: &Value, b: &Value) -> Result<Option<Ordering>, FnError> {
    Ok(match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Uint(x), Value::Uint(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Uint(y)) => Some((*x as i128).cmp(&(*y as i128))),
        (Value::Uint(x), Value::Int(y)) => Some((*x as i128).cmp(&(*y as i128))),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bool(_), Value::Bool(_)) => None,
        _ => return Err(err(INCOMPATIBLE)),
    })
}

fn equal(a: &Value, b: &Value) -> Result<bool, FnError> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 != k2 {
        return match (a, b) {
            (Value::Int(x), Value::Uint(y)) | (Value::Uint(y), Value::Int(x)) => {
                Ok(*x >= 0 && *x as u64 == *y)
            }
            (Value::Nil, _) | (_, Value::Nil) => Ok(false),
            _ => Err(err(INCOMPATIBLE)),
        };
    }
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => Ok(x == y),
        (Value::Float(x), Value::Float(y)) => Ok(x == y),
        _ if k1 != Kind::Invalid => Ok(compare_basic(a, b)? == Some(Ordering::Equal)),
        (Value::Nil, Value::Nil) => Ok(true),
        (Value::StrMap(_) | Value::Map(_) | Value::Slice(_) | Value::QueryResult(_), _) => {
            Err(err(format!(
                "non-comparable type {}: {}",
                super::printf::display(a),
                a.type_name()
            )))
        }
        (_, Value::StrMap(_) | Value::Map(_) | Value::Slice(_) | Value::QueryResult(_)) => {
            Err(err(format!(
                "non-comparable type {}: {}",
                super::printf::display(b),
                b.type_name()
            )))
        }
        _ => Ok(a == b),
    }
}

fn eq(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    if args.len() < 2 {
        return Err(err("missing argument for comparison"));
    }
    for b in &args[1..] {
        if equal(&args[0], b)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn ne(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::Bool(!equal(&args[0], &args[1])?))
}

fn less(a: &Value, b: &Value) -> Result<bool, FnError> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err(err(BAD_TYPE));
    }
    if k1 == k2 && k1 == Kind::Bool {
        return Err(err(BAD_TYPE));
    }
    Ok(compare_basic(a, b)? == Some(Ordering::Less))
}

fn lt(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::Bool(less(&args[0], &args[1])?))
}

fn le(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::Bool(
        less(&args[0], &args[1])? || equal(&args[0], &args[1])?,
    ))
}

fn gt(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::Bool(
        !(less(&args[0], &args[1])? || equal(&args[0], &args[1])?),
    ))
}

fn ge(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::Bool(!less(&args[0], &args[1])?))
}

/// Go's `evalArgs`: a lone string as is, anything else through `fmt.Sprint`.
fn joined(args: &[Value]) -> String {
    match args {
        [Value::String(s)] => s.clone(),
        _ => sprint(args),
    }
}

/// Go's `HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn html(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(html_escape(&joined(&args))))
}

/// Go's `JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 || c.is_control() => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn js(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(js_escape(&joined(&args))))
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn urlquery(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(query_escape(&joined(&args))))
}

fn call(_: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, FnError> {
    // Templates here have no function values: `call` receives the callee's text first.
    let name = super::functions::arg_str(&args[0]).unwrap_or_default();
    match &args.get(1) {
        None | Some(Value::Nil) => Err(err("call of nil")),
        Some(v) => Err(err(format!(
            "non-function {name} of type {}",
            v.type_name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: super::super::functions::FnImpl, args: Vec<Value>) -> Result<Value, FnError> {
        let q = |_: &str| -> Result<Vec<super::super::QuerySample>, String> { Ok(vec![]) };
        let ctx = CallCtx {
            query: &q,
            now_ms: 0,
            external_url: "",
        };
        f(&ctx, args)
    }

    #[test]
    fn comparisons() {
        assert_eq!(
            run(eq, vec![Value::Int(1), Value::Int(2), Value::Int(1)]),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            run(eq, vec![Value::Int(1), Value::Uint(1)]),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            run(eq, vec![Value::Int(1), Value::Float(1.0)]),
            Err(err(INCOMPATIBLE))
        );
        assert_eq!(
            run(eq, vec![Value::Int(1)]),
            Err(err("missing argument for comparison"))
        );
        assert_eq!(run(lt, vec!["a".into(), "b".into()]), Ok(Value::Bool(true)));
        assert_eq!(
            run(lt, vec![Value::Bool(true), Value::Bool(false)]),
            Err(err(BAD_TYPE))
        );
        assert_eq!(
            run(ge, vec![Value::Float(2.0), Value::Float(2.0)]),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            run(gt, vec![Value::Int(1), Value::Int(2)]),
            Ok(Value::Bool(false))
        );
        assert_eq!(
            run(ne, vec!["a".into(), "a".into()]),
            Ok(Value::Bool(false))
        );
        assert!(run(
            eq,
            vec![Value::str_map([("a", "b")]), Value::str_map([("a", "b")])]
        )
        .is_err());
    }

    #[test]
    fn index_and_slice() {
        let s = Value::slice(vec![Value::Int(10), Value::Int(20), Value::Int(30)]);
        assert_eq!(
            run(index, vec![s.clone(), Value::Int(1)]),
            Ok(Value::Int(20))
        );
        assert_eq!(
            run(index, vec![s.clone(), Value::Int(3)]),
            Err(err("index out of range: 3"))
        );
        let m = Value::str_map([("a", "x")]);
        assert_eq!(run(index, vec![m.clone(), "a".into()]), Ok("x".into()));
        assert_eq!(run(index, vec![m, "b".into()]), Ok("".into()));
        assert_eq!(
            run(slice, vec!["hello".into(), Value::Int(1), Value::Int(3)]),
            Ok("el".into())
        );
        assert_eq!(
            run(slice, vec![s, Value::Int(2), Value::Int(1)]),
            Err(err("invalid slice index: 2 > 1"))
        );
        assert_eq!(run(len, vec!["héllo".into()]), Ok(Value::Int(6)));
        assert_eq!(run(len, vec![Value::Int(3)]), Err(err("len of type int")));
    }

    #[test]
    fn escapers() {
        assert_eq!(
            html_escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"
        );
        assert_eq!(
            js_escape("a'b\"<=>\n"),
            "a\\'b\\\"\\u003C\\u003D\\u003E\\u000A"
        );
        assert_eq!(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn logic() {
        assert_eq!(
            run(and, vec![Value::Int(1), Value::Int(0), Value::Int(2)]),
            Ok(Value::Int(0))
        );
        assert_eq!(run(or, vec![Value::Int(0), "".into()]), Ok("".into()));
        assert_eq!(run(not, vec![Value::Int(0)]), Ok(Value::Bool(true)));
    }
}
