//! `smoothed` instant selectors: the value at each step interpolated between the samples
//! around it within the lookback delta on both sides (Prometheus's `smoothSeries`), for
//! floats and native histograms.

use std::sync::Arc;

use crate::model::histogram_math::{interpolate, HistogramError};
use crate::model::{CounterResetHint, FloatHistogram};
use crate::promql::annotations::Annotations;
use crate::promql::ast::{Span, VectorSelector};
use crate::promql::engine::errors::{go_quote, EvalResult};
use crate::promql::engine::limits::histogram_point_size;
use crate::promql::engine::matrix::PointSeries;
use crate::promql::engine::step_loop::Evaluator;
use crate::promql::value::{FPoint, HPoint, Series};

/// Linear interpolation of two histograms at `t` (the shared [`interpolate`]), with the
/// annotations for reconciled custom bounds.
fn interpolate_histograms(
    p1: &HPoint,
    p2: &HPoint,
    t: i64,
    is_counter: bool,
    annos: &mut Annotations,
    span: Span,
) -> Result<FloatHistogram, HistogramError> {
    let r = interpolate((p1.t, &p1.h), (p2.t, &p2.h), t, is_counter)?;
    for (reconciled, op) in [
        (r.reconciled_sub, "subtraction"),
        (r.reconciled_add, "addition"),
    ] {
        if reconciled {
            annos.info(
                format!("PromQL info: mismatched custom buckets were reconciled during {op}"),
                Some(span),
            );
        }
    }
    Ok(r.h)
}

impl<'a> Evaluator<'a> {
    /// Evaluates a `smoothed` instant selector.
    pub(crate) fn eval_smoothed_selector(
        &mut self,
        vs: &VectorSelector,
        offset: i64,
        at: Option<i64>,
    ) -> EvalResult<Vec<Series>> {
        let lookback = self.opts.lookback_delta;
        let (lo, hi) = match at {
            Some(a) => (a - offset, a - offset),
            None => (self.start - offset, self.end - offset),
        };
        let store = self.store;
        let views = store.select(&vs.matchers, lo - lookback + 1, hi + lookback);
        let steps = self.steps();
        let span = vs.span;
        let mut mat = Vec::new();
        for view in &views {
            let ps = PointSeries::from_view(view);
            let name = go_quote(ps.metric.metric_name().unwrap_or(""));
            let mut ss = Series {
                metric: ps.metric.clone(),
                ..Default::default()
            };
            for ts in steps {
                let data_ts = at.unwrap_or(ts) - offset;
                let w = ps.window(data_ts - lookback, data_ts + lookback);
                let floats = &ps.floats[w.floats.0..w.floats.1];
                let hists = &ps.histograms[w.histograms.0..w.histograms.1];
                if floats.is_empty() && hists.is_empty() {
                    continue;
                }
                if !floats.is_empty() && !hists.is_empty() {
                    self.annos.warn(
                        format!("PromQL warning: encountered a mix of histograms and floats for metric name {name}"),
                        Some(span),
                    );
                    continue;
                }
                if !hists.is_empty() {
                    let i = hists.partition_point(|p| p.t < data_ts);
                    let h = if i < hists.len() && hists[i].t == data_ts {
                        (*hists[i].h).clone()
                    } else if i > 0 && i < hists.len() {
                        let (prev, next) = (&hists[i - 1], &hists[i]);
                        if prev.h.uses_custom_buckets() != next.h.uses_custom_buckets() {
                            self.annos.warn(
                                format!("PromQL warning: vector contains a mix of histograms with exponential and custom buckets schemas for metric name {name}"),
                                Some(span),
                            );
                            continue;
                        }
                        let is_counter = prev.h.counter_reset_hint != CounterResetHint::Gauge
                            || next.h.counter_reset_hint != CounterResetHint::Gauge;
                        match interpolate_histograms(
                            prev,
                            next,
                            data_ts,
                            is_counter,
                            &mut self.annos,
                            span,
                        ) {
                            Ok(h) => h,
                            Err(HistogramError::IncompatibleSchema) => {
                                self.annos.warn(
                                    format!("PromQL warning: vector contains a mix of histograms with exponential and custom buckets schemas for metric name {name}"),
                                    Some(span),
                                );
                                continue;
                            }
                        }
                    } else if i > 0 {
                        let mut h = (*hists[i - 1].h).clone();
                        h.counter_reset_hint = CounterResetHint::Unknown;
                        h
                    } else {
                        continue;
                    };
                    self.add_samples(histogram_point_size(&h))?;
                    ss.histograms.push(HPoint {
                        t: ts,
                        h: Arc::new(h),
                    });
                    continue;
                }
                let i = floats.partition_point(|p| p.t < data_ts);
                let v = if i < floats.len() && floats[i].t == data_ts {
                    floats[i].f
                } else if i > 0 && i < floats.len() {
                    let (p1, p2) = (floats[i - 1], floats[i]);
                    p1.f + (p2.f - p1.f) * (data_ts - p1.t) as f64 / (p2.t - p1.t) as f64
                } else if i > 0 {
                    floats[i - 1].f
                } else {
                    continue;
                };
                self.add_samples(1)?;
                ss.floats.push(FPoint { t: ts, f: v });
            }
            if !ss.floats.is_empty() || !ss.histograms.is_empty() {
                mat.push(ss);
            }
        }
        Ok(mat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span as BucketSpan;

    fn hp(t: i64, count: f64, hint: CounterResetHint) -> HPoint {
        HPoint {
            t,
            h: Arc::new(FloatHistogram {
                counter_reset_hint: hint,
                count,
                sum: count,
                positive_spans: vec![BucketSpan {
                    offset: 0,
                    length: 1,
                }],
                positive_buckets: vec![count],
                ..Default::default()
            }),
        }
    }

    #[test]
    fn interpolates_between_histograms() {
        let mut annos = Annotations::new();
        let (a, b) = (
            hp(0, 2.0, CounterResetHint::Gauge),
            hp(10, 4.0, CounterResetHint::Gauge),
        );
        let h = interpolate_histograms(&a, &b, 5, false, &mut annos, Span::default()).unwrap();
        assert_eq!(h.count, 3.0);
        assert_eq!(h.positive_buckets, vec![3.0]);
    }

    #[test]
    fn counter_reset_restarts_from_zero() {
        let mut annos = Annotations::new();
        let (a, b) = (
            hp(0, 8.0, CounterResetHint::Unknown),
            hp(10, 4.0, CounterResetHint::Unknown),
        );
        let h = interpolate_histograms(&a, &b, 5, true, &mut annos, Span::default()).unwrap();
        assert_eq!(h.count, 2.0);
    }
}
