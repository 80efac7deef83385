//! The harness: test files → cases (one per eval, or per rule-test assertion) → libtest-mimic
//! trials, run exactly as Prometheus's promqltest (and promtool) run them, with failures
//! rendered as `file:line`, query and a diff.

mod actual_lines;
mod annotations_check;
mod at_modifier;
mod compare;
#[cfg(feature = "rule-tests")]
mod coverage_cases;
mod diff;
mod exec;
mod expected;
mod failure;
pub(crate) mod format;
mod histogram_cmp;
mod internal_error;
mod plan;
#[cfg(feature = "rule-tests")]
mod rule_cases;
mod runner;
mod source;
mod update;

#[cfg(feature = "rule-tests")]
pub(crate) use diff::series_notation;
pub use failure::{FailedQuery, Failure, FailureKind};
pub use internal_error::{catch_internal, INJECT_PANIC_ENV};
#[cfg(test)]
pub(crate) use plan::plan_script;
pub use plan::Case;
pub use runner::{plan_files, plan_files_for, run_cases, run_main};
pub use source::{test_files, SourceFile};
pub(crate) use update::env_flag;
pub use update::{update_file, update_files, FileUpdate};
