//! `promtest test rules --compare-versions`: the upgrade report on tests/rules_2_42, whose
//! expectations are promtool 2.42's answers: every case changes under latest, each with the
//! switch that explains it.

use std::process::Command;

#[test]
fn upgrade_report_names_each_change_and_its_reason() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/rules_2_42");
    let out = Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(dir)
        .args([
            "test",
            "rules",
            "--compare-versions",
            "2.42,latest",
            "upgrade_test.yml",
        ])
        .output()
        .expect("run promtest");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let expected = [
        ("upgrade_test.yml:12:", "window's left edge"),
        ("upgrade_test.yml:17:", "window's left edge"),
        ("upgrade_test.yml:34:", "`atan2` keeps the metric name"),
        ("upgrade_test.yml:39:", "`avg_over_time` is a running mean"),
        (
            "upgrade_test.yml:44:",
            "`stddev`/`stdvar` of a group starting with Inf/NaN",
        ),
        ("upgrade_test.yml:55:", "counter's zero point"),
    ];
    let lines: Vec<&str> = text.lines().collect();
    for (case, reason) in expected {
        let i = lines
            .iter()
            .position(|l| l.starts_with(case))
            .unwrap_or_else(|| panic!("{case} not listed:\n{text}"));
        assert!(
            lines[i].ends_with("pass under 2.42, fail under latest"),
            "{}",
            lines[i]
        );
        assert!(lines[i + 1].contains(reason), "{case}: {}", lines[i + 1]);
    }
    assert!(
        text.ends_with("6 of 6 cases change between 2.42 and latest (1 of 1 files)\n"),
        "{text}"
    );
    // The same release twice changes nothing.
    let same = Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(dir)
        .args([
            "test",
            "rules",
            "--compare-versions",
            "2.42,v2.42.0",
            "upgrade_test.yml",
        ])
        .output()
        .expect("run promtest");
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stdout).contains("0 of 6 cases change"));
}
