//! Logarithms: `math.Log` as Go's amd64 assembly computes it, and `Log2`, `Log10` and
//! `Log1p` (pure Go) on top of it.
//!
//! The assembly (`log_amd64.s`) follows FreeBSD's `e_log.c` like the pure-Go `log`, but
//! takes the fraction and exponent straight from the bits, without normalising subnormals
//! first (so it misreads them, and Go returns that reading), and halves the reduced
//! fraction when it is at most √2/2 rather than below it.

use super::bits::frexp;

const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1; // 0x3fe62e42fee00000
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10; // 0x3dea39ef35793c76
const L1: f64 = 6.666_666_666_666_735_130e-1;
const L2: f64 = 3.999_999_999_940_941_908e-1;
const L3: f64 = 2.857_142_874_366_239_149e-1;
const L4: f64 = 2.222_219_843_214_978_396e-1;
const L5: f64 = 1.818_357_216_161_805_012e-1;
const L6: f64 = 1.531_383_769_920_937_332e-1;
const L7: f64 = 1.479_819_860_511_658_591e-1;

/// Go's `math.Log` on amd64: the natural logarithm.
pub fn log(x: f64) -> f64 {
    let bits = x.to_bits();
    if bits & !(1 << 63) == 0 {
        return f64::NEG_INFINITY;
    }
    if (bits as i64) < 0 {
        // Every negative input, -Inf and NaNs with the sign bit set included.
        return f64::from_bits(0x7ff8_0000_0000_0001);
    }
    if bits >= f64::INFINITY.to_bits() {
        return x;
    }
    let mut f1 = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3fe0_0000_0000_0000);
    let mut k = f64::from(((bits >> 52) & 0x7ff) as i32 - 0x3fe);
    if f1 <= std::f64::consts::FRAC_1_SQRT_2 {
        k -= 1.0;
        f1 *= 2.0;
    }
    let f = f1 - 1.0;
    let s = f / (2.0 + f);
    let s2 = s * s;
    let s4 = s2 * s2;
    let t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
    let t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
    let r = t1 + t2;
    let hfsq = 0.5 * f * f;
    k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)
}

/// Go's `math.Log10`: `Log(x) × (1/ln 10)`.
pub fn log10(x: f64) -> f64 {
    log(x) * std::f64::consts::LOG10_E
}

/// Go's `math.Log2`: from `Frexp` (which does normalise subnormals), exact for powers of two.
pub fn log2(x: f64) -> f64 {
    let (frac, exp) = frexp(x);
    if frac == 0.5 {
        return (exp - 1) as f64;
    }
    log(frac) * std::f64::consts::LOG2_E + exp as f64
}

/// Go's `math.Log1p` (pure Go, FreeBSD's `s_log1p.c`): ln(1 + x), accurate near zero.
pub fn log1p(x: f64) -> f64 {
    const SQRT2_M1: f64 = 4.142_135_623_730_950_488_017e-1;
    const SQRT2_HALF_M1: f64 = -2.928_932_188_134_524_755_992e-1;
    const SMALL: f64 = 1.0 / (1u64 << 29) as f64;
    const TINY: f64 = 1.0 / (1u64 << 54) as f64;
    const TWO53: f64 = (1u64 << 53) as f64;
    if x < -1.0 || x.is_nan() {
        return f64::NAN;
    }
    if x == -1.0 {
        return f64::NEG_INFINITY;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    let absx = x.abs();
    let mut f = 0.0;
    let mut iu: u64 = 0;
    let mut k: i64 = 1;
    if absx < SQRT2_M1 {
        if absx < SMALL {
            if absx < TINY {
                return x;
            }
            return x - x * x * 0.5;
        }
        if x > SQRT2_HALF_M1 {
            k = 0;
            f = x;
            iu = 1;
        }
    }
    let mut c = 0.0;
    if k != 0 {
        let mut u;
        if absx < TWO53 {
            u = 1.0 + x;
            iu = u.to_bits();
            k = (iu >> 52) as i64 - 1023;
            c = if k > 0 { 1.0 - (u - x) } else { x - (u - 1.0) };
            c /= u;
        } else {
            u = x;
            iu = u.to_bits();
            k = (iu >> 52) as i64 - 1023;
            c = 0.0;
        }
        iu &= 0x000f_ffff_ffff_ffff;
        if iu < 0x0006_a09e_667f_3bcd {
            u = f64::from_bits(iu | 0x3ff0_0000_0000_0000);
        } else {
            k += 1;
            u = f64::from_bits(iu | 0x3fe0_0000_0000_0000);
            iu = (0x0010_0000_0000_0000 - iu) >> 2;
        }
        f = u - 1.0;
    }
    let kf = k as f64;
    let hfsq = 0.5 * f * f;
    if iu == 0 {
        if f == 0.0 {
            if k == 0 {
                return 0.0;
            }
            c += kf * LN2_LO;
            return kf * LN2_HI + c;
        }
        let r = hfsq * (1.0 - 0.666_666_666_666_666_66 * f);
        if k == 0 {
            return f - r;
        }
        return kf * LN2_HI - ((r - (kf * LN2_LO + c)) - f);
    }
    let s = f / (2.0 + f);
    let z = s * s;
    let r = z * (L1 + z * (L2 + z * (L3 + z * (L4 + z * (L5 + z * (L6 + z * L7))))));
    if k == 0 {
        return f - (hfsq - s * (hfsq + r));
    }
    kf * LN2_HI - ((hfsq - (s * (hfsq + r) + (kf * LN2_LO + c))) - f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values() {
        assert_eq!(log(3.0), 1.0986122886681096);
        assert_eq!(log(1.0), 0.0);
        assert_eq!(log(0.0), f64::NEG_INFINITY);
        assert_eq!(log(-0.0), f64::NEG_INFINITY);
        assert!(log(-1.0).is_nan());
        assert_eq!(log(f64::INFINITY), f64::INFINITY);
        assert_eq!(log2(8.0), 3.0);
        assert_eq!(log2(5e-324), -1074.0);
        assert_eq!(log1p(-1.0), f64::NEG_INFINITY);
        assert_eq!(log1p(0.0), 0.0);
        assert!(log1p(-0.0).is_sign_negative());
    }
}
