//! `rate`, `increase` and `delta` over windows of native histograms (without the
//! `anchored`/`smoothed` modifiers): the difference between the last and first histogram,
//! corrected for counter resets, extrapolated like the float case.

use std::sync::Arc;

use crate::model::histogram_math::{add, scaled, sub, to_schema, HistogramError};
use crate::model::histogram_math::{detect_reset, interpolate};
use crate::model::{CounterResetHint, FloatHistogram, Labels};
use crate::promql::engine::EvalError;
use crate::promql::functions::annotate::{
    mismatched_custom_buckets, mixed_exponential_custom, not_a_counter, not_a_gauge,
};
use crate::promql::functions::changes::is_start_timestamp_reset;
use crate::promql::functions::extrapolation::Extrapolation;
use crate::promql::functions::nhcb_bounds::{refuses, warn_incompatible};
use crate::promql::functions::{FunctionCall, RangeArg};
use crate::promql::value::{HPoint, VectorSample};

/// Go's `return nil, annotations.New().Add(w)`: the series' annotations gathered since
/// `mark` are dropped, only the warning `w` adds is kept.
fn only_warning(call: &mut FunctionCall<'_>, mark: usize, w: impl FnOnce(&mut FunctionCall<'_>)) {
    call.annotations.discard_since(mark);
    w(call);
}

/// The counter-corrected difference of the window's histograms as a gauge histogram
/// (Prometheus's `histogramRate`), or `None` after a warning.
fn histogram_increase(
    call: &mut FunctionCall<'_>,
    metric: &Labels,
    points: &[HPoint],
    sts: &[i64],
    is_counter: bool,
) -> Option<FloatHistogram> {
    let mark = call.annotations.mark();
    let span = call.arg_span(0);
    let first = &*points[0].h;
    let last = &*points[points.len() - 1].h;
    let gauge = |h: &FloatHistogram| h.counter_reset_hint == CounterResetHint::Gauge;
    if is_counter && (gauge(first) || gauge(last)) {
        not_a_counter(call, metric, span);
    }
    let st_reset = |i: usize| {
        i + 1 < sts.len()
            && is_start_timestamp_reset(sts[i], points[i].t, sts[i + 1], points[i + 1].t)
    };
    // A reset right after the first point: start from an empty histogram instead.
    let bounds_reset = call.semantics.nhcb_bounds_change_is_reset;
    let empty;
    let mut prev: &FloatHistogram = first;
    if is_counter && (st_reset(0) || detect_reset(&points[1].h, first, bounds_reset)) {
        empty = FloatHistogram {
            schema: points[1].h.schema,
            custom_values: points[1].h.custom_values.clone(),
            ..Default::default()
        };
        prev = &empty;
    }
    if last.uses_custom_buckets() != prev.uses_custom_buckets() {
        mixed_exponential_custom(call, metric, span);
        return None;
    }
    let mut min_schema = last.schema.min(prev.schema);
    if is_counter {
        for p in &points[1..points.len() - 1] {
            if gauge(&p.h) {
                not_a_counter(call, metric, span);
            }
            min_schema = min_schema.min(p.h.schema);
            if p.h.uses_custom_buckets() != prev.uses_custom_buckets() {
                only_warning(call, mark, |c| mixed_exponential_custom(c, metric, span));
                return None;
            }
        }
    }
    if refuses(call, [last, prev]) {
        only_warning(call, mark, |c| warn_incompatible(c, metric));
        return None;
    }
    let Ok((mut h, notes)) = sub(&to_schema(last, min_schema), prev) else {
        only_warning(call, mark, |c| mixed_exponential_custom(c, metric, span));
        return None;
    };
    if notes.reconciled {
        mismatched_custom_buckets(call, span, "subtraction");
    }
    if is_counter {
        for (i, p) in points.iter().enumerate().skip(1) {
            if st_reset(i - 1) || detect_reset(&p.h, prev, bounds_reset) {
                if refuses(call, [&h, prev]) {
                    only_warning(call, mark, |c| warn_incompatible(c, metric));
                    return None;
                }
                match add(&h, prev) {
                    Ok((sum, notes)) => {
                        if notes.reconciled {
                            mismatched_custom_buckets(call, span, "addition");
                        }
                        h = sum;
                    }
                    Err(HistogramError::IncompatibleSchema) => {
                        only_warning(call, mark, |c| mixed_exponential_custom(c, metric, span));
                        return None;
                    }
                }
            }
            prev = &p.h;
        }
    } else if !gauge(first) || !gauge(last) {
        not_a_gauge(call, metric, span);
    }
    h.counter_reset_hint = CounterResetHint::Gauge;
    Some(h)
}

