//! Evaluation errors: the engine reports [`ErrorKind::Engine`] (Prometheus's texts) and
//! [`ErrorKind::Unsupported`] (features promtest lacks).

pub use crate::error::ErrorKind as EvalError;

pub use crate::literals::go_quote;

/// The result type used throughout evaluation.
pub type EvalResult<T> = Result<T, EvalError>;
