//! Trigonometric functions on instant vectors (`sin` ... `atanh`), `deg`, `rad` and `pi`.

use crate::gomath;
use crate::promql::engine::EvalError;
use crate::promql::functions::math::simple_float;
use crate::promql::functions::FunctionCall;

macro_rules! trig {
    ($($name:ident => $f:expr),* $(,)?) => {$(
        #[doc = concat!("`", stringify!($name), "(v instant-vector)`.")]
        pub fn $name(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
            simple_float(call, $f)
        }
    )*};
}

trig! {
    sin => gomath::sin,
    cos => gomath::cos,
    tan => gomath::tan,
    asin => gomath::asin,
    acos => gomath::acos,
    atan => gomath::atan,
    sinh => gomath::sinh,
    cosh => gomath::cosh,
    tanh => gomath::tanh,
    asinh => gomath::asinh,
    acosh => gomath::acosh,
    atanh => gomath::atanh,
    deg => |v| v * 180.0 / std::f64::consts::PI,
    rad => |v| v * std::f64::consts::PI / 180.0,
}

/// `pi()`.
pub fn pi(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    call.push_value(std::f64::consts::PI);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::promql::functions::test_util::{call, sample};
    use crate::promql::functions::ArgValue;

    #[test]
    fn trig_values() {
        let v = [sample(&[("__name__", "m")], 1.0)];
        let one = |name: &str| call(name, 0, &[ArgValue::Vector(&v)]).value();
        assert_eq!(one("sin"), 0.8414709848078965);
        assert_eq!(one("atanh"), f64::INFINITY);
        assert_eq!(one("acosh"), 0.0);
        assert_eq!(one("deg"), 180.0 / std::f64::consts::PI);
        assert_eq!(one("rad"), std::f64::consts::PI / 180.0);
        assert_eq!(call("pi", 0, &[]).value(), std::f64::consts::PI);
    }
}
