//! The harness: test files → cases (one per eval) → libtest-mimic trials, run exactly as
//! Prometheus's promqltest runs them, with failures rendered as `file:line`, query and a diff.

pub mod annotations_check;
pub mod at_modifier;
pub mod compare;
pub mod diff;
pub mod exec;
pub mod expected;
pub mod failure;
pub mod format;
pub mod histogram_cmp;
pub mod plan;
pub mod rule_cases;
pub mod runner;
pub mod source;

pub use failure::Failure;
pub use plan::{plan_script, Case, State};
pub use runner::{plan_files, plan_files_in, run_main, run_with_args};
pub use source::{collect, scan_dir, SourceFile};
