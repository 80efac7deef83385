//! The promtool rule-test file (`rule_files`, `evaluation_interval`, `group_eval_order`,
//! `fuzzy_compare`, `tests[]`), read strictly with each test group's and case's line.

use crate::literals::parse_duration;
use crate::model::Labels;
use crate::rules::yaml::{self, parse_yaml_float, unmarshal_errors, Fields, Node};

use super::time::parse_time;
use crate::semantics::Semantics;

/// A rule-test file.
#[derive(Debug, Clone, Default)]
pub struct TestFile {
    /// `rule_files` patterns as written.
    pub rule_files: Vec<String>,
    /// `evaluation_interval` (ms); 1m when unset.
    pub evaluation_interval: i64,
    /// `group_eval_order`.
    pub group_eval_order: Vec<String>,
    /// `fuzzy_compare`: floats may differ by one ULP.
    pub fuzzy_compare: bool,
    /// The test groups.
    pub tests: Vec<TestGroup>,
}

/// One entry of `tests`.
#[derive(Debug, Clone, Default)]
pub struct TestGroup {
    /// 1-based line.
    pub line: usize,
    /// `name`.
    pub name: String,
    /// `interval` (ms), 0 when unset (then the evaluation interval).
    pub interval: i64,
    /// `input_series`.
    pub input_series: Vec<InputSeries>,
    /// `alert_rule_test`.
    pub alert_rule_test: Vec<AlertCase>,
    /// `promql_expr_test`.
    pub promql_expr_test: Vec<ExprCase>,
    /// `external_labels`.
    pub external_labels: Labels,
    /// `external_url`.
    pub external_url: String,
    /// `start_timestamp` (ms since the epoch), 0 when unset.
    pub start_timestamp: i64,
}

impl TestGroup {
    /// The latest `eval_time` of its alert and expression cases (0 when it has none): the
    /// evaluation runs up to it.
    pub fn last_eval_time(&self) -> i64 {
        self.alert_rule_test
            .iter()
            .map(|a| a.eval_time)
            .chain(self.promql_expr_test.iter().map(|e| e.eval_time))
            .max()
            .unwrap_or(0)
    }
}

/// One input series.
#[derive(Debug, Clone, Default)]
pub struct InputSeries {
    /// 1-based line.
    pub line: usize,
    /// `series`.
    pub series: String,
    /// `values`.
    pub values: String,
}

/// Name/value pairs as written (labels or annotations).
pub type Pairs = Vec<(String, String)>;

/// One `alert_rule_test` case.
#[derive(Debug, Clone, Default)]
pub struct AlertCase {
    /// 1-based line.
    pub line: usize,
    /// `eval_time` (ms).
    pub eval_time: i64,
    /// `alertname`.
    pub alertname: String,
    /// `exp_alerts`: labels and annotations.
    pub exp_alerts: Vec<(Pairs, Pairs)>,
}

/// One `promql_expr_test` case.
#[derive(Debug, Clone, Default)]
pub struct ExprCase {
    /// 1-based line.
    pub line: usize,
    /// `expr`.
    pub expr: String,
    /// `eval_time` (ms).
    pub eval_time: i64,
    /// `exp_samples`.
    pub exp_samples: Vec<ExpSample>,
}

/// One expected sample.
#[derive(Debug, Clone, Default)]
pub struct ExpSample {
    /// `labels` (series notation).
    pub labels: String,
    /// `value`.
    pub value: f64,
    /// `histogram` (`{{…}}` notation); non-empty means a histogram sample.
    pub histogram: String,
}

/// Marks an error that stops decoding at once (followed by its zero-padded line, the marker
/// again and the text), as opposed to type errors that yaml.v2 collects.
const FATAL: &str = "\u{1}";

/// Reads a rule-test file. Errors are worded as yaml.v2's (`yaml: unmarshal errors: …`).
#[cfg(test)]
pub fn parse_test_file(src: &str) -> Result<TestFile, String> {
    test_file(
        yaml::parse(src).map_err(|e| e.to_string())?.as_ref(),
        &Semantics::default(),
    )
}

/// Whether a parsed YAML document is a rule test: a mapping with a top-level `tests` key (rule
/// files are not).
pub fn is_rule_test(root: &Node) -> bool {
    match &root.kind {
        yaml::NodeKind::Map(entries) => entries.iter().any(|(k, _)| k.as_str() == Some("tests")),
        _ => false,
    }
}

