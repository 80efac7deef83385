//! `promtest test rules --diff`: the coloured JSON difference promtool prints for failing alert
//! cases (expressions keep the exp/got text), pinned on our own fixture.

use std::path::PathBuf;
use std::process::Command;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(fixture_dir())
        .args(["test", "rules"])
        .args(args)
        .output()
        .expect("run promtest");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The expected text with `{R}` red, `{G}` green, `{Y}` yellow and `{0}` reset markers.
fn colours(s: &str) -> String {
    s.replace("{R}", "\x1b[0;31m")
        .replace("{G}", "\x1b[0;32m")
        .replace("{Y}", "\x1b[0;33m")
        .replace("{0}", "\x1b[0m")
}

const EXPECTED: &str = r#"  FAILED:
    name: disk alerts,
    alertname: DiskFull, time: 0s, 
        diff: [
                {
                    "Annotations": {},
                    "Labels": {
                        {R}"alertname": "DiskFull"{0},
                        {R}"mount": "/home"{0},
                        {R}"severity": "page"{0}
                    }
                }
            ]
    name: disk alerts,
    alertname: DiskFull, time: 2m, 
        diff: [
                {
                    "Annotations": {
                        {G}"summary": "/data is 0.95 full"{0}
                    },
                    "Labels": {
                        {G}"alertname": "DiskFull"{0},
                        {G}"mount": "/data"{0},
                        {G}"severity": "page"{0}
                    }
                },
                {G}{{0}
                    {G}"Annotations": {{0}
                        {G}"summary": "/home is 0.95 full"{0}
                    {G}},{0}
                    {G}"Labels": {{0}
                        {G}"alertname": "DiskFull",{0}
                        {G}"mount": "/home",{0}
                        {G}"severity": "page"{0}
                    {G}}{0}
                {G}}{0}
            ]
    name: disk alerts,
    alertname: DiskFull, time: 3m, 
        diff: [
                {
                    "Annotations": {
                        {G}"summary": "/data is 0.95 full"{0}
                    },
                    "Labels": {
                        "alertname": "DiskFull",
                        "mount": "/data",
                        "severity": {Y}"warn" => "page"{0}
                    }
                },
                {
                    "Annotations": {
                        {R}"runbook": "http://x/disk"{0},
                        "summary": "/home is 0.95 full"
                    },
                    "Labels": {
                        "alertname": "DiskFull",
                        "mount": "/home",
                        "severity": "page"
                    }
                },
                {R}{{0}
                    {R}"Annotations": {},{0}
                    {R}"Labels": {{0}
                        {R}"alertname": "DiskFull",{0}
                        {R}"mount": "/tmp",{0}
                        {R}"severity": "page"{0}
                    {R}}{0}
                {R}}{0}
            ]
"#;

#[test]
fn diff_shows_changed_missing_and_extra_alerts() {
    let (code, stdout, stderr) = run(&["--diff", "diff_test.yml"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "Unit Testing:  diff_test.yml\n\n\n\n\n");
    let want = colours(EXPECTED);
    assert_eq!(stderr, want, "stderr differs:\n{stderr}");
}

#[test]
fn without_diff_the_lists_are_printed() {
    let (code, _, stderr) = run(&["diff_test.yml"]);
    assert_eq!(code, 1);
    assert!(!stderr.contains('\x1b'), "{stderr}");
    assert!(
        stderr.contains("    alertname: DiskFull, time: 0s, \n        exp:[\n            0:\n              Labels:{alertname=\"DiskFull\", mount=\"/home\", severity=\"page\"}\n              Annotations:{}\n            ], \n        got:[]"),
        "{stderr}"
    );
}
