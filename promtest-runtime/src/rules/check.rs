//! promtool's `check rules`: a rule file's syntax and semantic validation (the same as loading
//! it for a rule test) and the `duplicate-rules` lint, with promtool's texts.

use crate::model::Labels;

use super::file::{parse_rule_file, RuleGroup};

/// What `check rules` checks besides validity.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CheckOptions {
    /// The `duplicate-rules` lint (`--lint=duplicate-rules` or `all`, promtool's default).
    pub lint_duplicate_rules: bool,
    /// `--ignore-unknown-fields`.
    pub ignore_unknown_fields: bool,
    /// The release whose syntax the expressions are checked against (`--prometheus-version`).
    pub semantics: crate::semantics::Semantics,
}

/// The outcome of checking one rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckOutcome {
    /// Valid and lint-free: the number of rules.
    Valid {
        /// Rules in all groups.
        rules: usize,
    },
    /// Invalid: promtool's error lines, each prefixed with the file name.
    Invalid(Vec<String>),
    /// Valid, but a lint failed: promtool's text (`lint error N duplicate rule(s) found.…`).
    Lint(String),
}

/// Checks the rule file `name` whose contents are `src`, as promtool's `checkRules` does
/// (`None`: standard input, whose errors name no file).
pub fn check_rule_file(name: Option<&str>, src: &str, opts: &CheckOptions) -> CheckOutcome {
    let groups = match parse_rule_file(
        name.unwrap_or(""),
        src,
        opts.ignore_unknown_fields,
        &opts.semantics,
    ) {
        Ok(g) => g,
        Err(errors) if name.is_none() => {
            let unnamed = errors.iter().map(|e| e.strip_prefix(": ").unwrap_or(e));
            return CheckOutcome::Invalid(unnamed.map(str::to_string).collect());
        }
        Err(errors) => return CheckOutcome::Invalid(errors),
    };
    if opts.lint_duplicate_rules {
        let dups = duplicate_rules(&groups);
        if !dups.is_empty() {
            return CheckOutcome::Lint(duplicates_text(&dups));
        }
    }
    CheckOutcome::Valid {
        rules: groups.iter().map(|g| g.rules.len()).sum(),
    }
}

/// promtool's `checkDuplicates`: rules with the same name (record or alert) and the same labels
/// (the group's merged with the rule's), each reported once, sorted by name and labels.
pub fn duplicate_rules(groups: &[RuleGroup]) -> Vec<(String, Labels)> {
    let mut all: Vec<(&str, &Labels)> = groups
        .iter()
        .flat_map(|g| g.rules.iter().map(|r| (r.name.as_str(), &r.labels)))
        .collect();
    all.sort();
    let mut out: Vec<(String, Labels)> = Vec::new();
    for pair in all.windows(2) {
        if pair[0] == pair[1] {
            let (name, labels) = pair[1];
            if out
                .last()
                .is_none_or(|(n, l)| (n.as_str(), l) != (name, labels))
            {
                out.push((name.to_string(), labels.clone()));
            }
        }
    }
    out
}

/// The lint error promtool prints for `dups`.
fn duplicates_text(dups: &[(String, Labels)]) -> String {
    let mut s = format!("lint error {} duplicate rule(s) found.\n", dups.len());
    for (name, labels) in dups {
        s.push_str(&format!("Metric: {name}\nLabel(s):\n"));
        for l in labels.iter() {
            s.push_str(&format!("\t{}: {}\n", l.name, l.value));
        }
    }
    s.push_str("Might cause inconsistency while recording expressions");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint() -> CheckOptions {
        CheckOptions {
            lint_duplicate_rules: true,
            ..Default::default()
        }
    }

    #[test]
    fn counts_rules_of_a_valid_file() {
        let src = "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n  - alert: B\n    expr: up == 0\n";
        assert_eq!(
            check_rule_file(Some("r.yml"), src, &lint()),
            CheckOutcome::Valid { rules: 2 }
        );
    }

    #[test]
    fn duplicates_are_reported_once_with_their_labels() {
        let src = "groups:\n- name: g\n  labels: {team: x}\n  rules:\n  - record: a\n    expr: up\n  - record: a\n    expr: up\n  - record: a\n    expr: up\n- name: h\n  rules:\n  - record: a\n    expr: up\n";
        let CheckOutcome::Lint(text) = check_rule_file(Some("r.yml"), src, &lint()) else {
            panic!("no lint error")
        };
        assert_eq!(
            text,
            "lint error 1 duplicate rule(s) found.\nMetric: a\nLabel(s):\n\tteam: x\nMight cause inconsistency while recording expressions"
        );
        assert_eq!(
            check_rule_file(Some("r.yml"), src, &CheckOptions::default()),
            CheckOutcome::Valid { rules: 4 }
        );
        let bad = "groups:\n- name: g\n  rules:\n  - record: a\n";
        assert_eq!(
            check_rule_file(None, bad, &lint()),
            CheckOutcome::Invalid(vec![
                "0:0: group \"g\", rule 1, \"a\": field 'expr' must be set in rule".into()
            ])
        );
    }

    #[test]
    fn rule_errors_read_as_rulefmt_prints_them() {
        let src = "groups:\n- name: g\n  rules:\n  - record: 'a{b}'\n    expr: up\n  - alert: A\n    expr: up\n    labels:\n      sev: \"{{ nope }}\"\n    annotations:\n      s: \"{{ $x }}\"\n  - expr: up\n  - record: r\n    alert: q\n    expr: up\n";
        let CheckOutcome::Invalid(errors) = check_rule_file(Some("r.yml"), src, &lint()) else {
            panic!("valid")
        };
        assert_eq!(
            errors,
            [
                "r.yml: 4:13: group \"g\", rule 1, \"a{b}\": braces present in the recording rule name; should it be in expr?: a{b}",
                "r.yml: group \"g\", rule 2, \"A\": label \"sev\": template: __alert_A:1: function \"nope\" not defined",
                "r.yml: group \"g\", rule 2, \"A\": annotation \"s\": template: __alert_A:1: undefined variable \"$x\"",
                "r.yml: 0:0: 0:0: group \"g\", rule 3, \"\": one of 'record' or 'alert' must be set",
                "r.yml: 13:13: 14:12: group \"g\", rule 4, \"q\": only one of 'record' and 'alert' must be set",
            ]
        );
    }
}
