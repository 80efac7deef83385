//! Rule coverage: which rules of the rule files a set of rule-test files load are tested, and
//! how. An alerting rule is *firing* when an `alert_rule_test` of its name expects alerts whose
//! labels agree with the rule's own (so rules sharing an alert name count apart), *no-alert
//! only* when its name only appears in cases expecting no alert. A recording rule is *asserted*
//! when a `promql_expr_test` selects its output, or *feeds* a tested rule when a firing or
//! asserted rule (or, transitively, a rule it feeds) selects it. Anything else is *untested*.
//! The analysis is static (selectors and labels), over the test groups `--run` selects.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::model::{Matcher, METRIC_NAME};
use crate::promql::ast::Expr;
use crate::promql::parser::parse_expr;
use crate::rules::dependencies::may_select;
use crate::rules::file::RuleDef;
use crate::rules::{parse_rule_file, RuleKind};

use super::Suite;

/// How a rule is tested.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// An alerting rule some case expects to fire.
    Firing,
    /// An alerting rule whose name only appears in cases expecting no alert.
    NoAlertOnly,
    /// A recording rule whose output a `promql_expr_test` reads.
    Asserted,
    /// A recording rule read by these tested rules (names).
    Feeds(Vec<String>),
    /// Nothing tests the rule.
    Untested,
}

impl Status {
    /// Whether the rule counts as tested (firing, asserted or feeding a tested rule).
    pub fn is_tested(&self) -> bool {
        matches!(self, Status::Firing | Status::Asserted | Status::Feeds(_))
    }

    /// The status's short name, as the JSON report writes it.
    pub fn key(&self) -> &'static str {
        match self {
            Status::Firing => "firing",
            Status::NoAlertOnly => "no_alert_only",
            Status::Asserted => "asserted",
            Status::Feeds(_) => "feeds",
            Status::Untested => "untested",
        }
    }

    fn text(&self) -> String {
        match self {
            Status::Firing => "asserted firing".into(),
            Status::NoAlertOnly => "only in \"no alert\" cases".into(),
            Status::Asserted => "asserted by promql_expr_test".into(),
            Status::Feeds(by) => format!("feeds {}", by.join(", ")),
            Status::Untested => "untested".into(),
        }
    }
}

/// One rule and how it is tested.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleCoverage {
    /// `alert` or `record`.
    pub kind: &'static str,
    /// The alert's or the recorded metric's name.
    pub name: String,
    /// Its group.
    pub group: String,
    /// Its line in the rule file.
    pub line: usize,
    /// How it is tested.
    pub status: Status,
    /// The assertions (`file:line`) that test it directly.
    pub by: Vec<String>,
}

/// The coverage of one rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileCoverage {
    /// The rule file, as the test files name it (relative to the working directory).
    pub file: String,
    /// Its rules in file order.
    pub rules: Vec<RuleCoverage>,
}

impl FileCoverage {
    /// How many rules are tested.
    pub fn tested(&self) -> usize {
        self.rules.iter().filter(|r| r.status.is_tested()).count()
    }
}

/// The coverage of every rule file the analysed test files load.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Coverage {
    /// Per rule file, in the order the test files name them.
    pub files: Vec<FileCoverage>,
}

/// A rule of a loaded rule file, with what the analysis found.
struct Entry {
    def: RuleDef,
    group: String,
    status: Status,
    by: Vec<String>,
}

/// A rule file loaded once however many test files load it.
struct Loaded {
    name: String,
    entries: Vec<Entry>,
}

