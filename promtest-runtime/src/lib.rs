//! Run Prometheus PromQL tests under `cargo test`: promqltest `.test` scripts (and, with the
//! `rule-tests` feature, promtool rule-test YAML) on a PromQL engine with Prometheus's
//! semantics.
//!
//! # Tests in your crate
//!
//! Put `.test` files under a directory and let [`promql_tests`] turn each `eval` into a trial
//! (in a `[[test]]` target with `harness = false`):
//!
//! ```ignore
//! #[promtest_runtime::promql_tests("tests/promql")]
//! fn main() {}
//! ```
//!
//! `cargo test -- rates.test::L12` then runs one eval; a failure shows `file:line`, the query
//! and a `-expected/+got` diff.
//!
//! # The engine on its own
//!
//! ```
//! use promtest_runtime::{parse_expr, parse_script, Command, Engine, Store, Value};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let script = parse_script("example.test", "load 1m\n  http_requests_total{job=\"api\"} 0+60x10\n")?;
//! let mut store = Store::new();
//! for command in script.commands() {
//!     if let Command::Load(load) = command {
//!         load.try_apply(&mut store)?;
//!     }
//! }
//! let expr = parse_expr("rate(http_requests_total[5m])")?;
//! let result = Engine::default().instant(&store, &expr, 10 * 60_000);
//! let Value::Vector(samples) = result.value? else { unreachable!() };
//! assert_eq!(samples[0].metric.get("job"), Some("api"));
//! assert_eq!(samples[0].f, 1.0); // 60 per minute
//! # Ok(())
//! # }
//! ```
//!
//! # What is here
//!
//! - PromQL: [`parse_expr`] into the [`ast`], [`Engine`] (settings in [`EngineOptions`])
//!   over a [`Store`], results as [`Value`] with [`Annotations`].
//! - promqltest scripts: [`parse_script`] into a [`Script`] of [`Command`]s.
//! - Running tests: [`SourceFile`]s planned into [`Case`]s ([`plan_files`]), run as libtest
//!   trials ([`run_cases`]); a failing case is a [`Failure`].
//! - Rule tests (feature `rule-tests`): the `rule_tests` module, promtool's `test rules`.
//! - Errors: [`Error`] is an [`ErrorKind`] (unsupported feature, engine error, test-file
//!   error) at a [`Location`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// Go's `math` package bit for bit, as Prometheus computes on amd64.
mod deep_stack;
mod error;
mod gomath;
mod harness;
mod input_file;
mod literals;
mod model;
mod promql;
#[cfg(feature = "rule-tests")]
mod rules;
mod script;
mod semantics;
mod store;
#[cfg(feature = "rule-tests")]
mod template;
#[cfg(feature = "rule-tests")]
mod unittest;

pub use promtest_macros::promql_tests;

pub use error::{Error, ErrorKind, Location};
pub use harness::{
    catch_internal, plan_files, plan_files_for, run_cases, test_files, update_file, update_files,
    Case, FailedQuery, Failure, FailureKind, FileUpdate, SourceFile, INJECT_PANIC_ENV,
};
pub use input_file::{read_input_file, MAX_INPUT_BYTES};
pub use libtest_mimic::{Arguments, Conclusion};
pub use model::Span as BucketSpan;
pub use model::{
    CounterResetHint, FloatHistogram, Label, Labels, MatchOp, Matcher, Sample, SampleValue,
    Timestamp,
};
pub use promql::annotations::{Annotation, Annotations, Severity};
pub use promql::ast;
pub use promql::value::{FPoint, HPoint, Series, Value, VectorSample};
pub use promql::{parse_expr, Engine, EngineOptions, ParseError, QueryResult};
pub use script::{parse_script, Command, Eval, ExpectedSeries, Load, Script, SequenceValue};
pub use semantics::{PrometheusVersion, Semantics, UnknownVersion};
pub use store::Store;

/// promtool's rule unit tests (`promtool test rules`): run a test file as promtool does,
/// with its options, output texts and per-group results; and `promtool check rules`.
#[cfg(feature = "rule-tests")]
pub mod rule_tests {
    pub use crate::rules::check::{check_rule_file, CheckOptions, CheckOutcome};
    pub use crate::unittest::compare::{compare_versions, CaseChange, FileComparison};
    pub use crate::unittest::coverage::{Coverage, FileCoverage, RuleCoverage, Status};
    pub use crate::unittest::{run_file, run_file_observed, FileReport, GroupRun, RunOptions};
}

/// Where the conformance corpus is, for the tests that read it.
#[cfg(test)]
#[path = "../tests/support/corpus.rs"]
mod test_corpus;

/// The fuzz targets' bodies (`fuzz/`): not part of the API, may change in any release.
#[doc(hidden)]
#[path = "fuzz_entry.rs"]
pub mod __fuzz;

/// The generated `main`'s plumbing: not part of the API, may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::harness::run_main;

    /// Checks at compile time that rule tests (YAML test files) can run.
    #[cfg(feature = "rule-tests")]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __promtest_require_rule_tests {
        ($($file:literal),*) => {};
    }

    /// Rule tests need the `rule-tests` feature: a compile error naming the first YAML file.
    #[cfg(not(feature = "rule-tests"))]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __promtest_require_rule_tests {
        ($file:literal $(, $more:literal)*) => {
            ::core::compile_error!(::core::concat!(
                "#[promql_tests] found the YAML file ",
                $file,
                " (a promtool rule test, or a rule file), but rule tests need the `rule-tests` \
                 feature of promtest-runtime: enable it in Cargo.toml \
                 (promtest-runtime = { …, features = [\"rule-tests\"] }), or move the YAML files \
                 out of the test directory"
            ));
        };
    }
    pub use __promtest_require_rule_tests as require_rule_tests;
}
