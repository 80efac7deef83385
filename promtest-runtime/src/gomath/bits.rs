//! Splitting floats into fraction and binary exponent: Go's `Frexp`, `Ldexp` and `Modf`.

const MASK: u64 = 0x7ff;
const SHIFT: u32 = 52;
const BIAS: i64 = 1023;
const EXPONENT_BITS: u64 = MASK << SHIFT;

/// A normal number and exponent with `x == y × 2^exp`, for finite non-zero `x` (Go's
/// `normalize`: subnormals are scaled by 2^52).
fn normalize(x: f64) -> (f64, i64) {
    const SMALLEST_NORMAL: f64 = 2.2250738585072014e-308; // 2^-1022
    if x.abs() < SMALLEST_NORMAL {
        (x * (1u64 << 52) as f64, -52)
    } else {
        (x, 0)
    }
}

/// Go's `math.Frexp`: `frac × 2^exp == f` with `|frac|` in `[0.5, 1)`; zeros, infinities
/// and NaN come back unchanged with exponent 0.
pub fn frexp(f: f64) -> (f64, i64) {
    if f == 0.0 || !f.is_finite() {
        return (f, 0);
    }
    let (f, e) = normalize(f);
    let x = f.to_bits();
    let exp = e + ((x >> SHIFT) & MASK) as i64 - BIAS + 1;
    let frac = (x & !EXPONENT_BITS) | (((BIAS - 1) as u64) << SHIFT);
    (f64::from_bits(frac), exp)
}

/// Go's `math.Ldexp`: `frac × 2^exp`, rounding once into the subnormals and saturating to
/// zero or infinity.
pub fn ldexp(frac: f64, exp: i64) -> f64 {
    if frac == 0.0 || !frac.is_finite() {
        return frac;
    }
    let (frac, e) = normalize(frac);
    let x = frac.to_bits();
    let mut exp = exp
        .saturating_add(e)
        .saturating_add(((x >> SHIFT) & MASK) as i64 - BIAS);
    if exp < -1075 {
        return 0f64.copysign(frac);
    }
    if exp > 1023 {
        return f64::INFINITY.copysign(frac);
    }
    let mut m = 1.0;
    if exp < -1022 {
        exp += 53;
        m = 1.0 / (1u64 << 53) as f64;
    }
    let bits = (x & !EXPONENT_BITS) | (((exp + BIAS) as u64) << SHIFT);
    m * f64::from_bits(bits)
}

/// Go's `math.Modf`: the integer part and the fractional part, both with the sign of `f`.
pub(crate) fn modf(f: f64) -> (f64, f64) {
    let int = f.trunc();
    (int, (f - int).copysign(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frexp_normalises_subnormals() {
        assert_eq!(frexp(8.0), (0.5, 4));
        assert_eq!(frexp(5e-324), (0.5, -1073));
        assert_eq!(frexp(-3.0), (-0.75, 2));
        assert!(frexp(-0.0).0.is_sign_negative());
        assert_eq!(frexp(f64::INFINITY), (f64::INFINITY, 0));
    }

    #[test]
    fn ldexp_rounds_into_subnormals_and_saturates() {
        assert_eq!(ldexp(1.0, -1074), 5e-324);
        assert_eq!(ldexp(0.75, -1074), 5e-324);
        assert_eq!(ldexp(0.5, -1074), 0.0);
        assert_eq!(ldexp(1.0, 1024), f64::INFINITY);
        assert_eq!(ldexp(-1.0, i64::MAX), f64::NEG_INFINITY);
        assert!(ldexp(-1.0, i64::MIN).is_sign_negative());
        assert_eq!(ldexp(0.5, 1024), 8.98846567431158e307);
    }

    #[test]
    fn modf_keeps_signs() {
        assert_eq!(modf(-3.5), (-3.0, -0.5));
        let (i, f) = modf(-2.0);
        assert_eq!(i, -2.0);
        assert!(f.is_sign_negative() && f == 0.0);
    }
}