impl Coverage {
    /// The coverage of the rule files loaded by `suites` (each with the name of its test file,
    /// as assertions are reported: `file:line`). Rule files that do not load are left out
    /// (their tests fail).
    pub fn of(suites: &[(&str, &Suite)]) -> Coverage {
        let mut loaded: Vec<Loaded> = Vec::new();
        let mut index: HashMap<PathBuf, usize> = HashMap::new();
        // Per suite: the indexes of its rule files in `loaded`.
        let mut per_suite: Vec<Vec<usize>> = Vec::new();
        for (_, suite) in suites {
            let mut mine = Vec::new();
            for path in suite.rule_files() {
                let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
                let at = match index.get(&key) {
                    Some(&i) => Some(i),
                    None => load(path, suite.options()).map(|l| {
                        loaded.push(l);
                        index.insert(key, loaded.len() - 1);
                        loaded.len() - 1
                    }),
                };
                mine.extend(at.filter(|i| !mine.contains(i)));
            }
            per_suite.push(mine);
        }
        for ((file, suite), mine) in suites.iter().zip(&per_suite) {
            mark_direct(file, suite, mine, &mut loaded);
        }
        for mine in &per_suite {
            mark_feeds(mine, &mut loaded);
        }
        Coverage {
            files: loaded
                .into_iter()
                .map(|l| FileCoverage {
                    file: l.name,
                    rules: l
                        .entries
                        .into_iter()
                        .map(|e| RuleCoverage {
                            kind: match e.def.kind {
                                RuleKind::Alert => "alert",
                                RuleKind::Record => "record",
                            },
                            name: e.def.name,
                            group: e.group,
                            line: e.def.line,
                            status: e.status,
                            by: e.by,
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// The coverage of the rule files loaded by the rule-test files `paths` (named as given),
    /// run with `opts` (its `run` selects test groups). Test files that do not load are left out.
    pub fn of_files(paths: &[PathBuf], opts: &super::RunOptions) -> Coverage {
        let suites: Vec<(String, Suite)> = paths
            .iter()
            .filter_map(|p| {
                let s = Suite::load(p, opts.clone()).ok()?;
                Some((p.display().to_string(), s))
            })
            .collect();
        let pairs: Vec<(&str, &Suite)> = suites.iter().map(|(n, s)| (n.as_str(), s)).collect();
        Coverage::of(&pairs)
    }

    /// Rules in all files.
    pub fn rules(&self) -> usize {
        self.files.iter().map(|f| f.rules.len()).sum()
    }

    /// Tested rules in all files.
    pub fn tested(&self) -> usize {
        self.files.iter().map(FileCoverage::tested).sum()
    }

    /// The share of tested rules in percent (100 when there is no rule).
    pub fn percent(&self) -> f64 {
        percent(self.tested(), self.rules())
    }

    /// The report as a text table: per rule file its rules with their status, then the total.
    pub fn to_text(&self) -> String {
        let mut out = String::from("Rule coverage:\n");
        for f in &self.files {
            let kind_w = 6;
            let name_w = f
                .rules
                .iter()
                .map(|r| r.name.len())
                .max()
                .unwrap_or(4)
                .max(4);
            let group_w = f
                .rules
                .iter()
                .map(|r| r.group.len())
                .max()
                .unwrap_or(5)
                .max(5);
            out.push_str(&format!(
                "  {}: {}/{} rules tested ({:.1}%)\n",
                f.file,
                f.tested(),
                f.rules.len(),
                percent(f.tested(), f.rules.len())
            ));
            out.push_str(&format!(
                "    {:<5} {:<kind_w$} {:<name_w$} {:<group_w$} STATUS\n",
                "LINE", "KIND", "NAME", "GROUP"
            ));
            for r in &f.rules {
                let by = match r.by.as_slice() {
                    [] => String::new(),
                    [one] => format!(" ({one})"),
                    [first, rest @ ..] => format!(" ({first}, +{})", rest.len()),
                };
                out.push_str(&format!(
                    "    {:<5} {:<kind_w$} {:<name_w$} {:<group_w$} {}{by}\n",
                    r.line,
                    r.kind,
                    r.name,
                    r.group,
                    r.status.text()
                ));
            }
        }
        out.push_str(&format!(
            "  total: {}/{} rules tested ({:.1}%)\n",
            self.tested(),
            self.rules(),
            self.percent()
        ));
        out
    }

    /// The report as JSON: `{"rules", "tested", "percent", "files": [{"file", "rules",
    /// "tested", "percent", "entries": [{"kind", "name", "group", "line", "status", "tested",
    /// "by", "feeds"}]}]}`.
    pub fn to_json(&self) -> String {
        let files: Vec<String> = self
            .files
            .iter()
            .map(|f| {
                let entries: Vec<String> = f.rules.iter().map(rule_json).collect();
                format!(
                    "{{\"file\":{},\"rules\":{},\"tested\":{},\"percent\":{:.1},\"entries\":[{}]}}",
                    json_str(&f.file),
                    f.rules.len(),
                    f.tested(),
                    percent(f.tested(), f.rules.len()),
                    entries.join(",")
                )
            })
            .collect();
        format!(
            "{{\"rules\":{},\"tested\":{},\"percent\":{:.1},\"files\":[{}]}}\n",
            self.rules(),
            self.tested(),
            self.percent(),
            files.join(",")
        )
    }
}

fn rule_json(r: &RuleCoverage) -> String {
    let list = |v: &[String]| {
        let items: Vec<String> = v.iter().map(|s| json_str(s)).collect();
        format!("[{}]", items.join(","))
    };
    let feeds = match &r.status {
        Status::Feeds(by) => list(by),
        _ => "[]".into(),
    };
    format!(
        "{{\"kind\":{},\"name\":{},\"group\":{},\"line\":{},\"status\":{},\"tested\":{},\"by\":{},\"feeds\":{feeds}}}",
        json_str(r.kind),
        json_str(&r.name),
        json_str(&r.group),
        r.line,
        json_str(r.status.key()),
        r.status.is_tested(),
        list(&r.by),
    )
}

/// A JSON string literal.
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn percent(tested: usize, all: usize) -> f64 {
    if all == 0 {
        100.0
    } else {
        tested as f64 * 100.0 / all as f64
    }
}

/// Reads and parses a rule file as the suite's run does (`None` when it does not load).
fn load(path: &Path, opts: &super::RunOptions) -> Option<Loaded> {
    let name = path.display().to_string();
    let src = crate::read_input_file(path).ok()?;
    let groups = parse_rule_file(&name, &src, opts.ignore_unknown_fields, &opts.semantics).ok()?;
    let entries = groups
        .into_iter()
        .flat_map(|g| {
            let group = g.name;
            g.rules.into_iter().map(move |def| Entry {
                def,
                group: group.clone(),
                status: Status::Untested,
                by: Vec::new(),
            })
        })
        .collect();
    Some(Loaded { name, entries })
}

/// Whether label `value` of a rule is a template (its value is known only when it fires).
fn templated(value: &str) -> bool {
    value.contains("{{")
}

/// Whether an expected alert's labels agree with an alerting rule's own: each label the rule
/// sets is expected with its value (templated labels with any value).
fn labels_agree(rule: &RuleDef, exp_labels: &[(String, String)]) -> bool {
    rule.labels.iter().all(|l| {
        templated(&l.value)
            || exp_labels
                .iter()
                .find(|(n, _)| n == &*l.name)
                .is_some_and(|(_, v)| v == &*l.value)
    })
}

/// Whether a selector with `matchers` may select what recording rule `rule` writes: its name,
/// and the labels it sets (other labels come from its query and may be anything).
fn selects_output(matchers: &[Matcher], rule: &RuleDef) -> bool {
    may_select(matchers, &rule.name)
        && matchers
            .iter()
            .filter(|m| m.name != METRIC_NAME)
            .all(|m| rule.labels.get(&m.name).is_none_or(|v| m.matches(v)))
}

/// The selectors' matchers in `expr`.
fn selectors(expr: &Expr) -> Vec<&[Matcher]> {
    let mut out = Vec::new();
    expr.walk(&mut |e| {
        if let Expr::VectorSelector(v) = e {
            out.push(v.matchers.as_slice());
        }
    });
    out
}

/// The rules of the rule files `mine`.
fn rules_of<'a>(
    mine: &'a [usize],
    loaded: &'a mut [Loaded],
) -> impl Iterator<Item = &'a mut Entry> {
    loaded
        .iter_mut()
        .enumerate()
        .filter(|(i, _)| mine.contains(i))
        .flat_map(|(_, l)| l.entries.iter_mut())
}

/// Marks what the assertions of `suite` (test file `file`) test directly among its rule files
/// `mine`.
fn mark_direct(file: &str, suite: &Suite, mine: &[usize], loaded: &mut [Loaded]) {
    let run = &suite.options().run;
    for tg in suite.tests() {
        if run.as_ref().is_some_and(|re| !re.is_match(&tg.name)) {
            continue;
        }
        for case in &tg.alert_rule_test {
            let at = format!("{file}:{}", case.line);
            for e in rules_of(mine, loaded) {
                if e.def.kind != RuleKind::Alert || e.def.name != case.alertname {
                    continue;
                }
                if case.exp_alerts.is_empty() {
                    if e.status == Status::Untested {
                        e.status = Status::NoAlertOnly;
                    }
                } else if case.exp_alerts.iter().any(|(l, _)| labels_agree(&e.def, l)) {
                    e.status = Status::Firing;
                    e.by.push(at.clone());
                }
            }
        }
        for case in &tg.promql_expr_test {
            let Ok(expr) = parse_expr(&case.expr) else {
                continue;
            };
            let sel = selectors(&expr);
            let at = format!("{file}:{}", case.line);
            for e in rules_of(mine, loaded) {
                if e.def.kind == RuleKind::Record && sel.iter().any(|m| selects_output(m, &e.def)) {
                    e.status = Status::Asserted;
                    e.by.push(at.clone());
                }
            }
        }
    }
}

/// Marks the recording rules among `mine` that tested rules read, transitively.
fn mark_feeds(mine: &[usize], loaded: &mut [Loaded]) {
    let ids: Vec<(usize, usize)> = mine
        .iter()
        .flat_map(|&f| (0..loaded[f].entries.len()).map(move |r| (f, r)))
        .collect();
    loop {
        let mut found: Vec<((usize, usize), String)> = Vec::new();
        for &(f, r) in &ids {
            let reader = &loaded[f].entries[r];
            if !reader.status.is_tested() {
                continue;
            }
            let sel = selectors(&reader.def.expr);
            for &(g, s) in &ids {
                let fed = &loaded[g].entries[s];
                let new = match &fed.status {
                    Status::Asserted | Status::Firing => false,
                    Status::Feeds(by) => !by.contains(&reader.def.name),
                    _ => true,
                };
                if fed.def.kind == RuleKind::Record
                    && (f, r) != (g, s)
                    && new
                    && sel.iter().any(|m| selects_output(m, &fed.def))
                {
                    found.push(((g, s), reader.def.name.clone()));
                }
            }
        }
        if found.is_empty() {
            return;
        }
        for ((g, s), by) in found {
            let e = &mut loaded[g].entries[s];
            match &mut e.status {
                Status::Feeds(list) if !list.contains(&by) => list.push(by),
                Status::Feeds(_) => {}
                _ => e.status = Status::Feeds(vec![by]),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unittest::RunOptions;

    fn suite(dir: &Path, rules: &str, test: &str) -> Suite {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("r.yml"), rules).unwrap();
        std::fs::write(dir.join("t.yml"), test).unwrap();
        Suite::load(&dir.join("t.yml"), RunOptions::default()).unwrap()
    }

    #[test]
    fn statuses_of_alerts_and_records() {
        let dir = std::env::temp_dir().join(format!("promtest-coverage-{}", std::process::id()));
        let rules = "groups:\n- name: g\n  rules:\n  - record: base\n    expr: sum(x)\n  - record: mid\n    expr: base * 2\n  - record: lone\n    expr: sum(y)\n  - record: seen\n    expr: sum(z)\n  - alert: High\n    expr: mid > 1\n    labels: {severity: page}\n  - alert: High\n    expr: mid > 10\n    labels: {severity: ticket}\n  - alert: Quiet\n    expr: lone > 1\n  - alert: Never\n    expr: up == 0\n";
        let test = "rule_files: [r.yml]\ntests:\n- input_series: []\n  alert_rule_test:\n  - eval_time: 1m\n    alertname: High\n    exp_alerts:\n    - exp_labels: {severity: page}\n  - eval_time: 1m\n    alertname: Quiet\n  promql_expr_test:\n  - expr: seen\n    eval_time: 1m\n";
        let s = suite(&dir, rules, test);
        let cov = Coverage::of(&[("t.yml", &s)]);
        let got: Vec<(&str, usize, String)> = cov.files[0]
            .rules
            .iter()
            .map(|r| (r.name.as_str(), r.line, r.status.text()))
            .collect();
        assert_eq!(
            got,
            [
                ("base", 4, "feeds mid".to_string()),
                ("mid", 6, "feeds High".into()),
                ("lone", 8, "untested".into()),
                ("seen", 10, "asserted by promql_expr_test".into()),
                ("High", 12, "asserted firing".into()),
                ("High", 15, "untested".into()),
                ("Quiet", 18, "only in \"no alert\" cases".into()),
                ("Never", 20, "untested".into()),
            ]
        );
        assert_eq!(cov.files[0].rules[4].by, ["t.yml:5"]);
        assert_eq!((cov.tested(), cov.rules()), (4, 8));
        assert!(cov
            .to_text()
            .ends_with("  total: 4/8 rules tested (50.0%)\n"));
        assert!(cov
            .to_json()
            .starts_with("{\"rules\":8,\"tested\":4,\"percent\":50.0,\"files\":[{\"file\":"));
        assert!(cov.to_json().contains(
            "{\"kind\":\"record\",\"name\":\"base\",\"group\":\"g\",\"line\":4,\"status\":\"feeds\",\"tested\":true,\"by\":[],\"feeds\":[\"mid\"]}"
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn templated_labels_agree_with_anything() {
        let src = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {team: '{{ $labels.t }}', sev: x}\n";
        let g =
            parse_rule_file("r.yml", src, false, &crate::semantics::Semantics::default()).unwrap();
        let rule = &g[0].rules[0];
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert!(labels_agree(rule, &pairs(&[("team", "a"), ("sev", "x")])));
        assert!(!labels_agree(rule, &pairs(&[("team", "a"), ("sev", "y")])));
        assert!(labels_agree(rule, &pairs(&[("sev", "x")])));
        assert!(!labels_agree(rule, &pairs(&[("team", "a")])));
        assert_eq!(json_str("a\"b\n\u{1}"), "\"a\\\"b\\n\\u0001\"");
    }
}
