//! Rule tests give the same outcome whether rules are evaluated rule by rule (each as one range
//! query, promtest's fast path) or tick by tick (promtool's order): every test group of our own
//! rule tests, our failing fixtures and, when the corpus is present (`tests/support/corpus.rs`), promtool's
//! fixtures runs both ways, and the outcomes must be identical.

use std::path::{Path, PathBuf};

use promtest_runtime::rules::dependencies::rule_by_rule_safe;
use promtest_runtime::unittest::{load_file, load_groups, run_group, GroupOutcome, RunOptions};

#[path = "support/corpus.rs"]
mod corpus;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The rule-test files (YAML with a top-level `tests:`) under `dir`.
fn test_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .filter(|p| {
            std::fs::read_to_string(p)
                .is_ok_and(|s| s.starts_with("tests:") || s.contains("\ntests:"))
        })
        .collect();
    out.sort();
    out
}

/// Runs every test group of `file` both ways; returns (groups, groups evaluated rule by rule)
/// and the rule-by-rule outcomes.
fn compare(file: &Path) -> (usize, usize, Vec<GroupOutcome>) {
    let Ok(loaded) = load_file(file) else {
        return (0, 0, Vec::new());
    };
    let f = &loaded.file;
    let Ok(groups) = load_groups(&loaded.rule_files, &f.group_eval_order, false) else {
        return (0, 0, Vec::new());
    };
    let fast = RunOptions::default();
    let slow = RunOptions {
        tick_by_tick: true,
        ..RunOptions::default()
    };
    let mut outcomes = Vec::new();
    for tg in &f.tests {
        let a = run_group(tg, &groups, f.evaluation_interval, f.fuzzy_compare, &fast);
        let b = run_group(tg, &groups, f.evaluation_interval, f.fuzzy_compare, &slow);
        assert_eq!(
            format!("{a:#?}"),
            format!("{b:#?}"),
            "{}: test group {:?} differs between evaluation orders",
            file.display(),
            tg.name
        );
        outcomes.push(a);
    }
    let safe = if rule_by_rule_safe(&groups) {
        f.tests.len()
    } else {
        0
    };
    (f.tests.len(), safe, outcomes)
}

#[test]
fn both_orders_agree_on_every_fixture() {
    let root = workspace();
    let mut dirs = vec![
        root.join("tests/rules"),
        root.join("tests/fixtures/rules_orders"),
        root.join("tests/fixtures/rules_failing"),
    ];
    if let Some(promtool) = corpus::require("promtool") {
        dirs.push(promtool);
    }
    let (mut groups, mut safe) = (0, 0);
    for dir in &dirs {
        for file in test_files(dir) {
            let (n, s, _) = compare(&file);
            groups += n;
            safe += s;
        }
    }
    eprintln!("{safe} of {groups} test groups ran rule by rule");
    assert!(groups >= 8, "only {groups} test groups found");
    assert!(safe >= 4, "only {safe} of {groups} groups ran rule by rule");
}

#[test]
fn later_tick_failures_are_reported_at_their_tick() {
    let dir = workspace().join("tests/fixtures/rules_orders");
    let (n, safe, outcomes) = compare(&dir.join("errors_test.yml"));
    assert_eq!((n, safe), (3, 3));
    assert_eq!(
        outcomes[0].errors,
        ["    rule: same:instance, time: 3m0s, err: vector cannot contain metrics with the same labelset"]
    );
    assert_eq!(
        outcomes[1].errors,
        [
            "    rule: y:limited, time: 5m0s, err: exceeded limit of 2 with 3 series",
            "    rule: TooMany, time: 5m0s, err: exceeded limit of 2 with 3 alerts",
        ]
    );
    // The alert case at 2m was checked (and passed) before the failing tick.
    assert_eq!(outcomes[1].alerts[0], Some(None));
    assert_eq!(outcomes[1].alerts[1], None);
    // A failure after the first run of ticks evaluated together.
    assert_eq!(
        outcomes[2].errors,
        ["    rule: same:instance, time: 4h19m0s, err: vector cannot contain metrics with the same labelset"]
    );
    assert_eq!(outcomes[2].alerts[0], Some(None));
    assert_eq!(outcomes[2].exprs[0], None);
}

#[test]
fn the_sample_limit_fails_at_the_tick_promtool_fails() {
    let dir = workspace().join("tests/fixtures/rules_orders");
    let (_, safe, outcomes) = compare(&dir.join("limit_test.yml"));
    assert_eq!(
        safe, 1,
        "the group is rule-by-rule safe; the limit makes the rule go tick by tick"
    );
    assert_eq!(
        outcomes[0].errors,
        ["    rule: x:count3h, time: 2h50m0s, err: query processing would load too many samples into memory in query execution"]
    );
}
