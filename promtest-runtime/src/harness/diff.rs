//! Expected vs got series as text lines, and their `similar` line diff (`-expected/+got`).

use std::time::Duration;

use similar::{Algorithm, ChangeTag, TextDiff};

use crate::model::labels::is_legacy_metric_name;
use crate::model::{is_stale_nan, Labels, Timestamp, METRIC_NAME};
use crate::promql::value::{Series, Value};
use crate::script::SequenceValue;

use super::expected::Expected;
use super::format::histogram_test_expression;
use super::histogram_cmp::histograms_match;
use crate::literals::float::format_f;
use crate::model::float_cmp::{almost_equal, DEFAULT_EPSILON};

/// One point of a rendered line: a float or a histogram.
#[derive(Clone)]
enum Point {
    Float(f64),
    Hist(std::sync::Arc<crate::model::FloatHistogram>),
}

fn float_text(f: f64) -> String {
    if is_stale_nan(f) {
        "stale".into()
    } else {
        format_f(f)
    }
}

fn expected_text(v: &SequenceValue) -> String {
    match v {
        SequenceValue::Omitted => "_".into(),
        SequenceValue::Float(f) => float_text(*f),
        SequenceValue::Histogram { h, .. } => histogram_test_expression(h),
    }
}

/// Prints a got point, reusing the expected text when the values are equal under the comparison
/// rules (so the diff shows only real differences).
fn got_text(p: Option<&Point>, exp: Option<&SequenceValue>) -> String {
    match (p, exp) {
        (None, _) => "_".into(),
        (Some(Point::Float(f)), Some(e @ SequenceValue::Float(x)))
            if almost_equal(*f, *x, DEFAULT_EPSILON) =>
        {
            expected_text(e)
        }
        (
            Some(Point::Hist(h)),
            Some(
                e @ SequenceValue::Histogram {
                    h: x,
                    counter_reset_hint_set,
                },
            ),
        ) if histograms_match(x, h, *counter_reset_hint_set) => expected_text(e),
        (Some(Point::Float(f)), _) => float_text(*f),
        (Some(Point::Hist(h)), _) => histogram_test_expression(h),
    }
}

fn trim_omitted(mut v: Vec<String>) -> Vec<String> {
    while v.last().is_some_and(|s| s == "_") {
        v.pop();
    }
    v
}

/// Labels in the notation of `.test` files: `name{a="b"}`, `name`, or `{a="b"}`.
pub fn series_notation(labels: &Labels) -> String {
    match labels.metric_name() {
        Some(name) if is_legacy_metric_name(name) => {
            let rest = labels.without(&[METRIC_NAME]);
            if rest.is_empty() {
                name.to_string()
            } else {
                format!("{name}{rest}")
            }
        }
        _ => labels.to_string(),
    }
}

fn line(labels: &Labels, vals: &[String]) -> String {
    let l = series_notation(labels);
    if vals.is_empty() {
        l
    } else {
        format!("{l} {}", vals.join(" "))
    }
}

/// The expected result as lines: `scalar v`, `string "s"`, or `{labels} v1 v2 …` per series.
pub fn expected_lines(exp: &Expected) -> Vec<String> {
    if let Some(s) = &exp.scalar {
        return vec![format!("scalar {}", expected_text(s))];
    }
    let mut labels: Vec<&Labels> = exp.order.iter().collect();
    if !exp.ordered {
        labels.sort();
    }
    labels
        .into_iter()
        .map(|l| {
            let vals = exp.metrics[l].vals.iter().map(expected_text).collect();
            line(l, &trim_omitted(vals))
        })
        .collect()
}

fn grid_index(exp: &Expected, t: Timestamp) -> Option<usize> {
    if exp.step <= 0 {
        return (t == exp.start).then_some(0);
    }
    let off = t - exp.start;
    (off >= 0 && off % exp.step == 0).then(|| (off / exp.step) as usize)
}

