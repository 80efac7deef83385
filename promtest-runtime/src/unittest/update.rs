//! The update mode for rule-test files: each failing `alert_rule_test` gets the alerts that
//! fired as its `exp_alerts`, each failing `promql_expr_test` the samples its query returned as
//! its `exp_samples`. The YAML text is edited in place, never re-serialised: only the lines of
//! the key being written change (it is added at the end of its case when absent), so comments,
//! quoting and key order stay.

use std::path::Path;

use crate::harness::{series_notation, FileUpdate};
use crate::literals::float::{format_f, format_g};
use crate::model::labels::is_legacy_label_name;
use crate::model::Labels;
use crate::rules::yaml::{self, parse_yaml_float, Node, NodeKind};

use super::{RunOptions, Suite};

/// Updates the rule-test file at `path` whose contents are `src`; `None` when it is no rule
/// test or does not load.
pub fn update_rule_test(path: &Path, src: &str) -> Option<FileUpdate> {
    let suite = Suite::detect(path, src, RunOptions::default())?.ok()?;
    let root = yaml::parse(src).ok()??;
    // (case line, key, rendered lines), from every failing case that can be rewritten.
    let mut edits: Vec<(usize, &'static str, Vec<String>)> = Vec::new();
    let mut left = Vec::new();
    for (g, tg) in suite.tests().iter().enumerate() {
        let out = suite.outcome(g);
        for (i, case) in tg.alert_rule_test.iter().enumerate() {
            match (&out.alerts[i], &out.got_alerts[i]) {
                (Some(None), _) => {}
                (Some(Some(_)), Some(got)) => edits.push((case.line, "exp_alerts", alerts(got))),
                _ => left.push(format!(
                    "{}: not rewritten (the case was not checked)",
                    case.line
                )),
            }
        }
        for (i, case) in tg.promql_expr_test.iter().enumerate() {
            match (&out.exprs[i], &out.got_samples[i]) {
                (Some(None), _) => {}
                (Some(Some(_)), Some(got)) => edits.push((case.line, "exp_samples", samples(got))),
                _ => left.push(format!("{}: not rewritten (the query fails)", case.line)),
            }
        }
    }
    // A case reached through a YAML alias from several test groups is written once, and not
    // at all when the groups disagree.
    edits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    edits.dedup();
    let mut lines: Vec<String> = src.split('\n').map(str::to_string).collect();
    let mut rewritten = Vec::new();
    let mut k = 0;
    while k < edits.len() {
        let (line, key, new) = &edits[k];
        let same_line = edits[k..].iter().take_while(|e| e.0 == *line).count();
        k += same_line;
        if same_line > 1 {
            left.push(format!(
                "{line}: not rewritten (shared through a YAML alias by test groups with different results)"
            ));
            continue;
        }
        match find_case(&root, *line).ok_or("its case is not found".to_string()) {
            Ok(case) => match set_key(&mut lines, &root, case, key, new) {
                Ok(()) => rewritten.push(*line),
                Err(why) => left.push(format!("{line}: not rewritten ({why})")),
            },
            Err(why) => left.push(format!("{line}: not rewritten ({why})")),
        }
    }
    rewritten.reverse();
    Some(FileUpdate {
        contents: lines.join("\n"),
        rewritten,
        left,
    })
}

/// The case mapping that starts at `line` (an alert or expression case).
fn find_case(n: &Node, line: usize) -> Option<&Node> {
    match &n.kind {
        NodeKind::Map(entries) => {
            let is_case = entries
                .iter()
                .any(|(k, _)| matches!(k.as_str(), Some("eval_time" | "alertname" | "expr")));
            if n.line == line && is_case {
                return Some(n);
            }
            entries.iter().find_map(|(_, v)| find_case(v, line))
        }
        NodeKind::Seq(items) => items.iter().find_map(|v| find_case(v, line)),
        NodeKind::Scalar { .. } => None,
    }
}

/// The positions (line, column) of `n` and every node below it.
fn positions(n: &Node, out: &mut Vec<(usize, usize)>) {
    out.push((n.line, n.col));
    match &n.kind {
        NodeKind::Map(entries) => entries.iter().for_each(|(k, v)| {
            positions(k, out);
            positions(v, out);
        }),
        NodeKind::Seq(items) => items.iter().for_each(|v| positions(v, out)),
        NodeKind::Scalar { .. } => {}
    }
}

/// The last line (0-based) of the text that starts on 1-based line `line` with the nodes at
/// `inner`: up to the next node of the document outside them (by position, so nodes copied
/// by an alias count as their original), without the blank and comment lines before it.
fn last_line(
    lines: &[String],
    all: &[(usize, usize)],
    inner: &[(usize, usize)],
    line: usize,
) -> usize {
    let bound = all
        .iter()
        .filter(|p| p.0 > line && !inner.contains(p))
        .map(|p| p.0)
        .min()
        .unwrap_or(lines.len() + 1);
    (line - 1..bound.saturating_sub(1).min(lines.len()))
        .rev()
        .find(|&j| {
            let t = lines[j].trim();
            j == line - 1 || (!t.is_empty() && !t.starts_with('#'))
        })
        .unwrap_or(line - 1)
}

/// Writes `key: new` into the case mapping `case` of the document `root`: replacing the key
/// and its value when present, else after the case's last line.
fn set_key(
    lines: &mut Vec<String>,
    root: &Node,
    case: &Node,
    key: &str,
    new: &[String],
) -> Result<(), String> {
    let NodeKind::Map(entries) = &case.kind else {
        return Err("its case is no mapping".into());
    };
    let cr = if lines.first().is_some_and(|l| l.ends_with('\r')) {
        "\r"
    } else {
        ""
    };
    let col = entries.first().map_or(1, |(k, _)| k.col.max(1));
    let base = " ".repeat(col - 1);
    // Every key must start its own line (or follow `- `): a flow mapping cannot be edited
    // line by line.
    for (k, _) in entries {
        let line = lines.get(k.line - 1).map_or("", String::as_str);
        let before = line.get(..k.col.saturating_sub(1)).unwrap_or("");
        if k.col != col
            || !before
                .trim_start()
                .trim_start_matches("- ")
                .trim()
                .is_empty()
        {
            return Err("a flow-style or aliased case".into());
        }
    }
    let mut all = Vec::new();
    positions(root, &mut all);
    let mut in_case = Vec::new();
    positions(case, &mut in_case);
    let case_end = last_line(lines, &all, &in_case, case.line);
    let rendered = |first: &str| {
        let mut v = vec![format!("{first}{}{cr}", new[0])];
        v.extend(new[1..].iter().map(|l| format!("{base}{l}{cr}")));
        v
    };
    match entries.iter().find(|(k, _)| k.as_str() == Some(key)) {
        Some((k, v)) => {
            let at = k.line - 1;
            if at < case.line - 1 || at > case_end {
                return Err("its expectation comes from a YAML alias".into());
            }
            let mut inner = vec![(k.line, k.col)];
            positions(v, &mut inner);
            let end = last_line(lines, &all, &inner, k.line);
            let prefix = lines[at].get(..col - 1).unwrap_or("").to_string();
            lines.splice(at..=end, rendered(&prefix));
        }
        None => {
            let at = case_end + 1;
            lines.splice(at..at, rendered(&base));
        }
    }
    Ok(())
}

/// A float as a YAML value promtool reads back exactly.
fn yaml_float(v: f64) -> String {
    if v.is_nan() {
        ".nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { ".inf" } else { "-.inf" }.into()
    } else {
        let plain = format_f(v);
        if plain.len() > 20 {
            format_g(v)
        } else {
            plain
        }
    }
}

/// YAML 1.1 words yaml.v2 reads as booleans or null.
const SPECIAL: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
];

