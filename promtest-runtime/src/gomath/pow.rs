//! `x ^ y`: Go's `math.Pow` (pure Go), with IEEE 754-2008's special cases.
//!
//! Go splits `|y|` into integer and fraction: the fraction (folded into `[-0.5, 0.5]`)
//! goes through `Exp(yf × Log(x))`, the integer part through repeated squaring of `x`'s
//! `Frexp` fraction, carrying the binary exponent separately so that only the final
//! `Ldexp` can overflow or underflow.

use super::bits::{frexp, ldexp, modf};
use super::{exp, go_int64, log};

/// Whether `x` is an odd integer (false beyond 2^63, where `int64` gives Go `MinInt64`).
fn is_odd_int(x: f64) -> bool {
    let (int, frac) = modf(x);
    frac == 0.0 && go_int64(int) & 1 == 1
}

/// Go's `math.Pow`: `x` raised to `y`.
pub fn pow(x: f64, y: f64) -> f64 {
    if y == 0.0 || x == 1.0 {
        return 1.0;
    }
    if y == 1.0 {
        return x;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 {
        if y < 0.0 {
            return if is_odd_int(y) {
                f64::INFINITY.copysign(x)
            } else {
                f64::INFINITY
            };
        }
        return if is_odd_int(y) { x } else { 0.0 };
    }
    if y.is_infinite() {
        return if x == -1.0 {
            1.0
        } else if (x.abs() < 1.0) == (y > 0.0) {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if x.is_infinite() {
        if x < 0.0 {
            return pow(1.0 / x, -y); // Pow(-0, -y)
        }
        return if y < 0.0 { 0.0 } else { f64::INFINITY };
    }
    if y == 0.5 {
        return x.sqrt();
    }
    if y == -0.5 {
        return 1.0 / x.sqrt();
    }

    let (mut yi, mut yf) = modf(y.abs());
    if yf != 0.0 && x < 0.0 {
        return f64::NAN;
    }
    if yi >= 9_223_372_036_854_775_808.0 {
        // A huge even integer: overflow or underflow for every x but -1.
        return if x == -1.0 {
            1.0
        } else if (x.abs() < 1.0) == (y > 0.0) {
            0.0
        } else {
            f64::INFINITY
        };
    }

    // The answer is a1 × 2^ae.
    let mut a1 = 1.0;
    let mut ae: i64 = 0;
    if yf != 0.0 {
        if yf > 0.5 {
            yf -= 1.0;
            yi += 1.0;
        }
        a1 = exp(yf * log(x));
    }
    let (mut x1, mut xe) = frexp(x);
    let mut i = yi as i64;
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            // xe would overflow the shift below; ae only grows from here, so the final
            // Ldexp under- or overflows whatever else happens.
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0.0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    ldexp(a1, ae)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_cases() {
        assert_eq!(pow(f64::NAN, 0.0), 1.0);
        assert_eq!(pow(1.0, f64::NAN), 1.0);
        assert_eq!(pow(-0.0, -3.0), f64::NEG_INFINITY);
        assert_eq!(pow(-0.0, -2.0), f64::INFINITY);
        assert!(pow(-0.0, 3.0).is_sign_negative());
        assert_eq!(pow(-1.0, f64::INFINITY), 1.0);
        assert_eq!(pow(0.5, f64::NEG_INFINITY), f64::INFINITY);
        assert_eq!(pow(f64::NEG_INFINITY, 3.0), f64::NEG_INFINITY);
        assert!(pow(-8.0, 1.0 / 3.0).is_nan());
        assert_eq!(pow(2.0, 10.0), 1024.0);
        assert_eq!(pow(2.0, -1074.0), 5e-324);
        assert_eq!(pow(10.0, 400.0), f64::INFINITY);
        assert_eq!(pow(0.5, 1e300), 0.0);
        assert_eq!(pow(-2.0, 2f64.powi(63)), f64::INFINITY);
    }
}
