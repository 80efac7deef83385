//! Aggregations of a range window over time: `sum_over_time`, `avg_over_time`,
//! `count_over_time`, `min_over_time`, `max_over_time`, `present_over_time`,
//! `absent_over_time`.

use crate::model::histogram_math::kahan_sum_inc;
use crate::promql::engine::EvalError;
use crate::promql::functions::annotate::{
    histogram_ignored_in_mixed_range, mixed_floats_histograms,
};
use crate::promql::functions::over_time_histograms::{avg_histograms, sum_histograms};
use crate::promql::functions::{FunctionCall, RangeArg};
use crate::promql::value::FPoint;

/// The window's floats when it has no histograms; warns on a mixed window (`None`); a
/// window of only histograms is summed or averaged here (`None`).
fn floats_only<'a>(
    call: &mut FunctionCall<'_>,
    w: &RangeArg<'a>,
) -> Result<Option<&'a [FPoint]>, EvalError> {
    if !w.floats.is_empty() && !w.histograms.is_empty() {
        mixed_floats_histograms(call, w.metric, call.arg_span(0));
        return Ok(None);
    }
    if w.floats.is_empty() {
        if w.histograms.is_empty() {
            return Ok(None);
        }
        if call.name() == "avg_over_time" {
            avg_histograms(call, w.metric, w.histograms)?;
        } else {
            sum_histograms(call, w.metric, w.histograms)?;
        }
        return Ok(None);
    }
    Ok(Some(w.floats))
}

/// `sum_over_time(v range-vector)`: the Kahan-compensated sum of the window's floats.
pub fn sum_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let Some(w) = call.range() else {
        return Ok(());
    };
    let Some(floats) = floats_only(call, &w)? else {
        return Ok(());
    };
    call.push_value(kahan_sum(floats.iter().map(|p| p.f)));
    Ok(())
}

/// The Kahan–Neumaier sum of `values`; an infinite sum is returned without compensation.
pub fn kahan_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut c) = (0.0, 0.0);
    for v in values {
        (sum, c) = kahan_sum_inc(v, sum, c);
    }
    if sum.is_infinite() {
        sum
    } else {
        sum + c
    }
}

/// `avg_over_time(v range-vector)`: the mean of the window's floats, summed directly with
/// Kahan compensation while the sum stays finite, incrementally afterwards (as Prometheus).
pub fn avg_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let Some(w) = call.range() else {
        return Ok(());
    };
    let Some(floats) = floats_only(call, &w)? else {
        return Ok(());
    };
    let v = if call.semantics.avg_over_time_running_mean {
        running_mean(floats)
    } else {
        mean(floats)
    };
    call.push_value(v);
    Ok(())
}

/// 2.42's `avg_over_time`: a running mean, compensated, keeping an infinite mean that the
/// next value cannot change.
fn running_mean(floats: &[FPoint]) -> f64 {
    let (mut mean, mut c, mut count) = (0.0_f64, 0.0, 0.0);
    for p in floats {
        count += 1.0;
        if mean.is_infinite()
            && ((p.f.is_infinite() && (mean > 0.0) == (p.f > 0.0))
                || (!p.f.is_infinite() && !p.f.is_nan()))
        {
            continue;
        }
        (mean, c) = kahan_sum_inc(p.f / count - mean / count, mean, c);
    }
    if mean.is_infinite() {
        mean
    } else {
        mean + c
    }
}

/// The mean of non-empty `floats` (Prometheus's `avg_over_time` float algorithm).
fn mean(floats: &[FPoint]) -> f64 {
    let mut sum = floats[0].f;
    let mut count = 1.0;
    let mut c = 0.0;
    let mut mean = 0.0;
    let mut incremental = false;
    for (i, p) in floats[1..].iter().enumerate() {
        count = (i + 2) as f64;
        if !incremental {
            let (new_sum, new_c) = kahan_sum_inc(p.f, sum, c);
            if !new_sum.is_infinite() {
                (sum, c) = (new_sum, new_c);
                continue;
            }
            incremental = true;
            mean = sum / (count - 1.0);
            c /= count - 1.0;
        }
        let q = (count - 1.0) / count;
        (mean, c) = kahan_sum_inc(p.f / count, q * mean, q * c);
    }
    if incremental {
        mean + c
    } else {
        sum / count + c / count
    }
}

/// `count_over_time(v range-vector)`: the number of points (floats and histograms).
pub fn count_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    if let Some(w) = call.range() {
        call.push_value((w.floats.len() + w.histograms.len()) as f64);
    }
    Ok(())
}

/// `present_over_time(v range-vector)`: 1 for every series with points in the window.
pub fn present_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    if call.range().is_some() {
        call.push_value(1.0);
    }
    Ok(())
}

/// `absent_over_time(v range-vector)`: 1 for every present series; the engine turns the
/// steps without any into the absent result.
pub fn absent_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    present_over_time(call)
}