/// A string as a YAML scalar: plain when that reads back as the same string, else
/// double-quoted.
fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:-".contains(c))
        && !s.ends_with(':')
        && !SPECIAL.contains(&s)
        && parse_yaml_float(s).is_none();
    if plain {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A label name as a YAML mapping key.
fn yaml_key(s: &str) -> String {
    if is_legacy_label_name(s) && !SPECIAL.contains(&s) {
        s.to_string()
    } else {
        yaml_str(s)
    }
}

/// `'text'`, YAML's single-quoted scalar.
fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The `exp_alerts` lines for `got` (labels without `alertname`, annotations), relative to
/// the case's indentation.
fn alerts(got: &[(Labels, Labels)]) -> Vec<String> {
    if got.is_empty() {
        return vec!["exp_alerts: []".into()];
    }
    let mut out = vec!["exp_alerts:".to_string()];
    let map = |m: &Labels, out: &mut Vec<String>| {
        for l in m.iter() {
            out.push(format!(
                "      {}: {}",
                yaml_key(&l.name),
                yaml_str(&l.value)
            ));
        }
    };
    for (labels, annotations) in got {
        if labels.is_empty() {
            out.push("  - exp_labels: {}".into());
        } else {
            out.push("  - exp_labels:".into());
            map(labels, &mut out);
        }
        if !annotations.is_empty() {
            out.push("    exp_annotations:".into());
            map(annotations, &mut out);
        }
    }
    out
}

/// The `exp_samples` lines for `got` (labels, value, histogram notation or empty).
fn samples(got: &[(Labels, f64, String)]) -> Vec<String> {
    if got.is_empty() {
        return vec!["exp_samples: []".into()];
    }
    let mut out = vec!["exp_samples:".to_string()];
    for (labels, value, histogram) in got {
        let mut item = Vec::new();
        if !labels.is_empty() {
            item.push(format!(
                "labels: {}",
                single_quoted(&series_notation(labels))
            ));
        }
        if histogram.is_empty() {
            item.push(format!("value: {}", yaml_float(*value)));
        } else {
            item.push(format!("histogram: {}", single_quoted(histogram)));
        }
        for (j, l) in item.into_iter().enumerate() {
            out.push(format!("{}{l}", if j == 0 { "  - " } else { "    " }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn failing_cases_get_the_actual_results_in_place() {
        let dir = std::env::temp_dir().join(format!("promtest-yaml-update-{}", std::process::id()));
        write(
            &dir,
            "r.yml",
            "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x > 1\n    labels: {sev: page}\n    annotations:\n      s: 'x is {{ $value }}: \"high\"'\n  - record: x:sum\n    expr: sum(x)\n",
        );
        let src = "# keep me\nrule_files: [r.yml]\ntests:\n  - interval: 1m\n    input_series:\n      - series: 'x{i=\"a\"}'\n        values: 2x5\n    alert_rule_test:\n      - eval_time: 2m\n        alertname: A   # trailing\n        exp_alerts:\n          - exp_labels: {sev: ticket}\n      # between cases\n      - eval_time: 3m\n        alertname: A\n    promql_expr_test:\n      - expr: x:sum\n        eval_time: 1m\n        exp_samples: [{labels: 'x:sum', value: 3}]\n\n      - expr: \"x\"\n        eval_time: 1m\n        exp_samples:\n          - value: 2\n            labels: x{i=\"a\"}\n";
        let p = write(&dir, "t.yml", src);
        let u = update_rule_test(&p, src).unwrap();
        assert_eq!(u.rewritten, [9, 14, 17], "{:?}", u.left);
        let want = "# keep me\nrule_files: [r.yml]\ntests:\n  - interval: 1m\n    input_series:\n      - series: 'x{i=\"a\"}'\n        values: 2x5\n    alert_rule_test:\n      - eval_time: 2m\n        alertname: A   # trailing\n        exp_alerts:\n          - exp_labels:\n              i: a\n              sev: page\n            exp_annotations:\n              s: \"x is 2: \\\"high\\\"\"\n      # between cases\n      - eval_time: 3m\n        alertname: A\n        exp_alerts:\n          - exp_labels:\n              i: a\n              sev: page\n            exp_annotations:\n              s: \"x is 2: \\\"high\\\"\"\n    promql_expr_test:\n      - expr: x:sum\n        eval_time: 1m\n        exp_samples:\n          - labels: 'x:sum'\n            value: 2\n\n      - expr: \"x\"\n        eval_time: 1m\n        exp_samples:\n          - value: 2\n            labels: x{i=\"a\"}\n";
        assert_eq!(u.contents, want);
        std::fs::write(&p, &u.contents).unwrap();
        let again = update_rule_test(&p, &u.contents).unwrap();
        assert!(again.rewritten.is_empty(), "{:?}", again);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn scalars_read_back_as_written() {
        assert_eq!(yaml_str("page"), "page");
        assert_eq!(yaml_str("https://x.invalid/a-b"), "https://x.invalid/a-b");
        for s in ["yes", "1.5", "", "a b", "a:", "5%", "x\ny"] {
            assert!(yaml_str(s).starts_with('"'), "{s}");
        }
        assert_eq!(yaml_float(f64::NAN), ".nan");
        assert_eq!(yaml_float(-f64::INFINITY), "-.inf");
        assert_eq!(yaml_float(1e300), "1e+300");
        assert_eq!(parse_yaml_float(&yaml_float(0.1 + 0.2)), Some(0.1 + 0.2));
        assert_eq!(single_quoted("a{b='c'}"), "'a{b=''c''}'");
    }
}
