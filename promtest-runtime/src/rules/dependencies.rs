//! Which rules read what other rules write. This decides whether a test group's rules may be
//! evaluated rule by rule across all ticks (each rule's expression as one range query) instead
//! of all rules at each tick, which is how promtool evaluates them: the two orders give the same
//! samples when no rule reads a series that it or a later rule writes, and no query looks past
//! its evaluation time.

use crate::model::Matcher;
use crate::promql::ast::{AtModifier, Duration, Expr};

use super::file::{RuleGroup, RuleKind};

/// The metric names alerting rules write.
pub const ALERT_SERIES: [&str; 2] = ["ALERTS", "ALERTS_FOR_STATE"];

/// Whether evaluating the rules of `groups` (in evaluation order) one rule at a time over every
/// tick gives the same results as evaluating every rule at each tick in turn. It does when:
/// - every rule reads only input series and series written by rules before it (in group order,
///   then rule order) — never its own output nor a later rule's, which tick by tick it would
///   see one tick late;
/// - no expression looks past its evaluation time (`@`, negative or computed offsets), so the
///   samples a rule writes at later ticks stay out of sight;
/// - no alert template runs `query` (a template query at a tick would see later rules' outputs
///   of earlier ticks tick by tick, but not rule by rule);
/// - no recording rule sets `__name__` through its labels (its written name would be unknown).
pub fn rule_by_rule_safe(groups: &[RuleGroup]) -> bool {
    let rules: Vec<_> = groups.iter().flat_map(|g| &g.rules).collect();
    let writes: Vec<Vec<&str>> = rules
        .iter()
        .map(|r| match r.kind {
            RuleKind::Record => vec![r.name.as_str()],
            RuleKind::Alert => ALERT_SERIES.to_vec(),
        })
        .collect();
    for (i, rule) in rules.iter().enumerate() {
        if rule.kind == RuleKind::Record && rule.labels.has("__name__") {
            return false;
        }
        if rule.kind == RuleKind::Alert
            && rule
                .labels
                .iter()
                .chain(rule.annotations.iter())
                .any(|l| l.value.contains("query"))
        {
            return false;
        }
        if looks_ahead(&rule.expr) {
            return false;
        }
        let later = &writes[i..];
        let mut safe = true;
        rule.expr.walk(&mut |e| match e {
            Expr::VectorSelector(v)
                if later
                    .iter()
                    .flatten()
                    .any(|name| may_select(&v.matchers, name)) =>
            {
                safe = false
            }
            // `info` reads info series by its own matchers; assume it may read anything.
            Expr::Call(c) if c.func.name == "info" && !later.is_empty() => safe = false,
            _ => {}
        });
        if !safe {
            return false;
        }
    }
    true
}

/// Whether a selector with `matchers` may select series named `name`.
pub fn may_select(matchers: &[Matcher], name: &str) -> bool {
    matchers
        .iter()
        .filter(|m| m.name == "__name__")
        .all(|m| m.matches(name))
}

/// Whether `expr` may read samples after its evaluation time: an `@` modifier, or an offset
/// that is negative or computed.
fn looks_ahead(expr: &Expr) -> bool {
    let mut ahead = false;
    let mut check = |at: &Option<AtModifier>, offset: &Option<Duration>| {
        ahead |= at.is_some()
            || offset
                .as_ref()
                .is_some_and(|o| o.fixed().is_none_or(|ms| ms < 0));
    };
    expr.walk_time_modifiers(&mut check);
    ahead
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::file::parse_rule_file;

    fn groups(yaml: &str) -> Vec<RuleGroup> {
        parse_rule_file(
            "rules.yml",
            yaml,
            false,
            &crate::semantics::Semantics::default(),
        )
        .expect("rule file parses")
    }

    #[test]
    fn rules_reading_only_earlier_outputs_are_safe() {
        let g = groups(
            "groups:\n- name: a\n  rules:\n  - record: x:rate\n    expr: rate(x[5m])\n\
             - name: b\n  rules:\n  - alert: High\n    expr: x:rate > 1\n    for: 5m\n    \
             annotations:\n      summary: '{{ $value }}'\n  - record: y\n    expr: count(ALERTS)\n",
        );
        assert!(rule_by_rule_safe(&g));
    }

    #[test]
    fn reading_own_or_later_output_is_not_safe() {
        let own =
            groups("groups:\n- name: a\n  rules:\n  - record: x\n    expr: x offset 1m + 1\n");
        assert!(!rule_by_rule_safe(&own));
        let later = groups(
            "groups:\n- name: a\n  rules:\n  - record: y\n    expr: z\n  - record: z\n    expr: up\n",
        );
        assert!(!rule_by_rule_safe(&later));
        let regex = groups(
            "groups:\n- name: a\n  rules:\n  - record: y\n    expr: '{__name__=~\"z|w\"}'\n  \
             - record: z\n    expr: up\n",
        );
        assert!(!rule_by_rule_safe(&regex));
        let alerts =
            groups("groups:\n- name: a\n  rules:\n  - alert: A\n    expr: absent(ALERTS)\n");
        assert!(!rule_by_rule_safe(&alerts));
    }

    #[test]
    fn look_ahead_and_template_queries_are_not_safe() {
        for expr in [
            "up @ 100",
            "up offset -1m",
            "max_over_time(up[5m:1m] @ end())",
        ] {
            let g = groups(&format!(
                "groups:\n- name: a\n  rules:\n  - record: x\n    expr: '{expr}'\n"
            ));
            assert!(!rule_by_rule_safe(&g), "{expr}");
        }
        let q = groups(
            "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up == 0\n    annotations:\n      \
             n: '{{ query \"up\" | len }}'\n",
        );
        assert!(!rule_by_rule_safe(&q));
    }
}
