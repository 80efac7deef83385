//! Errors, in the three classes kept apart: a PromQL feature promtest lacks (never a silent
//! wrong answer), an error Prometheus would report too (with its words), and a malformed test
//! file. An [`ErrorKind`] says which and what; [`ErrorKind::at`] places it at a [`Location`].

use std::fmt;

/// A place in a test file: file name, 1-based line and column (0 when the whole line is meant).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file, as named in trial names (or as given to the parser).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column; 0 for the whole line.
    pub col: usize,
}

impl Location {
    /// Line `line` of `file`, as a whole.
    pub fn line(file: impl Into<String>, line: usize) -> Self {
        Location {
            file: file.into(),
            line,
            col: 0,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.col == 0 {
            write!(f, "{}:{}", self.file, self.line)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.col)
        }
    }
}

/// What went wrong, by class. The text is Prometheus's (or promtool's, or upstream
/// promqltest's) wherever they report the same thing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A PromQL feature promtest does not implement, named.
    #[error("unsupported by promtest: {0}")]
    Unsupported(String),
    /// An error Prometheus reports too (evaluating a query, a load its storage refuses).
    #[error("{0}")]
    Engine(String),
    /// A malformed test file: a script line or YAML that does not parse.
    #[error("{0}")]
    TestFile(String),
    /// A promtest bug: a panic caught while handling a file (see `harness::internal_error`).
    #[error("{0}")]
    Internal(String),
}

impl ErrorKind {
    /// An engine error with Prometheus's text.
    pub(crate) fn engine(msg: impl Into<String>) -> Self {
        ErrorKind::Engine(msg.into())
    }

    /// A feature promtest does not implement, named.
    pub(crate) fn unsupported(feature: impl Into<String>) -> Self {
        ErrorKind::Unsupported(feature.into())
    }

    /// A malformed test file, with what was expected.
    pub(crate) fn test_file(msg: impl Into<String>) -> Self {
        ErrorKind::TestFile(msg.into())
    }

    /// Prometheus's `ErrTooManySamples` in the `query execution` environment.
    pub(crate) fn too_many_samples() -> Self {
        ErrorKind::engine(
            "query processing would load too many samples into memory in query execution",
        )
    }

    /// Prometheus's `ErrQueryTimeout` in the `expression evaluation` environment.
    pub(crate) fn query_timeout() -> Self {
        ErrorKind::engine("query timed out in expression evaluation")
    }

    /// The error for two output series with the same labels at one step.
    pub(crate) fn duplicate_labelset() -> Self {
        ErrorKind::engine("vector cannot contain metrics with the same labelset")
    }

    /// The message, without the location.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// This error at `loc`.
    pub fn at(self, loc: Location) -> Error {
        Error { kind: self, loc }
    }
}

/// An error and where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{loc}: {kind}")]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where.
    pub loc: Location,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_match_prometheus() {
        assert_eq!(
            ErrorKind::too_many_samples().to_string(),
            "query processing would load too many samples into memory in query execution"
        );
        assert_eq!(
            ErrorKind::unsupported("histogram sum").to_string(),
            "unsupported by promtest: histogram sum"
        );
        let loc = Location {
            file: "a.test".into(),
            line: 3,
            col: 7,
        };
        assert_eq!(
            ErrorKind::test_file("unexpected x").at(loc).to_string(),
            "a.test:3:7: unexpected x"
        );
        assert_eq!(Location::line("a.test", 3).to_string(), "a.test:3");
    }
}
