//! Aggregation operators: the grouping framework (`by`/`without`, parameters) and `sum`,
//! `avg`, `count`, `min`, `max`, `group`, `stddev`, `stdvar`, `quantile`, `count_values`
//! with Prometheus's float semantics (Kahan summation, incremental mean on overflow, NaN).
//! `topk`/`bottomk`/`limitk`/`limit_ratio` live in `aggregate_k`.

use rustc_hash::FxHashMap as HashMap;

use crate::literals::float::format_g;
use crate::model::histogram_math;
use crate::model::histogram_math::kahan_sum_inc;
use crate::model::{CounterResetHint, FloatHistogram};
use crate::model::{Labels, METRIC_NAME};
use crate::promql::ast::{AggregateExpr, AggregateOp, Expr, Span};
use crate::promql::engine::errors::{go_quote, EvalError, EvalResult};
use crate::promql::engine::limits::matrix_samples;
use crate::promql::engine::step_loop::Evaluator;
use crate::promql::functions::quantile::quantile;
use crate::promql::value::{FPoint, Series, VectorSample};

/// The output labels of `metric`'s group (`generateGroupingLabels`); `grouping` is sorted.
pub(crate) fn grouping_labels(metric: &Labels, without: bool, grouping: &[String]) -> Labels {
    let names: Vec<&str> = grouping.iter().map(String::as_str).collect();
    if without {
        metric.without(&names).without(&[METRIC_NAME])
    } else if names.is_empty() {
        Labels::empty()
    } else {
        metric.keep_only(&names)
    }
}

/// The per-step values of an aggregation's parameter (`fParams`).
pub(crate) struct Params {
    values: Vec<f64>,
    constant: Option<f64>,
    next: usize,
    /// Smallest value over all steps.
    pub min: f64,
    /// Largest value over all steps.
    pub max: f64,
    /// Whether any value is NaN.
    pub any_nan: bool,
}

impl Params {
    /// The value at the next step.
    pub fn next_value(&mut self) -> f64 {
        if let Some(c) = self.constant {
            return c;
        }
        let v = self.values.get(self.next).copied().unwrap_or(0.0);
        self.next += 1;
        v
    }
}

/// Cursor over one input series: yields its value at each step in turn (`nextValues`).
pub(crate) struct Cursor {
    f: usize,
    h: usize,
}

/// The value of series `s` at `ts`, advancing the cursor.
pub(crate) fn next_value<'s>(
    s: &'s Series,
    c: &mut Cursor,
    ts: i64,
) -> Option<(
    f64,
    Option<&'s std::sync::Arc<crate::model::FloatHistogram>>,
)> {
    if s.floats.get(c.f).is_some_and(|p| p.t == ts) {
        c.f += 1;
        Some((s.floats[c.f - 1].f, None))
    } else if s.histograms.get(c.h).is_some_and(|p| p.t == ts) {
        c.h += 1;
        Some((0.0, Some(&s.histograms[c.h - 1].h)))
    } else {
        None
    }
}

/// New cursors for every series of `m`.
pub(crate) fn cursors(m: &[Series]) -> Vec<Cursor> {
    m.iter().map(|_| Cursor { f: 0, h: 0 }).collect()
}

#[derive(Clone, Default)]
struct Group {
    seen: bool,
    value: f64,
    mean: f64,
    kahan_c: f64,
    count: f64,
    values: Vec<f64>,
    has_float: bool,
    has_histogram: bool,
    incremental_mean: bool,
    drop_name: bool,
    hist: Option<histogram_math::KahanSum>,
    hist_incremental: bool,
    incompatible: bool,
    counter_reset_seen: bool,
    not_counter_reset_seen: bool,
    nhcb_reconciled: bool,
}

impl Group {
    fn note_hint(&mut self, h: &FloatHistogram) {
        match h.counter_reset_hint {
            CounterResetHint::CounterReset => self.counter_reset_seen = true,
            CounterResetHint::NotCounterReset => self.not_counter_reset_seen = true,
            _ => {}
        }
    }

