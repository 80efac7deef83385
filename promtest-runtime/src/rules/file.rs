//! Rule files: groups of recording and alerting rules, parsed strictly and validated with
//! promtool's wording (`file: line:col: group "g", rule 1, "name": …`).

use crate::literals::go_quote;
use crate::literals::parse_duration;
use crate::model::labels::{is_legacy_label_name, is_legacy_metric_name};
use crate::model::Labels;
use crate::promql::ast::Expr;
use crate::semantics::{parse_for, Semantics};
use crate::template::parse_alert_template;

use super::yaml::{self, unmarshal_errors, Node};

/// One rule group of a rule file.
#[derive(Debug, Clone)]
pub struct RuleGroup {
    /// The group's name.
    pub name: String,
    /// How far back the group's queries are evaluated (ms), when set.
    pub query_offset: Option<i64>,
    /// Most series (recording) or alerts (alerting) a rule may produce; 0 = no limit.
    pub limit: usize,
    /// The rules, in file order.
    pub rules: Vec<RuleDef>,
}

/// Whether a rule records or alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    /// `record: name`.
    Record,
    /// `alert: name`.
    Alert,
}

/// One rule as written (group labels already merged into `labels`).
#[derive(Debug, Clone)]
pub struct RuleDef {
    /// 1-based line of the rule's entry in its file.
    pub line: usize,
    /// Recording or alerting.
    pub kind: RuleKind,
    /// The recorded metric or the alert's name.
    pub name: String,
    /// The parsed expression.
    pub expr: Expr,
    /// `for` (ms).
    pub hold: i64,
    /// `keep_firing_for` (ms).
    pub keep_firing_for: i64,
    /// Labels: the group's, then the rule's (which win).
    pub labels: Labels,
    /// Annotations (alerting rules), in name order.
    pub annotations: Labels,
}

const GROUP_FIELDS: &[&str] = &[
    "name",
    "interval",
    "query_offset",
    "limit",
    "rules",
    "labels",
];
const RULE_FIELDS: &[&str] = &[
    "record",
    "alert",
    "expr",
    "for",
    "keep_firing_for",
    "labels",
    "annotations",
];

/// Parses and validates a rule file. Errors are promtool's texts, each prefixed with `file`.
/// Expressions are parsed as the release of `sem` parses them (its functions, syntax and
/// regex compilation), as that release's promtool loads the file.
pub fn parse_rule_file(
    file: &str,
    src: &str,
    ignore_unknown: bool,
    sem: &Semantics,
) -> Result<Vec<RuleGroup>, Vec<String>> {
    let wrap = |errs: Vec<String>| errs.into_iter().map(|e| format!("{file}: {e}")).collect();
    let root = match yaml::parse(src) {
        Ok(Some(n)) => n,
        Ok(None) => return Ok(Vec::new()),
        Err(e) => return Err(wrap(vec![e.to_string()])),
    };
    let top = root
        .fields("rulefmt.RuleGroups", &["groups"], ignore_unknown)
        .map_err(|e| wrap(vec![unmarshal_errors(&e)]))?;
    let mut groups = Vec::new();
    let mut errs = Vec::new();
    let mut field_errs = Vec::new();
    let items = match top.get("groups").map(|n| n.seq("[]rulefmt.RuleGroup")) {
        None => &[][..],
        Some(Ok(items)) => items,
        Some(Err(e)) => return Err(wrap(vec![unmarshal_errors(&[e])])),
    };
    let mut seen = std::collections::HashSet::new();
    for g in items {
        match parse_group(g, ignore_unknown, sem, &mut field_errs) {
            Some((group, mut verrs)) => {
                if group.name.is_empty() {
                    errs.push(format!("{}:{}: Groupname must not be empty", g.line, g.col));
                } else if !seen.insert(group.name.clone()) {
                    errs.push(format!(
                        "{}:{}: groupname: \"{}\" is repeated in the same file",
                        g.line, g.col, group.name
                    ));
                }
                errs.append(&mut verrs);
                groups.push(group);
            }
            None => continue,
        }
    }
    if !field_errs.is_empty() {
        return Err(wrap(vec![unmarshal_errors(&field_errs)]));
    }
    if errs.is_empty() {
        Ok(groups)
    } else {
        Err(wrap(errs))
    }
}

