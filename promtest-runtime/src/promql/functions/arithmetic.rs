//! Element-wise arithmetic on instant vectors: `ceil`, `floor`, `round`, `exp`, `ln`,
//! `log2`, `log10`, `sqrt`, `sgn`, `clamp`, `clamp_min`, `clamp_max`, and the scalar
//! functions `min_of`, `max_of`.

use crate::gomath::{self, max as go_max, min as go_min};
use crate::promql::engine::EvalError;
use crate::promql::functions::math::simple_float;
use crate::promql::functions::FunctionCall;

/// `ceil(v instant-vector)`.
pub fn ceil(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    simple_float(call, f64::ceil)
}

/// `floor(v instant-vector)`.
pub fn floor(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    simple_float(call, f64::floor)
}

/// `exp(v instant-vector)`.
pub fn exp(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    simple_float(call, gomath::exp)
}

/// `ln(v instant-vector)`.
pub fn ln(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    simple_float(call, gomath::log)
}

/// `log2(v instant-vector)`.
pub fn log2(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    simple_float(call, gomath::log2)
}

/// `log10(v instant-vector)`.
pub fn log10(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    simple_float(call, gomath::log10)
}

/// `sqrt(v instant-vector)`.
pub fn sqrt(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    simple_float(call, f64::sqrt)
}

/// `sgn(v instant-vector)`: -1, 1, or the value itself for zeros and NaN.
pub fn sgn(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    simple_float(call, |v| {
        if v < 0.0 {
            -1.0
        } else if v > 0.0 {
            1.0
        } else {
            v
        }
    })
}

/// `round(v instant-vector, to_nearest=1 scalar)`: ties round up.
pub fn round(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let to_nearest = if call.args.len() >= 2 {
        call.scalar(1)
    } else {
        1.0
    };
    // Dividing by the inverse causes fewer floating point accuracy issues.
    let inverse = 1.0 / to_nearest;
    for s in call.vector(0) {
        if s.h.is_none() {
            let v = (s.f * inverse + 0.5).floor() / inverse;
            call.push_float_dropping_name(&s.metric, v);
        }
    }
    Ok(())
}

/// Clamps every float sample of argument 0 into `[min, max]`; nothing when `max < min`.
fn clamp_into(call: &mut FunctionCall<'_>, min: f64, max: f64) -> Result<(), EvalError> {
    if max < min {
        return Ok(());
    }
    for s in call.vector(0) {
        if s.h.is_none() {
            call.push_float_dropping_name(&s.metric, go_max(min, go_min(max, s.f)));
        }
    }
    Ok(())
}

/// `clamp(v instant-vector, min scalar, max scalar)`.
pub fn clamp(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let (min, max) = (call.scalar(1), call.scalar(2));
    clamp_into(call, min, max)
}

/// `clamp_min(v instant-vector, min scalar)`.
pub fn clamp_min(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let min = call.scalar(1);
    clamp_into(call, min, f64::INFINITY)
}

/// `clamp_max(v instant-vector, max scalar)`.
pub fn clamp_max(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let max = call.scalar(1);
    clamp_into(call, f64::NEG_INFINITY, max)
}

/// `max_of(a scalar, b scalar)`.
pub fn max_of(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    call.push_value(go_max(call.scalar(0), call.scalar(1)));
    Ok(())
}

/// `min_of(a scalar, b scalar)`.
pub fn min_of(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    call.push_value(go_min(call.scalar(0), call.scalar(1)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{go_max, go_min};
    use crate::promql::functions::test_util::{call, sample};
    use crate::promql::functions::ArgValue;
    use crate::promql::value::VectorSample;

    fn vec(values: &[f64]) -> Vec<VectorSample> {
        values
            .iter()
            .enumerate()
            .map(|(i, &f)| sample(&[("__name__", "m"), ("i", &i.to_string())], f))
            .collect()
    }

    #[test]
    fn rounding() {
        let v = vec(&[1.5, -1.5, 2.4, f64::NAN]);
        let r = call("round", 0, &[ArgValue::Vector(&v)]).values();
        assert_eq!(&r[..3], &[2.0, -1.0, 2.0]);
        assert!(r[3].is_nan());
        let to = call("round", 0, &[ArgValue::Vector(&v), ArgValue::Scalar(0.5)]).values();
        assert_eq!(&to[..3], &[1.5, -1.5, 2.5]);
        assert_eq!(
            call("ceil", 0, &[ArgValue::Vector(&v)]).values()[..3],
            [2.0, -1.0, 3.0]
        );
        assert_eq!(
            call("floor", 0, &[ArgValue::Vector(&v)]).values()[..3],
            [1.0, -2.0, 2.0]
        );
    }

    #[test]
    fn logs_and_signs() {
        let v = vec(&[8.0, -3.0, 0.0]);
        let l2 = call("log2", 0, &[ArgValue::Vector(&v)]).values();
        assert_eq!(l2[0], 3.0);
        assert!(l2[1].is_nan());
        assert_eq!(l2[2], f64::NEG_INFINITY);
        assert_eq!(
            call("sgn", 0, &[ArgValue::Vector(&v)]).values(),
            [1.0, -1.0, 0.0]
        );
        let out = call("sqrt", 0, &[ArgValue::Vector(&v)]);
        assert!(out.out.iter().all(|s| s.drop_name));
    }

    #[test]
    fn clamping() {
        let v = vec(&[-5.0, 0.5, 5.0, f64::NAN]);
        let args = [
            ArgValue::Vector(&v),
            ArgValue::Scalar(0.0),
            ArgValue::Scalar(1.0),
        ];
        let c = call("clamp", 0, &args).values();
        assert_eq!(&c[..3], &[0.0, 0.5, 1.0]);
        assert!(c[3].is_nan());
        let swapped = [
            ArgValue::Vector(&v),
            ArgValue::Scalar(1.0),
            ArgValue::Scalar(0.0),
        ];
        assert!(call("clamp", 0, &swapped).out.is_empty());
        let min = call(
            "clamp_min",
            0,
            &[ArgValue::Vector(&v), ArgValue::Scalar(1.0)],
        )
        .values();
        assert_eq!(&min[..3], &[1.0, 1.0, 5.0]);
        let max = call(
            "clamp_max",
            0,
            &[ArgValue::Vector(&v), ArgValue::Scalar(1.0)],
        )
        .values();
        assert_eq!(&max[..3], &[-5.0, 0.5, 1.0]);
    }

    #[test]
    fn go_min_max_semantics() {
        assert!(go_max(1.0, f64::NAN).is_nan());
        assert!(go_max(-0.0, 0.0).is_sign_positive());
        assert!(go_min(0.0, -0.0).is_sign_negative());
        assert_eq!(
            call("max_of", 0, &[ArgValue::Scalar(1.0), ArgValue::Scalar(2.0)]).value(),
            2.0
        );
        assert_eq!(
            call("min_of", 0, &[ArgValue::Scalar(1.0), ArgValue::Scalar(2.0)]).value(),
            1.0
        );
    }
}
