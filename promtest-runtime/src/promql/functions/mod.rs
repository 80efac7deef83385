//! PromQL functions: the signature table and, per family, their implementations.

pub mod table;

pub use table::{lookup, FUNCTIONS};
