//! `promtest test rules --verbose`: each file and test group with its time and each failing
//! assertion as `file:line` with its group, on standard error; everything else exactly the
//! output without the flag (promtool's).

use std::path::Path;
use std::process::{Command, Output};

fn promtest(dir: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .args(args)
        .output()
        .expect("run promtest")
}

#[test]
fn verbose_adds_lines_and_changes_nothing_else() {
    for (dir, file, code) in [
        ("../tests/fixtures/rules_failing", "failing_test.yml", 1),
        ("../tests/rules", "alerts_test.yml", 0),
    ] {
        let plain = promtest(dir, &["test", "rules", file]);
        let verbose = promtest(dir, &["test", "rules", "--verbose", file]);
        assert_eq!(plain.status.code(), Some(code));
        assert_eq!(verbose.status.code(), Some(code));
        assert_eq!(plain.stdout, verbose.stdout, "{file}");
        let stderr = String::from_utf8_lossy(&verbose.stderr);
        let (added, rest): (Vec<&str>, Vec<&str>) =
            stderr.lines().partition(|l| l.starts_with("promtest: "));
        assert_eq!(
            rest.iter().map(|l| format!("{l}\n")).collect::<String>(),
            String::from_utf8_lossy(&plain.stderr),
            "{file}"
        );
        assert_eq!(added.first(), Some(&&*format!("promtest: {file}: running")));
        assert!(
            added.last().unwrap().contains(" test group(s) in "),
            "{stderr}"
        );
    }
}

#[test]
fn failures_name_the_file_line_and_group() {
    let out = promtest(
        "../tests/fixtures/rules_failing",
        &["test", "rules", "-v", "failing_test.yml"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "promtest: failing_test.yml: test group \"wrong expectations\" (line 5) FAILED in "
        ),
        "{stderr}"
    );
    for line in [
        "promtest: failing_test.yml:10: alert NoFor at 2m failed (test group \"wrong expectations\")",
        "promtest: failing_test.yml:16: expr up at 1m failed (test group \"wrong expectations\")",
    ] {
        assert!(stderr.contains(line), "{stderr}");
    }
}
