//! `x % y`: Go's `math.Mod` (pure Go), the remainder with the sign of `x`.
//!
//! Go subtracts the largest `y × 2^k` not above the running remainder until it drops
//! below `|y|`; every subtraction is exact, so the result equals C's `fmod`, but the
//! special cases are Go's own.

use super::bits::{frexp, ldexp};

/// Go's `math.Mod`: the floating-point remainder of `x / y`.
pub fn modulo(x: f64, y: f64) -> f64 {
    if y == 0.0 || x.is_infinite() || x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    let y = y.abs();
    let (yfr, yexp) = frexp(y);
    let mut r = if x < 0.0 { -x } else { x };
    // Each pass lowers r's binary exponent, so there are at most ~2100 of them.
    while r >= y {
        let (rfr, mut rexp) = frexp(r);
        if rfr < yfr {
            rexp -= 1;
        }
        r -= ldexp(y, rexp - yexp);
    }
    if x < 0.0 {
        -r
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_special_cases() {
        assert_eq!(modulo(7.0, 3.0), 1.0);
        assert_eq!(modulo(-7.0, 3.0), -1.0);
        assert_eq!(modulo(7.0, -3.0), 1.0);
        assert!(modulo(-6.0, 3.0).is_sign_negative());
        assert!(modulo(1.0, 0.0).is_nan());
        assert!(modulo(f64::INFINITY, 1.0).is_nan());
        assert_eq!(modulo(5.0, f64::INFINITY), 5.0);
        assert_eq!(modulo(1e300, 1e-300), 1e300 % 1e-300);
    }
}
