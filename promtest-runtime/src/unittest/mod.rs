//! promtool rule unit tests (`promtool test rules`): the test-file format ([`file`]), running a
//! test group ([`run`]), and promtool's output texts ([`format`]).
//!
//! Differences from promtool, on purpose: an expected `NaN` matches a `NaN` result (promtool's
//! comparison can never match NaN, prometheus#9757); rule groups not named in
//! `group_eval_order` run in file order (promtool's order for them is unspecified).

pub mod compare;
pub mod coverage;
pub mod evaluation;
pub mod file;
pub mod format;
pub mod glob;
pub mod jsondiff;
mod record_run;
pub mod run;
pub mod sample_bound;
pub mod suite;
pub mod time;
pub mod update;
pub mod warnings;

use std::path::Path;

use crate::promql::engine::EngineOptions;
use crate::semantics::Semantics;

pub use run::{run_group, GroupOutcome};
pub use suite::Suite;

/// promtool's `test rules` options (the defaults are promtool's: every flag off).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RunOptions {
    /// Whether the `@` modifier is allowed (promtool: yes).
    pub enable_at_modifier: bool,
    /// Whether negative offsets are allowed (promtool: yes).
    pub enable_negative_offset: bool,
    /// Unknown fields in rule files are ignored.
    pub ignore_unknown_fields: bool,
    /// Only test groups whose name matches run.
    pub run: Option<regex::Regex>,
    /// `--debug`: report when each test group starts and how long it took.
    pub debug: bool,
    /// Evaluate every rule at each tick in turn, as promtool does, even where evaluating rule by
    /// rule gives the same results faster; for cross-checking the two.
    pub tick_by_tick: bool,
    /// `--diff`: a failing alert case shows a coloured JSON difference of expected and received
    /// alerts instead of the two lists.
    pub diff: bool,
    /// `--enable-feature=promql-delayed-name-removal` (off in promtool by default, unlike the
    /// promqltest engine): `__name__` is dropped at the end of evaluation, not by each operation.
    pub delayed_name_removal: bool,
    /// How many of a file's test groups are evaluated at once, on as many threads (1: one
    /// after another, the default). Reports and their order do not depend on it.
    pub group_jobs: usize,
    /// The Prometheus release whose PromQL and promtool to follow (default: latest).
    pub semantics: Semantics,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            enable_at_modifier: true,
            enable_negative_offset: true,
            ignore_unknown_fields: false,
            run: None,
            debug: false,
            tick_by_tick: false,
            diff: false,
            delayed_name_removal: false,
            group_jobs: 1,
            semantics: Semantics::default(),
        }
    }
}

/// The engine settings of promtool's lazy loader: subqueries default to the evaluation interval.
pub fn engine_options_for(opts: &RunOptions, eval_interval: i64) -> EngineOptions {
    EngineOptions {
        enable_at_modifier: opts.enable_at_modifier,
        enable_negative_offset: opts.enable_negative_offset,
        default_subquery_step: eval_interval,
        delayed_name_removal: opts.delayed_name_removal,
        semantics: opts.semantics,
        ..EngineOptions::default()
    }
}

/// The result of one test file: errors in promtool's order (empty = success) and warnings.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct FileReport {
    /// promtool's error texts.
    pub errors: Vec<String>,
    /// Warnings printed before the result: promtool's (a `rule_files` pattern matching nothing)
    /// and promtest's (groups left out of `group_eval_order`, input series nothing reads,
    /// annotations raised by rules' queries).
    pub warnings: Vec<String>,
    /// Per test group that ran: its name (or `unnamed#i`) and errors.
    pub groups: Vec<(String, Vec<String>)>,
    /// `--debug` lines (promtool's `DEBUG: Starting test …` / `DEBUG: Test … finished, took …`).
    pub debug: Vec<String>,
}

/// A test group that ran, as [`run_file_observed`] reports it right after running it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GroupRun {
    /// Its name (`unnamed#i` when it has none).
    pub name: String,
    /// The line of the test group in its file.
    pub line: usize,
    /// How long its evaluation and checks took.
    pub took: std::time::Duration,
    /// The failing assertions: line and what they assert (`alert X at 5m`, `expr up at 1m`).
    pub failed: Vec<(usize, String)>,
    /// promtool's errors for the group.
    pub errors: usize,
}

