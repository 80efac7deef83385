//! An eval's actual result written as the expected block of a `.test` file (the update mode):
//! series notation, runs compressed as `a+bxn` (or `axn`, `_xn`) where expanding them gives
//! the same floats bit for bit; lines whose old expectation still holds are kept as written.

use std::sync::Arc;

use crate::literals::float::{format_f, format_g};
use crate::model::float_cmp::{almost_equal, DEFAULT_EPSILON};
use crate::model::{is_stale_nan, FloatHistogram, Labels, Timestamp};
use crate::promql::value::{Series, Value};
use crate::script::SequenceValue;

use super::diff::series_notation;
use super::expected::Expected;
use super::format::histogram_test_expression;
use super::histogram_cmp::histograms_match;

/// An expected line as written: its labels (none for a scalar), values and text.
#[derive(Debug, Clone)]
pub struct OldLine {
    /// The labels; `None` for a bare number.
    pub labels: Option<Labels>,
    /// The values.
    pub values: Vec<SequenceValue>,
    /// The line as written, without indentation.
    pub text: String,
}

/// One point of a result.
#[derive(Clone)]
enum Point {
    Float(f64),
    Hist(Arc<FloatHistogram>),
}

/// A float as the series notation reads it back exactly.
fn float_text(f: f64) -> String {
    if is_stale_nan(f) {
        return "stale".into();
    }
    let plain = format_f(f);
    if plain.len() > 20 {
        format_g(f)
    } else {
        plain
    }
}

fn point_text(p: &Point) -> String {
    match p {
        Point::Float(f) => float_text(*f),
        Point::Hist(h) => histogram_test_expression(h),
    }
}

/// Whether the old expected value still holds for the point (the comparison's rules).
fn still_holds(old: Option<&SequenceValue>, got: Option<&Point>) -> bool {
    match (old, got) {
        (None | Some(SequenceValue::Omitted), None) => true,
        (Some(SequenceValue::Float(x)), Some(Point::Float(f))) => {
            almost_equal(*x, *f, DEFAULT_EPSILON) && is_stale_nan(*x) == is_stale_nan(*f)
        }
        (
            Some(SequenceValue::Histogram {
                h,
                counter_reset_hint_set,
            }),
            Some(Point::Hist(g)),
        ) => histograms_match(h, g, *counter_reset_hint_set),
        _ => false,
    }
}

/// Values in series notation, compressed where exact: `a+bxn` / `a-bxn` for runs of constant
/// increments (expanded by repeated addition, as the parser does), `axn` for repeats, `_xn`
/// for gaps.
fn compress(points: &[Option<Point>]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < points.len() {
        match &points[i] {
            None => {
                let n = points[i..].iter().take_while(|p| p.is_none()).count();
                out.push(if n >= 3 {
                    format!("_x{n}")
                } else {
                    vec!["_"; n].join(" ")
                });
                i += n;
            }
            Some(Point::Hist(h)) => {
                let text = histogram_test_expression(h);
                let same = points[i + 1..]
                    .iter()
                    .take_while(|p| matches!(p, Some(Point::Hist(g)) if histogram_test_expression(g) == text))
                    .count();
                out.push(if same >= 1 {
                    format!("{text}x{same}")
                } else {
                    text
                });
                i += same + 1;
            }
            Some(Point::Float(a)) => {
                let (run, inc) = float_run(*a, &points[i + 1..]);
                out.push(match inc {
                    _ if run < 2 => float_text(*a),
                    0.0 => format!("{}x{run}", float_text(*a)),
                    d if d > 0.0 => format!("{}+{}x{run}", float_text(*a), float_text(d)),
                    d => format!("{}-{}x{run}", float_text(*a), float_text(-d)),
                });
                i += if run < 2 { 1 } else { run + 1 };
            }
        }
    }
    out
}

/// How many of `rest` continue `a` by a constant increment exactly (and the increment): the
/// parser expands `a+bxn` by adding `b` n times, and the printed `b` must read back as `b`.
fn float_run(a: f64, rest: &[Option<Point>]) -> (usize, f64) {
    let Some(Some(Point::Float(b))) = rest.first() else {
        return (0, 0.0);
    };
    let inc = b - a;
    let exact = a.is_finite()
        && !is_stale_nan(a)
        && inc.is_finite()
        && float_text(inc.abs()).parse::<f64>().ok() == Some(inc.abs());
    if !exact {
        return (0, 0.0);
    }
    let mut v = a;
    let mut n = 0;
    for p in rest {
        let next = v + inc;
        match p {
            Some(Point::Float(f)) if f.to_bits() == next.to_bits() => {
                v = next;
                n += 1;
            }
            _ => break,
        }
    }
    (n, inc)
}

fn line(labels: &Labels, vals: &[String]) -> String {
    let l = series_notation(labels);
    if vals.is_empty() {
        l
    } else {
        format!("{l} {}", vals.join(" "))
    }
}