fn series_line(exp: &Expected, s: &Series) -> String {
    let mut pts: Vec<Option<Point>> = Vec::new();
    let mut off_grid = Vec::new();
    let mut put = |t: Timestamp, p: Point, pts: &mut Vec<Option<Point>>| match grid_index(exp, t) {
        Some(i) => {
            if pts.len() <= i {
                pts.resize(i + 1, None);
            }
            pts[i] = Some(p);
        }
        None => off_grid.push((t, p)),
    };
    for f in &s.floats {
        put(f.t, Point::Float(f.f), &mut pts);
    }
    for h in &s.histograms {
        put(h.t, Point::Hist(h.h.clone()), &mut pts);
    }
    let evals = exp
        .metrics
        .get(&s.metric)
        .map(|e| e.vals.as_slice())
        .unwrap_or(&[]);
    let mut vals: Vec<String> = pts
        .iter()
        .enumerate()
        .map(|(i, p)| got_text(p.as_ref(), evals.get(i)))
        .collect();
    for (t, p) in off_grid {
        vals.push(format!("{}@{t}", got_text(Some(&p), None)));
    }
    line(&s.metric, &trim_omitted(vals))
}

/// The actual result as lines in the same notation as [`expected_lines`].
pub fn got_lines(exp: &Expected, got: &Value) -> Vec<String> {
    match got {
        Value::Scalar { v, .. } => {
            vec![format!(
                "scalar {}",
                got_text(Some(&Point::Float(*v)), exp.scalar.as_ref())
            )]
        }
        Value::String { v, .. } => vec![format!("string {}", crate::literals::go_quote(v))],
        Value::Vector(vec) => {
            let mut items: Vec<_> = vec.iter().collect();
            if !exp.ordered {
                items.sort_by(|a, b| a.metric.cmp(&b.metric));
            }
            items
                .into_iter()
                .map(|s| {
                    let p = match &s.h {
                        Some(h) => Point::Hist(h.clone()),
                        None => Point::Float(s.f),
                    };
                    let e = exp.metrics.get(&s.metric).and_then(|e| e.vals.first());
                    line(&s.metric, &[got_text(Some(&p), e)])
                })
                .collect()
        }
        Value::Matrix(m) => {
            let mut items: Vec<_> = m.iter().collect();
            items.sort_by(|a, b| a.metric.cmp(&b.metric));
            items.into_iter().map(|s| series_line(exp, s)).collect()
        }
    }
}

/// Unchanged lines shown around each change.
const CONTEXT_LINES: usize = 3;

