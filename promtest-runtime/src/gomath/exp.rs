//! Exponentials: `math.Exp` as Go's amd64 assembly computes it, and the pure-Go `math.Exp2`.
//!
//! On amd64 Go's `Exp` is not the FreeBSD algorithm of `exp.go` but assembly after Shibata's
//! SLEEF method (`exp_amd64.s`): reduce by a rounded multiple of ln 2, divide by 16, sum an
//! eighth-degree Taylor polynomial, square four times, and scale by the power of two.
//! With AVX2 and FMA the reduction and the polynomial use fused multiply-adds, which round
//! differently from the SSE2 sequence; both are here, and [`exp`] takes the fused one.

use super::bits::ldexp;

/// ln 2 split in two; `k * LN2_UPPER` is exact for every `k` the reduction produces.
const LN2_UPPER: f64 = 0.693_147_180_559_662_956_511_601_805_686_950_683_593_75;
const LN2_LOWER: f64 = 0.282_352_905_630_315_771_225_884_481_750_134_360_255_254_120_68e-12;
/// Above this, `Exp` is +Inf (a bit above the true threshold, as in the assembly).
const OVERFLOW: f64 = 7.097_827_128_933_84e2;
/// 1/8! … 1/2!, 1/1!: the Taylor coefficients of e^r - 1 in Horner order, over r.
const TAYLOR: [f64; 8] = [
    2.480_158_730_158_730_158_7e-5,
    1.984_126_984_126_984_127e-4,
    1.388_888_888_888_888_888_9e-3,
    8.333_333_333_333_333_333_3e-3,
    4.166_666_666_666_666_666_7e-2,
    1.666_666_666_666_666_666_7e-1,
    0.5,
    1.0,
];

/// Go's `math.Exp` on amd64 with AVX2 and FMA: e^x.
pub fn exp(x: f64) -> f64 {
    exp_amd64(x, true)
}

/// `CVTSD2SL`: round to nearest even into an `i32`, `i32::MIN` when out of range.
fn cvtsd2sl(x: f64) -> i32 {
    let r = x.round_ties_even();
    if (-2_147_483_648.0..2_147_483_648.0).contains(&r) {
        r as i32
    } else {
        i32::MIN
    }
}

/// The amd64 assembly of `math.Exp`, with (`fused`) or without FMA instructions.
pub(super) fn exp_amd64(x: f64, fused: bool) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x == f64::NEG_INFINITY {
        return 0.0;
    }
    if x > OVERFLOW {
        return f64::INFINITY;
    }
    let k = cvtsd2sl(std::f64::consts::LOG2_E * x);
    let kf = f64::from(k);
    let mut r = if fused {
        (-kf).mul_add(LN2_LOWER, (-kf).mul_add(LN2_UPPER, x))
    } else {
        (x - kf * LN2_UPPER) - kf * LN2_LOWER
    };
    r *= 0.0625;
    let mut p = TAYLOR[0];
    for &c in &TAYLOR[1..] {
        p = if fused { p.mul_add(r, c) } else { p * r + c };
    }
    // y = e^(r) - 1; squaring (1 + y) four times gives e^(16 r).
    let mut y = r * p;
    if fused {
        for _ in 0..3 {
            y *= y + 2.0;
        }
        y = y.mul_add(y + 2.0, 1.0);
    } else {
        for _ in 0..4 {
            y *= y + 2.0;
        }
        y += 1.0;
    }
    scale_by_power_of_two(y, k)
}

/// The assembly's final `y × 2^k`: through the exponent bits, in two steps for results
/// that are subnormal, zero below 2^-1075 and +Inf from 2^1024.
fn scale_by_power_of_two(y: f64, k: i32) -> f64 {
    let biased = k.wrapping_add(0x3ff);
    if biased >= 0x7ff {
        return f64::INFINITY;
    }
    if biased > 0 {
        return y * f64::from_bits((biased as u64) << 52);
    }
    if biased < -52 {
        return 0.0;
    }
    let partial = y * f64::from_bits(((biased + 0x3fe) as u64) << 52);
    partial * f64::from_bits(1u64 << 52)
}

/// Go's `math.Exp2` (pure Go on amd64): 2^x.
pub fn exp2(x: f64) -> f64 {
    const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
    const OVERFLOW: f64 = 1.023_999_999_999_999_9e3;
    const UNDERFLOW: f64 = -1.074e3;
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x == f64::NEG_INFINITY || x < UNDERFLOW {
        return 0.0;
    }
    if x > OVERFLOW {
        return f64::INFINITY;
    }
    // x = k + t with |t| <= 1/2; the bounds above keep k in range.
    let k = if x > 0.0 {
        (x + 0.5) as i64
    } else if x < 0.0 {
        (x - 0.5) as i64
    } else {
        0
    };
    let t = x - k as f64;
    expmulti(t * LN2_HI, -t * LN2_LO, k)
}

/// e^r × 2^k where r = hi - lo and |r| <= ln(2)/2 (Go's `expmulti`, FreeBSD's method).
fn expmulti(hi: f64, lo: f64, k: i64) -> f64 {
    const P1: f64 = 1.666_666_666_666_666_574_15e-1;
    const P2: f64 = -2.777_777_777_701_559_338_42e-3;
    const P3: f64 = 6.613_756_321_437_934_361_17e-5;
    const P4: f64 = -1.653_390_220_546_525_153_90e-6;
    const P5: f64 = 4.138_136_797_057_238_460_39e-8;
    let r = hi - lo;
    let t = r * r;
    let c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    let y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    ldexp(y, k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(-1e10), 0.0);
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp2(10.0), 1024.0);
        assert_eq!(exp2(-1074.0), 5e-324);
        assert_eq!(exp2(1024.0), f64::INFINITY);
    }
}