/// `rate`/`increase`/`delta` over a window holding only histograms.
pub fn extrapolated_histogram_rate(
    call: &mut FunctionCall<'_>,
    w: &RangeArg<'_>,
    is_counter: bool,
    is_rate: bool,
) -> Result<(), EvalError> {
    let hs = w.histograms;
    let sts = w.histogram_start_timestamps;
    let n_minus_one = hs.len() - 1;
    let (first_t, last_t) = (hs[0].t, hs[n_minus_one].t);
    let mut result = None;
    if hs.len() > 1 {
        match histogram_increase(call, w.metric, hs, sts, is_counter) {
            Some(h) => result = Some(h),
            None => return Ok(()),
        }
    }
    let mut ext = Extrapolation::new(w, first_t, last_t, n_minus_one);
    let first_st = sts.first().copied().unwrap_or(0);
    let clamp_start = if is_counter && ext.start_inside(w, first_st, first_t, last_t) {
        result = match result {
            None => Some((*hs[0].h).clone()),
            Some(r) => match add(&r, &hs[0].h) {
                Ok((sum, notes)) => {
                    if notes.reconciled {
                        let span = call.arg_span(0);
                        mismatched_custom_buckets(call, span, "addition");
                    }
                    Some(sum)
                }
                Err(HistogramError::IncompatibleSchema) => {
                    let span = call.arg_span(0);
                    mixed_exponential_custom(call, w.metric, span);
                    return Ok(());
                }
            },
        };
        false
    } else if n_minus_one == 0 {
        return Ok(());
    } else {
        true
    };
    let to_zero = match &result {
        Some(r)
            if call.semantics.histogram_rate_zero_clamp
                && is_counter
                && r.count > 0.0
                && hs[0].h.count >= 0.0 =>
        {
            Some(ext.sampled() * (hs[0].h.count / r.count))
        }
        _ => None,
    };
    let factor = ext.factor(
        clamp_start,
        to_zero,
        w.range,
        is_rate,
        call.semantics.rate_zero_clamp_before_threshold,
    );
    let Some(r) = result else {
        return Ok(());
    };
    let mut out = scaled(&r, factor);
    out.counter_reset_hint = CounterResetHint::Gauge;
    call.out.push(VectorSample {
        metric: Labels::empty(),
        t: call.t,
        f: 0.0,
        h: Some(Arc::new(out)),
        drop_name: false,
    });
    Ok(())
}

/// `a - b` or `a + b` with the annotations Prometheus adds; `None` after a warning about
/// mixing exponential and custom buckets.
fn combine(
    call: &mut FunctionCall<'_>,
    metric: &Labels,
    a: &FloatHistogram,
    b: &FloatHistogram,
    subtract: bool,
) -> Option<FloatHistogram> {
    let span = call.arg_span(0);
    let (outcome, name) = if subtract {
        (sub(a, b), "subtraction")
    } else {
        (add(a, b), "addition")
    };
    match outcome {
        Ok((h, notes)) => {
            if notes.reconciled {
                mismatched_custom_buckets(call, span, name);
            }
            Some(h)
        }
        Err(HistogramError::IncompatibleSchema) => {
            mixed_exponential_custom(call, metric, span);
            None
        }
    }
}