/// The float point picked by `better(candidate, current)` over the window's floats, starting
/// from the first; histograms are ignored (with an info on a mixed window).
pub(crate) fn pick_float(
    call: &mut FunctionCall<'_>,
    better: fn(f64, f64) -> bool,
) -> Option<FPoint> {
    let w = call.range()?;
    let first = *w.floats.first()?;
    if !w.histograms.is_empty() {
        histogram_ignored_in_mixed_range(call, w.metric, call.arg_span(0));
    }
    Some(
        w.floats
            .iter()
            .fold(first, |best, p| if better(p.f, best.f) { *p } else { best }),
    )
}

/// `max_over_time(v range-vector)`: the largest float (a NaN is replaced by any later value).
pub fn max_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    if let Some(p) = pick_float(call, |cur, best| cur > best || best.is_nan()) {
        call.push_value(p.f);
    }
    Ok(())
}

/// `min_over_time(v range-vector)`: the smallest float (a NaN is replaced by any later value).
pub fn min_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    if let Some(p) = pick_float(call, |cur, best| cur < best || best.is_nan()) {
        call.push_value(p.f);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::promql::functions::test_util::{call, hpoint, labels, points, window};
    use crate::promql::functions::ArgValue;

    fn over(name: &str, pts: &[(i64, f64)]) -> f64 {
        let m = labels(&[("__name__", "m")]);
        let f = points(pts);
        call(
            name,
            60_000,
            &[ArgValue::Range(window(&m, &f, &[], 60_000, 60_000))],
        )
        .value()
    }

    #[test]
    fn sums_and_counts() {
        assert_eq!(
            over("sum_over_time", &[(10, 1.0), (20, 2.5), (30, -0.5)]),
            3.0
        );
        assert_eq!(over("count_over_time", &[(10, 1.0), (20, 2.5)]), 2.0);
        assert_eq!(over("present_over_time", &[(10, 7.0)]), 1.0);
    }

    #[test]
    fn sum_is_compensated() {
        assert_eq!(
            over(
                "sum_over_time",
                &[(1, 1.0), (2, 1e100), (3, 1.0), (4, -1e100)]
            ),
            2.0
        );
        assert_eq!(
            over("sum_over_time", &[(1, f64::INFINITY), (2, 1.0)]),
            f64::INFINITY
        );
    }

    #[test]
    fn average_survives_overflow() {
        assert_eq!(over("avg_over_time", &[(1, 1.0), (2, 2.0), (3, 6.0)]), 3.0);
        let big = f64::MAX;
        let avg = over("avg_over_time", &[(1, big), (2, big), (3, big)]);
        assert!(avg.is_finite() && (avg - big).abs() / big < 1e-15);
        assert!(over("avg_over_time", &[(1, 1.0), (2, f64::NAN)]).is_nan());
    }

    #[test]
    fn min_max_skip_leading_nan() {
        assert_eq!(
            over("max_over_time", &[(1, f64::NAN), (2, 3.0), (3, 1.0)]),
            3.0
        );
        assert_eq!(
            over("min_over_time", &[(1, f64::NAN), (2, 3.0), (3, 1.0)]),
            1.0
        );
        assert_eq!(over("max_over_time", &[(1, 3.0), (2, f64::NAN)]), 3.0);
        assert!(over("min_over_time", &[(1, f64::NAN)]).is_nan());
    }

    #[test]
    fn mixed_windows_warn_or_inform() {
        let m = labels(&[("__name__", "mix")]);
        let f = points(&[(10, 1.0)]);
        let h = [hpoint(20_000, 3.0)];
        let w = window(&m, &f, &h, 60_000, 60_000);
        let sum = call("sum_over_time", 60_000, &[ArgValue::Range(w)]);
        assert!(sum.out.is_empty());
        assert_eq!(
            sum.messages(),
            ["PromQL warning: encountered a mix of histograms and floats for metric name \"mix\""]
        );
        let max = call("max_over_time", 60_000, &[ArgValue::Range(w)]);
        assert_eq!(max.value(), 1.0);
        assert_eq!(
            max.messages(),
            ["PromQL info: ignored histograms in a range containing both floats and histograms for metric name \"mix\""]
        );
        assert_eq!(
            call("count_over_time", 60_000, &[ArgValue::Range(w)]).value(),
            2.0
        );
    }

    #[test]
    fn histogram_only_windows() {
        let m = labels(&[("__name__", "h")]);
        let h = [hpoint(20_000, 3.0), hpoint(40_000, 5.0)];
        let w = window(&m, &[], &h, 60_000, 60_000);
        let sum = call("sum_over_time", 60_000, &[ArgValue::Range(w)]);
        assert_eq!(sum.out[0].h.as_ref().map(|h| h.count), Some(8.0));
        let avg = call("avg_over_time", 60_000, &[ArgValue::Range(w)]);
        assert_eq!(avg.out[0].h.as_ref().map(|h| h.count), Some(4.0));
        assert!(call("max_over_time", 60_000, &[ArgValue::Range(w)])
            .out
            .is_empty());
    }
}
