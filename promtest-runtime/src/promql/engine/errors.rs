//! Evaluation errors: Prometheus's engine errors (with its texts) and features promtest lacks.

/// An error evaluating a query.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// An error Prometheus would also report; the text is Prometheus's.
    #[error("{0}")]
    Engine(String),
    /// A PromQL feature promtest does not implement yet (never a silent wrong answer).
    #[error("unsupported by promtest: {0}")]
    Unsupported(String),
}

impl EvalError {
    /// An engine error with Prometheus's text.
    pub fn engine(msg: impl Into<String>) -> Self {
        EvalError::Engine(msg.into())
    }

    /// A feature promtest does not implement, named.
    pub fn unsupported(feature: impl Into<String>) -> Self {
        EvalError::Unsupported(feature.into())
    }

    /// Prometheus's `ErrTooManySamples` in the `query execution` environment.
    pub fn too_many_samples() -> Self {
        EvalError::Engine(
            "query processing would load too many samples into memory in query execution".into(),
        )
    }

    /// The error for two output series with the same labels at one step.
    pub fn duplicate_labelset() -> Self {
        EvalError::Engine("vector cannot contain metrics with the same labelset".into())
    }
}

/// `s` quoted as Go's `%q` does (for message texts).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    // Writing to a String cannot fail.
    let _ = crate::model::labels::write_go_quoted(&mut out, s);
    out
}

/// The result type used throughout evaluation.
pub type EvalResult<T> = Result<T, EvalError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_match_prometheus() {
        assert_eq!(
            EvalError::too_many_samples().to_string(),
            "query processing would load too many samples into memory in query execution"
        );
        assert_eq!(
            EvalError::unsupported("histogram sum").to_string(),
            "unsupported by promtest: histogram sum"
        );
    }
}
