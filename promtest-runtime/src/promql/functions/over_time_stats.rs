//! Statistics of a range window over time: `stddev_over_time`, `stdvar_over_time`,
//! `quantile_over_time`, `mad_over_time`.

use crate::model::histogram_math::kahan_sum_inc;
use crate::promql::engine::EvalError;
use crate::promql::functions::annotate::{histogram_ignored_in_mixed_range, invalid_quantile};
use crate::promql::functions::quantile::quantile;
use crate::promql::functions::{FunctionCall, RangeArg};

/// The window when it has floats; an info when histograms were ignored beside them.
fn float_window<'a>(call: &mut FunctionCall<'a>, span_arg: usize) -> Option<RangeArg<'a>> {
    let w = call.range()?;
    if w.floats.is_empty() {
        return None;
    }
    if !w.histograms.is_empty() {
        histogram_ignored_in_mixed_range(call, w.metric, call.arg_span(span_arg));
    }
    Some(w)
}

/// The population variance of `values` (Welford's algorithm with Kahan-compensated mean
/// and sum of squares, as Prometheus).
pub fn variance(values: impl Iterator<Item = f64>) -> f64 {
    let (mut count, mut mean, mut c_mean, mut aux, mut c_aux) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for f in values {
        count += 1.0;
        let delta = f - (mean + c_mean);
        (mean, c_mean) = kahan_sum_inc(delta / count, mean, c_mean);
        (aux, c_aux) = kahan_sum_inc(delta * (f - (mean + c_mean)), aux, c_aux);
    }
    (aux + c_aux) / count
}

/// `stdvar_over_time(v range-vector)`.
pub fn stdvar_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    if let Some(w) = float_window(call, 0) {
        call.push_value(variance(w.floats.iter().map(|p| p.f)));
    }
    Ok(())
}

/// `stddev_over_time(v range-vector)`.
pub fn stddev_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    if let Some(w) = float_window(call, 0) {
        call.push_value(variance(w.floats.iter().map(|p| p.f)).sqrt());
    }
    Ok(())
}

/// `quantile_over_time(q scalar, v range-vector)`; warns on a quantile outside `[0, 1]`.
pub fn quantile_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let q = call.scalar(0);
    let Some(w) = call.range() else {
        return Ok(());
    };
    if w.floats.is_empty() {
        return Ok(());
    }
    if q.is_nan() || !(0.0..=1.0).contains(&q) {
        invalid_quantile(call, q, call.arg_span(0));
    }
    if !w.histograms.is_empty() {
        histogram_ignored_in_mixed_range(call, w.metric, call.arg_span(0));
    }
    let mut values: Vec<f64> = w.floats.iter().map(|p| p.f).collect();
    call.push_value(quantile(q, &mut values));
    Ok(())
}

/// `mad_over_time(v range-vector)`: the median absolute deviation from the median; NaN when
/// any value is NaN.
pub fn mad_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let Some(w) = float_window(call, 0) else {
        return Ok(());
    };
    let mut values: Vec<f64> = w.floats.iter().map(|p| p.f).collect();
    let mad = if values.iter().any(|v| v.is_nan()) {
        f64::NAN
    } else {
        let median = quantile(0.5, &mut values);
        for v in &mut values {
            *v = (*v - median).abs();
        }
        quantile(0.5, &mut values)
    };
    call.push_value(mad);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::promql::functions::test_util::{call, hpoint, labels, points, window};
    use crate::promql::functions::ArgValue;

    fn stat(
        name: &str,
        q: Option<f64>,
        pts: &[(i64, f64)],
    ) -> crate::promql::functions::test_util::Outcome {
        let m = labels(&[("__name__", "m")]);
        let f = points(pts);
        let w = ArgValue::Range(window(&m, &f, &[], 100_000, 100_000));
        match q {
            Some(q) => call(name, 100_000, &[ArgValue::Scalar(q), w]),
            None => call(name, 100_000, &[w]),
        }
    }

    #[test]
    fn variance_and_deviation() {
        let pts = [
            (1, 2.0),
            (2, 4.0),
            (3, 4.0),
            (4, 4.0),
            (5, 5.0),
            (6, 5.0),
            (7, 7.0),
            (8, 9.0),
        ];
        assert_eq!(stat("stdvar_over_time", None, &pts).value(), 4.0);
        assert_eq!(stat("stddev_over_time", None, &pts).value(), 2.0);
        assert_eq!(stat("stdvar_over_time", None, &[(1, 3.0)]).value(), 0.0);
    }

    #[test]
    fn quantiles_and_warnings() {
        let pts = [(1, 0.0), (2, 10.0), (3, 20.0)];
        assert_eq!(stat("quantile_over_time", Some(0.75), &pts).value(), 15.0);
        let high = stat("quantile_over_time", Some(1.5), &pts);
        assert_eq!(high.value(), f64::INFINITY);
        assert_eq!(
            high.messages(),
            ["PromQL warning: quantile value should be between 0 and 1, got 1.5"]
        );
        let nan = stat("quantile_over_time", Some(f64::NAN), &pts);
        assert!(nan.value().is_nan());
        assert_eq!(
            nan.messages(),
            ["PromQL warning: quantile value should be between 0 and 1, got NaN"]
        );
    }

    #[test]
    fn median_absolute_deviation() {
        let pts = [
            (1, 1.0),
            (2, 1.0),
            (3, 2.0),
            (4, 2.0),
            (5, 4.0),
            (6, 6.0),
            (7, 9.0),
        ];
        assert_eq!(stat("mad_over_time", None, &pts).value(), 1.0);
        assert!(stat("mad_over_time", None, &[(1, 1.0), (2, f64::NAN)])
            .value()
            .is_nan());
    }

    #[test]
    fn histograms_only_give_nothing() {
        let m = labels(&[("__name__", "h")]);
        let h = [hpoint(1000, 1.0)];
        let w = ArgValue::Range(window(&m, &[], &h, 100_000, 100_000));
        assert!(call("stddev_over_time", 100_000, &[w]).out.is_empty());
        assert!(
            call("quantile_over_time", 100_000, &[ArgValue::Scalar(0.5), w])
                .out
                .is_empty()
        );
    }
}
