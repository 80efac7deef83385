//! The values a template computes with: Go's basic kinds, maps, slices, and the few
//! Prometheus types (`sample`, query results, `time.Time`, `time.Duration`).

use std::collections::BTreeMap;
use std::sync::Arc;

/// One sample of a query result as templates see it (Prometheus's `template.sample`).
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateSample {
    /// The series' labels, metric name included.
    pub labels: Arc<BTreeMap<String, String>>,
    /// The sample value.
    pub value: Value,
}

/// A named struct with ordered fields (the alert data `struct { Labels ...; Value any }`).
#[derive(Clone, Debug, PartialEq)]
pub struct StructValue {
    /// Go's spelling of the struct type, used in error messages.
    pub type_name: String,
    /// Field names and values in declaration order.
    pub fields: Vec<(String, Value)>,
}

/// A template value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Go's untyped `nil` (an invalid or nil interface value); prints as `<no value>`.
    Nil,
    /// A `bool`.
    Bool(bool),
    /// An `int`.
    Int(i64),
    /// A `uint64`.
    Uint(u64),
    /// A `float64`.
    Float(f64),
    /// A `string`.
    String(String),
    /// A `map[string]string` (label sets): missing keys read as `""`.
    StrMap(Arc<BTreeMap<String, String>>),
    /// A `map[string]any`: missing keys read as `nil`.
    Map(Arc<BTreeMap<String, Value>>),
    /// A `[]any`. Prometheus hands templates no slices (`query` gives a `queryResult`,
    /// `args` a map); kept, and tested, for Go's `index`, `len`, `slice` and `range` over them.
    #[cfg_attr(not(test), allow(dead_code))]
    Slice(Arc<Vec<Value>>),
    /// Prometheus's `queryResult` (`[]*sample`).
    QueryResult(Arc<Vec<Arc<TemplateSample>>>),
    /// A `*sample`.
    Sample(Arc<TemplateSample>),
    /// A struct value.
    Struct(Arc<StructValue>),
    /// A `time.Time` in UTC, as nanoseconds since the Unix epoch.
    Time(i128),
    /// A `time.Duration` in nanoseconds.
    Duration(i64),
}

impl Value {
    /// Go's spelling of this value's type, as `%T` and error messages print it.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Uint(_) => "uint64".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::StrMap(_) => "map[string]string".into(),
            Value::Map(_) => "map[string]interface {}".into(),
            Value::Slice(_) => "[]interface {}".into(),
            Value::QueryResult(_) => "template.queryResult".into(),
            Value::Sample(_) => "*template.sample".into(),
            Value::Struct(s) => s.type_name.clone(),
            Value::Time(_) => "*time.Time".into(),
            Value::Duration(_) => "*time.Duration".into(),
        }
    }

    /// Go's template truthiness: false, 0, nil, and empty strings, maps and slices are false.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Uint(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::StrMap(m) => !m.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Slice(s) => !s.is_empty(),
            Value::QueryResult(q) => !q.is_empty(),
            Value::Sample(_) | Value::Struct(_) | Value::Time(_) | Value::Duration(_) => true,
        }
    }

    /// Whether the value is of Go's `string` kind.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// A `map[string]string` value from pairs.
    #[cfg(test)]
    pub fn str_map<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Value {
        Value::StrMap(Arc::new(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        ))
    }

    /// A `[]any` value.
    #[cfg(test)]
    pub fn slice(items: Vec<Value>) -> Value {
        Value::Slice(Arc::new(items))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truthiness_follows_go() {
        assert!(!Value::Nil.is_true());
        assert!(!Value::Int(0).is_true());
        assert!(Value::Float(0.5).is_true());
        assert!(!Value::from("").is_true());
        assert!(Value::from("x").is_true());
        assert!(!Value::slice(vec![]).is_true());
        assert!(Value::str_map([("a", "b")]).is_true());
    }

    #[test]
    fn type_names_are_go_spellings() {
        assert_eq!(Value::Float(1.0).type_name(), "float64");
        assert_eq!(
            Value::str_map::<&str, &str>([]).type_name(),
            "map[string]string"
        );
    }
}
