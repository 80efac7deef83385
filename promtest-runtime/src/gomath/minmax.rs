//! Go's `math.Max` and `math.Min`: an infinity in the winning direction beats NaN, NaN
//! beats any other number, and +0 is above -0.

/// Go's `math.Max`.
pub fn max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        return f64::INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && y == 0.0 {
        return if x.is_sign_negative() { y } else { x };
    }
    if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`.
pub fn min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && y == 0.0 {
        return if x.is_sign_negative() { x } else { y };
    }
    if x < y {
        x
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_semantics() {
        assert_eq!(max(f64::INFINITY, f64::NAN), f64::INFINITY);
        assert!(max(1.0, f64::NAN).is_nan());
        assert!(max(-0.0, 0.0).is_sign_positive());
        assert!(max(-0.0, -0.0).is_sign_negative());
        assert_eq!(min(f64::NAN, f64::NEG_INFINITY), f64::NEG_INFINITY);
        assert!(min(f64::NAN, 1.0).is_nan());
        assert!(min(0.0, -0.0).is_sign_negative());
        assert_eq!(min(2.0, 1.0), 1.0);
    }
}
