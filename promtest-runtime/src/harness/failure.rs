//! A failed case: what kind of failure, where, which query at which time, upstream's
//! explanation and the diff.

use std::fmt;

use super::diff;
use crate::error::{ErrorKind, Location};

/// Why a case failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// The outcome differs from what the test expects (values, annotations, an expected error
    /// or none); the explanation is upstream's, e.g. `expected 3 for {a="1"} but got 4`.
    Mismatch {
        /// Upstream's explanation.
        message: String,
        /// Expected and got series as lines, when results differ.
        diff: Option<Box<(Vec<String>, Vec<String>)>>,
    },
    /// An error stopped the case: a feature promtest lacks, an engine error the test did not
    /// expect, a malformed test file.
    Error(ErrorKind),
}

impl FailureKind {
    /// A mismatch explained by `message`, without a diff.
    pub(crate) fn mismatch(message: impl Into<String>) -> Self {
        FailureKind::Mismatch {
            message: message.into(),
            diff: None,
        }
    }

    /// This failure at `loc`, with no query.
    pub fn at(self, loc: Location) -> Failure {
        Failure {
            kind: self,
            loc,
            query: None,
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailureKind::Mismatch { message, .. } => f.write_str(message),
            FailureKind::Error(e) => e.fmt(f),
        }
    }
}

/// Why a case failed, ready to be rendered into a trial's failure message.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// What failed.
    pub kind: FailureKind,
    /// The file, as named in the trial, and the line of the eval, assertion or script error.
    pub loc: Location,
    /// The query that failed, if one ran.
    pub query: Option<Box<FailedQuery>>,
}

/// The query a failed case ran, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedQuery {
    /// The query (for the automatic checks: the rewritten query).
    pub text: String,
    /// When it ran, e.g. `instant at 50m` or `range from 0s to 10m step 1m` (may be empty).
    pub when: String,
}

impl Failure {
    /// This failure, for `text` run `when`.
    pub(crate) fn with_query(mut self, text: impl Into<String>, when: impl Into<String>) -> Self {
        self.query = Some(Box::new(FailedQuery {
            text: text.into(),
            when: when.into(),
        }));
        self
    }
}

impl Failure {
    /// The explanation (upstream's text).
    pub fn message(&self) -> String {
        self.kind.to_string()
    }

    /// The first line of the explanation (used as the reason of a known failure).
    pub fn summary(&self) -> String {
        self.message()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// The full text: `file:line`, query and time, explanation and diff; colours when `color`.
    pub fn render(&self, color: bool) -> String {
        let mut out = format!("{}:{}: {}\n", self.loc.file, self.loc.line, self.kind);
        if let Some(q) = &self.query {
            if !q.text.is_empty() {
                out.push_str(&format!("  query: {}\n", q.text));
            }
            if !q.when.is_empty() {
                out.push_str(&format!("  at:    {}\n", q.when));
            }
        }
        if let FailureKind::Mismatch { diff: Some(d), .. } = &self.kind {
            let (exp, got) = &**d;
            out.push_str(&diff::render(exp, got, color));
        }
        out
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_query_and_diff() {
        let f = FailureKind::Mismatch {
            message: "expected 1 for {} but got 2".into(),
            diff: Some(Box::new((vec!["{} 1".into()], vec!["{} 2".into()]))),
        }
        .at(Location::line("a.test", 7))
        .with_query("sum(x)", "instant at 1m");
        let text = f.render(false);
        assert!(text.starts_with(
            "a.test:7: expected 1 for {} but got 2\n  query: sum(x)\n  at:    instant at 1m\n"
        ));
        assert!(text.contains("- {} 1\n+ {} 2\n"));
        assert_eq!(f.summary(), "expected 1 for {} but got 2");
        let u = FailureKind::Error(ErrorKind::unsupported("x")).at(Location::line("a.test", 1));
        assert_eq!(u.summary(), "unsupported by promtest: x");
    }
}
