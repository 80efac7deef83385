//! Conversions between scalars and vectors: `scalar`, `vector`, and `absent`.

use crate::promql::engine::EvalError;
use crate::promql::functions::{labels_for_absent, FunctionCall};
use crate::promql::value::VectorSample;

/// `scalar(v instant-vector)`: the value of the only float sample, else NaN.
pub fn scalar(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let mut floats = call.vector(0).iter().filter(|s| s.h.is_none());
    let v = match (floats.next(), floats.next()) {
        (Some(s), None) => s.f,
        _ => f64::NAN,
    };
    call.push_value(v);
    Ok(())
}

/// `vector(s scalar)`: the scalar as a sample without labels.
pub fn vector(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    call.push_value(call.scalar(0));
    Ok(())
}

/// `absent(v instant-vector)`: 1 with the selector's equality-matched labels when the
/// vector is empty, else nothing.
pub fn absent(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    if !call.vector(0).is_empty() {
        return Ok(());
    }
    let metric = call
        .call
        .args
        .first()
        .map(labels_for_absent)
        .unwrap_or_else(crate::model::Labels::empty);
    call.out.push(VectorSample {
        metric,
        t: call.t,
        f: 1.0,
        h: None,
        drop_name: false,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::promql::functions::test_util::{call, sample};
    use crate::promql::functions::ArgValue;

    #[test]
    fn scalar_of_vectors() {
        let one = [sample(&[("a", "1")], 4.0)];
        assert_eq!(call("scalar", 0, &[ArgValue::Vector(&one)]).value(), 4.0);
        let two = [sample(&[("a", "1")], 4.0), sample(&[("a", "2")], 5.0)];
        assert!(call("scalar", 0, &[ArgValue::Vector(&two)])
            .value()
            .is_nan());
        assert!(call("scalar", 0, &[ArgValue::Vector(&[])]).value().is_nan());
    }

    #[test]
    fn vector_and_absent() {
        let v = call("vector", 0, &[ArgValue::Scalar(2.5)]);
        assert_eq!(v.value(), 2.5);
        assert!(v.out[0].metric.is_empty());
        let present = [sample(&[("a", "1")], 4.0)];
        assert!(call("absent", 0, &[ArgValue::Vector(&present)])
            .out
            .is_empty());
        let absent = call("absent", 0, &[ArgValue::Vector(&[])]);
        assert_eq!(absent.value(), 1.0);
    }
}
