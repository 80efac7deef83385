//! Expected vs actual results, with upstream's messages (`compareResult`, `assertMatrixSorted`).

use std::collections::HashSet;

use crate::model::Labels;
use crate::promql::value::{FPoint, Series, Value, VectorSample};
use crate::script::SequenceValue;

use super::expected::Expected;
use super::format::{self, histogram_test_expression, series_result};
use super::histogram_cmp::histograms_match;
use crate::literals::float::{format_f, format_g};
use crate::model::float_cmp::{almost_equal, DEFAULT_EPSILON};

/// A sequence value as Go's `SequenceValue.String()` prints it (`%f` for floats).
pub fn sequence_value(v: &SequenceValue) -> String {
    match v {
        SequenceValue::Omitted => "_".into(),
        SequenceValue::Histogram { h, .. } => histogram_test_expression(h),
        SequenceValue::Float(f) if f.is_nan() || f.is_infinite() => format_f(*f),
        SequenceValue::Float(f) => format!("{f:.6}"),
    }
}

fn sequence_values(vs: &[SequenceValue]) -> String {
    let items: Vec<String> = vs.iter().map(sequence_value).collect();
    format!("[{}]", items.join(" "))
}

/// Compares a query result with the expectations, as upstream's `compareResult`.
pub fn compare_result(exp: &Expected, got: &Value) -> Result<(), String> {
    match got {
        Value::Matrix(m) => compare_matrix(exp, m),
        Value::Vector(v) => compare_vector(exp, v),
        Value::Scalar { v, .. } => {
            let Some(exp0) = &exp.scalar else {
                return Err(format!(
                    "expected vector or matrix result, but got {}",
                    format::value(got)
                ));
            };
            match exp0 {
                SequenceValue::Histogram { h, .. } => Err(format!(
                    "expected histogram {} but got {}",
                    histogram_test_expression(h),
                    format::value(got)
                )),
                SequenceValue::Float(f) if !almost_equal(*f, *v, DEFAULT_EPSILON) => Err(format!(
                    "expected scalar {} but got {}",
                    format_g(*f),
                    format_g(*v)
                )),
                _ => Ok(()),
            }
        }
        Value::String { v, .. } => {
            if &exp.string != v {
                Err(format!(
                    "expected string \"{}\" but got \"{}\"",
                    exp.string, v
                ))
            } else {
                Ok(())
            }
        }
    }
}

/// Upstream's `assertMatrixSorted`: series must be in label order.
pub fn assert_matrix_sorted(m: &[Series]) -> Result<(), String> {
    for (i, w) in m.windows(2).enumerate() {
        if w[0].metric > w[1].metric {
            return Err(format!(
                "matrix results should always be sorted by labels, but matrix is not sorted: series at index {} with labels {} sorts before series at index {} with labels {}",
                i + 1,
                w[1].metric,
                i,
                w[0].metric
            ));
        }
    }
    Ok(())
}

fn compare_matrix(exp: &Expected, m: &[Series]) -> Result<(), String> {
    if exp.ordered {
        return Err("expected ordered result, but query returned a matrix".into());
    }
    if exp.expect_scalar() {
        let body = m.iter().map(format::series).collect::<Vec<_>>().join("\n");
        return Err(format!("expected scalar result, but got matrix {body}"));
    }
    assert_matrix_sorted(m)?;
    let mut seen: HashSet<&Labels> = HashSet::new();
    for s in m {
        let Some(entry) = exp.metrics.get(&s.metric) else {
            return Err(format!(
                "unexpected metric {} in result, has {}",
                s.metric,
                series_result(s)
            ));
        };
        seen.insert(&s.metric);
        let mut floats = Vec::new();
        let mut hists = Vec::new();
        for (i, e) in entry.vals.iter().enumerate() {
            let t = exp.start + i as i64 * exp.step;
            if t > exp.end {
                return Err(format!(
                    "expected {} points for {}, but query time range cannot return this many points",
                    entry.vals.len(),
                    s.metric
                ));
            }
            match e {
                SequenceValue::Omitted => {}
                SequenceValue::Float(f) => floats.push(FPoint { t, f: *f }),
                SequenceValue::Histogram {
                    h,
                    counter_reset_hint_set,
                } => hists.push((t, h, *counter_reset_hint_set)),
            }
        }
        if floats.len() != s.floats.len() || hists.len() != s.histograms.len() {
            return Err(format!(
                "expected {} float points and {} histogram points for {}, but got {}",
                floats.len(),
                hists.len(),
                s.metric,
                series_result(s)
            ));
        }
        for (i, (e, a)) in floats.iter().zip(&s.floats).enumerate() {
            if e.t != a.t {
                return Err(format!(
                    "expected float value at index {i} for {} to have timestamp {}, but it had timestamp {} (result has {})",
                    s.metric, e.t, a.t, series_result(s)
                ));
            }
            if !almost_equal(a.f, e.f, DEFAULT_EPSILON) {
                return Err(format!(
                    "expected float value at index {i} (t={}) for {} to be {}, but got {} (result has {})",
                    a.t,
                    s.metric,
                    format_g(e.f),
                    format_g(a.f),
                    series_result(s)
                ));
            }
        }
        for (i, ((t, h, hint_set), a)) in hists.iter().zip(&s.histograms).enumerate() {
            if *t != a.t {
                return Err(format!(
                    "expected histogram value at index {i} for {} to have timestamp {}, but it had timestamp {} (result has {})",
                    s.metric, t, a.t, series_result(s)
                ));
            }
            if !histograms_match(h, &a.h, *hint_set) {
                return Err(format!(
                    "expected histogram value at index {i} (t={}) for {} to be {}, but got {} (result has {})",
                    a.t,
                    s.metric,
                    histogram_test_expression(h),
                    histogram_test_expression(&a.h),
                    series_result(s)
                ));
            }
        }
    }
    for l in &exp.order {
        if !seen.contains(l) {
            return Err(format!("expected metric {l} not found"));
        }
    }
    Ok(())
}

