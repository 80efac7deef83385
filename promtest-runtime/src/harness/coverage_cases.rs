//! Rule coverage for `#[promql_tests]` and `promtest run`: one ignored trial (kind
//! `coverage`) per rule that the directory's rule tests leave untested, named
//! `<rule file>::L<line>::coverage <kind> <name>: <status>`. `cargo test` lists them as
//! ignored; `cargo test -- --ignored coverage` fails on each, saying why.

use std::path::Path;
use std::sync::Arc;

use crate::unittest::coverage::{Coverage, Status};
use crate::unittest::Suite;

use super::plan::Case;
use super::source::relative_name;

/// The coverage cases of the rule-test assertions among `cases` (files named relative to
/// `base`, when given).
pub fn coverage_cases(base: Option<&Path>, cases: &[Case]) -> Vec<Case> {
    let mut suites: Vec<(&str, &Arc<Suite>)> = Vec::new();
    for c in cases {
        if let Some(s) = c.rule_suite() {
            if !suites.iter().any(|(_, t)| Arc::ptr_eq(t, s)) {
                suites.push((&c.file, s));
            }
        }
    }
    if suites.is_empty() {
        return Vec::new();
    }
    let pairs: Vec<(&str, &Suite)> = suites.iter().map(|(f, s)| (*f, s.as_ref())).collect();
    let coverage = Coverage::of(&pairs);
    let mut out = Vec::new();
    for f in &coverage.files {
        let file = match base {
            Some(b) => relative_name(b, Path::new(&f.file)),
            None => f.file.clone(),
        };
        for r in f.rules.iter().filter(|r| !r.status.is_tested()) {
            let status = match r.status {
                Status::NoAlertOnly => "only in \"no alert\" cases",
                _ => "untested",
            };
            let why = match r.status {
                Status::NoAlertOnly => "no alert_rule_test expects it to fire",
                _ if r.kind == "alert" => "no alert_rule_test names it",
                _ => "no promql_expr_test reads it, and no tested rule does",
            };
            out.push(Case::uncovered(
                &file,
                r.line,
                format!(
                    "{file}::L{}::coverage {} {}: {status}",
                    r.line, r.kind, r.name
                ),
                format!(
                    "rule coverage: {} rule {} (group {}) is not tested: {why}",
                    if r.kind == "alert" {
                        "alerting"
                    } else {
                        "recording"
                    },
                    r.name,
                    r.group
                ),
            ));
        }
    }
    out
}
