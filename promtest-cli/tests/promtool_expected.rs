//! The exit codes of Prometheus's own `promtool test rules` fixtures (EXPECTED.md beside them),
//! run through `promtest test rules`. Skipped when the corpus is not present (failed under CI).

use std::path::PathBuf;
use std::process::Command;

#[path = "../../promtest-runtime/tests/support/corpus.rs"]
mod corpus;

/// The promtool fixtures (`None`: absent, skipped; under CI absence fails the test).
fn corpus() -> Option<PathBuf> {
    corpus::require("promtool")
}

/// (file, extra arguments, expected exit code), as in EXPECTED.md.
const ROWS: &[(&str, &[&str], i32)] = &[
    ("unittest.yml", &[], 0),
    ("long-period.yml", &[], 0),
    ("bad-input-series.yml", &[], 1),
    ("bad-promql.yml", &[], 1),
    ("bad-rules-syntax-test.yml", &[], 1),
    ("bad-rules-error-test.yml", &[], 1),
    ("failing.yml", &[], 1),
    (
        "at-modifier-test.yml",
        &["--disable-feature", "promql-at-modifier"],
        1,
    ),
    ("at-modifier-test.yml", &[], 0),
    (
        "negative-offset-test.yml",
        &["--disable-feature", "promql-negative-offset"],
        1,
    ),
    ("negative-offset-test.yml", &[], 0),
    ("no-test-group-interval.yml", &[], 0),
    ("start-time-test.yml", &[], 0),
    ("rules_run.yml", &[], 1),
    ("rules_run.yml", &["--run", "correct", "--run", "wrong"], 1),
    ("rules_run.yml", &["--run", "correct"], 0),
    ("rules_run.yml", &["--run", "wrong"], 1),
    ("rules_run_extrafields.yml", &["--ignore-unknown-fields"], 0),
    ("rules_run_no_fuzzy.yml", &[], 1),
    ("rules_run_fuzzy.yml", &["--run", "correct"], 0),
    ("rules_run_fuzzy.yml", &["--run", "wrong"], 1),
];

#[test]
fn expected_exit_codes() {
    let Some(dir) = corpus() else {
        return;
    };
    let mut wrong = Vec::new();
    for (file, args, want) in ROWS {
        let out = Command::new(env!("CARGO_BIN_EXE_promtest"))
            .current_dir(&dir)
            .args(["test", "rules"])
            .args(*args)
            .arg(file)
            .output()
            .expect("run promtest");
        let got = out.status.code().unwrap_or(-1);
        if got != *want {
            wrong.push(format!(
                "{file} {args:?}: exit {got}, want {want}\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn output_texts_match_promtool() {
    let Some(dir) = corpus() else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(&dir)
        .args(["test", "rules", "bad-rules-syntax-test.yml", "unittest.yml"])
        .output()
        .expect("run promtest");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stdout,
        "Unit Testing:  bad-rules-syntax-test.yml\n\n\nUnit Testing:  unittest.yml\n  SUCCESS\n\n"
    );
    assert_eq!(
        stderr,
        "  FAILED:\nbad-rules-syntax.yml: 7:15: group \"bad-syntax\", rule 1, \"x\": could not parse expression: 1:7: parse error: unexpected end of input\n"
    );
    assert_eq!(out.status.code(), Some(1));
}
