//! PromQL: syntax tree, parser, printer, evaluator, functions and annotations.

pub mod annotations;
pub mod ast;
pub mod engine;
pub mod functions;
pub mod parser;
pub mod printer;
pub mod value;

pub use engine::{Engine, EngineOptions, EvalError, QueryResult};
pub use parser::{parse_expr, ParseError};
