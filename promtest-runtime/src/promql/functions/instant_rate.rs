//! `irate` and `idelta`: the rate or change between the last two points of a window.

use crate::model::histogram_math::detect_reset;
use crate::model::histogram_math::{divided, sub, HistogramError};
use crate::model::{CounterResetHint, FloatHistogram};
use crate::promql::engine::EvalError;
use crate::promql::functions::annotate::{
    args_span, mismatched_custom_buckets, mixed_exponential_custom, mixed_floats_histograms,
    not_a_counter, not_a_gauge,
};
use crate::promql::functions::changes::is_start_timestamp_reset;
use crate::promql::functions::nhcb_bounds::refuse_mismatched_bounds;
use crate::promql::functions::FunctionCall;
use crate::promql::value::VectorSample;

/// One of the newest points: its timestamp, start timestamp, and float or histogram value.
#[derive(Clone, Copy)]
struct Last<'a> {
    t: i64,
    st: i64,
    f: Option<f64>,
    h: Option<&'a FloatHistogram>,
}

/// `irate(v range-vector)`: per-second rate between the last two points (a decrease is a
/// counter reset: the rate is then the last value over the interval).
pub fn irate(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    instant_value(call, true)
}

/// `idelta(v range-vector)`: the difference between the last two points.
pub fn idelta(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    instant_value(call, false)
}

fn instant_value(call: &mut FunctionCall<'_>, is_rate: bool) -> Result<(), EvalError> {
    let Some(w) = call.range() else {
        return Ok(());
    };
    if w.floats.len() + w.histograms.len() < 2 {
        return Ok(());
    }
    // The last two points across floats and histograms, oldest first.
    let mut last: Vec<Last> = Vec::with_capacity(4);
    let start = w.floats.len().saturating_sub(2);
    for (i, p) in w.floats.iter().enumerate().skip(start) {
        let st = w.float_start_timestamps.get(i).copied().unwrap_or(0);
        last.push(Last {
            t: p.t,
            st,
            f: Some(p.f),
            h: None,
        });
    }
    let start = w.histograms.len().saturating_sub(2);
    for (i, p) in w.histograms.iter().enumerate().skip(start) {
        let st = w.histogram_start_timestamps.get(i).copied().unwrap_or(0);
        last.push(Last {
            t: p.t,
            st,
            f: None,
            h: Some(&*p.h),
        });
    }
    // Stable: a histogram at a float's timestamp counts as the newer one, as upstream.
    last.sort_by_key(|p| p.t);
    let (prev, cur) = (last[last.len() - 2], last[last.len() - 1]);
    let interval = cur.t - prev.t;
    if interval == 0 {
        return Ok(());
    }
    let (Some(a), Some(b)) = (prev.f, cur.f) else {
        return match (prev.h, cur.h) {
            (Some(p), Some(c)) => {
                let st_reset = is_start_timestamp_reset(prev.st, prev.t, cur.st, cur.t);
                histogram_value(call, w.metric, (p, c), st_reset, interval, is_rate);
                Ok(())
            }
            _ => {
                mixed_floats_histograms(call, w.metric, args_span(call));
                Ok(())
            }
        };
    };
    let reset = is_rate && (b < a || is_start_timestamp_reset(prev.st, prev.t, cur.st, cur.t));
    let mut v = if reset { b } else { b - a };
    if is_rate {
        v /= interval as f64 / 1000.0;
    }
    call.push_value(v);
    Ok(())
}

