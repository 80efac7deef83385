//! One verdict per rule-test file on every path: `promtest test rules FILE` and
//! `promtest run FILE` (the path `#[promql_tests]` takes) pass or fail together, on every
//! rule-test fixture of the repository and, when present, Prometheus's promtool fixtures.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../promtest-runtime/tests/support/corpus.rs"]
mod corpus;

/// The YAML files with a top-level `tests:` under `dir` (not recursive).
fn rule_tests(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| {
        p.extension().is_some_and(|e| e == "yml" || e == "yaml")
            && std::fs::read_to_string(p).is_ok_and(|s| s.lines().any(|l| l.trim_end() == "tests:"))
    });
    out.sort();
    out
}

/// Whether `promtest ARGS… FILE` (run in the file's directory) exits 0.
fn passes(args: &[&str], file: &Path) -> bool {
    let out = Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(file.parent().unwrap())
        .args(args)
        .arg(file.file_name().unwrap())
        .output()
        .expect("run promtest");
    out.status.success()
}

#[test]
fn test_rules_and_run_agree_on_every_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = vec![
        root.join("tests/rules"),
        root.join("tests/fixtures/failing"),
        root.join("tests/fixtures/rules_failing"),
        root.join("tests/fixtures/rules_orders"),
        root.join("promtest-cli/tests/fixtures/diff"),
    ];
    dirs.extend(corpus::require("promtool"));
    let (mut files, mut disagree) = (0, Vec::new());
    for file in dirs.iter().flat_map(|d| rule_tests(d)) {
        files += 1;
        let rules = passes(&["test", "rules"], &file);
        let run = passes(&["run"], &file);
        if rules != run {
            disagree.push(format!(
                "{}: test rules {}, run {}",
                file.display(),
                if rules { "passes" } else { "fails" },
                if run { "passes" } else { "fails" }
            ));
        }
    }
    assert!(files >= 10, "only {files} rule-test files found");
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
}

#[test]
fn a_group_repeated_in_eval_order_fails_on_both_paths() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/failing/repeated_group_test.yml");
    assert!(!passes(&["test", "rules"], &file));
    assert!(!passes(&["run"], &file));
}