/// The histogram at `t` between `p1` and `p2` (the shared [`interpolate`]), with its
/// annotations; `None` after a warning about mixing exponential and custom buckets.
fn interpolate_at(
    call: &mut FunctionCall<'_>,
    metric: &Labels,
    (p1, p2): (&HPoint, &HPoint),
    t: i64,
    is_counter: bool,
) -> Option<FloatHistogram> {
    let span = call.arg_span(0);
    match interpolate((p1.t, &p1.h), (p2.t, &p2.h), t, is_counter) {
        Ok(r) => {
            if r.reconciled_sub {
                mismatched_custom_buckets(call, span, "subtraction");
            }
            if r.reconciled_add {
                mismatched_custom_buckets(call, span, "addition");
            }
            Some(r.h)
        }
        Err(_) => {
            mixed_exponential_custom(call, metric, span);
            None
        }
    }
}

/// The sum of the values before each counter reset between the boundary samples
/// `first` and `last` (Prometheus's `correctForCounterResetsHistogram`). `anchored` and
/// `smoothed` exist only at HEAD, so resets are detected as HEAD does.
fn reset_correction(
    call: &mut FunctionCall<'_>,
    w: &RangeArg<'_>,
    first: usize,
    last: usize,
    left: &FloatHistogram,
    right: &FloatHistogram,
) -> Result<Option<FloatHistogram>, ()> {
    let h = w.histograms;
    let mut from = first + 1;
    let mut prev: &FloatHistogram = left;
    if w.smoothed
        && h[first].t < w.range_start
        && from < h.len()
        && detect_reset(&h[from].h, &h[first].h, false)
    {
        prev = &h[from].h;
        from += 1;
    }
    if from > last {
        return Ok(None);
    }
    let mut correction: Option<FloatHistogram> = None;
    let mut add_correction = |call: &mut FunctionCall<'_>, c: &FloatHistogram| -> Result<(), ()> {
        correction = match correction.take() {
            None => Some(c.clone()),
            Some(sum) => Some(combine(call, w.metric, &sum, c, false).ok_or(())?),
        };
        Ok(())
    };
    for p in &h[from..last] {
        if detect_reset(&p.h, prev, false) {
            add_correction(call, prev)?;
        }
        prev = &p.h;
    }
    if detect_reset(right, prev, false) {
        add_correction(call, prev)?;
    }
    Ok(correction)
}