/// Runs every selected test group of a test file, as promtool's `ruleUnitTest`: the CLI's
/// presentation (`--run`, `--debug`, the per-group report) over the one driver (`Suite`).
pub fn run_file(path: &Path, opts: &RunOptions) -> FileReport {
    run_file_observed(path, opts, &mut |_| {})
}

/// [`run_file`], calling `observe` after each test group has run (for `--verbose`).
pub fn run_file_observed(
    path: &Path,
    opts: &RunOptions,
    observe: &mut dyn FnMut(&GroupRun),
) -> FileReport {
    let mut report = FileReport::default();
    let suite = match Suite::load(path, opts.clone()) {
        Ok(s) => s,
        Err(e) => {
            report.errors.push(e);
            return report;
        }
    };
    report.warnings = suite.warnings().to_vec();
    if let Some(e) = suite.file_error() {
        report.errors.push(e.to_string());
        return report;
    }
    let selected: Vec<usize> = (0..suite.tests().len())
        .filter(|&i| {
            opts.run
                .as_ref()
                .is_none_or(|re| re.is_match(&suite.tests()[i].name))
        })
        .collect();
    let ahead = evaluate_ahead(&suite, &selected, opts.group_jobs);
    for &i in &selected {
        let tg = &suite.tests()[i];
        let name = if tg.name.is_empty() {
            format!("unnamed#{i}")
        } else {
            tg.name.clone()
        };
        if opts.debug {
            report.debug.push(format!("DEBUG: Starting test {name}"));
        }
        let started = std::time::Instant::now();
        let outcome = suite.outcome(i);
        let errs = outcome.errors.clone();
        for w in &outcome.warnings {
            if !report.warnings.contains(w) {
                report.warnings.push(w.clone());
            }
        }
        let took = ahead.get(&i).copied().unwrap_or_else(|| started.elapsed());
        if opts.debug {
            report
                .debug
                .push(format!("DEBUG: Test {name} finished, took {took:?}"));
        }
        let mut failed = Vec::new();
        for (a, r) in tg.alert_rule_test.iter().zip(&outcome.alerts) {
            if !matches!(r, Some(None)) {
                let at = crate::literals::format_duration(a.eval_time);
                failed.push((a.line, format!("alert {} at {at}", a.alertname)));
            }
        }
        for (e, r) in tg.promql_expr_test.iter().zip(&outcome.exprs) {
            if !matches!(r, Some(None)) {
                let at = crate::literals::format_duration(e.eval_time);
                failed.push((e.line, format!("expr {} at {at}", e.expr)));
            }
        }
        observe(&GroupRun {
            name: name.clone(),
            line: tg.line,
            took,
            failed,
            errors: errs.len(),
        });
        report.errors.extend(errs.iter().cloned());
        report.groups.push((name, errs));
    }
    report
}

/// Evaluates the test groups `selected` of `suite` on `jobs` threads (nothing when `jobs` is
/// 1 or there is a single group), so that the report loop finds their outcomes ready; returns
/// how long each took.
fn evaluate_ahead(
    suite: &Suite,
    selected: &[usize],
    jobs: usize,
) -> std::collections::HashMap<usize, std::time::Duration> {
    let jobs = jobs.min(selected.len());
    if jobs <= 1 {
        return Default::default();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let took = std::sync::Mutex::new(std::collections::HashMap::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&i) = selected.get(k) else { break };
                let started = std::time::Instant::now();
                // A group that panics is left to the report loop, which evaluates it again on
                // the caller's thread, so that the panic is the caller's as in a serial run.
                let evaluated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    suite.outcome(i);
                }));
                if evaluated.is_err() {
                    continue;
                }
                let t = started.elapsed();
                took.lock().unwrap_or_else(|e| e.into_inner()).insert(i, t);
            });
        }
    });
    took.into_inner().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod evaluation_orders_tests;
#[cfg(test)]
mod tests;
