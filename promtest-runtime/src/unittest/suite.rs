//! A loaded rule-test file: the one driver behind `promtest test rules`, `promtest run` and
//! `#[promql_tests]`. Every check promtool makes on the file happens in [`Suite::parse`]; its
//! test groups are evaluated lazily, once each, and shared by every case of the group.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::rules::yaml;
use crate::rules::{parse_rule_file, RuleGroup};

use super::file::{is_rule_test, test_file, TestFile, TestGroup};
use super::{glob, run_group, GroupOutcome, RunOptions};

/// A rule-test file ready to be run group by group.
#[derive(Debug)]
pub struct Suite {
    /// The parsed file.
    file: TestFile,
    /// The rule files after globbing, as paths.
    rule_files: Vec<PathBuf>,
    /// Warnings printed before the result (patterns matching nothing, unordered groups).
    warnings: Vec<String>,
    /// promtool's error for the whole file, before any test group runs (a group named twice
    /// in `group_eval_order`): every group fails with it.
    file_error: Option<String>,
    opts: RunOptions,
    /// The rule groups in evaluation order, loaded on first use (promtool reloads them for
    /// every test group, always with the same result).
    groups: OnceLock<Result<Vec<RuleGroup>, Vec<String>>>,
    outcomes: Vec<OnceLock<GroupOutcome>>,
}

impl Suite {
    /// Reads the rule-test file at `path`; errors are promtool's texts.
    pub fn load(path: &Path, opts: RunOptions) -> Result<Suite, String> {
        let src = crate::read_input_file(path)
            .map_err(|e| format!("open {}: {}", path.display(), io_text(&e)))?;
        let root = yaml::parse(&src).map_err(|e| e.to_string())?;
        Suite::parse(path, root.as_ref(), opts)
    }

    /// `src`, the contents of the YAML file at `path`, as a rule test: `None` when it is not one
    /// (a rule file, or YAML that does not parse), else the suite or promtool's error.
    pub fn detect(path: &Path, src: &str, opts: RunOptions) -> Option<Result<Suite, String>> {
        match yaml::parse(src) {
            Ok(Some(root)) if is_rule_test(&root) => Some(Suite::parse(path, Some(&root), opts)),
            _ => None,
        }
    }

    /// The suite of a parsed rule-test document read from `path` (its rule-file globs resolve
    /// relative to the file's directory), with promtool's file-level checks.
    fn parse(path: &Path, root: Option<&yaml::Node>, opts: RunOptions) -> Result<Suite, String> {
        let file = test_file(root, &opts.semantics)?;
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
        let order = &file.group_eval_order;
        let file_error = order
            .iter()
            .enumerate()
            .find(|(i, n)| order[..*i].contains(n))
            .map(|(_, n)| format!("group name repeated in evaluation order: {n}"));
        let outcomes = (0..file.tests.len()).map(|_| OnceLock::new()).collect();
        let suite = Suite {
            file,
            rule_files,
            warnings,
            file_error,
            opts,
            groups: OnceLock::new(),
            outcomes,
        };
        Ok(suite.with_order_warnings())
    }

    /// Adds a warning for each rule group `group_eval_order` leaves out (it runs first).
    fn with_order_warnings(mut self) -> Self {
        if self.file_error.is_some() || self.file.group_eval_order.is_empty() {
            return self;
        }
        if let Ok(groups) = self.groups() {
            let unlisted: Vec<String> = groups
                .iter()
                .filter(|g| !self.file.group_eval_order.contains(&g.name))
                .map(|g| {
                    format!(
                        "  WARNING: rule group {:?} is not in group_eval_order; it is evaluated first, in file order",
                        g.name
                    )
                })
                .collect();
            self.warnings.extend(unlisted);
        }
        self
    }

    /// The test groups.
    pub fn tests(&self) -> &[TestGroup] {
        &self.file.tests
    }

    /// The rule files the suite loads, after globbing.
    pub fn rule_files(&self) -> &[PathBuf] {
        &self.rule_files
    }

    /// The options the suite runs with.
    pub fn options(&self) -> &RunOptions {
        &self.opts
    }

    /// Warnings promtool prints before the file's result.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The error that fails the whole file before any test group runs.
    pub fn file_error(&self) -> Option<&str> {
        self.file_error.as_deref()
    }

    /// The rule groups, ordered by `group_eval_order` (unlisted groups first, in file order, as
    /// they all rank 0 in promtool), or promtool's errors loading them.
    pub fn groups(&self) -> Result<&[RuleGroup], &[String]> {
        match self.groups.get_or_init(|| {
            load_groups(
                &self.rule_files,
                &self.file.group_eval_order,
                self.opts.ignore_unknown_fields,
                &self.opts.semantics,
            )
        }) {
            Ok(g) => Ok(g),
            Err(e) => Err(e),
        }
    }

    /// The outcome of test group `i`, evaluated on first use.
    pub fn outcome(&self, i: usize) -> &GroupOutcome {
        self.outcomes[i].get_or_init(|| {
            let tg = &self.file.tests[i];
            let failed = |errors: Vec<String>| GroupOutcome {
                errors,
                alerts: vec![None; tg.alert_rule_test.len()],
                exprs: vec![None; tg.promql_expr_test.len()],
                ..Default::default()
            };
            if let Some(e) = &self.file_error {
                return failed(vec![e.clone()]);
            }
            match self.groups() {
                Err(errors) => failed(errors.to_vec()),
                Ok(groups) => run_group(
                    tg,
                    groups,
                    self.file.evaluation_interval,
                    self.file.fuzzy_compare,
                    &self.opts,
                ),
            }
        })
    }
}

fn io_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        _ => e.to_string(),
    }
}

/// Loads the rule groups of `files` and orders them by `order` (unlisted groups first).
fn load_groups(
    files: &[PathBuf],
    order: &[String],
    ignore_unknown: bool,
    sem: &crate::semantics::Semantics,
) -> Result<Vec<RuleGroup>, Vec<String>> {
    let mut groups = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let src = crate::read_input_file(f)
            .map_err(|e| vec![format!("{name}: open {name}: {}", io_text(&e))])?;
        groups.extend(parse_rule_file(&name, &src, ignore_unknown, sem)?);
    }
    groups.sort_by_key(|g| order.iter().position(|n| n == &g.name).unwrap_or(0));
    Ok(groups)
}
