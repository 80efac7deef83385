//! `rate`, `increase` and `delta`: extrapolated change over a range window.

use crate::promql::engine::EvalError;
use crate::promql::functions::changes::is_start_timestamp_reset;
use crate::promql::functions::extrapolation::Extrapolation;
use crate::promql::functions::rate_histogram::{
    extended_histogram_rate, extrapolated_histogram_rate,
};
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
        if w.anchored || w.smoothed {
            return extended_histogram_rate(call, &w, is_counter, is_rate);
        }
        return extrapolated_histogram_rate(call, &w, is_counter, is_rate);
    }
    if w.anchored || w.smoothed {
        if let Some(v) = extended_rate(&w, is_counter, is_rate) {
            call.push_value(v);
        }
        return Ok(());
    }
    let f = w.floats;
    if f.is_empty() {
        return Ok(());
    }
    let sts = if is_counter {
        w.float_start_timestamps
    } else {
        &[]
    };
    let n_minus_one = f.len() - 1;
    let (first, last) = (f[0], f[n_minus_one]);
    let mut result = last.f - first.f;
    // A window the caller knows to be plain would go through the loop without effect.
    if is_counter && !w.plain_counter {
        let mut overlap_warned = false;
        for (i, pair) in f.windows(2).enumerate() {
            let st_pair = sts.get(i).zip(sts.get(i + 1));
            if let Some((&prev_st, &cur_st)) = st_pair {
                if !overlap_warned && start_time_overlaps(prev_st, pair[0].t, cur_st) {
                    overlap_warning(call, &w);
                    overlap_warned = true;
                }
            }
            let st_reset = st_pair.is_some_and(|(&prev_st, &cur_st)| {
                is_start_timestamp_reset(prev_st, pair[0].t, cur_st, pair[1].t)
            });
            if pair[1].f < pair[0].f || st_reset {
                result += pair[0].f;
            }
        }
    }
    let mut ext = Extrapolation::new(&w, first.t, last.t, n_minus_one);
    let first_st = sts.first().copied().unwrap_or(0);
    let clamp_start = if ext.start_inside(&w, first_st, first.t, last.t) {
        // The first sample's start time lies in the window: assume a zero value there
        // instead of extrapolating to the left.
        result += first.f;
        false
    } else if n_minus_one == 0 {
        return Ok(());
    } else {
        true
    };
    let to_zero =
        (is_counter && result > 0.0 && first.f >= 0.0).then(|| ext.sampled() * (first.f / result));
    let factor = ext.factor(
        clamp_start,
        to_zero,
        w.range,
        is_rate,
        call.semantics.rate_zero_clamp_before_threshold,
    );
    call.push_value(result * factor);
    Ok(())
}

/// Whether a sample's start time overlaps the previous sample (Prometheus's
/// `checkStartTimeOverlap`).
fn start_time_overlaps(prev_st: i64, prev_t: i64, cur_st: i64) -> bool {
    cur_st != 0 && cur_st < prev_t && cur_st != prev_st
}

/// `NewStartTimeOverlapWarning`.
fn overlap_warning(call: &mut FunctionCall<'_>, w: &RangeArg<'_>) {
    let span = call.arg_span(0);
    call.annotations.warn(
        format!(
            "PromQL warning: sample has start time that overlaps with previous sample timestamp for metric {}",
            crate::promql::engine::errors::go_quote(w.metric.metric_name().unwrap_or(""))
        ),
        Some(span),
    );
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

#[cfg(test)]
mod tests {
    use crate::promql::functions::test_util::{call, labels, points, window};
    use crate::promql::functions::ArgValue;

    #[test]
    fn extrapolates_plain_counter() {
        let m = labels(&[("__name__", "c_total")]);
        let f = points(&[(60, 10.0), (120, 20.0), (180, 30.0), (240, 40.0)]);
        let w = window(&m, &f, &[], 240_000, 180_000);
        // Samples 60s apart reach the window's start (60s) and end exactly.
        assert_eq!(
            call("increase", 240_000, &[ArgValue::Range(w)]).value(),
            30.0
        );
    }

    #[test]
    fn start_timestamp_inside_window_replaces_extrapolation() {
        let m = labels(&[("__name__", "c_total")]);
        let f = points(&[(120, 60.0), (180, 120.0), (240, 180.0)]);
        let sts = [60_000, 60_000, 60_000];
        let mut w = window(&m, &f, &[], 240_000, 200_000);
        w.float_start_timestamps = &sts;
        // A zero at the start time (60s), then 180 by 240s.
        assert_eq!(
            call("increase", 240_000, &[ArgValue::Range(w)]).value(),
            180.0
        );
        let one = points(&[(120, 60.0)]);
        let mut w = window(&m, &one, &[], 240_000, 200_000);
        w.float_start_timestamps = &sts[..1];
        assert_eq!(
            call("increase", 240_000, &[ArgValue::Range(w)]).value(),
            60.0
        );
    }

    #[test]
    fn start_timestamp_reset_and_overlap() {
        let m = labels(&[("__name__", "c_total")]);
        let f = points(&[(60, 5.0), (120, 7.0), (180, 9.0)]);
        // The third sample restarted at 150s; the second overlaps the first sample.
        let sts = [1, 30_000, 150_000];
        let mut w = window(&m, &f, &[], 180_000, 120_000);
        w.float_start_timestamps = &sts;
        let out = call("increase", 180_000, &[ArgValue::Range(w)]);
        // 9 - 5, plus 7 before the restart.
        assert_eq!(out.value(), 11.0);
        assert_eq!(
            out.messages(),
            ["PromQL warning: sample has start time that overlaps with previous sample timestamp for metric \"c_total\""]
        );
    }
}