/// The rule-test file of a parsed YAML document (`None`: an empty document).
/// Fields the release of `sem` does not know are errors, as its promtool words them.
pub fn test_file(root: Option<&Node>, sem: &Semantics) -> Result<TestFile, String> {
    let root = match root {
        Some(r) => r,
        None => {
            return Ok(TestFile {
                evaluation_interval: 60_000,
                ..Default::default()
            })
        }
    };
    let mut errs = Vec::new();
    let mut out = TestFile::default();
    let mut known = vec![
        "rule_files",
        "evaluation_interval",
        "group_eval_order",
        "tests",
    ];
    if sem.rule_test_fuzzy_compare {
        known.push("fuzzy_compare");
    }
    let top = root
        .fields("main.unitTestFile", &known, false)
        .map_err(|e| unmarshal_errors(&e))?;
    out.rule_files = strings(&top, "rule_files", &mut errs);
    out.evaluation_interval = duration(&top, "evaluation_interval", &mut errs);
    if out.evaluation_interval == 0 {
        out.evaluation_interval = 60_000;
    }
    out.group_eval_order = strings(&top, "group_eval_order", &mut errs);
    out.fuzzy_compare = match top.get("fuzzy_compare") {
        None => false,
        Some(n) => match n.as_str() {
            Some("true" | "True" | "TRUE") => true,
            Some("false" | "False" | "FALSE") => false,
            _ => {
                errs.push(n.type_error("bool"));
                false
            }
        },
    };
    for t in seq(&top, "tests", "[]main.testGroup", &mut errs) {
        out.tests.push(test_group(t, sem, &mut errs));
    }
    // The first aborting error in the document wins over all collected ones.
    if let Some(fatal) = errs.iter().filter(|e| e.starts_with(FATAL)).min() {
        return Err(fatal.rsplit(FATAL).next().unwrap_or_default().to_string());
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(unmarshal_errors(&errs))
    }
}

fn seq<'a>(f: &Fields<'a>, name: &str, ty: &str, errs: &mut Vec<String>) -> &'a [Node] {
    match f.get(name).map(|n| n.seq(ty)) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            errs.push(e);
            &[]
        }
        None => &[],
    }
}

fn string(f: &Fields<'_>, name: &str, errs: &mut Vec<String>) -> String {
    match f.get(name).map(|n| n.string("string")) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            errs.push(e);
            String::new()
        }
        None => String::new(),
    }
}

fn strings(f: &Fields<'_>, name: &str, errs: &mut Vec<String>) -> Vec<String> {
    let items = seq(f, name, "[]string", errs);
    items
        .iter()
        .filter_map(|n| match n.string("string") {
            Ok(s) => Some(s),
            Err(e) => {
                errs.push(e);
                None
            }
        })
        .collect()
}

fn duration(f: &Fields<'_>, name: &str, errs: &mut Vec<String>) -> i64 {
    match f.get(name) {
        None => 0,
        Some(n) => match n.as_str().map(parse_duration) {
            Some(Ok(d)) => d,
            Some(Err(e)) => {
                // `model.Duration`'s own error aborts the decoding as it is, without the
                // `unmarshal errors` wrapper (yaml.v2 `fail`s on a non-type error).
                errs.push(format!("{FATAL}{:010}{FATAL}{e}", n.line));
                0
            }
            None => {
                errs.push(n.type_error("model.Duration"));
                0
            }
        },
    }
}

fn fields<'a>(n: &'a Node, ty: &str, known: &[&str], errs: &mut Vec<String>) -> Fields<'a> {
    // As yaml.v2's strict mode, unknown fields are reported and the known ones still read.
    n.fields(ty, known, false).unwrap_or_else(|mut e| {
        errs.append(&mut e);
        n.fields(ty, known, true).unwrap_or_default()
    })
}

fn string_map(f: &Fields<'_>, name: &str, errs: &mut Vec<String>) -> Vec<(String, String)> {
    match f.get(name).map(|n| n.string_map("map[string]string")) {
        Some(Ok(m)) => m,
        Some(Err(e)) => {
            errs.push(e);
            Vec::new()
        }
        None => Vec::new(),
    }
}