    /// Adds `h` to the histogram sum (or, for `avg` past an overflow, the running mean);
    /// false if the schemas are incompatible.
    fn add_histogram(&mut self, h: &FloatHistogram, avg: bool) -> EvalResult<bool> {
        if self.hist.is_none() {
            return Ok(true);
        }
        self.note_hint(h);
        let n = self.count;
        let Some(cur) = self.hist.as_mut() else {
            return Ok(true);
        };
        let res = if avg && !self.hist_incremental {
            let mut v = cur.clone();
            match v.add(h) {
                Ok(r) if !v.has_overflow() => {
                    *cur = v;
                    Ok(r)
                }
                Ok(_) => {
                    self.hist_incremental = true;
                    cur.divide(n - 1.0);
                    cur.scale((n - 1.0) / n);
                    cur.add(&histogram_math::div(h, n))
                }
                Err(e) => Err(e),
            }
        } else if avg {
            cur.scale((n - 1.0) / n);
            cur.add(&histogram_math::div(h, n))
        } else {
            cur.add(h)
        };
        match res {
            Ok(r) => {
                self.nhcb_reconciled |= r.reconciled;
                Ok(true)
            }
            Err(histogram_math::HistogramError::IncompatibleSchema) => Ok(false),
        }
    }
}

fn ignored_histogram(ev: &mut Evaluator<'_>, op: AggregateOp, span: Span) {
    ev.annos.info(
        format!(
            "PromQL info: ignored histogram in {} aggregation",
            op.as_str()
        ),
        Some(span),
    );
}

impl<'a> Evaluator<'a> {
    /// Evaluates an aggregation.
    pub(crate) fn eval_aggregate(&mut self, a: &AggregateExpr) -> EvalResult<Vec<Series>> {
        let mut grouping = a.grouping.clone();
        grouping.sort();
        if a.op == AggregateOp::CountValues {
            return self.eval_count_values(a, grouping);
        }
        let original = self.samples;
        let params = match &a.param {
            Some(p) => Some(self.eval_params(p)?),
            None => None,
        };
        let input = self.eval_matrix(&a.expr)?;
        let result = match a.op {
            AggregateOp::Topk
            | AggregateOp::Bottomk
            | AggregateOp::Limitk
            | AggregateOp::LimitRatio => self.aggregate_k(a, &grouping, &input, params)?,
            _ => self.aggregate_groups(a, &grouping, &input, params)?,
        };
        self.samples = original + matrix_samples(&result);
        self.check_samples()?;
        Ok(result)
    }

    /// Evaluates an aggregation parameter over all steps.
    fn eval_params(&mut self, p: &Expr) -> EvalResult<Params> {
        let constant = matches!(p.unparen(), Expr::Number(_));
        let m = self.eval_matrix(p)?;
        let values: Vec<f64> = m
            .first()
            .map(|s| s.floats.iter().map(|p| p.f).collect())
            .unwrap_or_default();
        if values.is_empty() {
            return Ok(Params {
                values,
                constant: None,
                next: 0,
                min: 0.0,
                max: 0.0,
                any_nan: false,
            });
        }
        let (mut min, mut max) = (f64::MAX, -f64::MAX);
        let mut any_nan = false;
        for &v in &values {
            // Go's math.Max/math.Min: NaN wins.
            max = if v.is_nan() || max.is_nan() {
                f64::NAN
            } else {
                max.max(v)
            };
            min = if v.is_nan() || min.is_nan() {
                f64::NAN
            } else {
                min.min(v)
            };
            any_nan |= v.is_nan();
        }
        Ok(Params {
            constant: constant.then(|| values[0]),
            values,
            next: 0,
            min,
            max,
            any_nan,
        })
    }

