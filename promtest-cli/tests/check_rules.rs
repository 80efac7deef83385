//! `promtest check rules` on Prometheus's promtool fixtures: each fixture's exit code under
//! every `--lint` setting (as promtool's), and promtool 2.42's output byte for byte where 2.42
//! agrees with the Prometheus promtest follows. Skipped when the corpus is absent (failed under CI).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

#[path = "../../promtest-runtime/tests/support/corpus.rs"]
mod corpus;

fn corpus() -> Option<PathBuf> {
    corpus::require("promtool")
}

fn promtest(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(dir)
        .args(["check", "rules"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run promtest");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .expect("write stdin");
    drop(input);
    child.wait_with_output().expect("wait for promtest")
}

/// (fixture, exit code with the default lint, with `--lint=none`, with `--lint-fatal`).
const EXIT_CODES: &[(&str, i32, i32, i32)] = &[
    ("rules.yml", 0, 0, 0),
    ("rules-bad.yml", 1, 1, 1),
    ("rules_duplicates.yml", 0, 0, 3),
    ("rules_large.yml", 0, 0, 3),
    ("prometheus-rules.lint.yml", 0, 0, 3),
];

#[test]
fn exit_codes_are_promtools() {
    let Some(dir) = corpus() else {
        return;
    };
    let mut wrong = Vec::new();
    for &(file, default, none, fatal) in EXIT_CODES {
        for (args, want) in [
            (vec![file], default),
            (vec!["--lint=all", file], default),
            (vec!["--lint=none", file], none),
            (vec!["--lint-fatal", file], fatal),
            (vec!["--lint=none", "--lint-fatal", file], none),
        ] {
            let got = promtest(&dir, &args, None).status.code();
            if got != Some(want) {
                wrong.push(format!("{args:?}: exit {got:?}, want {want}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// promtool 2.42's stdout and stderr for each fixture (default lint).
const PROMTOOL_2_42: &[(&str, &str, &str)] = &[
    ("rules.yml", "Checking rules.yml\n  SUCCESS: 5 rules found\n\n", ""),
    (
        "rules_duplicates.yml",
        "Checking rules_duplicates.yml\n\n",
        "  FAILED:\nlint error 1 duplicate rule(s) found.\nMetric: job:test:count_over_time1m\nLabel(s):\nMight cause inconsistency while recording expressions\n",
    ),
    (
        "rules_large.yml",
        "Checking rules_large.yml\n\n",
        "  FAILED:\nlint error 2 duplicate rule(s) found.\nMetric: job:http_inprogress_requests:sum:1\nLabel(s):\n\tjob: job1\nMetric: job:http_inprogress_requests:sum:10000\nLabel(s):\n\tjob: job10000\nMight cause inconsistency while recording expressions\n",
    ),
    (
        "prometheus-rules.lint.yml",
        "Checking prometheus-rules.lint.yml\n\n",
        "  FAILED:\nlint error 1 duplicate rule(s) found.\nMetric: HighRequestLatency\nLabel(s):\n\tseverity: page\nMight cause inconsistency while recording expressions\n",
    ),
];

/// rules-bad.yml's error, as promtool 2.42 prints it. Its stdout differs on purpose: 2.42
/// prints a blank line after a file with errors, later promtool goes on without it.
const RULES_BAD_STDERR: &str = "  FAILED:\nrules-bad.yml: group \"alerts\", rule 1, \"InstanceDown\": annotation \"summary\": template: __alert_InstanceDown:1: undefined variable \"$label\"\n";

#[test]
fn output_is_promtool_2_42s_where_it_agrees() {
    let Some(dir) = corpus() else {
        return;
    };
    for &(file, stdout, stderr) in PROMTOOL_2_42 {
        let out = promtest(&dir, &[file], None);
        assert_eq!(String::from_utf8_lossy(&out.stdout), stdout, "{file}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), stderr, "{file}");
    }
    let out = promtest(&dir, &["rules-bad.yml"], None);
    assert_eq!(String::from_utf8_lossy(&out.stderr), RULES_BAD_STDERR);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Checking rules-bad.yml\n"
    );
    // In 2.42's mode, 2.42's blank line (Semantics::check_rules_blank_line_after_errors).
    let out = promtest(
        &dir,
        &["--prometheus-version", "2.42", "rules-bad.yml"],
        None,
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), RULES_BAD_STDERR);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Checking rules-bad.yml\n\n"
    );
}

/// promtool 2.42's texts for expressions 2.42 does not parse (functions and syntax of later
/// releases), in `--prometheus-version 2.42`.
#[test]
fn expressions_are_checked_against_the_release() {
    let dir = std::env::temp_dir().join(format!("promtest-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rules = "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: sort_by_label(up, \"i\")\n      - record: b\n        expr: rate(x[1m+1m])\n      - record: c\n        expr: vector(1_000)\n";
    std::fs::write(dir.join("r.yml"), rules).unwrap();
    let out = promtest(&dir, &["--prometheus-version", "2.42", "r.yml"], None);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "  FAILED:\n\
         r.yml: 5:15: group \"g\", rule 1, \"a\": could not parse expression: 1:1: parse error: unknown function with name \"sort_by_label\"\n\
         r.yml: 7:15: group \"g\", rule 2, \"b\": could not parse expression: 1:10: parse error: unexpected <op:+> in subquery or range, expected \":\" or \"]\"\n\
         r.yml: 9:15: group \"g\", rule 3, \"c\": could not parse expression: 1:8: parse error: bad number or duration syntax: \"1\"\n"
    );
    assert_eq!(out.status.code(), Some(1));
    let out = promtest(&dir, &["r.yml"], None);
    assert_eq!(out.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn standard_input_when_no_file_is_given() {
    let Some(dir) = corpus() else {
        return;
    };
    let good = std::fs::read_to_string(dir.join("rules.yml")).unwrap();
    let out = promtest(&dir, &[], Some(&good));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Checking standard input\n  SUCCESS: 5 rules found\n\n"
    );
    assert_eq!(out.status.code(), Some(0));
    let bad = std::fs::read_to_string(dir.join("rules-bad.yml")).unwrap();
    let out = promtest(&dir, &[], Some(&bad));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        RULES_BAD_STDERR.replace("rules-bad.yml: ", "")
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_missing_file_is_refused_before_any_check() {
    let dir = std::env::temp_dir();
    let out = promtest(&dir, &["promtest-no-such-rules.yml"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "promtest: error: path 'promtest-no-such-rules.yml' does not exist, try --help\n"
    );
    assert!(out.stdout.is_empty());
}
