//! The function table shared by Go's builtins and Prometheus's function map: signatures
//! (arity), the call context, and argument conversion helpers with Go's error texts.

use super::value::{TemplateSample, Value};
use super::QueryFn;
use std::sync::Arc;

/// What a template function can see besides its arguments.
pub struct CallCtx<'a> {
    /// Runs PromQL queries for `query`.
    pub query: &'a dyn QueryFn,
    /// The evaluation time in milliseconds (`now`, query time).
    pub now_ms: i64,
    /// The external URL (`externalURL`, `pathPrefix`).
    pub external_url: &'a str,
}

/// Why a function call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum FnError {
    /// The function returned an error: reported as `error calling <name>: <msg>`.
    Call(String),
    /// An argument had the wrong type: reported as is.
    Type(String),
}

/// The signature of a function implementation.
pub type FnImpl = fn(&CallCtx<'_>, Vec<Value>) -> Result<Value, FnError>;

/// One template function.
pub struct FuncDef {
    /// Its name in templates.
    pub name: &'static str,
    /// Fixed parameters (the minimum when variadic).
    pub params: usize,
    /// Whether more arguments may follow.
    pub variadic: bool,
    /// The implementation.
    pub f: FnImpl,
}

/// Looks a function up: Prometheus's map first (it may not shadow builtins in Go, but the
/// names are disjoint), then Go's builtins.
pub fn lookup(name: &str) -> Option<&'static FuncDef> {
    super::prom_funcs::FUNCS
        .iter()
        .chain(super::builtins::FUNCS.iter())
        .find(|f| f.name == name)
}

/// The `wrong type` error for an argument that should have been `want`.
pub fn wrong_type(want: &str, got: &Value) -> FnError {
    let got = match got {
        Value::Nil => "<nil>".to_string(),
        v => v.type_name(),
    };
    FnError::Type(format!("wrong type for value; expected {want}; got {got}"))
}

/// Takes a `string` argument.
pub fn arg_str(v: &Value) -> Result<String, FnError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(wrong_type("string", other)),
    }
}

/// Takes a `queryResult` argument.
pub fn arg_query(v: &Value) -> Result<Arc<Vec<Arc<TemplateSample>>>, FnError> {
    match v {
        Value::QueryResult(q) => Ok(q.clone()),
        Value::Nil => Ok(Arc::new(Vec::new())),
        other => Err(wrong_type("template.queryResult", other)),
    }
}

/// Takes a `*sample` argument.
pub fn arg_sample(v: &Value) -> Result<Option<Arc<TemplateSample>>, FnError> {
    match v {
        Value::Sample(s) => Ok(Some(s.clone())),
        Value::Nil => Ok(None),
        other => Err(wrong_type("*template.sample", other)),
    }
}

/// Prometheus's `ConvertToFloat`: floats, ints, numeric strings and durations.
pub fn convert_to_float(v: &Value) -> Result<f64, FnError> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Uint(u) => Ok(*u as f64),
        Value::Duration(d) => Ok(*d as f64 / 1e9),
        Value::String(s) => parse_go_float(s).ok_or_else(|| {
            FnError::Call(format!(
                "strconv.ParseFloat: parsing {}: invalid syntax",
                crate::literals::go_quote(s)
            ))
        }),
        other => Err(FnError::Call(format!(
            "can't convert {} to float",
            other.type_name()
        ))),
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for the forms templates meet (decimal, `Inf`, `NaN`, `_`-free).
pub fn parse_go_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        if lower.len() - body.len() > 1 {
            return None;
        }
        return match body {
            "nan" if lower.len() == body.len() => Some(f64::NAN),
            "nan" => None,
            _ if lower.starts_with('-') => Some(f64::NEG_INFINITY),
            _ => Some(f64::INFINITY),
        };
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_from_values() {
        assert_eq!(convert_to_float(&Value::from("1.5")), Ok(1.5));
        assert_eq!(convert_to_float(&Value::Int(-2)), Ok(-2.0));
        assert_eq!(
            convert_to_float(&Value::from("-Inf")),
            Ok(f64::NEG_INFINITY)
        );
        assert!(convert_to_float(&Value::from("NaN")).unwrap().is_nan());
        assert_eq!(
            convert_to_float(&Value::from("one")),
            Err(FnError::Call(
                "strconv.ParseFloat: parsing \"one\": invalid syntax".into()
            ))
        );
        assert_eq!(
            convert_to_float(&Value::Bool(true)),
            Err(FnError::Call("can't convert bool to float".into()))
        );
    }

    #[test]
    fn lookup_finds_both_tables() {
        assert!(lookup("printf").is_some());
        assert!(lookup("humanize").is_some());
        assert!(lookup("nope").is_none());
    }
}
