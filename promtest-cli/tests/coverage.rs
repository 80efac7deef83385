//! Rule coverage on a fixture with known answers (`fixtures/coverage/`, each rule commented with
//! its status): the text table, the JSON report, `--coverage-min`, and the ignored coverage
//! trials of `promtest run` (the path `#[promql_tests]` takes).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/coverage")
}

fn promtest(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(fixture())
        .args(args)
        .output()
        .expect("run promtest")
}

const TESTS: [&str; 2] = ["cov_test.yml", "cov_second_test.yml"];

const TABLE: &str = "\
Rule coverage:
  cov_rules.yml: 5/9 rules tested (55.6%)
    LINE  KIND   NAME                GROUP     STATUS
    6     record job:requests:rate2m recording feeds job:errors:ratio
    9     record job:errors:ratio    recording feeds ErrorRatioHigh
    12    record job:up:sum          recording asserted by promql_expr_test (cov_test.yml:25)
    15    record job:unused:sum      recording untested
    20    alert  ErrorRatioHigh      alerting  asserted firing (cov_second_test.yml:13)
    24    alert  InstanceDown        alerting  asserted firing (cov_test.yml:14)
    29    alert  InstanceDown        alerting  untested
    34    alert  DiskFull            alerting  only in \"no alert\" cases
    37    alert  NeverTested         alerting  untested
  cov_extra_rules.yml: 1/2 rules tested (50.0%)
    LINE  KIND   NAME            GROUP STATUS
    5     record instance:up:max extra untested
    8     alert  AlwaysFiring    extra asserted firing (cov_test.yml:20)
  total: 6/11 rules tested (54.5%)
";

#[test]
fn the_text_table_lists_exactly_the_untested_rules() {
    let out = promtest(&[&["test", "rules", "--coverage"][..], &TESTS].concat());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let (tests, table) = stdout.split_at(stdout.find("Rule coverage:").expect("a report"));
    assert_eq!(
        tests,
        "Unit Testing:  cov_test.yml\n  SUCCESS\n\nUnit Testing:  cov_second_test.yml\n  SUCCESS\n\n"
    );
    assert_eq!(table, TABLE);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_json_report_has_every_rule_with_its_status() {
    let json = std::env::temp_dir().join(format!("promtest-coverage-{}.json", std::process::id()));
    let path = json.to_str().unwrap();
    let out = promtest(&[&["test", "rules", "--coverage-json", path][..], &TESTS].concat());
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Rule coverage"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).expect("valid JSON");
    let _ = std::fs::remove_file(&json);
    assert_eq!(
        (v["rules"].as_u64(), v["tested"].as_u64()),
        (Some(11), Some(6))
    );
    assert_eq!(v["percent"].as_f64(), Some(54.5));
    let mut got = Vec::new();
    for f in v["files"].as_array().unwrap() {
        for e in f["entries"].as_array().unwrap() {
            got.push(format!(
                "{} {} {} {}",
                f["file"].as_str().unwrap(),
                e["line"],
                e["name"].as_str().unwrap(),
                e["status"].as_str().unwrap()
            ));
        }
    }
    assert_eq!(
        got,
        [
            "cov_rules.yml 6 job:requests:rate2m feeds",
            "cov_rules.yml 9 job:errors:ratio feeds",
            "cov_rules.yml 12 job:up:sum asserted",
            "cov_rules.yml 15 job:unused:sum untested",
            "cov_rules.yml 20 ErrorRatioHigh firing",
            "cov_rules.yml 24 InstanceDown firing",
            "cov_rules.yml 29 InstanceDown untested",
            "cov_rules.yml 34 DiskFull no_alert_only",
            "cov_rules.yml 37 NeverTested untested",
            "cov_extra_rules.yml 5 instance:up:max untested",
            "cov_extra_rules.yml 8 AlwaysFiring firing",
        ]
    );
    assert_eq!(v["files"][0]["entries"][1]["feeds"][0], "ErrorRatioHigh");
    assert_eq!(
        v["files"][0]["entries"][4]["by"][0],
        "cov_second_test.yml:13"
    );
}

#[test]
fn coverage_min_fails_the_run_below_the_threshold() {
    let at = |min: &str| {
        let out = promtest(&[&["test", "rules", "--coverage-min", min][..], &TESTS].concat());
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(at("54.5"), (Some(0), String::new()));
    assert_eq!(
        at("60"),
        (
            Some(1),
            "promtest: rule coverage 54.5% is below --coverage-min 60%\n".to_string()
        )
    );
}

#[test]
fn run_lists_one_ignored_trial_per_untested_rule() {
    let out = promtest(&["run", ".", "--", "--list", "--ignored"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    let names: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .collect();
    assert_eq!(
        names,
        [
            "[coverage] cov_rules.yml::L15::coverage record job:unused:sum: untested",
            "[coverage] cov_rules.yml::L29::coverage alert InstanceDown: untested",
            "[coverage] cov_rules.yml::L34::coverage alert DiskFull: only in \"no alert\" cases",
            "[coverage] cov_rules.yml::L37::coverage alert NeverTested: untested",
            "[coverage] cov_extra_rules.yml::L5::coverage record instance:up:max: untested",
        ],
        "{listed}"
    );
    let out = promtest(&["run", "."]);
    let all = String::from_utf8_lossy(&out.stdout);
    assert!(all.contains("5 passed; 0 failed; 5 ignored"), "{all}");
    let out = promtest(&["run", ".", "--", "--ignored"]);
    let all = String::from_utf8_lossy(&out.stdout);
    assert!(all.contains("0 passed; 5 failed; 0 ignored"), "{all}");
    assert!(
        all.contains("rule coverage: alerting rule DiskFull (group alerting) is not tested: no alert_rule_test expects it to fire"),
        "{all}"
    );
}
