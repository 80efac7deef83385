//! Runs the `promtest-failing-fixture` test binary (one failing eval and one rule test promtool
//! rejects, under `fixtures/failing`) and checks what a user sees: a non-zero exit,
//! `file:line`, a `-`/`+` diff, and files added after the build being found at run time.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture_bin() -> &'static str {
    env!("CARGO_BIN_EXE_promtest-failing-fixture")
}

fn run(args: &[&str]) -> Output {
    Command::new(fixture_bin())
        .args(args)
        .env_remove("NEXTEST")
        .output()
        .expect("the fixture binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn failing_eval_exits_non_zero_with_location_and_diff() {
    let out = run(&["--color", "never", "one_failing.test"]);
    let all = text(&out);
    assert!(!out.status.success(), "expected a failure exit:\n{all}");
    assert!(
        all.contains("one_failing.test:5"),
        "no file:line in:\n{all}"
    );
    let has = |p: &str| all.lines().any(|l| l.starts_with(p));
    assert!(has("- ") && has("+ "), "no -/+ diff lines in:\n{all}");
    assert!(all.contains("fixture_metric"), "query missing in:\n{all}");
}

/// A group named twice in `group_eval_order` fails the rule test file under the macro, as it
/// does under `promtest test rules` (one driver, one verdict).
#[test]
fn repeated_group_in_eval_order_fails_the_file() {
    let out = run(&["--color", "never", "repeated_group_test.yml"]);
    let all = text(&out);
    assert!(!out.status.success(), "expected a failure exit:\n{all}");
    assert!(
        all.contains("group name repeated in evaluation order: g1"),
        "no promtool error in:\n{all}"
    );
    assert!(all.contains("0 passed; 1 failed"), "{all}");
}

/// Removes the dropped directory even when an assertion fails.
struct Dropped(PathBuf);

impl Drop for Dropped {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh directory under the fixture directory, removed when the guard drops.
fn dropped_dir(tag: &str) -> (PathBuf, Dropped) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/failing")
        .join(format!("dropped-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    (dir.clone(), Dropped(dir))
}

#[test]
fn files_added_after_the_build_are_listed() {
    let (dir, guard) = dropped_dir("list");
    std::fs::write(
        dir.join("late.test"),
        "load 1m\n\tlate_metric 1\n\neval instant at 0 late_metric\n\tlate_metric 1\n",
    )
    .unwrap();
    let out = run(&["--list"]);
    let all = text(&out);
    let rel = format!("dropped-list-{}/late.test", std::process::id());
    assert!(all.contains(&rel), "{rel} not listed:\n{all}");
    assert!(
        all.contains("one_failing.test"),
        "embedded file not listed:\n{all}"
    );
    drop(guard);
    assert!(!dir.exists());
}

#[test]
fn exact_run_parses_only_the_named_file() {
    let (dir, _guard) = dropped_dir("exact");
    std::fs::write(dir.join("broken.test"), "this is not a test script\n").unwrap();
    let name = "one_failing.test::L5::eval instant at 2m fixture_metric";
    for filter in [name.to_string(), format!("[eval] {name}")] {
        let out = run(&["--exact", &filter]);
        let all = text(&out);
        assert!(!out.status.success(), "{all}");
        assert!(
            all.contains("0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out"),
            "other files were planned:\n{all}"
        );
    }
}
