//! promtool rule unit tests (`promtool test rules`): the test-file format ([`file`]), running a
//! test group ([`run`]), and promtool's output texts ([`format`]).
//!
//! Differences from promtool, on purpose: an expected `NaN` matches a `NaN` result (promtool's
//! comparison can never match NaN, prometheus#9757); rule groups not named in
//! `group_eval_order` run in file order (promtool's order for them is unspecified).

pub mod evaluation;
pub mod file;
pub mod format;
pub mod glob;
pub mod jsondiff;
pub mod run;
pub mod sample_bound;
pub mod suite;
pub mod time;

use std::path::{Path, PathBuf};

use crate::promql::engine::EngineOptions;
use crate::rules::{parse_rule_file, RuleGroup};

pub use file::{parse_test_file, AlertCase, ExprCase, TestFile, TestGroup};
pub use run::{run_group, GroupOutcome};
pub use suite::Suite;

/// promtool's `test rules` options.
#[derive(Debug, Clone)]
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
    /// rule gives the same results faster (see [`evaluation`]); for cross-checking the two.
    pub tick_by_tick: bool,
    /// `--diff`: a failing alert case shows a coloured JSON difference of expected and received
    /// alerts instead of the two lists.
    pub diff: bool,
    /// `--enable-feature=promql-delayed-name-removal` (off in promtool by default, unlike the
    /// promqltest engine): `__name__` is dropped at the end of evaluation, not by each operation.
    pub delayed_name_removal: bool,
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
        ..EngineOptions::default()
    }
}

/// A test file with its rule groups loaded, ready to run test groups.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The parsed test file.
    pub file: TestFile,
    /// The rule files after globbing, as paths.
    pub rule_files: Vec<PathBuf>,
    /// Warnings (patterns matching nothing, unordered groups).
    pub warnings: Vec<String>,
}

/// The result of one test file: errors in promtool's order (empty = success) and warnings.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// promtool's error texts.
    pub errors: Vec<String>,
    /// Warnings printed before the result.
    pub warnings: Vec<String>,
    /// Per test group that ran: its name (or `unnamed#i`) and errors.
    pub groups: Vec<(String, Vec<String>)>,
    /// `--debug` lines (promtool's `DEBUG: Starting test …` / `DEBUG: Test … finished, took …`).
    pub debug: Vec<String>,
}

/// Reads a test file and resolves its rule-file globs relative to its directory.
pub fn load_file(path: &Path) -> Result<LoadedFile, String> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| format!("open {}: {}", path.display(), io_text(&e)))?;
    let file = parse_test_file(&src)?;
    let base = path.parent().unwrap_or(Path::new(""));
    let mut rule_files = Vec::new();
    let mut warnings = Vec::new();
    for pat in &file.rule_files {
        let full = if pat.is_empty() || Path::new(pat).is_absolute() {
            PathBuf::from(pat)
        } else {
            glob::join(base, pat)
        };
        let matches = glob::glob(&full)?;
        if matches.is_empty() {
            warnings.push(format!(
                "  WARNING: no file match pattern {}",
                full.display()
            ));
        }
        rule_files.extend(matches);
    }
    Ok(LoadedFile {
        file,
        rule_files,
        warnings,
    })
}

fn io_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        _ => e.to_string(),
    }
}

/// Loads the rule groups of `files` and orders them by `order` (unlisted groups first, in file
/// order, as they all rank 0 in promtool).
pub fn load_groups(
    files: &[PathBuf],
    order: &[String],
    ignore_unknown: bool,
) -> Result<Vec<RuleGroup>, Vec<String>> {
    let mut groups = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let src = std::fs::read_to_string(f)
            .map_err(|e| vec![format!("{name}: open {name}: {}", io_text(&e))])?;
        groups.extend(parse_rule_file(&name, &src, ignore_unknown)?);
    }
    groups.sort_by_key(|g| order.iter().position(|n| n == &g.name).unwrap_or(0));
    Ok(groups)
}

/// Runs every selected test group of a test file, as promtool's `ruleUnitTest`.
pub fn run_file(path: &Path, opts: &RunOptions) -> FileReport {
    let mut report = FileReport::default();
    let loaded = match load_file(path) {
        Ok(l) => l,
        Err(e) => {
            report.errors.push(e);
            return report;
        }
    };
    report.warnings = loaded.warnings.clone();
    let f = &loaded.file;
    for (i, n) in f.group_eval_order.iter().enumerate() {
        if f.group_eval_order[..i].contains(n) {
            report
                .errors
                .push(format!("group name repeated in evaluation order: {n}"));
            return report;
        }
    }
    if !f.group_eval_order.is_empty() {
        if let Ok(groups) = load_groups(&loaded.rule_files, &[], opts.ignore_unknown_fields) {
            for g in groups {
                if !f.group_eval_order.contains(&g.name) {
                    report.warnings.push(format!(
                        "  WARNING: rule group {:?} is not in group_eval_order; it is evaluated first, in file order",
                        g.name
                    ));
                }
            }
        }
    }
    for (i, tg) in f.tests.iter().enumerate() {
        if let Some(re) = &opts.run {
            if !re.is_match(&tg.name) {
                continue;
            }
        }
        let name = if tg.name.is_empty() {
            format!("unnamed#{i}")
        } else {
            tg.name.clone()
        };
        if opts.debug {
            report.debug.push(format!("DEBUG: Starting test {name}"));
        }
        let started = std::time::Instant::now();
        let errs = match load_groups(
            &loaded.rule_files,
            &f.group_eval_order,
            opts.ignore_unknown_fields,
        ) {
            Err(e) => e,
            Ok(groups) => {
                run_group(tg, &groups, f.evaluation_interval, f.fuzzy_compare, opts).errors
            }
        };
        if opts.debug {
            report.debug.push(format!(
                "DEBUG: Test {name} finished, took {:?}",
                started.elapsed()
            ));
        }
        report.errors.extend(errs.iter().cloned());
        report.groups.push((name, errs));
    }
    report
}

#[cfg(test)]
mod tests;