/// `irate`/`idelta` between two histograms: the difference (the newer histogram after a
/// counter reset for `irate`), as a gauge histogram, per second for `irate`.
fn histogram_value(
    call: &mut FunctionCall<'_>,
    metric: &crate::model::Labels,
    (prev, cur): (&FloatHistogram, &FloatHistogram),
    st_reset: bool,
    interval: i64,
    is_rate: bool,
) {
    let span = args_span(call);
    let gauge = |h: &FloatHistogram| h.counter_reset_hint == CounterResetHint::Gauge;
    if is_rate && (gauge(cur) || gauge(prev)) {
        not_a_counter(call, metric, span);
    }
    if !is_rate && (!gauge(cur) || !gauge(prev)) {
        not_a_gauge(call, metric, span);
    }
    let bounds_reset = call.semantics.nhcb_bounds_change_is_reset;
    let mut result = if !is_rate || (!st_reset && !detect_reset(cur, prev, bounds_reset)) {
        if refuse_mismatched_bounds(call, metric, [cur, prev]) {
            return;
        }
        match sub(cur, prev) {
            Ok((h, notes)) => {
                if notes.reconciled {
                    mismatched_custom_buckets(call, span, "subtraction");
                }
                h
            }
            Err(HistogramError::IncompatibleSchema) => {
                mixed_exponential_custom(call, metric, span);
                return;
            }
        }
    } else {
        cur.clone()
    };
    result.counter_reset_hint = CounterResetHint::Gauge;
    if is_rate {
        result = divided(&result, interval as f64 / 1000.0);
        result.counter_reset_hint = CounterResetHint::Gauge;
    }
    call.out.push(VectorSample {
        metric: crate::model::Labels::empty(),
        t: call.t,
        f: 0.0,
        h: Some(std::sync::Arc::new(result)),
        drop_name: false,
    });
}

#[cfg(test)]
mod tests {
    use crate::promql::functions::test_util::{call, hpoint, labels, points, window};
    use crate::promql::functions::ArgValue;

    #[test]
    fn last_two_points() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[(0, 1.0), (10, 5.0), (20, 25.0)]);
        let w = ArgValue::Range(window(&m, &f, &[], 30_000, 60_000));
        assert_eq!(call("irate", 30_000, &[w]).value(), 2.0);
        assert_eq!(call("idelta", 30_000, &[w]).value(), 20.0);
    }

    #[test]
    fn counter_reset_and_gauge_drop() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[(0, 10.0), (10, 4.0)]);
        let w = ArgValue::Range(window(&m, &f, &[], 30_000, 60_000));
        assert_eq!(call("irate", 30_000, &[w]).value(), 0.4);
        assert_eq!(call("idelta", 30_000, &[w]).value(), -6.0);
    }

    #[test]
    fn single_point_and_mixed() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[(0, 10.0)]);
        let none = ArgValue::Range(window(&m, &f, &[], 30_000, 60_000));
        assert!(call("irate", 30_000, &[none]).out.is_empty());
        let h = [hpoint(20_000, 1.0)];
        let mixed = call(
            "idelta",
            30_000,
            &[ArgValue::Range(window(&m, &f, &h, 30_000, 60_000))],
        );
        assert!(mixed.out.is_empty());
        assert_eq!(mixed.annotations.iter().count(), 1);
    }

    #[test]
    fn histogram_rate_and_delta() {
        let m = labels(&[("__name__", "h")]);
        let h = [hpoint(10_000, 4.0), hpoint(20_000, 10.0)];
        let w = ArgValue::Range(window(&m, &[], &h, 30_000, 60_000));
        let rate = call("irate", 30_000, &[w]);
        assert_eq!(rate.out[0].h.as_ref().map(|h| h.count), Some(0.6));
        assert!(rate.annotations.is_empty());
        let delta = call("idelta", 30_000, &[w]);
        assert_eq!(delta.out[0].h.as_ref().map(|h| h.count), Some(6.0));
        assert_eq!(
            delta.messages(),
            ["PromQL warning: this native histogram metric is not a gauge: \"h\""]
        );
        let reset = [hpoint(10_000, 4.0), hpoint(20_000, 1.0)];
        let w = ArgValue::Range(window(&m, &[], &reset, 30_000, 60_000));
        assert_eq!(
            call("irate", 30_000, &[w]).out[0]
                .h
                .as_ref()
                .map(|h| h.count),
            Some(0.1)
        );
    }
}