/// A series' points on the expected grid, or `None` when one lies off it (series notation has
/// no way to write it).
fn grid_points(exp: &Expected, s: &Series) -> Option<Vec<Option<Point>>> {
    let mut pts: Vec<Option<Point>> = Vec::new();
    let mut put = |t: Timestamp, p: Point| -> Option<()> {
        let off = t - exp.start;
        if exp.step <= 0 || off < 0 || off % exp.step != 0 {
            return (exp.step <= 0 && off == 0).then(|| {
                if pts.is_empty() {
                    pts.push(None);
                }
                pts[0] = Some(p);
            });
        }
        let i = usize::try_from(off / exp.step).ok()?;
        if pts.len() <= i {
            pts.resize(i + 1, None);
        }
        pts[i] = Some(p);
        Some(())
    };
    for f in &s.floats {
        put(f.t, Point::Float(f.f))?;
    }
    for h in &s.histograms {
        put(h.t, Point::Hist(h.h.clone()))?;
    }
    Some(pts)
}

/// The lines that make `got` the expected result of the eval, keeping the old lines (`old`)
/// that still hold, in their order; series new to the block follow in label order (in result
/// order with `expect ordered`). `None` when the result cannot be written (a string, a point
/// off the range's grid).
pub fn result_lines(exp: &Expected, got: &Value, old: &[OldLine]) -> Option<Vec<String>> {
    let series: Vec<(Labels, Vec<Option<Point>>)> = match got {
        Value::String { .. } => return None,
        Value::Scalar { v, .. } => {
            let p = Point::Float(*v);
            let keep = old
                .iter()
                .find(|o| o.labels.is_none() && still_holds(o.values.first(), Some(&p)));
            return Some(vec![keep.map_or_else(|| float_text(*v), |o| o.text.clone())]);
        }
        Value::Vector(v) => v
            .iter()
            .map(|s| {
                let p = match &s.h {
                    Some(h) => Point::Hist(h.clone()),
                    None => Point::Float(s.f),
                };
                (s.metric.clone(), vec![Some(p)])
            })
            .collect(),
        Value::Matrix(m) => m
            .iter()
            .map(|s| Some((s.metric.clone(), grid_points(exp, s)?)))
            .collect::<Option<_>>()?,
    };
    let render = |labels: &Labels, pts: &[Option<Point>]| {
        let kept = old.iter().find(|o| {
            o.labels.as_ref() == Some(labels)
                && (0..pts.len().max(o.values.len()))
                    .all(|i| still_holds(o.values.get(i), pts.get(i).and_then(Option::as_ref)))
        });
        match kept {
            Some(o) => o.text.clone(),
            None => {
                let mut pts = pts.to_vec();
                while matches!(pts.last(), Some(None)) {
                    pts.pop();
                }
                let single = pts.len() == 1;
                let vals = if single {
                    pts.iter().flatten().map(point_text).collect()
                } else {
                    compress(&pts)
                };
                line(labels, &vals)
            }
        }
    };
    if exp.ordered {
        return Some(series.iter().map(|(l, p)| render(l, p)).collect());
    }
    let mut out = Vec::new();
    let mut done = vec![false; series.len()];
    for o in old {
        let Some(labels) = &o.labels else { continue };
        if let Some(i) = series.iter().position(|(l, _)| l == labels) {
            if !done[i] {
                done[i] = true;
                out.push(render(&series[i].0, &series[i].1));
            }
        }
    }
    let mut rest: Vec<usize> = (0..series.len()).filter(|&i| !done[i]).collect();
    rest.sort_by(|&a, &b| series[a].0.cmp(&series[b].0));
    out.extend(rest.into_iter().map(|i| render(&series[i].0, &series[i].1)));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::parse_series;

    fn floats(v: &[Option<f64>]) -> Vec<Option<Point>> {
        v.iter().map(|f| f.map(Point::Float)).collect()
    }

    fn expand(text: &str) -> Vec<SequenceValue> {
        parse_series(&format!("m {text}")).unwrap().1
    }

    #[test]
    fn runs_compress_only_where_exact() {
        let c = |v: &[Option<f64>]| compress(&floats(v)).join(" ");
        assert_eq!(c(&[Some(0.0), Some(1.0), Some(2.0), Some(3.0)]), "0+1x3");
        assert_eq!(c(&[Some(5.0), Some(5.0), Some(5.0)]), "5x2");
        assert_eq!(c(&[Some(3.0), Some(1.0), Some(-1.0)]), "3-2x2");
        assert_eq!(c(&[Some(1.0), Some(2.0)]), "1 2");
        assert_eq!(c(&[Some(1.0), None, None, None, Some(2.0)]), "1 _x3 2");
        assert_eq!(c(&[Some(f64::NAN), Some(f64::INFINITY)]), "NaN +Inf");
        // 0.1 added repeatedly is not 0.1·k: the run stops where the bits differ.
        let tenths: Vec<Option<f64>> = (0..5).map(|k| Some(k as f64 * 0.1)).collect();
        let text = c(&tenths);
        let back: Vec<f64> = expand(&text)
            .into_iter()
            .map(|v| match v {
                SequenceValue::Float(f) => f,
                other => panic!("{other:?}"),
            })
            .collect();
        let want: Vec<f64> = tenths.iter().flatten().copied().collect();
        assert_eq!(back, want, "{text}");
    }

    #[test]
    fn every_compressed_form_reads_back() {
        let v = [
            Some(1e300),
            Some(1.5e-7),
            None,
            Some(-0.25),
            Some(-0.5),
            Some(-0.75),
        ];
        let text = compress(&floats(&v)).join(" ");
        assert_eq!(text, "1e+300 0.00000015 _ -0.25-0.25x2");
        assert_eq!(expand(&text).len(), 6);
    }
}
