//! `rate`, `increase` and `delta`: extrapolated change over a range window.

use crate::promql::engine::EvalError;
use crate::promql::functions::{FunctionCall, RangeArg};
use crate::promql::value::FPoint;

/// `rate(v range-vector)`.
pub fn rate(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    extrapolated_rate(call, true, true)
}

/// `increase(v range-vector)`.
pub fn increase(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    extrapolated_rate(call, true, false)
}

/// `delta(v range-vector)`.
pub fn delta(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    extrapolated_rate(call, false, false)
}

fn mixed_warning(call: &mut FunctionCall<'_>, w: &RangeArg<'_>) {
    let name = w.metric.metric_name().unwrap_or("");
    let span = call.arg_span(0);
    call.annotations.warn(
        format!(
            "PromQL warning: encountered a mix of histograms and floats for metric name {}",
            crate::promql::engine::errors::go_quote(name)
        ),
        Some(span),
    );
}

fn extrapolated_rate(
    call: &mut FunctionCall<'_>,
    is_counter: bool,
    is_rate: bool,
) -> Result<(), EvalError> {
    let Some(w) = call.range() else {
        return Ok(());
    };
    if !w.histograms.is_empty() && !w.floats.is_empty() {
        mixed_warning(call, &w);
        return Ok(());
    }
    if !w.histograms.is_empty() {
        return Err(EvalError::unsupported(format!(
            "{} over native histograms",
            call.name()
        )));
    }
    if w.anchored || w.smoothed {
        if let Some(v) = extended_rate(&w, is_counter, is_rate) {
            call.push_value(v);
        }
        return Ok(());
    }
    let f = w.floats;
    if f.len() < 2 {
        return Ok(());
    }
    let n_minus_one = f.len() - 1;
    let (first, last) = (f[0], f[n_minus_one]);
    let mut result = last.f - first.f;
    if is_counter {
        for pair in f.windows(2) {
            if pair[1].f < pair[0].f {
                result += pair[0].f;
            }
        }
    }
    let mut to_start = (first.t - w.range_start) as f64 / 1000.0;
    let mut to_end = (w.range_end - last.t) as f64 / 1000.0;
    let sampled = (last.t - first.t) as f64 / 1000.0;
    let avg = sampled / n_minus_one as f64;
    let threshold = avg * 1.1;
    if to_start >= threshold {
        to_start = avg / 2.0;
    }
    if is_counter {
        let mut to_zero = to_start;
        if result > 0.0 && first.f >= 0.0 {
            to_zero = sampled * (first.f / result);
        }
        if to_zero < to_start {
            to_start = to_zero;
        }
    }
    if to_end >= threshold {
        to_end = avg / 2.0;
    }
    let mut factor = if sampled != 0.0 {
        (sampled + to_start + to_end) / sampled
    } else {
        1.0
    };
    if is_rate {
        factor /= w.range as f64 / 1000.0;
    }
    call.push_value(result * factor);
    Ok(())
}

fn interpolate(p1: FPoint, p2: FPoint, t: i64, is_counter: bool) -> f64 {
    let y1 = if is_counter && p2.f < p1.f { 0.0 } else { p1.f };
    y1 + (p2.f - y1) * (t - p1.t) as f64 / (p2.t - p1.t) as f64
}

/// Anchored/smoothed rate over floats (Prometheus's `extendedRate`).
fn extended_rate(w: &RangeArg<'_>, is_counter: bool, is_rate: bool) -> Option<f64> {
    let f = w.floats;
    if f.is_empty() {
        return None;
    }
    let mut last = f.len() - 1;
    let first = f[..last]
        .partition_point(|p| p.t <= w.range_start)
        .saturating_sub(1);
    if w.smoothed {
        last = f[..last].partition_point(|p| p.t < w.range_end);
    }
    if f[last].t <= w.range_start || (w.smoothed && f[first].t > w.range_end) {
        return None;
    }
    let left = if w.smoothed && f[first].t < w.range_start {
        interpolate(f[first], f[first + 1], w.range_start, is_counter)
    } else {
        f[first].f
    };
    let right = if w.smoothed && last > 0 && f[last].t > w.range_end {
        interpolate(f[last - 1], f[last], w.range_end, is_counter)
    } else {
        f[last].f
    };
    let mut result = right - left;
    if is_counter {
        let lo = if f[first].t <= w.range_start {
            first + 1
        } else {
            first
        };
        let hi = if f[last].t >= w.range_end {
            last as isize - 1
        } else {
            last as isize
        };
        let inner: &[FPoint] = if hi >= lo as isize {
            &f[lo..=hi as usize]
        } else {
            &[]
        };
        let mut prev = left;
        for p in inner {
            if p.f < prev {
                result += prev;
            }
            prev = p.f;
        }
        if right < prev {
            result += prev;
        }
    }
    if is_rate {
        result /= w.range as f64 / 1000.0;
    }
    Some(result)
}
