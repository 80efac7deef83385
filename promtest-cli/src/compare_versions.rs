//! `promtest test rules --compare-versions A,B FILE…`: the upgrade report. Every assertion
//! runs under both releases; those whose verdict or output changes are listed with the reason
//! where one switch explains it, then a summary line. Exit 0 when nothing changes, 1 otherwise.

use std::path::PathBuf;
use std::process::ExitCode;

use promtest_runtime::rule_tests::{compare_versions, RunOptions};
use promtest_runtime::PrometheusVersion;

/// Parses `A,B` into two releases.
pub fn parse_pair(s: &str) -> Result<(PrometheusVersion, PrometheusVersion), String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("--compare-versions takes two releases, A,B (got {s:?})"))?;
    let p = |v: &str| v.parse::<PrometheusVersion>().map_err(|e| e.to_string());
    Ok((p(a)?, p(b)?))
}

/// Prints the report for `files` and returns the exit code.
pub fn run(
    files: &[PathBuf],
    opts: &RunOptions,
    (a, b): (PrometheusVersion, PrometheusVersion),
) -> ExitCode {
    println!("Comparing rule tests under Prometheus {a} and {b}");
    let (mut cases, mut changed, mut files_changed) = (0, 0, 0);
    for f in files {
        let name = f.display();
        let cmp = compare_versions(f, opts, a, b);
        cases += cmp.cases;
        if let Some((ea, eb)) = &cmp.file_error {
            let shown = |e: &str| {
                if e.is_empty() {
                    "(none)".to_string()
                } else {
                    e.replace('\n', "\n    ")
                }
            };
            println!(
                "{name}: the file's error changes\n  {a}: {}\n  {b}: {}",
                shown(ea),
                shown(eb)
            );
        }
        if !cmp.changes.is_empty() || cmp.file_error.is_some() {
            files_changed += 1;
        }
        for c in &cmp.changes {
            changed += 1;
            let verdict = if c.verdicts.0 == c.verdicts.1 {
                format!("{} under both, output changes", c.verdicts.0)
            } else {
                format!("{} under {a}, {} under {b}", c.verdicts.0, c.verdicts.1)
            };
            println!("{name}:{}: [{}] {}: {verdict}", c.line, c.group, c.what);
            if c.reasons.is_empty() {
                println!("    reason: several differences together (no single switch explains it)");
            }
            for r in &c.reasons {
                println!("    reason: {r}");
            }
        }
    }
    println!(
        "{changed} of {cases} cases change between {a} and {b} ({files_changed} of {} files)",
        files.len()
    );
    if changed == 0 && files_changed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