    /// sum, avg, count, min, max, group, stddev, stdvar, quantile.
    fn aggregate_groups(
        &mut self,
        a: &AggregateExpr,
        grouping: &[String],
        input: &[Series],
        params: Option<Params>,
    ) -> EvalResult<Vec<Series>> {
        let op = a.op;
        let span = a.expr.span();
        let mut index: HashMap<Labels, usize> = HashMap::default();
        let mut result: Vec<Series> = Vec::new();
        let series_group: Vec<usize> = input
            .iter()
            .map(|s| {
                let l = grouping_labels(&s.metric, a.without, grouping);
                let n = index.len();
                *index.entry(l.clone()).or_insert_with(|| {
                    result.push(Series {
                        metric: l,
                        ..Default::default()
                    });
                    n
                })
            })
            .collect();
        if op == AggregateOp::Quantile {
            if let Some(p) = &params {
                let pspan = a.param.as_ref().map_or(a.span, |p| p.span());
                let warn = |ev: &mut Self, q: f64| {
                    ev.annos.warn(
                        format!(
                            "PromQL warning: quantile value should be between 0 and 1, got {}",
                            format_g(q)
                        ),
                        Some(pspan),
                    )
                };
                if p.any_nan {
                    warn(self, f64::NAN);
                }
                if p.max > 1.0 {
                    warn(self, p.max);
                }
                if p.min < 0.0 {
                    warn(self, p.min);
                }
            }
        }
        let mut params = params;
        let mut groups = vec![Group::default(); result.len()];
        let mut curs = cursors(input);
        let steps = self.steps();
        let sem = self.opts.semantics;
        for ts in steps {
            let q = params.as_mut().map_or(0.0, Params::next_value);
            for g in &mut groups {
                g.seen = false;
            }
            for (si, s) in input.iter().enumerate() {
                let Some((f, h)) = next_value(s, &mut curs[si], ts) else {
                    continue;
                };
                let g = &mut groups[series_group[si]];
                if !g.seen {
                    *g = Group {
                        seen: true,
                        value: f,
                        mean: f,
                        count: 1.0,
                        drop_name: s.drop_name,
                        // Without compensation (2.42) `avg` is a running mean from the start.
                        incremental_mean: !sem.kahan_aggregation,
                        ..Default::default()
                    };
                    match op {
                        AggregateOp::Sum | AggregateOp::Avg => {
                            if let Some(h) = h {
                                g.has_histogram = true;
                                g.hist = Some(histogram_math::KahanSum::new(h));
                                g.note_hint(h);
                            } else {
                                g.has_float = true;
                            }
                        }
                        AggregateOp::Stddev | AggregateOp::Stdvar => {
                            if h.is_some() {
                                g.seen = false;
                                ignored_histogram(self, op, span);
                            } else if (f.is_nan() || f.is_infinite())
                                && !sem.stddev_nonfinite_first_is_zero
                            {
                                g.value = f64::NAN;
                            } else {
                                g.value = 0.0;
                            }
                        }
                        AggregateOp::Quantile => {
                            if h.is_some() {
                                g.seen = false;
                                ignored_histogram(self, op, span);
                            }
                            g.values = vec![f];
                        }
                        AggregateOp::Group => g.value = 1.0,
                        AggregateOp::Min | AggregateOp::Max if h.is_some() => {
                            g.seen = false;
                            ignored_histogram(self, op, span);
                        }
                        _ => {}
                    }
                    continue;
                }
                if g.incompatible {
                    continue;
                }
                if s.drop_name {
                    g.drop_name = true;
                }
                if let (Some(h), AggregateOp::Sum | AggregateOp::Avg) = (h, op) {
                    g.has_histogram = true;
                    if op == AggregateOp::Avg {
                        g.count += 1.0;
                    }
                    if sem.nhcb_mismatch_incompatible
                        && h.uses_custom_buckets()
                        && g.hist
                            .as_ref()
                            .and_then(|cur| cur.custom_values())
                            .is_some_and(|cv| cv != h.custom_values.as_slice())
                    {
                        g.incompatible = true;
                        crate::promql::functions::annotate::incompatible_custom_buckets(
                            &mut self.annos,
                            &s.metric,
                            span,
                        );
                        continue;
                    }
                    if !g.add_histogram(h, op == AggregateOp::Avg)? {
                        g.incompatible = true;
                        self.annos.warn(
                            format!(
                                "PromQL warning: vector contains a mix of histograms with exponential and custom buckets schemas for metric name {}",
                                go_quote(s.metric.metric_name().unwrap_or(""))
                            ),
                            Some(span),
                        );
                    }
                    continue;
                }
                match op {
                    AggregateOp::Sum => {
                        if h.is_some() {
                            g.has_histogram = true;
                        } else if sem.kahan_aggregation {
                            g.has_float = true;
                            (g.value, g.kahan_c) = kahan_sum_inc(f, g.value, g.kahan_c);
                        } else {
                            g.has_float = true;
                            g.value += f;
                        }
                    }
                    AggregateOp::Avg => {
                        g.count += 1.0;
                        if h.is_some() {
                            g.has_histogram = true;
                        } else if !sem.kahan_aggregation {
                            // 2.42's running mean, keeping an infinite mean that the
                            // next value cannot change.
                            g.has_float = true;
                            if g.mean.is_infinite()
                                && ((f.is_infinite() && (g.mean > 0.0) == (f > 0.0))
                                    || (!f.is_infinite() && !f.is_nan()))
                            {
                                continue;
                            }
                            g.mean += f / g.count - g.mean / g.count;
                        } else {
                            g.has_float = true;
                            if !g.incremental_mean {
                                let (nv, nc) = kahan_sum_inc(f, g.value, g.kahan_c);
                                if !nv.is_infinite() {
                                    g.value = nv;
                                    g.kahan_c = nc;
                                    continue;
                                }
                                g.incremental_mean = true;
                                g.mean = g.value / (g.count - 1.0);
                                g.kahan_c /= g.count - 1.0;
                            }
                            let q = (g.count - 1.0) / g.count;
                            (g.mean, g.kahan_c) =
                                kahan_sum_inc(f / g.count, q * g.mean, q * g.kahan_c);
                        }
                    }
                    AggregateOp::Group => {}
                    AggregateOp::Max => {
                        if h.is_some() {
                            ignored_histogram(self, op, span);
                        } else if g.value < f || g.value.is_nan() {
                            g.value = f;
                        }
                    }
                    AggregateOp::Min => {
                        if h.is_some() {
                            ignored_histogram(self, op, span);
                        } else if g.value > f || g.value.is_nan() {
                            g.value = f;
                        }
                    }
                    AggregateOp::Count => g.count += 1.0,
                    AggregateOp::Stddev | AggregateOp::Stdvar => {
                        if h.is_none() {
                            g.count += 1.0;
                            let delta = f - g.mean;
                            g.mean += delta / g.count;
                            g.value += delta * (f - g.mean);
                        } else {
                            ignored_histogram(self, op, span);
                        }
                    }
                    AggregateOp::Quantile => {
                        if h.is_some() {
                            ignored_histogram(self, op, span);
                        } else {
                            g.values.push(f);
                        }
                    }
                    _ => {}
                }
            }
            for (ri, g) in groups.iter_mut().enumerate() {
                if !g.seen {
                    continue;
                }
                let v = match op {
                    AggregateOp::Sum | AggregateOp::Avg => {
                        if g.has_float && g.has_histogram {
                            self.annos.warn(
                                "PromQL warning: encountered a mix of histograms and floats for aggregation",
                                Some(span),
                            );
                            continue;
                        }
                        if g.incompatible {
                            continue;
                        }
                        if g.has_histogram {
                            let Some(sum) = g.hist.take() else {
                                continue;
                            };
                            let mut hist = if op == AggregateOp::Avg && !g.hist_incremental {
                                sum.finish(g.count)
                            } else {
                                sum.finish(1.0)
                            };
                            histogram_math::compact(&mut hist);
                            if g.nhcb_reconciled {
                                self.annos.info(
                                    "PromQL info: mismatched custom buckets were reconciled during aggregation",
                                    Some(span),
                                );
                            }
                            if g.counter_reset_seen && g.not_counter_reset_seen {
                                self.annos.warn(
                                    "PromQL warning: conflicting counter resets during histogram aggregation",
                                    Some(span),
                                );
                            }
                            let out = &mut result[ri];
                            out.histograms.push(crate::promql::value::HPoint {
                                t: ts,
                                h: std::sync::Arc::new(hist),
                            });
                            out.drop_name = g.drop_name;
                            continue;
                        }
                        if op == AggregateOp::Sum && !sem.kahan_aggregation {
                            g.value
                        } else if op == AggregateOp::Sum {
                            g.value + g.kahan_c
                        } else if !sem.kahan_aggregation {
                            g.mean
                        } else if g.incremental_mean {
                            g.mean + g.kahan_c
                        } else {
                            g.value / g.count + g.kahan_c / g.count
                        }
                    }
                    AggregateOp::Count => g.count,
                    AggregateOp::Stdvar => g.value / g.count,
                    AggregateOp::Stddev => (g.value / g.count).sqrt(),
                    AggregateOp::Quantile => quantile(q, &mut g.values),
                    _ => g.value,
                };
                let out = &mut result[ri];
                out.floats.push(FPoint { t: ts, f: v });
                out.drop_name = g.drop_name;
            }
            self.check_samples()?;
        }
        result.retain(|s| !s.floats.is_empty() || !s.histograms.is_empty());
        Ok(result)
    }

