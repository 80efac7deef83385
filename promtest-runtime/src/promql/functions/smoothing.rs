//! `double_exponential_smoothing`: Holt's linear smoothing of a range window.

use crate::promql::engine::EvalError;
use crate::promql::functions::annotate::histogram_ignored_in_mixed_range;
use crate::promql::functions::FunctionCall;

/// Formats `v` as Go's `%f` (six decimals).
fn go_f(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        format!("{v:.6}")
    }
}

/// `double_exponential_smoothing(v range-vector, sf scalar, tf scalar)`: the smoothed value
/// at the window's end; the factors must lie strictly between 0 and 1.
pub fn double_exponential_smoothing(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let (sf, tf) = (call.scalar(1), call.scalar(2));
    let Some(w) = call.range() else {
        return Ok(());
    };
    if sf <= 0.0 || sf >= 1.0 {
        return Err(EvalError::engine(format!(
            "invalid smoothing factor. Expected: 0 < sf < 1, got: {}",
            go_f(sf)
        )));
    }
    if tf <= 0.0 || tf >= 1.0 {
        return Err(EvalError::engine(format!(
            "invalid trend factor. Expected: 0 < tf < 1, got: {}",
            go_f(tf)
        )));
    }
    let f = w.floats;
    if f.len() < 2 {
        if f.len() == 1 && !w.histograms.is_empty() {
            histogram_ignored_in_mixed_range(call, w.metric, call.arg_span(0));
        }
        return Ok(());
    }
    let mut s0 = 0.0;
    let mut s1 = f[0].f;
    let mut b = f[1].f - f[0].f;
    for (i, p) in f.iter().enumerate().skip(1) {
        let x = sf * p.f;
        if i > 1 {
            b = tf * (s1 - s0) + (1.0 - tf) * b;
        }
        let y = (1.0 - sf) * (s1 + b);
        (s0, s1) = (s1, x + y);
    }
    if !w.histograms.is_empty() {
        histogram_ignored_in_mixed_range(call, w.metric, call.arg_span(0));
    }
    call.push_value(s1);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::promql::functions::test_util::{call, labels, points, window};
    use crate::promql::functions::ArgValue;

    #[test]
    fn smooths_a_line_exactly() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[(0, 0.0), (10, 10.0), (20, 20.0), (30, 30.0)]);
        let w = ArgValue::Range(window(&m, &f, &[], 30_000, 60_000));
        let out = call(
            "double_exponential_smoothing",
            30_000,
            &[w, ArgValue::Scalar(0.5), ArgValue::Scalar(0.5)],
        );
        assert_eq!(out.value(), 30.0);
    }

    #[test]
    fn rejects_bad_factors() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[(0, 0.0), (10, 10.0)]);
        let w = ArgValue::Range(window(&m, &f, &[], 30_000, 60_000));
        let out = call(
            "double_exponential_smoothing",
            30_000,
            &[w, ArgValue::Scalar(1.0), ArgValue::Scalar(0.5)],
        );
        assert_eq!(
            out.result.unwrap_err().to_string(),
            "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000"
        );
    }
}
