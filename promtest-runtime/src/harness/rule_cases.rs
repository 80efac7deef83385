//! Rule-test YAML (a document with a top-level `tests:`) turned into cases: one per alert
//! assertion (kind `alert`) and one per expression assertion (kind `expr`), each test group's
//! evaluation built once and shared. A test group without assertions is one case (kind
//! `group`), so that a group promtool fails fails a trial too.

use std::path::Path;
use std::sync::Arc;

use crate::literals::format_duration;
use crate::semantics::Semantics;
use crate::unittest::{RunOptions, Suite};

use super::failure::{Failure, FailureKind};
use super::plan::{malformed, Case};
use crate::error::{ErrorKind, Location};

/// Which assertion of a test group a case checks.
#[derive(Debug, Clone, Copy)]
pub enum RuleAssertion {
    /// `alert_rule_test[i]`.
    Alert(usize),
    /// `promql_expr_test[i]`.
    Expr(usize),
    /// The whole group (it has no assertions): fails when promtool fails it.
    Group,
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
            RuleAssertion::Group => "group",
        }
    }

    /// Runs the assertion: the group's evaluation (built once), then this case's result.
    pub fn run(&self, loc: Location) -> Result<(), Failure> {
        let out = self.suite.outcome(self.group);
        let res = match self.what {
            RuleAssertion::Alert(i) => &out.alerts[i],
            RuleAssertion::Expr(i) => &out.exprs[i],
            RuleAssertion::Group => &Some(None),
        };
        let message = match res {
            // promtool fails a group on errors no assertion reports: then so does every trial
            // of it, else the trials would pass a file promtool fails.
            Some(None) => match out.unreported_errors() {
                None => return Ok(()),
                Some(errs) => errs.join("\n"),
            },
            Some(Some(e)) => e.clone(),
            None if out.errors.is_empty() => "the assertion was not checked".to_string(),
            None => out.errors.join("\n"),
        };
        let tg = &self.suite.tests()[self.group];
        let group = if tg.name.is_empty() {
            format!("unnamed#{} (line {})", self.group, tg.line)
        } else {
            format!("{:?} (line {})", tg.name, tg.line)
        };
        Err(FailureKind::mismatch(format!(
            "rule test failed in test group {group} (as promtool reports it):\n{message}"
        ))
        .at(loc))
    }
}

/// Plans the cases of the rule-test file `name` whose contents are `src` (`path` is where it is
/// on disk: its rule files resolve relative to it). `None` when `src` is no rule test (a rule
/// file). A file promtool rejects as a whole is one failing case.
pub fn plan_rule_test(
    name: &str,
    path: &Path,
    src: &str,
    semantics: Semantics,
) -> Option<Vec<Case>> {
    let opts = RunOptions {
        semantics,
        ..RunOptions::default()
    };
    let suite = match Suite::detect(path, src, opts)? {
        Ok(s) => Arc::new(s),
        Err(e) => return Some(vec![malformed(name, 1, ErrorKind::test_file(e))]),
    };
    if let Some(e) = suite.file_error() {
        return Some(vec![malformed(name, 1, ErrorKind::test_file(e))]);
    }
    let mut cases = Vec::new();
    for (g, tg) in suite.tests().iter().enumerate() {
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
        if tg.alert_rule_test.is_empty() && tg.promql_expr_test.is_empty() {
            let group = if tg.name.is_empty() {
                format!("unnamed#{g}")
            } else {
                tg.name.clone()
            };
            cases.push(Case::rule(
                name,
                tg.line,
                format!("{name}::L{}::test group {group}", tg.line),
                RuleCase {
                    suite: Arc::clone(&suite),
                    group: g,
                    what: RuleAssertion::Group,
                },
            ));
        }
    }
    Some(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_rule_tests_from_rule_files() {
        let plan =
            |src: &str| plan_rule_test("t.yml", Path::new("t.yml"), src, Semantics::default());
        assert_eq!(
            plan("rule_files: []\ntests: []\n").map(|c| c.len()),
            Some(0)
        );
        assert!(plan("groups:\n- name: g\n").is_none());
        assert!(plan("{{{").is_none());
    }

    #[test]
    fn a_group_without_assertions_is_one_case_failing_as_promtool() {
        let src = "tests:\n- input_series:\n  - series: 'up{a=\"1\"'\n    values: '1'\n";
        let cases = plan_rule_test("t.yml", Path::new("t.yml"), src, Semantics::default()).unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].name, "t.yml::L2::test group unnamed#0");
        let f = cases[0].run().unwrap_err();
        assert!(
            f.message()
                .ends_with("1:10: parse error: unexpected character inside braces: '1'"),
            "{}",
            f.message()
        );
    }

    #[test]
    fn a_group_repeated_in_eval_order_fails_the_file() {
        let src = "group_eval_order: [g1, g1]\ntests:\n- promql_expr_test:\n  - expr: '1'\n    eval_time: 0\n    exp_samples: [{value: 1}]\n";
        let cases = plan_rule_test("t.yml", Path::new("t.yml"), src, Semantics::default()).unwrap();
        assert_eq!(cases.len(), 1);
        let f = cases[0].run().unwrap_err();
        assert_eq!(f.message(), "group name repeated in evaluation order: g1");
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
        let src = std::fs::read_to_string(&t).unwrap();
        let cases = plan_rule_test("t.yml", &t, &src, Semantics::default()).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].name, "t.yml::L7::alert A at 1m");
        assert_eq!(cases[1].name, "t.yml::L11::expr x at 1m");
        assert!(cases[0].run().is_ok());
        let f = cases[1].run().unwrap_err();
        assert!(
            f.message().contains("exp: {__name__=\"x\"} 2E+00"),
            "{}",
            f.message()
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