/// A line diff of expected vs got (Patience, with a timeout), grouped in hunks with
/// three lines of context: `-` for expected, `+` for got, unchanged lines indented by two
/// spaces, `...` between hunks; ANSI colours when `color`.
pub fn render(expected: &[String], got: &[String], color: bool) -> String {
    let old = expected.join("\n") + "\n";
    let new = got.join("\n") + "\n";
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .timeout(Duration::from_millis(500))
        .diff_lines(&old, &new);
    let mut out = String::new();
    if color {
        out.push_str("\x1b[31m-expected\x1b[0m \x1b[32m+got\x1b[0m\n");
    } else {
        out.push_str("-expected +got\n");
    }
    for (i, group) in diff.grouped_ops(CONTEXT_LINES).iter().enumerate() {
        if i > 0 {
            out.push_str("  ...\n");
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let text = change.value().trim_end_matches('\n');
                let (sign, code) = match change.tag() {
                    ChangeTag::Delete => ('-', "31"),
                    ChangeTag::Insert => ('+', "32"),
                    ChangeTag::Equal => (' ', ""),
                };
                if color && !code.is_empty() {
                    out.push_str(&format!("\x1b[{code}m{sign} {text}\x1b[0m\n"));
                } else {
                    out.push_str(&format!("{sign} {text}\n"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::value::{FPoint, VectorSample};
    use crate::script::{Eval, EvalTime, Expectations, ExpectedSeries};

    fn exp(time: EvalTime, series: Vec<(Labels, Vec<SequenceValue>)>) -> Expected {
        Expected::new(&Eval {
            line: 1,
            text: String::new(),
            expr: "x".into(),
            expr_col: 1,
            time,
            expect: Expectations {
                series: series
                    .into_iter()
                    .map(|(l, values)| ExpectedSeries {
                        line: 2,
                        labels: Some(l),
                        values,
                    })
                    .collect(),
                ..Default::default()
            },
        })
    }

    #[test]
    fn vector_lines_reuse_expected_text_for_equal_values() {
        let a = Labels::from_pairs([("a", "1")]);
        let b = Labels::from_pairs([("a", "2")]);
        let e = exp(
            EvalTime::Instant(0),
            vec![
                (b.clone(), vec![SequenceValue::Float(2.0)]),
                (a.clone(), vec![SequenceValue::Float(0.1)]),
            ],
        );
        assert_eq!(expected_lines(&e), vec!["{a=\"1\"} 0.1", "{a=\"2\"} 2"]);
        let s = |l: &Labels, f| VectorSample {
            metric: l.clone(),
            t: 0,
            f,
            h: None,
            drop_name: false,
        };
        let got = Value::Vector(vec![s(&b, 3.0), s(&a, 0.10000000001)]);
        assert_eq!(got_lines(&e, &got), vec!["{a=\"1\"} 0.1", "{a=\"2\"} 3"]);
        let text = render(&expected_lines(&e), &got_lines(&e, &got), false);
        assert_eq!(
            text,
            "-expected +got\n  {a=\"1\"} 0.1\n- {a=\"2\"} 2\n+ {a=\"2\"} 3\n"
        );
    }

    #[test]
    fn matrix_lines_follow_the_grid() {
        let a = Labels::from_pairs([("a", "1")]);
        let e = exp(
            EvalTime::Range {
                start: 0,
                end: 120_000,
                step: 60_000,
            },
            vec![(
                a.clone(),
                vec![
                    SequenceValue::Float(1.0),
                    SequenceValue::Omitted,
                    SequenceValue::Float(3.0),
                ],
            )],
        );
        assert_eq!(expected_lines(&e), vec!["{a=\"1\"} 1 _ 3"]);
        let got = Value::Matrix(vec![Series {
            metric: a.clone(),
            floats: vec![
                FPoint { t: 0, f: 1.0 },
                FPoint { t: 60_000, f: 2.0 },
                FPoint { t: 90_000, f: 9.0 },
            ],
            ..Default::default()
        }]);
        assert_eq!(got_lines(&e, &got), vec!["{a=\"1\"} 1 2 9@90000"]);
    }

    #[test]
    fn labels_print_as_in_test_files() {
        let l = Labels::from_pairs([("__name__", "up"), ("job", "a")]);
        assert_eq!(series_notation(&l), "up{job=\"a\"}");
        assert_eq!(
            series_notation(&Labels::from_pairs([("__name__", "up")])),
            "up"
        );
        let odd = Labels::from_pairs([("__name__", "a.b")]);
        assert_eq!(series_notation(&odd), "{__name__=\"a.b\"}");
    }

    #[test]
    fn long_results_are_cut_into_hunks() {
        let exp: Vec<String> = (0..20).map(|i| format!("s{{i=\"{i}\"}} {i}")).collect();
        let mut got = exp.clone();
        got[1] = "s{i=\"1\"} 99".into();
        got[18] = "s{i=\"18\"} 99".into();
        let text = render(&exp, &got, false);
        assert!(text.contains("  ...\n"), "{text}");
        assert!(!text.contains("s{i=\"10\"}"), "{text}");
        assert_eq!(text.lines().filter(|l| l.starts_with("- ")).count(), 2);
    }

    #[test]
    fn coloured_output_marks_changes() {
        let text = render(&["a".into()], &["b".into()], true);
        assert!(text.contains("\x1b[31m- a\x1b[0m"));
        assert!(text.contains("\x1b[32m+ b\x1b[0m"));
    }
}