fn compare_vector(exp: &Expected, v: &[VectorSample]) -> Result<(), String> {
    if exp.expect_scalar() {
        let body = v.iter().map(format::sample).collect::<Vec<_>>().join("\n");
        return Err(format!("expected scalar result, but got vector {body}"));
    }
    let mut seen: HashSet<&Labels> = HashSet::new();
    for (pos, s) in v.iter().enumerate() {
        let Some(entry) = exp.metrics.get(&s.metric) else {
            return Err(match &s.h {
                Some(h) => format!(
                    "unexpected metric {} in result, has value {}",
                    s.metric,
                    histogram_test_expression(h)
                ),
                None => format!(
                    "unexpected metric {} in result, has value {}",
                    s.metric,
                    format_g(s.f)
                ),
            });
        };
        if exp.ordered && entry.pos != pos + 1 {
            return Err(format!(
                "expected metric {} with {} at position {} but was at {}",
                s.metric,
                sequence_values(&entry.vals),
                entry.pos,
                pos + 1
            ));
        }
        let exp0 = entry.vals.first().unwrap_or(&SequenceValue::Omitted);
        match (exp0, &s.h) {
            (SequenceValue::Histogram { .. }, None) => {
                if let SequenceValue::Histogram { h, .. } = exp0 {
                    return Err(format!(
                        "expected histogram {} for {} but got float value {}",
                        histogram_test_expression(h),
                        s.metric,
                        format_g(s.f)
                    ));
                }
            }
            (
                SequenceValue::Histogram {
                    h,
                    counter_reset_hint_set,
                },
                Some(g),
            ) => {
                if !histograms_match(h, g, *counter_reset_hint_set) {
                    return Err(format!(
                        "expected {} for {} but got {}",
                        histogram_test_expression(h),
                        s.metric,
                        histogram_test_expression(g)
                    ));
                }
            }
            (_, Some(g)) => {
                return Err(format!(
                    "expected float value {} for {} but got histogram {}",
                    sequence_value(exp0),
                    s.metric,
                    histogram_test_expression(g)
                ));
            }
            (SequenceValue::Float(f), None) => {
                if !almost_equal(*f, s.f, DEFAULT_EPSILON) {
                    return Err(format!(
                        "expected {} for {} but got {}",
                        format_g(*f),
                        s.metric,
                        format_g(s.f)
                    ));
                }
            }
            (SequenceValue::Omitted, None) => {
                if !almost_equal(0.0, s.f, DEFAULT_EPSILON) {
                    return Err(format!(
                        "expected 0 for {} but got {}",
                        s.metric,
                        format_g(s.f)
                    ));
                }
            }
        }
        seen.insert(&s.metric);
    }
    for l in &exp.order {
        if !seen.contains(l) {
            return Err(format!(
                "expected metric {l} with {} not found",
                sequence_values(&exp.metrics[l].vals)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{Eval, EvalTime, Expectations, ExpectedSeries};

    fn expected(
        time: EvalTime,
        series: Vec<(Option<Labels>, Vec<SequenceValue>)>,
        ordered: bool,
    ) -> Expected {
        Expected::new(&Eval {
            line: 1,
            text: String::new(),
            expr: "x".into(),
            expr_col: 1,
            time,
            expect: Expectations {
                ordered,
                series: series
                    .into_iter()
                    .enumerate()
                    .map(|(i, (labels, values))| ExpectedSeries {
                        line: i + 2,
                        labels,
                        values,
                    })
                    .collect(),
                ..Default::default()
            },
        })
    }

    fn sample(l: &Labels, f: f64) -> VectorSample {
        VectorSample {
            metric: l.clone(),
            t: 0,
            f,
            h: None,
            drop_name: false,
        }
    }

    #[test]
    fn vector_order_ignored_unless_ordered() {
        let a = Labels::from_pairs([("a", "1")]);
        let b = Labels::from_pairs([("a", "2")]);
        let series = vec![
            (Some(a.clone()), vec![SequenceValue::Float(1.0)]),
            (Some(b.clone()), vec![SequenceValue::Float(2.0)]),
        ];
        let got = Value::Vector(vec![sample(&b, 2.0), sample(&a, 1.0)]);
        let e = expected(EvalTime::Instant(0), series.clone(), false);
        assert_eq!(compare_result(&e, &got), Ok(()));
        let e = expected(EvalTime::Instant(0), series, true);
        let err = compare_result(&e, &got).unwrap_err();
        assert!(err.contains("at position 2 but was at 1"), "{err}");
    }

    #[test]
    fn vector_mismatch_messages() {
        let a = Labels::from_pairs([("a", "1")]);
        let e = expected(
            EvalTime::Instant(0),
            vec![(Some(a.clone()), vec![SequenceValue::Float(1.0)])],
            false,
        );
        let err = compare_result(&e, &Value::Vector(vec![sample(&a, 1.5)])).unwrap_err();
        assert_eq!(err, "expected 1 for {a=\"1\"} but got 1.5");
        let err = compare_result(&e, &Value::Vector(vec![])).unwrap_err();
        assert_eq!(err, "expected metric {a=\"1\"} with [1.000000] not found");
        let other = Labels::from_pairs([("b", "x")]);
        let err = compare_result(
            &e,
            &Value::Vector(vec![sample(&a, 1.0), sample(&other, 3.0)]),
        )
        .unwrap_err();
        assert_eq!(err, "unexpected metric {b=\"x\"} in result, has value 3");
    }

    #[test]
    fn scalars_and_strings() {
        let e = expected(
            EvalTime::Instant(0),
            vec![(None, vec![SequenceValue::Float(2.0)])],
            false,
        );
        assert_eq!(
            compare_result(&e, &Value::Scalar { t: 0, v: 2.0000001 }),
            Ok(())
        );
        assert_eq!(
            compare_result(&e, &Value::Scalar { t: 0, v: 3.0 }).unwrap_err(),
            "expected scalar 2 but got 3"
        );
        let e = expected(EvalTime::Instant(0), vec![], false);
        assert_eq!(
            compare_result(&e, &Value::Scalar { t: 5, v: 3.0 }).unwrap_err(),
            "expected vector or matrix result, but got scalar: 3 @[5]"
        );
        assert!(compare_result(
            &e,
            &Value::String {
                t: 0,
                v: "x".into()
            }
        )
        .is_err());
        assert_eq!(
            compare_result(
                &e,
                &Value::String {
                    t: 0,
                    v: String::new()
                }
            ),
            Ok(())
        );
    }

    #[test]
    fn matrix_points_on_the_grid() {
        let a = Labels::from_pairs([("a", "1")]);
        let e = expected(
            EvalTime::Range {
                start: 0,
                end: 120_000,
                step: 60_000,
            },
            vec![(
                Some(a.clone()),
                vec![
                    SequenceValue::Float(1.0),
                    SequenceValue::Omitted,
                    SequenceValue::Float(3.0),
                ],
            )],
            false,
        );
        let series = |pts: &[(i64, f64)]| Series {
            metric: a.clone(),
            floats: pts.iter().map(|&(t, f)| FPoint { t, f }).collect(),
            ..Default::default()
        };
        assert_eq!(
            compare_result(
                &e,
                &Value::Matrix(vec![series(&[(0, 1.0), (120_000, 3.0)])])
            ),
            Ok(())
        );
        let err = compare_result(&e, &Value::Matrix(vec![series(&[(0, 1.0), (60_000, 3.0)])]))
            .unwrap_err();
        assert!(
            err.starts_with(
                "expected float value at index 1 for {a=\"1\"} to have timestamp 120000"
            ),
            "{err}"
        );
    }

    #[test]
    fn unsorted_matrix_is_reported() {
        let s = |v: &str| Series {
            metric: Labels::from_pairs([("a", v)]),
            ..Default::default()
        };
        let err = assert_matrix_sorted(&[s("2"), s("1")]).unwrap_err();
        assert!(
            err.contains("series at index 1 with labels {a=\"1\"} sorts before series at index 0")
        );
    }
}