    /// `count_values("label", v)`: per group, how many samples have each value.
    fn eval_count_values(
        &mut self,
        a: &AggregateExpr,
        mut grouping: Vec<String>,
    ) -> EvalResult<Vec<Series>> {
        let label = match a.param.as_deref().map(Expr::unparen) {
            Some(Expr::String(s)) => {
                // Go's model.UTF8Validation: a label name is any non-empty valid UTF-8.
                if s.val.is_empty() || s.invalid_utf8.is_some() {
                    return Err(EvalError::engine(format!(
                        "invalid label name {}",
                        s.go_quoted()
                    )));
                }
                s.val.clone()
            }
            _ => {
                return Err(EvalError::engine(
                    "count_values requires a string parameter",
                ))
            }
        };
        if !a.without {
            grouping.push(label.clone());
            grouping.sort();
        }
        let without = a.without;
        self.range_eval(&[&*a.expr], None, |inp, _| {
            let mut index: HashMap<Labels, usize> = HashMap::default();
            let mut out: Vec<VectorSample> = Vec::new();
            for s in &inp.vectors[0] {
                let value = match &s.h {
                    Some(h) => crate::promql::engine::histogram_trim::histogram_string(h),
                    None => format_go_f(s.f),
                };
                let metric = s.metric.with(&label, &value);
                let g = grouping_labels(&metric, without, &grouping);
                match index.get(&g) {
                    Some(&i) => out[i].f += 1.0,
                    None => {
                        index.insert(g.clone(), out.len());
                        out.push(VectorSample {
                            metric: g,
                            t: inp.ts,
                            f: 1.0,
                            h: None,
                            drop_name: false,
                        });
                    }
                }
            }
            Ok(out)
        })
    }
}

/// `strconv.FormatFloat(f, 'f', -1, 64)`.
pub(crate) fn format_go_f(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_without_drops_name() {
        let l = Labels::from_pairs([("__name__", "m"), ("a", "1"), ("b", "2")]);
        assert_eq!(
            grouping_labels(&l, true, &["a".into()]).to_string(),
            r#"{b="2"}"#
        );
        assert_eq!(
            grouping_labels(&l, false, &["a".into()]).to_string(),
            r#"{a="1"}"#
        );
        assert!(grouping_labels(&l, false, &[]).is_empty());
    }

    #[test]
    fn go_f_format() {
        assert_eq!(format_go_f(1e21), "1000000000000000000000");
        assert_eq!(format_go_f(0.5), "0.5");
        assert_eq!(format_go_f(f64::INFINITY), "+Inf");
    }
}
