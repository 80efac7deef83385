//! The upgrade report: every assertion of a rule-test file run under two releases, and the
//! assertions whose verdict or output changes, each with the switch that explains the change
//! where one does (found by giving the second run that one switch of the first release).

use std::path::Path;

use super::{RunOptions, Suite};
use crate::literals::format_duration;
use crate::semantics::{PrometheusVersion, Semantics, SWITCHES};

/// One assertion whose verdict or output differs between the two releases.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CaseChange {
    /// The assertion's line in the test file.
    pub line: usize,
    /// The test group's name (`unnamed#i` when it has none).
    pub group: String,
    /// What it asserts (`alert X at 5m`, `expr up at 1m`).
    pub what: String,
    /// Its verdict under the first and under the second release (`pass`, `fail`, `error`).
    pub verdicts: (String, String),
    /// The switches that explain the change (each alone undoes it), with their reasons; empty
    /// when no single switch does.
    pub reasons: Vec<&'static str>,
}

/// The comparison of one file.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct FileComparison {
    /// Assertions in the file.
    pub cases: usize,
    /// The assertions that change.
    pub changes: Vec<CaseChange>,
    /// A file-level error (unreadable file, broken rule file) that differs between the
    /// releases, as (first, second).
    pub file_error: Option<(String, String)>,
}

/// The verdict and output of every assertion of a file, in file order, plus its file error.
type Run = (Vec<(usize, String, String, String)>, Option<String>);

fn run(path: &Path, opts: &RunOptions, sem: Semantics) -> Run {
    let opts = RunOptions {
        semantics: sem,
        ..opts.clone()
    };
    let suite = match Suite::load(path, opts) {
        Ok(s) => s,
        Err(e) => return (Vec::new(), Some(e)),
    };
    if let Some(e) = suite.file_error() {
        return (Vec::new(), Some(e.to_string()));
    }
    let mut out = Vec::new();
    for (i, tg) in suite.tests().iter().enumerate() {
        let o = suite.outcome(i);
        let group = if tg.name.is_empty() {
            format!("unnamed#{i}")
        } else {
            tg.name.clone()
        };
        let verdict = |r: Option<&Option<Option<String>>>| match r {
            Some(Some(None)) => "pass".to_string(),
            Some(Some(Some(e))) => format!("fail\n{e}"),
            _ => format!("error\n{}", o.errors.join("\n")),
        };
        for (k, a) in tg.alert_rule_test.iter().enumerate() {
            let what = format!("alert {} at {}", a.alertname, format_duration(a.eval_time));
            let got = format!("{:?}", o.got_alerts.get(k));
            out.push((
                a.line,
                format!("{group}\u{0}{what}"),
                verdict(o.alerts.get(k)),
                got,
            ));
        }
        for (k, e) in tg.promql_expr_test.iter().enumerate() {
            let what = format!("expr {} at {}", e.expr, format_duration(e.eval_time));
            let got = format!("{:?}", o.got_samples.get(k));
            out.push((
                e.line,
                format!("{group}\u{0}{what}"),
                verdict(o.exprs.get(k)),
                got,
            ));
        }
    }
    (out, None)
}

fn short(verdict: &str) -> String {
    verdict.split('\n').next().unwrap_or_default().to_string()
}

/// Runs the rule-test file at `path` under releases `a` and `b` (other options from `opts`)
/// and lists the assertions whose verdict or output changes.
pub fn compare_versions(
    path: &Path,
    opts: &RunOptions,
    a: PrometheusVersion,
    b: PrometheusVersion,
) -> FileComparison {
    let (sa, sb) = (Semantics::of(a), Semantics::of(b));
    let (ra, ea) = run(path, opts, sa);
    let (rb, eb) = run(path, opts, sb);
    let mut cmp = FileComparison {
        cases: ra.len().max(rb.len()),
        file_error: (ea != eb).then(|| (ea.unwrap_or_default(), eb.unwrap_or_default())),
        ..Default::default()
    };
    let changed: Vec<usize> = (0..ra.len().min(rb.len()))
        .filter(|&i| ra[i].2 != rb[i].2 || ra[i].3 != rb[i].3)
        .collect();
    if changed.is_empty() {
        return cmp;
    }
    // Which switch, given alone to the second run, brings each changed case back.
    let flipped: Vec<(&'static str, Run)> = SWITCHES
        .iter()
        .filter(|s| (s.get)(&sa) != (s.get)(&sb))
        .map(|s| {
            let mut sem = sb;
            (s.set)(&mut sem, (s.get)(&sa));
            (s.reason, run(path, opts, sem))
        })
        .collect();
    for i in changed {
        let (line, key, va, _) = &ra[i];
        let (group, what) = key.split_once('\u{0}').unwrap_or(("", key));
        let reasons = flipped
            .iter()
            .filter(|(_, (r, _))| r.get(i).is_some_and(|c| c.2 == ra[i].2 && c.3 == ra[i].3))
            .map(|(reason, _)| *reason)
            .collect();
        cmp.changes.push(CaseChange {
            line: *line,
            group: group.to_string(),
            what: what.to_string(),
            verdicts: (short(va), short(&rb[i].2)),
            reasons,
        });
    }
    cmp
}
