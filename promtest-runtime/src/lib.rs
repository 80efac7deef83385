//! promtest's runtime: the PromQL engine, the in-memory store, the promqltest script and
//! promtool rule-test formats, and the harness that turns them into `cargo test` trials.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod harness;
// Go's math functions, bit for bit; used by the engine, rules and templates.
pub(crate) mod gomath;
pub mod literals;
pub mod model;
pub mod promql;
pub mod rules;
pub mod script;
pub mod store;
pub mod template;
pub mod unittest;

pub use promtest_macros::promql_tests;
