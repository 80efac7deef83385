//! Warnings of `promtest test rules` (`fixtures/warnings/`, one of each kind): printed as
//! promtool prints its own without `--warn-as-error`, failing the file with their texts with it.

use std::path::Path;
use std::process::{Command, Output};

fn promtest(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/warnings"))
        .args(args)
        .output()
        .expect("run promtest")
}

const WARNINGS: &str = "  WARNING: no file match pattern missing_*.yml
  WARNING: rule group \"first\" is not in group_eval_order; it is evaluated first, in file order
  WARNING: input series unread{job=\"api\"} of test group \"warnings\" is read by no rule and no test
  WARNING: rule \"job:requests:rate1m\" in group \"first\": PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"requests\"
";

#[test]
fn warnings_print_before_the_result() {
    let out = promtest(&["test", "rules", "warn_test.yml"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Unit Testing:  warn_test.yml\n  SUCCESS\n\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), WARNINGS);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn warn_as_error_fails_the_run_with_each_text() {
    let out = promtest(&["test", "rules", "--warn-as-error", "warn_test.yml"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("  FAILED:\n{WARNINGS}")
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Unit Testing:  warn_test.yml\n\n\n\n\n\n"
    );
    assert_eq!(out.status.code(), Some(1));
}