/// `rate`/`increase`/`delta` with the `anchored` or `smoothed` modifier over a window of
/// histograms (Prometheus's `extendedHistogramRate`).
pub fn extended_histogram_rate(
    call: &mut FunctionCall<'_>,
    w: &RangeArg<'_>,
    is_counter: bool,
    is_rate: bool,
) -> Result<(), EvalError> {
    let h = w.histograms;
    let span = call.arg_span(0);
    let mut last = h.len() - 1;
    let first = h[..last]
        .partition_point(|p| p.t <= w.range_start)
        .saturating_sub(1);
    if w.smoothed {
        last = h[..last].partition_point(|p| p.t < w.range_end);
    }
    if h[last].t <= w.range_start || (w.smoothed && h[first].t > w.range_end) {
        return Ok(());
    }
    let custom = h[first].h.uses_custom_buckets();
    for p in &h[first..=last] {
        if p.h.uses_custom_buckets() != custom {
            mixed_exponential_custom(call, w.metric, span);
            return Ok(());
        }
        if is_counter && p.h.counter_reset_hint == CounterResetHint::Gauge {
            not_a_counter(call, w.metric, span);
        }
    }
    let left = if w.smoothed && h[first].t < w.range_start && first + 1 < h.len() {
        interpolate_at(
            call,
            w.metric,
            (&h[first], &h[first + 1]),
            w.range_start,
            is_counter,
        )
    } else {
        Some((*h[first].h).clone())
    };
    let Some(left) = left else {
        return Ok(());
    };
    let right = if w.smoothed && last > 0 && h[last].t > w.range_end {
        interpolate_at(
            call,
            w.metric,
            (&h[last - 1], &h[last]),
            w.range_end,
            is_counter,
        )
    } else {
        Some((*h[last].h).clone())
    };
    let Some(right) = right else {
        return Ok(());
    };
    let gauge = |x: &FloatHistogram| x.counter_reset_hint == CounterResetHint::Gauge;
    if !is_counter && (!gauge(&left) || !gauge(&right)) {
        not_a_gauge(call, w.metric, span);
    }
    let Some(mut result) = combine(call, w.metric, &right, &left, true) else {
        return Ok(());
    };
    if is_counter {
        match reset_correction(call, w, first, last, &left, &right) {
            Err(()) => return Ok(()),
            Ok(Some(c)) => match combine(call, w.metric, &result, &c, false) {
                Some(r) => result = r,
                None => return Ok(()),
            },
            Ok(None) => {}
        }
    }
    if is_rate {
        result = crate::model::histogram_math::divided(&result, w.range as f64 / 1000.0);
    }
    result.counter_reset_hint = CounterResetHint::Gauge;
    call.out.push(VectorSample {
        metric: Labels::empty(),
        t: call.t,
        f: 0.0,
        h: Some(Arc::new(result)),
        drop_name: false,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::promql::functions::test_util::{call, hpoint, labels, window};
    use crate::promql::functions::ArgValue;

    #[test]
    fn increase_of_histograms() {
        let m = labels(&[("__name__", "h")]);
        // Samples every 60s covering the whole 180s window: no extrapolation needed.
        let h = [
            hpoint(60_000, 1.0),
            hpoint(120_000, 3.0),
            hpoint(180_000, 6.0),
            hpoint(240_000, 10.0),
        ];
        let w = ArgValue::Range(window(&m, &[], &h, 240_000, 180_000));
        let inc = call("increase", 240_000, &[w]);
        assert_eq!(inc.out[0].h.as_ref().map(|h| h.count), Some(9.0));
        let rate = call("rate", 240_000, &[w]);
        assert_eq!(rate.out[0].h.as_ref().map(|h| h.count), Some(0.05));
    }

    #[test]
    fn counter_reset_adds_the_value_before() {
        let m = labels(&[("__name__", "h")]);
        let h = [
            hpoint(60_000, 5.0),
            hpoint(120_000, 8.0),
            hpoint(180_000, 2.0),
            hpoint(240_000, 4.0),
        ];
        let w = ArgValue::Range(window(&m, &[], &h, 240_000, 180_000));
        let inc = call("increase", 240_000, &[w]);
        // 4 - 5 + 8 (the value before the reset).
        assert_eq!(inc.out[0].h.as_ref().map(|h| h.count), Some(7.0));
        let delta = call("delta", 240_000, &[w]);
        assert_eq!(delta.out[0].h.as_ref().map(|h| h.count), Some(-1.0));
        assert_eq!(delta.annotations.iter().count(), 1);
    }

    #[test]
    fn anchored_increase_uses_the_point_before_the_window() {
        let m = labels(&[("__name__", "h")]);
        // The window (60s, 180s] plus, anchored, the point at 30s before it.
        let h = [
            hpoint(30_000, 2.0),
            hpoint(90_000, 5.0),
            hpoint(150_000, 1.0),
            hpoint(180_000, 3.0),
        ];
        let mut w = window(&m, &[], &h, 180_000, 120_000);
        w.anchored = true;
        let inc = call("increase", 180_000, &[ArgValue::Range(w)]);
        // 3 - 2, plus 5 before the reset at 150s.
        assert_eq!(inc.out[0].h.as_ref().map(|h| h.count), Some(6.0));
    }
}