fn duration_field(n: &Node, errs: &mut Vec<String>) -> i64 {
    match n.as_str().map(parse_duration) {
        Some(Ok(d)) => d,
        Some(Err(e)) => {
            errs.push(format!("line {}: {e}", n.line));
            0
        }
        None => {
            errs.push(n.type_error("model.Duration"));
            0
        }
    }
}

fn parse_group(
    g: &Node,
    ignore_unknown: bool,
    sem: &Semantics,
    field_errs: &mut Vec<String>,
) -> Option<(RuleGroup, Vec<String>)> {
    let f = match g.fields("rulefmt.RuleGroup", GROUP_FIELDS, ignore_unknown) {
        Ok(f) => f,
        Err(mut e) => {
            field_errs.append(&mut e);
            return None;
        }
    };
    let mut take_str = |name: &str| match f.get(name).map(|n| n.string("string")) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            field_errs.push(e);
            String::new()
        }
        None => String::new(),
    };
    let name = take_str("name");
    // promtool evaluates every group at the test file's `evaluation_interval`: a group's own
    // interval is only checked.
    if let Some(n) = f.get("interval") {
        duration_field(n, field_errs);
    }
    let query_offset = f.get("query_offset").map(|n| duration_field(n, field_errs));
    let limit = match f.get("limit") {
        None => 0,
        Some(n) => match n.as_str().and_then(|s| s.parse::<usize>().ok()) {
            Some(v) => v,
            None => {
                field_errs.push(n.type_error("int"));
                0
            }
        },
    };
    let group_labels = match f.get("labels").map(|n| n.string_map("map[string]string")) {
        Some(Ok(l)) => l,
        Some(Err(e)) => {
            field_errs.push(e);
            Vec::new()
        }
        None => Vec::new(),
    };
    let mut verrs = Vec::new();
    for (k, _) in &group_labels {
        if k == "__name__" || (!is_legacy_label_name(k) && !valid_utf8_name(k)) {
            verrs.push(format!("invalid label name: {k}"));
        }
    }
    let rule_nodes = match f.get("rules").map(|n| n.seq("[]rulefmt.Rule")) {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            field_errs.push(e);
            &[][..]
        }
        None => &[][..],
    };
    let mut rules = Vec::new();
    for (i, r) in rule_nodes.iter().enumerate() {
        let rf = match r.fields("rulefmt.Rule", RULE_FIELDS, ignore_unknown) {
            Ok(rf) => rf,
            Err(mut e) => {
                field_errs.append(&mut e);
                continue;
            }
        };
        let text =
            |name: &str, errs: &mut Vec<String>| match rf.get(name).map(|n| n.string("string")) {
                Some(Ok(s)) => Some(s),
                Some(Err(e)) => {
                    errs.push(e);
                    None
                }
                None => None,
            };
        let record = text("record", field_errs);
        let alert = text("alert", field_errs);
        let expr_text = text("expr", field_errs).unwrap_or_default();
        let hold = rf.get("for").map(|n| duration_field(n, field_errs));
        let keep = rf
            .get("keep_firing_for")
            .map(|n| duration_field(n, field_errs));
        let labels = match rf.get("labels").map(|n| n.string_map("map[string]string")) {
            Some(Ok(l)) => l,
            Some(Err(e)) => {
                field_errs.push(e);
                Vec::new()
            }
            None => Vec::new(),
        };
        let annotations = match rf
            .get("annotations")
            .map(|n| n.string_map("map[string]string"))
        {
            Some(Ok(l)) => l,
            Some(Err(e)) => {
                field_errs.push(e);
                Vec::new()
            }
            None => Vec::new(),
        };
        let name_node = rf.get("record").or(rf.get("alert")).unwrap_or(r);
        let (has_record, has_alert) = (
            record.as_deref().is_some_and(|s| !s.is_empty()),
            alert.as_deref().is_some_and(|s| !s.is_empty()),
        );
        // rulefmt names a rule by its alert when it has one, else by its record.
        let rule_name = if has_alert {
            alert.clone().unwrap_or_default()
        } else {
            record.clone().unwrap_or_default()
        };
        let kind = if alert.is_some() {
            RuleKind::Alert
        } else {
            RuleKind::Record
        };
        // rulefmt's `Rule.Validate`, in its order; `at` is the error's position as rulefmt
        // prints it (none, one node, or the record and alert nodes, 0:0 when absent).
        let mut fail = |at: String, msg: String| {
            verrs.push(format!(
                "{at}group {}, rule {}, {}: {msg}",
                go_quote(&name),
                i + 1,
                go_quote(&rule_name)
            ))
        };
        let pos =
            |n: Option<&Node>| n.map_or("0:0".to_string(), |n| format!("{}:{}", n.line, n.col));
        let both = || format!("{}: {}: ", pos(rf.get("record")), pos(rf.get("alert")));
        let one = |n: &Node| format!("{}:{}: ", n.line, n.col);
        match (has_record, has_alert) {
            (false, false) => fail(both(), "one of 'record' or 'alert' must be set".into()),
            (true, true) => fail(
                both(),
                "only one of 'record' and 'alert' must be set".into(),
            ),
            _ => {}
        }
        let expr_node = rf.get("expr").unwrap_or(name_node);
        let parsed = if expr_text.is_empty() {
            fail(
                pos(rf.get("expr")) + ": ",
                "field 'expr' must be set in rule".to_string(),
            );
            None
        } else {
            match parse_for(&expr_text, sem) {
                Ok(e) => Some(canonical(e, sem)),
                Err(e) => {
                    fail(
                        one(expr_node),
                        format!("could not parse expression: {}", e.render(&expr_text)),
                    );
                    None
                }
            }
        };
        if has_record {
            let at = one(name_node);
            if !annotations.is_empty() {
                fail(
                    at.clone(),
                    "invalid field 'annotations' in recording rule".into(),
                );
            }
            if hold.is_some_and(|d| d != 0) {
                fail(at.clone(), "invalid field 'for' in recording rule".into());
            }
            if keep.is_some_and(|d| d != 0) {
                fail(
                    at.clone(),
                    "invalid field 'keep_firing_for' in recording rule".into(),
                );
            }
            let rec = record.as_deref().unwrap_or_default();
            if !is_legacy_metric_name(rec) && !valid_utf8_name(rec) {
                fail(at.clone(), format!("invalid recording rule name: {rec}"));
            }
            if rec.contains(['{', '}']) {
                fail(
                    at,
                    format!(
                        "braces present in the recording rule name; should it be in expr?: {rec}"
                    ),
                );
            }
        }
        for (k, _) in &labels {
            if k == "__name__" || (!is_legacy_label_name(k) && !valid_utf8_name(k)) {
                fail(String::new(), format!("invalid label name: {k}"));
            }
        }
        for (k, _) in &annotations {
            if !is_legacy_label_name(k) && !valid_utf8_name(k) {
                fail(String::new(), format!("invalid annotation name: {k}"));
            }
        }
        if has_alert {
            let tmpl = format!("__alert_{rule_name}");
            for (what, pairs) in [("label", &labels), ("annotation", &annotations)] {
                for (k, v) in pairs {
                    if let Err(e) = parse_alert_template(&tmpl, v) {
                        fail(String::new(), format!("{what} {}: {e}", go_quote(k)));
                    }
                }
            }
        }
        let mut merged = group_labels.clone();
        merged.extend(labels);
        if let Some(expr) = parsed {
            rules.push(RuleDef {
                line: r.line,
                kind,
                name: rule_name.clone(),
                expr,
                hold: hold.unwrap_or(0),
                keep_firing_for: keep.unwrap_or(0),
                labels: Labels::from_pairs(merged),
                annotations: Labels::from_pairs_keeping_empty(annotations),
            });
        }
    }
    Some((
        RuleGroup {
            name,
            query_offset,
            limit,
            rules,
        },
        verrs,
    ))
}

