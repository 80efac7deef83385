//! Warnings promtest adds to promtool's own (`  WARNING: no file match pattern …`), printed the
//! same way and failing the run under `--warn-as-error`: an annotation a rule's query raised
//! (Prometheus's rules drop them silently), and an input series that no rule and no expression
//! test of its group reads.

use crate::literals::go_quote;
use crate::model::{Labels, Matcher};
use crate::promql::ast::Expr;
use crate::promql::parser::parse_expr;
use crate::rules::{GroupState, RuleGroup};
use crate::script::parse_series;

use super::file::TestGroup;

/// How a test group is named in warnings.
fn group_name(tg: &TestGroup) -> String {
    if tg.name.is_empty() {
        format!("the test group at line {}", tg.line)
    } else {
        format!("test group {}", go_quote(&tg.name))
    }
}

/// One warning per distinct annotation a rule's evaluation raised.
pub fn evaluation_warnings(states: &[GroupState]) -> Vec<String> {
    let mut out = Vec::new();
    for g in states {
        for (rule, notes) in g.group.rules.iter().zip(&g.annotations) {
            for n in notes {
                out.push(format!(
                    "  WARNING: rule {} in group {}: {n}",
                    go_quote(&rule.name),
                    go_quote(&g.group.name)
                ));
            }
        }
    }
    out
}

/// Whether some selector's matchers all match `labels`.
fn read_by(selectors: &[&[Matcher]], labels: &Labels) -> bool {
    selectors.iter().any(|ms| {
        ms.iter()
            .all(|m| m.matches(labels.get(&m.name).unwrap_or("")))
    })
}

/// One warning per input series of `tg` that no selector of the rules or of the group's
/// expression tests can read. Nothing is said when a query's reach is unknown: an alert
/// template running `query`, or `info()`.
pub fn unused_inputs(tg: &TestGroup, groups: &[RuleGroup]) -> Vec<String> {
    let rules = groups.iter().flat_map(|g| &g.rules);
    let templates_query = rules
        .clone()
        .flat_map(|r| r.labels.iter().chain(r.annotations.iter()))
        .any(|l| l.value.contains("query"));
    if templates_query {
        return Vec::new();
    }
    let tests: Vec<Expr> = tg
        .promql_expr_test
        .iter()
        .filter_map(|c| parse_expr(&c.expr).ok())
        .collect();
    let mut selectors: Vec<&[Matcher]> = Vec::new();
    let mut unknown = false;
    for e in rules.map(|r| &r.expr).chain(&tests) {
        e.walk(&mut |x| match x {
            Expr::VectorSelector(v) => selectors.push(&v.matchers),
            Expr::Call(c) if c.func.name == "info" => unknown = true,
            _ => {}
        });
    }
    if unknown {
        return Vec::new();
    }
    tg.input_series
        .iter()
        .filter_map(|s| {
            let (labels, _) = parse_series(s.series.trim()).ok()?;
            (!read_by(&selectors, &labels)).then(|| {
                format!(
                    "  WARNING: input series {} of {} is read by no rule and no test",
                    s.series.trim(),
                    group_name(tg)
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::parse_rule_file;
    use crate::unittest::file::parse_test_file;

    #[test]
    fn input_series_nothing_reads() {
        let groups = parse_rule_file(
            "r.yml",
            "groups:\n- name: g\n  rules:\n  - record: a\n    expr: sum(x{job=\"j\"})\n",
            false,
            &crate::semantics::Semantics::default(),
        )
        .unwrap();
        let f = parse_test_file(
            "tests:\n- name: t\n  input_series:\n  - {series: 'x{job=\"j\"}', values: '1'}\n  - {series: 'x{job=\"k\"}', values: '1'}\n  - {series: 'y', values: '1'}\n  - {series: 'z', values: '1'}\n  promql_expr_test:\n  - {expr: 'z + 1', eval_time: 0}\n",
        )
        .unwrap();
        assert_eq!(
            unused_inputs(&f.tests[0], &groups),
            [
                "  WARNING: input series x{job=\"k\"} of test group \"t\" is read by no rule and no test",
                "  WARNING: input series y of test group \"t\" is read by no rule and no test",
            ]
        );
    }
}
