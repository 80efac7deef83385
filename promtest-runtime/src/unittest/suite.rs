//! A loaded rule-test file whose test groups are evaluated lazily, once each, and shared by
//! every case (alert or expression assertion) of the group.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{load_file, load_groups, run_group, GroupOutcome, LoadedFile, RunOptions};

/// A rule-test file ready to be run group by group.
#[derive(Debug)]
pub struct Suite {
    /// The test file on disk (rule files are resolved relative to it).
    pub path: PathBuf,
    /// The parsed file with its rule-file globs resolved.
    pub loaded: LoadedFile,
    opts: RunOptions,
    outcomes: Vec<OnceLock<GroupOutcome>>,
}

impl Suite {
    /// Reads `path`; errors are promtool's texts.
    pub fn load(path: &Path, opts: RunOptions) -> Result<Suite, String> {
        let loaded = load_file(path)?;
        let n = loaded.file.tests.len();
        Ok(Suite {
            path: path.to_path_buf(),
            loaded,
            opts,
            outcomes: (0..n).map(|_| OnceLock::new()).collect(),
        })
    }

    /// The outcome of test group `i`, evaluated on first use.
    pub fn outcome(&self, i: usize) -> &GroupOutcome {
        self.outcomes[i].get_or_init(|| {
            let f = &self.loaded.file;
            let tg = &f.tests[i];
            match load_groups(
                &self.loaded.rule_files,
                &f.group_eval_order,
                self.opts.ignore_unknown_fields,
            ) {
                Err(errors) => GroupOutcome {
                    errors,
                    alerts: vec![None; tg.alert_rule_test.len()],
                    exprs: vec![None; tg.promql_expr_test.len()],
                },
                Ok(groups) => run_group(
                    tg,
                    &groups,
                    f.evaluation_interval,
                    f.fuzzy_compare,
                    &self.opts,
                ),
            }
        })
    }

    /// Whether test group `i` has been evaluated.
    pub fn is_evaluated(&self, i: usize) -> bool {
        self.outcomes[i].get().is_some()
    }
}
