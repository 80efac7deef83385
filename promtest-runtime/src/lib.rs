//! promtest's runtime: the PromQL engine, the in-memory store, the promqltest script and
//! promtool rule-test formats, and the harness that turns them into `cargo test` trials.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod harness;
pub mod literals;
pub mod model;
pub mod promql;
pub mod rules;
pub mod script;
pub mod store;
pub mod template;
pub mod unittest;

pub use promtest_macros::promql_tests;

/// Where the conformance corpus is, for the tests that read it.
#[cfg(test)]
#[path = "../tests/support/corpus.rs"]
mod test_corpus;

/// The generated `main`'s plumbing: not part of the API, may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::harness::run_main;

    /// Checks at compile time that rule tests (YAML test files) can run.
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __promtest_require_rule_tests {
        ($($file:literal),*) => {};
    }
    pub use __promtest_require_rule_tests as require_rule_tests;
}
