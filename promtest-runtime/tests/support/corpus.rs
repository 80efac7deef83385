//! Where Prometheus's conformance corpus is, for every test that reads it: the one variable
//! `PROMTEST_CORPUS` (the directory holding `promqltest/` and `promtool/`), else
//! `../shared/corpus/prometheus` beside the workspace. Included with `#[path]` by the runtime's
//! unit tests, its integration tests and the CLI's tests, so there is one way to find it.
//!
//! Without the corpus a test is skipped, except under CI (`CI` set, as CI systems do): there a
//! missing corpus fails the test instead of letting it pass without checking anything.

#![allow(dead_code)] // each including test uses what it needs

use std::path::{Path, PathBuf};

/// The variable naming the corpus directory.
pub const VARIABLE: &str = "PROMTEST_CORPUS";

/// The corpus root: `$PROMTEST_CORPUS`, else `../shared/corpus/prometheus` beside the workspace.
pub fn root() -> PathBuf {
    match std::env::var_os(VARIABLE) {
        Some(dir) => PathBuf::from(dir),
        // Every crate of the workspace sits one level below its root.
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/prometheus"),
    }
}

/// Whether the tests run under CI (`CI` set to anything but `false`/`0`/empty).
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"))
}

/// The corpus sub-directory `sub` (`promqltest` or `promtool`), or `None` (the caller skips)
/// when it is absent. Under CI a missing corpus panics, failing the test.
pub fn require(sub: &str) -> Option<PathBuf> {
    let dir = root().join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !under_ci(),
        "corpus directory {} not found under CI; set {VARIABLE} to the directory holding promqltest/ and promtool/",
        dir.display()
    );
    eprintln!(
        "corpus directory {} not found; skipped (set {VARIABLE})",
        dir.display()
    );
    None
}