/// UTF-8 names (Prometheus 3's default scheme) are valid when non-empty.
fn valid_utf8_name(s: &str) -> bool {
    !s.is_empty()
}

/// The expression a rule evaluates. Prometheus's rules query the printed text of the parsed
/// expression (`query(ctx, r.vector.String(), ts)`), so what runs is the re-parse of the
/// canonical text: selector matchers sorted by their text, which matters where order does
/// (`absent(x{a="1", a!~"z"})` keeps `a` as it runs as `absent(x{a!~"z",a="1"})`). Falls back
/// to `e` should the printed text not parse.
fn canonical(e: Expr, sem: &Semantics) -> Expr {
    parse_for(&e.to_string(), sem).unwrap_or(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_groups_and_rules() {
        let src = "groups:\n- name: g\n  interval: 1m\n  labels: {team: a}\n  rules:\n  - record: r:x\n    expr: sum(x)\n    labels: {team: b}\n  - alert: A\n    expr: up == 0\n    for: 5m\n    annotations: {s: 'v'}\n";
        let gs = parse_rule_file("f.yml", src, false, &Semantics::default()).unwrap();
        assert_eq!(gs.len(), 1);
        assert_eq!(gs[0].rules[0].labels.get("team"), Some("b"));
        assert_eq!(gs[0].rules[1].kind, RuleKind::Alert);
        assert_eq!(gs[0].rules[1].hold, 300_000);
        assert_eq!(gs[0].rules[1].labels.get("team"), Some("a"));
    }

    #[test]
    fn bad_expression_is_reported_with_position() {
        let src = "groups:\n- name: bad-syntax\n  rules:\n  - record: x\n    expr: sum(x\n";
        let e = parse_rule_file("r.yml", src, false, &Semantics::default()).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with(
                "r.yml: 5:11: group \"bad-syntax\", rule 1, \"x\": could not parse expression: 1:"
            ),
            "{}",
            e[0]
        );
    }

    #[test]
    fn unknown_fields_strict_or_ignored() {
        let src = "groups:\n- name: g\n  owner: me\n  rules: []\n";
        let e = parse_rule_file("r.yml", src, false, &Semantics::default()).unwrap_err();
        assert_eq!(
            e[0],
            "r.yml: yaml: unmarshal errors:\n  line 3: field owner not found in type rulefmt.RuleGroup"
        );
        assert!(parse_rule_file("r.yml", src, true, &Semantics::default()).is_ok());
    }

    #[test]
    fn validation_errors() {
        let src = "groups:\n- name: g\n  rules:\n  - record: r\n    expr: x\n    for: 1m\n  - expr: y\n- name: g\n";
        let e = parse_rule_file("r.yml", src, false, &Semantics::default()).unwrap_err();
        assert!(e
            .iter()
            .any(|m| m.contains("invalid field 'for' in recording rule")));
        assert!(e
            .iter()
            .any(|m| m.contains("one of 'record' or 'alert' must be set")));
        assert!(e.iter().any(|m| m.contains("is repeated in the same file")));
    }

    #[test]
    fn expressions_parse_as_the_release_does() {
        use crate::semantics::PrometheusVersion;
        // promtool 2.42's `check rules` output for this file.
        let src = "groups:\n  - name: g\n    rules:\n      - record: sorted\n        expr: sort_by_label(up, \"instance\")\n      - record: limited\n        expr: limitk(1, up)\n";
        let v2_42 = Semantics::of(PrometheusVersion::V2_42);
        let e = parse_rule_file("rules.yml", src, false, &v2_42).unwrap_err();
        assert_eq!(
            e,
            vec![
                "rules.yml: 5:15: group \"g\", rule 1, \"sorted\": could not parse expression: 1:1: parse error: unknown function with name \"sort_by_label\"",
                "rules.yml: 7:15: group \"g\", rule 2, \"limited\": could not parse expression: 1:1: parse error: unknown function with name \"limitk\"",
            ]
        );
        assert!(parse_rule_file("rules.yml", src, false, &Semantics::default()).is_ok());
        // The release's regex compilation holds in the rule (after its canonical re-parse).
        let re = "groups:\n- name: g\n  rules:\n  - record: r\n    expr: x{a=~\"a.b\"}\n";
        let gs = parse_rule_file("r.yml", re, false, &v2_42).unwrap();
        let mut newline = false;
        gs[0].rules[0].expr.walk(&mut |e| {
            if let Expr::VectorSelector(vs) = e {
                newline |= vs
                    .matchers
                    .iter()
                    .any(|m| m.name == "a" && m.matches("a\nb"));
            }
        });
        assert!(!newline);
    }
}
