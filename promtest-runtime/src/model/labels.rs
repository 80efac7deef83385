//! Label sets: sorted, immutable, cheap to clone and compare.

use std::fmt;
use std::sync::Arc;

/// The label that holds the metric name.
pub const METRIC_NAME: &str = "__name__";

/// One label: a name and a value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label {
    /// The label name.
    pub name: String,
    /// The label value.
    pub value: String,
}

impl Label {
    /// A label from a name and a value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Label {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// A set of labels sorted by name, with unique names and no empty values.
///
/// Cloning shares the underlying storage. Comparison orders as Prometheus's
/// `labels.Compare` does: label by label, name first, then value; a prefix sorts first.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Labels(Arc<[Label]>);

impl Labels {
    /// The empty label set.
    pub fn empty() -> Self {
        Labels::default()
    }

    /// Builds a label set: sorts by name, drops empty values, and keeps the last of duplicate names.
    pub fn new(mut labels: Vec<Label>) -> Self {
        labels.retain(|l| !l.value.is_empty());
        Labels::sorted_unique(labels)
    }

    /// Builds a name/value set that keeps empty values: alert annotations (Prometheus keeps
    /// `summary=""`) and promtool's expected sets (Go's `labels.FromMap`).
    pub fn from_pairs_keeping_empty<N: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        Labels::sorted_unique(pairs.into_iter().map(|(n, v)| Label::new(n, v)).collect())
    }

    fn sorted_unique(mut labels: Vec<Label>) -> Self {
        labels.sort_by(|a, b| a.name.cmp(&b.name));
        let mut out: Vec<Label> = Vec::with_capacity(labels.len());
        for l in labels {
            match out.last_mut() {
                Some(prev) if prev.name == l.name => *prev = l,
                _ => out.push(l),
            }
        }
        Labels(out.into())
    }

    /// Builds a label set from `(name, value)` pairs.
    pub fn from_pairs<N: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        Labels::new(pairs.into_iter().map(|(n, v)| Label::new(n, v)).collect())
    }

    /// The address of the shared storage: equal for clones, distinct for label sets alive at
    /// the same time that were built separately (a memo key, see the engine's label memo).
    pub fn storage_addr(&self) -> usize {
        Arc::as_ptr(&self.0) as *const u8 as usize
    }

    /// The labels in name order.
    pub fn iter(&self) -> std::slice::Iter<'_, Label> {
        self.0.iter()
    }

    /// The labels as a slice, in name order.
    pub fn as_slice(&self) -> &[Label] {
        &self.0
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no labels.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of `name`, or `None`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .binary_search_by(|l| l.name.as_str().cmp(name))
            .ok()
            .map(|i| self.0[i].value.as_str())
    }

    /// Whether a label `name` is present.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The metric name (`__name__`), or `None`.
    pub fn metric_name(&self) -> Option<&str> {
        self.get(METRIC_NAME)
    }

    /// A copy with `name` set to `value` (an empty value removes the label).
    pub fn with(&self, name: &str, value: &str) -> Labels {
        let mut v: Vec<Label> = self.0.iter().filter(|l| l.name != name).cloned().collect();
        if !value.is_empty() {
            let pos = v.partition_point(|l| l.name.as_str() < name);
            v.insert(pos, Label::new(name, value));
        }
        Labels(v.into())
    }

    /// A copy without the labels named in `names`.
    pub fn without(&self, names: &[&str]) -> Labels {
        if !self.0.iter().any(|l| names.contains(&l.name.as_str())) {
            return self.clone();
        }
        Labels(
            self.0
                .iter()
                .filter(|l| !names.contains(&l.name.as_str()))
                .cloned()
                .collect::<Vec<_>>()
                .into(),
        )
    }

    /// A copy keeping only the labels named in `names`.
    pub fn keep_only(&self, names: &[&str]) -> Labels {
        Labels(
            self.0
                .iter()
                .filter(|l| names.contains(&l.name.as_str()))
                .cloned()
                .collect::<Vec<_>>()
                .into(),
        )
    }

    /// A copy without the metric name.
    pub fn without_metric_name(&self) -> Labels {
        self.without(&[METRIC_NAME])
    }
}

impl PartialOrd for Labels {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Labels {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        for (a, b) in self.0.iter().zip(other.0.iter()) {
            let c = a.name.cmp(&b.name).then_with(|| a.value.cmp(&b.value));
            if c.is_ne() {
                return c;
            }
        }
        self.0.len().cmp(&other.0.len())
    }
}

impl FromIterator<Label> for Labels {
    fn from_iter<T: IntoIterator<Item = Label>>(iter: T) -> Self {
        Labels::new(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = &'a Label;
    type IntoIter = std::slice::Iter<'a, Label>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

pub use crate::literals::write_go_quoted;

/// Whether `name` is a legacy (unquoted) metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
pub fn is_legacy_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' || c == ':' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// Whether `name` is a legacy (unquoted) label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_legacy_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for Labels {
    /// Prints as Prometheus's `labels.Labels.String()`: `{a="1", b="2"}`, with
    /// names that are not legacy-valid quoted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, l) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if is_legacy_label_name(&l.name) {
                f.write_str(&l.name)?;
            } else {
                write_go_quoted(f, &l.name)?;
            }
            f.write_str("=")?;
            write_go_quoted(f, &l.value)?;
        }
        f.write_str("}")
    }
}

impl fmt::Debug for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_deduplicated() {
        let l = Labels::from_pairs([("b", "2"), ("a", "1"), ("b", "3"), ("c", "")]);
        assert_eq!(l.to_string(), r#"{a="1", b="3"}"#);
        assert_eq!(l.get("b"), Some("3"));
        assert_eq!(l.get("c"), None);
    }

    #[test]
    fn compare_like_prometheus() {
        let a = Labels::from_pairs([("a", "1")]);
        let ab = Labels::from_pairs([("a", "1"), ("b", "1")]);
        let b = Labels::from_pairs([("b", "0")]);
        assert!(a < ab);
        assert!(ab < b);
    }

    #[test]
    fn with_and_without() {
        let l = Labels::from_pairs([("__name__", "m"), ("a", "1")]);
        assert_eq!(
            l.with("b", "2").to_string(),
            r#"{__name__="m", a="1", b="2"}"#
        );
        assert_eq!(l.without_metric_name().to_string(), r#"{a="1"}"#);
        assert_eq!(l.with("a", "").to_string(), r#"{__name__="m"}"#);
    }

    #[test]
    fn quotes_non_legacy_names() {
        let l = Labels::from_pairs([("a.b", "x\"y")]);
        assert_eq!(l.to_string(), r#"{"a.b"="x\"y"}"#);
    }
}
