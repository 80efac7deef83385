//! Rule tests give the same outcome whether rules are evaluated rule by rule (each as one range
//! query, promtest's fast path) or tick by tick (promtool's order): every test group of our own
//! rule tests, our failing fixtures and, when the corpus is present (`tests/support/corpus.rs`), promtool's
//! fixtures runs both ways, and the outcomes must be identical.

use std::path::{Path, PathBuf};

use super::{GroupOutcome, RunOptions, Suite};
use crate::harness::test_files;
use crate::rules::dependencies::rule_by_rule_safe;

use crate::test_corpus as corpus;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The rule-test files directly under `dir`, loaded with `opts`.
fn suites(dir: &Path, opts: &RunOptions) -> Vec<(PathBuf, Suite)> {
    test_files(dir)
        .into_iter()
        .filter(|(name, _)| !name.contains('/'))
        .filter_map(|(_, path)| {
            let src = std::fs::read_to_string(&path).ok()?;
            let suite = Suite::detect(&path, &src, opts.clone())?.ok()?;
            Some((path, suite))
        })
        .collect()
}

/// Runs every test group of `file` both ways; returns (groups, groups evaluated rule by rule)
/// and the rule-by-rule outcomes.
fn compare(file: &Path) -> (usize, usize, Vec<GroupOutcome>) {
    let slow_opts = RunOptions {
        tick_by_tick: true,
        ..RunOptions::default()
    };
    let (Ok(fast), Ok(slow)) = (
        Suite::load(file, RunOptions::default()),
        Suite::load(file, slow_opts),
    ) else {
        return (0, 0, Vec::new());
    };
    let Ok(groups) = fast.groups() else {
        return (0, 0, Vec::new());
    };
    let mut outcomes = Vec::new();
    for (i, tg) in fast.tests().iter().enumerate() {
        let (a, b) = (fast.outcome(i), slow.outcome(i));
        assert_eq!(
            format!("{a:#?}"),
            format!("{b:#?}"),
            "{}: test group {:?} differs between evaluation orders",
            file.display(),
            tg.name
        );
        outcomes.push(a.clone());
    }
    let n = fast.tests().len();
    let safe = if rule_by_rule_safe(groups) { n } else { 0 };
    (n, safe, outcomes)
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
        for (file, _) in suites(dir, &RunOptions::default()) {
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
