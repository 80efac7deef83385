//! Warnings and infos attached to a query result, rendered as Prometheus renders them.

use crate::promql::ast::Span;

/// Whether an annotation is a warning or an info.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// A warning (`PromQLWarning`).
    Warning,
    /// An info (`PromQLInfo`).
    Info,
}

/// One annotation: its severity, message text (without position) and the span it refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Annotation {
    /// Warning or info.
    pub severity: Severity,
    /// The message, e.g. `PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "foo"`.
    pub message: String,
    /// The position in the query the annotation refers to, if any.
    pub span: Option<Span>,
}

/// The set of annotations of one query; duplicates collapse, as in Prometheus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations(Vec<Annotation>);

impl Annotations {
    /// No annotations.
    pub fn new() -> Self {
        Annotations::default()
    }

    /// Adds an annotation unless an equal one is present.
    pub fn add(&mut self, a: Annotation) {
        if !self.0.contains(&a) {
            self.0.push(a);
        }
    }

    /// Adds a warning.
    pub fn warn(&mut self, message: impl Into<String>, span: Option<Span>) {
        self.add(Annotation {
            severity: Severity::Warning,
            message: message.into(),
            span,
        });
    }

    /// Adds an info.
    pub fn info(&mut self, message: impl Into<String>, span: Option<Span>) {
        self.add(Annotation {
            severity: Severity::Info,
            message: message.into(),
            span,
        });
    }

    /// Merges another set into this one.
    pub fn merge(&mut self, other: Annotations) {
        for a in other.0 {
            self.add(a);
        }
    }

    /// All annotations, in the order they were added.
    pub fn iter(&self) -> std::slice::Iter<'_, Annotation> {
        self.0.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Renders warnings and infos as Prometheus's `Annotations.AsStrings(query, 0, 0)`:
    /// the message followed by ` (line:col)` of its span within `query`, when it has one.
    pub fn as_strings(&self, query: &str) -> (Vec<String>, Vec<String>) {
        let mut warnings = Vec::new();
        let mut infos = Vec::new();
        for a in &self.0 {
            let text = match a.span {
                Some(span) => format!("{} ({})", a.message, line_col(query, span.start)),
                None => a.message.clone(),
            };
            match a.severity {
                Severity::Warning => warnings.push(text),
                Severity::Info => infos.push(text),
            }
        }
        (warnings, infos)
    }
}

/// `line:col` (1-based) of byte offset `pos` in `query`, as Prometheus's `PositionRange.StartPosInput`.
pub fn line_col(query: &str, pos: usize) -> String {
    let pos = pos.min(query.len());
    let before = &query[..pos];
    let line = before.matches('\n').count() + 1;
    let col = match before.rfind('\n') {
        Some(nl) => pos - nl,
        None => pos + 1,
    };
    format!("{line}:{col}")
}
