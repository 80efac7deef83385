//! Rule-test YAML (a document with a top-level `tests:`) turned into cases: one per alert
//! assertion (kind `alert`) and one per expression assertion (kind `expr`), each test group's
//! evaluation built once and shared.

use std::path::Path;
use std::sync::Arc;

use crate::rules::yaml::{self, NodeKind};
use crate::script::format_duration;
use crate::unittest::{RunOptions, Suite};

use super::failure::Failure;
use super::plan::{malformed, Case};

/// Whether `src` is a rule-test file: a YAML mapping with a top-level `tests` key. Rule files
/// (and anything unparsable) are not.
pub fn is_rule_test(src: &str) -> bool {
    match yaml::parse(src) {
        Ok(Some(n)) => match &n.kind {
            NodeKind::Map(entries) => entries.iter().any(|(k, _)| k.as_str() == Some("tests")),
            _ => false,
        },
        _ => false,
    }
}

/// Which assertion of a test group a case checks.
#[derive(Debug, Clone, Copy)]
pub enum RuleAssertion {
    /// `alert_rule_test[i]`.
    Alert(usize),
    /// `promql_expr_test[i]`.
    Expr(usize),
}

/// The part of a case that runs a rule-test assertion.
#[derive(Debug, Clone)]
pub struct RuleCase {
    /// The shared suite.
    pub suite: Arc<Suite>,
    /// The test group.
    pub group: usize,
    /// The assertion.
    pub what: RuleAssertion,
}

impl RuleCase {
    /// The trial kind.
    pub fn kind(&self) -> &'static str {
        match self.what {
            RuleAssertion::Alert(_) => "alert",
            RuleAssertion::Expr(_) => "expr",
        }
    }

    /// Runs the assertion: the group's evaluation (built once), then this case's result.
    pub fn run(&self, file: &str, line: usize) -> Result<(), Failure> {
        let out = self.suite.outcome(self.group);
        let res = match self.what {
            RuleAssertion::Alert(i) => &out.alerts[i],
            RuleAssertion::Expr(i) => &out.exprs[i],
        };
        let message = match res {
            Some(None) => return Ok(()),
            Some(Some(e)) => e.clone(),
            None if out.errors.is_empty() => "the assertion was not checked".to_string(),
            None => out.errors.join("\n"),
        };
        Err(Failure {
            file: file.to_string(),
            line,
            query: String::new(),
            when: String::new(),
            message: format!("rule test failed (as promtool reports it):\n{message}"),
            diff: None,
        })
    }
}

/// Plans the cases of the rule-test file `name` (read from `path` on disk, so its rule files
/// resolve relative to it).
pub fn plan_rule_test(name: &str, path: &Path) -> Vec<Case> {
    let suite = match Suite::load(path, RunOptions::default()) {
        Ok(s) => Arc::new(s),
        Err(e) => return vec![malformed(name, 1, e)],
    };
    let mut cases = Vec::new();
    for (g, tg) in suite.loaded.file.tests.iter().enumerate() {
        for (i, a) in tg.alert_rule_test.iter().enumerate() {
            cases.push(Case::rule(
                name,
                a.line,
                format!(
                    "{name}::L{}::alert {} at {}",
                    a.line,
                    a.alertname,
                    format_duration(a.eval_time)
                ),
                RuleCase {
                    suite: Arc::clone(&suite),
                    group: g,
                    what: RuleAssertion::Alert(i),
                },
            ));
        }
        for (i, e) in tg.promql_expr_test.iter().enumerate() {
            cases.push(Case::rule(
                name,
                e.line,
                format!(
                    "{name}::L{}::expr {} at {}",
                    e.line,
                    e.expr,
                    format_duration(e.eval_time)
                ),
                RuleCase {
                    suite: Arc::clone(&suite),
                    group: g,
                    what: RuleAssertion::Expr(i),
                },
            ));
        }
    }
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_rule_tests_from_rule_files() {
        assert!(is_rule_test("rule_files: [a.yml]\ntests: []\n"));
        assert!(!is_rule_test("groups:\n- name: g\n"));
        assert!(!is_rule_test("{{{"));
    }

    #[test]
    fn one_case_per_assertion_sharing_the_evaluation() {
        let d = std::env::temp_dir().join(format!("promtest-rulecases-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("r.yml"),
            "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x > 0\n",
        )
        .unwrap();
        let t = d.join("t.yml");
        std::fs::write(
            &t,
            "rule_files: [r.yml]\ntests:\n- input_series:\n  - series: x\n    values: 1 1\n  alert_rule_test:\n  - eval_time: 1m\n    alertname: A\n    exp_alerts: [{exp_labels: {}}]\n  promql_expr_test:\n  - expr: x\n    eval_time: 1m\n    exp_samples: [{labels: x, value: 2}]\n",
        )
        .unwrap();
        let cases = plan_rule_test("t.yml", &t);
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].name, "t.yml::L7::alert A at 1m");
        assert_eq!(cases[1].name, "t.yml::L11::expr x at 1m");
        assert!(cases[0].run().is_ok());
        let f = cases[1].run().unwrap_err();
        assert!(
            f.message.contains("exp: {__name__=\"x\"} 2E+00"),
            "{}",
            f.message
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