fn test_group(n: &Node, sem: &Semantics, errs: &mut Vec<String>) -> TestGroup {
    let mut known = vec![
        "interval",
        "input_series",
        "alert_rule_test",
        "promql_expr_test",
        "external_labels",
        "external_url",
        "name",
    ];
    if sem.rule_test_start_timestamp {
        known.push("start_timestamp");
    }
    let f = fields(n, "main.testGroup", &known, errs);
    let mut g = TestGroup {
        line: n.line,
        name: string(&f, "name", errs),
        interval: duration(&f, "interval", errs),
        external_url: string(&f, "external_url", errs),
        external_labels: Labels::from_pairs(string_map(&f, "external_labels", errs)),
        ..Default::default()
    };
    if let Some(st) = f.get("start_timestamp") {
        match st.as_str().map(parse_time) {
            Some(Ok(t)) => g.start_timestamp = t,
            Some(Err(e)) => errs.push(e),
            None => errs.push(st.type_error("string")),
        }
    }
    for s in seq(&f, "input_series", "[]main.series", errs) {
        let sf = fields(s, "main.series", &["series", "values"], errs);
        g.input_series.push(InputSeries {
            line: s.line,
            series: string(&sf, "series", errs),
            values: string(&sf, "values", errs),
        });
    }
    for a in seq(&f, "alert_rule_test", "[]main.alertTestCase", errs) {
        let af = fields(
            a,
            "main.alertTestCase",
            &["eval_time", "alertname", "exp_alerts"],
            errs,
        );
        let mut case = AlertCase {
            line: a.line,
            eval_time: duration(&af, "eval_time", errs),
            alertname: string(&af, "alertname", errs),
            exp_alerts: Vec::new(),
        };
        for e in seq(&af, "exp_alerts", "[]main.alert", errs) {
            let ef = fields(e, "main.alert", &["exp_labels", "exp_annotations"], errs);
            case.exp_alerts.push((
                string_map(&ef, "exp_labels", errs),
                string_map(&ef, "exp_annotations", errs),
            ));
        }
        g.alert_rule_test.push(case);
    }
    for p in seq(&f, "promql_expr_test", "[]main.promqlTestCase", errs) {
        let pf = fields(
            p,
            "main.promqlTestCase",
            &["expr", "eval_time", "exp_samples"],
            errs,
        );
        let mut case = ExprCase {
            line: p.line,
            expr: string(&pf, "expr", errs),
            eval_time: duration(&pf, "eval_time", errs),
            exp_samples: Vec::new(),
        };
        for s in seq(&pf, "exp_samples", "[]main.sample", errs) {
            let known: &[&str] = if sem.rule_test_histogram_samples {
                &["labels", "value", "histogram"]
            } else {
                &["labels", "value"]
            };
            let sf = fields(s, "main.sample", known, errs);
            let value = match sf.get("value") {
                None => 0.0,
                Some(v) => match v.as_str().and_then(parse_yaml_float) {
                    Some(x) => x,
                    None => {
                        errs.push(v.type_error("float64"));
                        0.0
                    }
                },
            };
            case.exp_samples.push(ExpSample {
                labels: string(&sf, "labels", errs),
                value,
                histogram: string(&sf, "histogram", errs),
            });
        }
        g.promql_expr_test.push(case);
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_groups_and_cases_with_lines() {
        let src = "rule_files: [r.yml]\ntests:\n  - name: t\n    interval: 30s\n    input_series:\n      - series: up\n        values: 1x3\n    alert_rule_test:\n      - eval_time: 1m\n        alertname: A\n        exp_alerts:\n          - exp_labels: {a: b}\n    promql_expr_test:\n      - expr: up\n        eval_time: 2m\n        exp_samples:\n          - labels: up\n            value: .inf\n";
        let f = parse_test_file(src).unwrap();
        assert_eq!(f.evaluation_interval, 60_000);
        let g = &f.tests[0];
        assert_eq!((g.line, g.interval), (3, 30_000));
        assert_eq!(g.alert_rule_test[0].line, 9);
        assert_eq!(
            g.alert_rule_test[0].exp_alerts[0].0,
            vec![("a".into(), "b".into())]
        );
        assert_eq!(g.promql_expr_test[0].line, 14);
        assert_eq!(g.promql_expr_test[0].exp_samples[0].value, f64::INFINITY);
    }

    #[test]
    fn unknown_field_is_an_error() {
        let e = parse_test_file("tests:\n  - nme: x\n").unwrap_err();
        assert_eq!(
            e,
            "yaml: unmarshal errors:\n  line 2: field nme not found in type main.testGroup"
        );
    }

    #[test]
    fn a_bad_duration_aborts_without_the_wrapper() {
        // As promtool: model.Duration's error is returned as is, the first in the document
        // winning over collected type and unknown-field errors.
        let e = parse_test_file(
            "tests:\n  - nme: x\n    interval: 5\n    alert_rule_test:\n      - eval_time: 1mm\n",
        )
        .unwrap_err();
        assert_eq!(e, "not a valid duration string: \"5\"");
    }
}
