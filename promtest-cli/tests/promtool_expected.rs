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

/// Each release's own promtool fixtures, with the verdicts its `unittest_test.go` expects
/// (`TestRulesUnitTest` and, from 2.53, `TestRulesUnitTestRun`), run in that release's mode.
const RELEASE_ROWS: &[(&str, &str, &[&str], i32)] = &[
    ("v2.42.0", "unittest.yml", &[], 0),
    ("v2.42.0", "long-period.yml", &[], 0),
    ("v2.42.0", "bad-input-series.yml", &[], 1),
    ("v2.42.0", "bad-promql.yml", &[], 1),
    ("v2.42.0", "bad-rules-syntax-test.yml", &[], 1),
    ("v2.42.0", "bad-rules-error-test.yml", &[], 1),
    ("v2.42.0", "failing.yml", &[], 1),
    (
        "v2.42.0",
        "at-modifier-test.yml",
        &["--disable-feature", "promql-at-modifier"],
        1,
    ),
    ("v2.42.0", "at-modifier-test.yml", &[], 0),
    (
        "v2.42.0",
        "negative-offset-test.yml",
        &["--disable-feature", "promql-negative-offset"],
        1,
    ),
    ("v2.42.0", "negative-offset-test.yml", &[], 0),
    ("v2.53.5", "unittest.yml", &[], 0),
    ("v2.53.5", "long-period.yml", &[], 0),
    ("v2.53.5", "bad-input-series.yml", &[], 1),
    ("v2.53.5", "bad-promql.yml", &[], 1),
    ("v2.53.5", "bad-rules-syntax-test.yml", &[], 1),
    ("v2.53.5", "bad-rules-error-test.yml", &[], 1),
    ("v2.53.5", "failing.yml", &[], 1),
    (
        "v2.53.5",
        "at-modifier-test.yml",
        &["--disable-feature", "promql-at-modifier"],
        1,
    ),
    ("v2.53.5", "at-modifier-test.yml", &[], 0),
    (
        "v2.53.5",
        "negative-offset-test.yml",
        &["--disable-feature", "promql-negative-offset"],
        1,
    ),
    ("v2.53.5", "negative-offset-test.yml", &[], 0),
    ("v2.53.5", "no-test-group-interval.yml", &[], 0),
    ("v2.53.5", "rules_run.yml", &[], 1),
    (
        "v2.53.5",
        "rules_run.yml",
        &["--run", "correct", "--run", "wrong"],
        1,
    ),
    ("v2.53.5", "rules_run.yml", &["--run", "correct"], 0),
    ("v2.53.5", "rules_run.yml", &["--run", "wrong"], 1),
    ("v3.5.0", "unittest.yml", &[], 0),
    ("v3.5.0", "long-period.yml", &[], 0),
    ("v3.5.0", "bad-input-series.yml", &[], 1),
    ("v3.5.0", "bad-promql.yml", &[], 1),
    ("v3.5.0", "bad-rules-syntax-test.yml", &[], 1),
    ("v3.5.0", "bad-rules-error-test.yml", &[], 1),
    ("v3.5.0", "failing.yml", &[], 1),
    (
        "v3.5.0",
        "at-modifier-test.yml",
        &["--disable-feature", "promql-at-modifier"],
        1,
    ),
    ("v3.5.0", "at-modifier-test.yml", &[], 0),
    (
        "v3.5.0",
        "negative-offset-test.yml",
        &["--disable-feature", "promql-negative-offset"],
        1,
    ),
    ("v3.5.0", "negative-offset-test.yml", &[], 0),
    ("v3.5.0", "no-test-group-interval.yml", &[], 0),
    ("v3.5.0", "rules_run.yml", &[], 1),
    (
        "v3.5.0",
        "rules_run.yml",
        &["--run", "correct", "--run", "wrong"],
        1,
    ),
    ("v3.5.0", "rules_run.yml", &["--run", "correct"], 0),
    ("v3.5.0", "rules_run.yml", &["--run", "wrong"], 1),
    (
        "v3.5.0",
        "rules_run_extrafields.yml",
        &["--ignore-unknown-fields"],
        0,
    ),
    ("v3.5.0", "rules_run_no_fuzzy.yml", &[], 1),
    ("v3.5.0", "rules_run_fuzzy.yml", &["--run", "correct"], 0),
    ("v3.5.0", "rules_run_fuzzy.yml", &["--run", "wrong"], 1),
];

#[test]
fn each_release_gives_its_own_verdicts() {
    let mut wrong = Vec::new();
    for (tag, file, args, want) in RELEASE_ROWS {
        let Some(dir) = corpus::require(&format!("releases/{tag}/promtool")) else {
            return;
        };
        let out = Command::new(env!("CARGO_BIN_EXE_promtest"))
            .current_dir(&dir)
            .args(["test", "rules", "--prometheus-version", tag])
            .args(*args)
            .arg(file)
            .output()
            .expect("run promtest");
        let got = out.status.code().unwrap_or(-1);
        if got != *want {
            wrong.push(format!(
                "{tag} {file} {args:?}: exit {got}, want {want}\n{}",
                String::from_utf8_lossy(&out.stdout)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A field the release does not know is an error worded as its promtool words it, and a test
/// group without `interval` loads at interval 0 in 2.42 (all values at 0s, the first kept).
#[test]
fn release_specific_rule_test_behaviour() {
    let Some(dir) = corpus::require("releases/v2.53.5/promtool") else {
        return;
    };
    let run = |version: &str, file: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_promtest"))
            .current_dir(&dir)
            .args(["test", "rules", "--prometheus-version", version, file])
            .output()
            .expect("run promtest");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // promtool 2.42's verdict and text on the 2.53 fixture.
    let (code, out) = run("2.42", "no-test-group-interval.yml");
    assert_eq!(code, Some(1));
    assert!(
        out.contains("    expr: \"test\", time: 1m,\n        exp: {__name__=\"test\"} 1E+00\n        got: {__name__=\"test\"} 0E+00\n"),
        "{out}"
    );
    let Some(v35) = corpus::require("releases/v3.5.0/promtool") else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(&v35)
        .args([
            "test",
            "rules",
            "--prometheus-version",
            "2.53",
            "rules_run_fuzzy.yml",
        ])
        .output()
        .expect("run promtest");
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("field fuzzy_compare not found in type main.unitTestFile"),
        "{text}"
    );
}
