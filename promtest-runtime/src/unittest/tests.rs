//! End-to-end tests of rule-test files written to a temporary directory.

use super::*;
use std::path::PathBuf;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("promtest-ut-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

const RULES: &str = "groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n  - alert: Down\n    expr: job:up:sum == 0\n    for: 2m\n    labels: {severity: page}\n    annotations: {summary: 'job {{ $labels.job }} is down'}\n";

#[test]
fn alert_fires_after_for_and_records() {
    let d = tmpdir("fire");
    write(&d, "r.yml", RULES);
    let t = write(
        &d,
        "t.yml",
        "rule_files: [r.yml]\ntests:\n- input_series:\n  - series: up{job=\"a\",instance=\"1\"}\n    values: 0x10\n  alert_rule_test:\n  - eval_time: 1m\n    alertname: Down\n  - eval_time: 2m\n    alertname: Down\n    exp_alerts:\n    - exp_labels: {job: a, severity: page}\n      exp_annotations: {summary: job a is down}\n  promql_expr_test:\n  - expr: job:up:sum\n    eval_time: 3m\n    exp_samples:\n    - labels: 'job:up:sum{job=\"a\"}'\n      value: 0\n  - expr: ALERTS_FOR_STATE\n    eval_time: 3m\n    exp_samples:\n    - labels: 'ALERTS_FOR_STATE{alertname=\"Down\",job=\"a\",severity=\"page\"}'\n      value: 0\n",
    );
    let r = run_file(&t, &RunOptions::default());
    assert!(r.errors.is_empty(), "{:#?}", r.errors);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn failing_cases_are_reported_as_promtool() {
    let d = tmpdir("fail");
    write(&d, "r.yml", RULES);
    let t = write(
        &d,
        "t.yml",
        "rule_files: [r.yml]\ntests:\n- name: T\n  input_series:\n  - series: up{job=\"a\"}\n    values: 0x10\n  alert_rule_test:\n  - eval_time: 5m\n    alertname: Down\n  promql_expr_test:\n  - expr: up\n    eval_time: 0\n    exp_samples:\n    - labels: up{job=\"a\"}\n      value: 1\n",
    );
    let r = run_file(&t, &RunOptions::default());
    assert_eq!(r.errors.len(), 2, "{:#?}", r.errors);
    assert_eq!(
        r.errors[0],
        "    name: T,\n    alertname: Down, time: 5m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"Down\", job=\"a\", severity=\"page\"}\n              Annotations:{summary=\"job a is down\"}\n            ]"
    );
    assert_eq!(
        r.errors[1],
        "    expr: \"up\", time: 0s,\n        exp: {__name__=\"up\", job=\"a\"} 1E+00\n        got: {__name__=\"up\", job=\"a\"} 0E+00"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn missing_rule_files_warn_and_run_filter_applies() {
    let d = tmpdir("warn");
    let t = write(
        &d,
        "t.yml",
        "rule_files: [none*.yml]\ntests:\n- name: a\n  promql_expr_test:\n  - expr: '1'\n    eval_time: 0\n    exp_samples: [{value: 2}]\n- name: b\n  promql_expr_test:\n  - expr: '1'\n    eval_time: 0\n    exp_samples: [{value: 1}]\n",
    );
    let opts = RunOptions {
        run: Some(regex::Regex::new("b").unwrap()),
        ..RunOptions::default()
    };
    let r = run_file(&t, &opts);
    assert_eq!(r.warnings.len(), 1);
    assert!(r.errors.is_empty(), "{:#?}", r.errors);
    assert_eq!(run_file(&t, &RunOptions::default()).errors.len(), 1);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn unlisted_groups_warn_and_run_first() {
    let d = tmpdir("order");
    write(
        &d,
        "r.yml",
        "groups:\n- name: b\n  rules:\n  - record: y\n    expr: x * 2\n- name: a\n  rules:\n  - record: x\n    expr: vector(1)\n- name: c\n  rules:\n  - record: z\n    expr: vector(3)\n",
    );
    let t = write(
        &d,
        "t.yml",
        "rule_files: [r.yml]\ngroup_eval_order: [a, b]\ntests:\n- promql_expr_test:\n  - expr: y\n    eval_time: 0\n    exp_samples: [{labels: y, value: 2}]\n",
    );
    let r = run_file(&t, &RunOptions::default());
    assert!(r.errors.is_empty(), "{:#?}", r.errors);
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].contains("\"c\""));
    std::fs::remove_dir_all(&d).unwrap();
}

/// Malformed `input_series` are reported with promtool's text: the series' 1-based index as
/// the line, the column in `<series> <values>`.
#[test]
fn input_series_errors_as_promtool() {
    let d = tmpdir("badseries");
    write(&d, "r.yml", RULES);
    let cases = [
        (r#"up{a="b""#, "1", "1:10: parse error: unexpected character inside braces: '1'"),
        ("up", "1+2x", "1:8: parse error: unexpected end of input in series values"),
        ("up", "1 abc", "1:6: parse error: unexpected identifier \"abc\" in series values, expected number or \"stale\""),
        (" ", "1", "1:1: parse error: unexpected number \"1\" in series values"),
    ];
    for (series, values, want) in cases {
        let yaml = format!(
            "rule_files: [r.yml]\ntests:\n- input_series:\n  - series: up\n    values: '1'\n  - series: '{series}'\n    values: '{values}'\n  promql_expr_test:\n  - expr: up\n    eval_time: 0\n"
        );
        let t = write(&d, "t.yml", &yaml);
        let r = run_file(&t, &RunOptions::default());
        let want = want.replacen("1:", "2:", 1);
        assert_eq!(r.errors, vec![want], "{series} {values}");
    }
    std::fs::remove_dir_all(&d).unwrap();
}

/// Series promtool's storage refuses: the error at every tick from their first sample on,
/// nothing stored after it (promtool 2.42 gives the same texts and counts).
#[test]
fn refused_input_series_fail_every_tick() {
    let d = tmpdir("refused");
    let cases = [
        (
            "'{a=\"\"}'",
            "_ 2",
            vec!["empty labelset: invalid sample"; 2],
        ),
        (
            "'m{a=\"1\",a=\"2\"}'",
            "1 2",
            vec!["label name \"a\" is not unique: invalid sample"; 3],
        ),
    ];
    for (series, values, want) in cases {
        let yaml = format!(
            "rule_files: []\ntests:\n- interval: 1m\n  input_series:\n  - series: {series}\n    values: '{values}'\n  - series: up\n    values: '1 2 3'\n  promql_expr_test:\n  - expr: up\n    eval_time: 2m\n    exp_samples: [{{labels: up, value: 1}}]\n"
        );
        let t = write(&d, "t.yml", &yaml);
        let r = run_file(&t, &RunOptions::default());
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        if series.starts_with("'m") {
            // Nothing of `up` was stored either.
            want.push("    expr: \"up\", time: 2m,\n        exp: {__name__=\"up\"} 1E+00\n        got: nil".into());
        }
        assert_eq!(r.errors, want, "{series}");
    }
    std::fs::remove_dir_all(&d).unwrap();
}
