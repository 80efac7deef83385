//! Least-squares linear regression over a range window: `deriv` and `predict_linear`.

use crate::model::histogram_math::kahan_sum_inc;
use crate::promql::engine::EvalError;
use crate::promql::functions::annotate::histogram_ignored_in_mixed_range;
use crate::promql::functions::FunctionCall;
use crate::promql::value::FPoint;

/// The slope (per second) and the intercept at `intercept_time` (ms) of the least-squares
/// line through `points` (at least one), with Kahan-compensated sums. Constant values give
/// slope 0 (NaN slope and intercept for a constant infinity).
pub fn linear_regression(points: &[FPoint], intercept_time: i64) -> (f64, f64) {
    let init_y = points[0].f;
    let mut const_y = true;
    let n = points.len() as f64;
    let (mut sum_x, mut c_x, mut sum_y, mut c_y) = (0.0, 0.0, 0.0, 0.0);
    let (mut sum_xy, mut c_xy, mut sum_x2, mut c_x2) = (0.0, 0.0, 0.0, 0.0);
    for (i, p) in points.iter().enumerate() {
        if const_y && i > 0 && p.f != init_y {
            const_y = false;
        }
        let x = (p.t - intercept_time) as f64 / 1e3;
        (sum_x, c_x) = kahan_sum_inc(x, sum_x, c_x);
        (sum_y, c_y) = kahan_sum_inc(p.f, sum_y, c_y);
        (sum_xy, c_xy) = kahan_sum_inc(x * p.f, sum_xy, c_xy);
        (sum_x2, c_x2) = kahan_sum_inc(x * x, sum_x2, c_x2);
    }
    if const_y {
        if init_y.is_infinite() {
            return (f64::NAN, f64::NAN);
        }
        return (0.0, init_y);
    }
    sum_x += c_x;
    sum_y += c_y;
    sum_xy += c_xy;
    sum_x2 += c_x2;
    let cov_xy = sum_xy - sum_x * sum_y / n;
    let var_x = sum_x2 - sum_x * sum_x / n;
    let slope = cov_xy / var_x;
    let intercept = sum_y / n - slope * sum_x / n;
    (slope, intercept)
}

/// The window's floats when there are at least two; an info when histograms were ignored.
fn regression_input<'a>(call: &mut FunctionCall<'a>) -> Option<&'a [FPoint]> {
    let w = call.range()?;
    if w.floats.is_empty() || (w.floats.len() < 2 && w.histograms.is_empty()) {
        return None;
    }
    if !w.histograms.is_empty() {
        histogram_ignored_in_mixed_range(call, w.metric, call.arg_span(0));
    }
    (w.floats.len() >= 2).then_some(w.floats)
}

/// `deriv(v range-vector)`: the per-second slope of the regression line.
pub fn deriv(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    if let Some(floats) = regression_input(call) {
        // Intercept near the values, for accuracy (prometheus/prometheus#2674).
        let (slope, _) = linear_regression(floats, floats[0].t);
        call.push_value(slope);
    }
    Ok(())
}

/// `predict_linear(v range-vector, t scalar)`: the regression line's value `t` seconds after
/// the evaluation time.
pub fn predict_linear(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let duration = call.scalar(1);
    if let Some(floats) = regression_input(call) {
        let (slope, intercept) = linear_regression(floats, call.t);
        call.push_value(slope * duration + intercept);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::linear_regression;
    use crate::promql::functions::test_util::{call, hpoint, labels, points, window};
    use crate::promql::functions::ArgValue;

    #[test]
    fn regression_of_a_line() {
        let p = points(&[(0, 1.0), (10, 3.0), (20, 5.0)]);
        assert_eq!(linear_regression(&p, 0), (0.2, 1.0));
        assert_eq!(linear_regression(&p, 20_000), (0.2, 5.0));
        let flat = points(&[(0, f64::INFINITY), (10, f64::INFINITY)]);
        let (s, i) = linear_regression(&flat, 0);
        assert!(s.is_nan() && i.is_nan());
    }

    #[test]
    fn deriv_and_prediction() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[(0, 0.0), (60, 60.0), (120, 120.0)]);
        let w = ArgValue::Range(window(&m, &f, &[], 120_000, 300_000));
        assert_eq!(call("deriv", 120_000, &[w]).value(), 1.0);
        let p = call("predict_linear", 120_000, &[w, ArgValue::Scalar(3600.0)]);
        assert_eq!(p.value(), 3720.0);
    }

    #[test]
    fn too_few_floats() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[(0, 1.0)]);
        let h = [hpoint(30_000, 1.0)];
        let one = call(
            "deriv",
            60_000,
            &[ArgValue::Range(window(&m, &f, &[], 60_000, 60_000))],
        );
        assert!(one.out.is_empty() && one.annotations.is_empty());
        let mixed = call(
            "deriv",
            60_000,
            &[ArgValue::Range(window(&m, &f, &h, 60_000, 60_000))],
        );
        assert!(mixed.out.is_empty());
        assert_eq!(mixed.annotations.iter().count(), 1);
    }
}
