//! Hyperbolic functions and their inverses: Go's `math.Sinh`, `Cosh`, `Tanh`, `Asinh`,
//! `Acosh` and `Atanh` (pure Go, built on Go's `Exp`, `Log` and `Log1p`).

use super::{exp, log, log1p};

/// ln 2, as `asinh` and `acosh` add it for large arguments.
const LN2: f64 = std::f64::consts::LN_2;

/// Go's `math.Sinh`: a Hart & Cheney rational function up to 0.5, `(e^x - 1/e^x) / 2` above.
pub fn sinh(x: f64) -> f64 {
    const P0: f64 = -0.630_767_364_049_771_699_118_478_725_1e6;
    const P1: f64 = -0.899_127_202_203_950_935_539_801_351_1e5;
    const P2: f64 = -0.289_421_135_598_956_380_728_466_036_6e4;
    const P3: f64 = -0.263_056_321_339_749_706_281_948_9e2;
    const Q0: f64 = -0.630_767_364_049_771_699_121_207_727_7e6;
    const Q1: f64 = 0.152_151_737_879_001_907_069_648_517_6e5;
    const Q2: f64 = -0.173_678_953_558_233_699_533_450_911e3;
    let negative = x < 0.0;
    let x = if negative { -x } else { x };
    let r = if x > 21.0 {
        exp(x) * 0.5
    } else if x > 0.5 {
        let ex = exp(x);
        (ex - 1.0 / ex) * 0.5
    } else {
        let sq = x * x;
        let num = (((P3 * sq + P2) * sq + P1) * sq + P0) * x;
        num / (((sq + Q2) * sq + Q1) * sq + Q0)
    };
    if negative {
        -r
    } else {
        r
    }
}

/// Go's `math.Cosh`: `(e^x + 1/e^x) / 2`.
pub fn cosh(x: f64) -> f64 {
    let x = x.abs();
    if x > 21.0 {
        return exp(x) * 0.5;
    }
    let ex = exp(x);
    (ex + 1.0 / ex) * 0.5
}

/// Go's `math.Tanh`: a Cephes rational function below 0.625, `1 - 2/(e^2x + 1)` above.
pub fn tanh(x: f64) -> f64 {
    const MAXLOG: f64 = 8.802_969_193_111_305_429_598_8e1; // ln 2^127
    const P: [f64; 3] = [
        -9.643_991_794_250_522_386_28e-1,
        -9.928_772_310_019_185_865_64e1,
        -1.614_687_684_417_084_479_52e3,
    ];
    const Q: [f64; 3] = [
        1.128_116_784_916_329_314_02e2,
        2.235_488_390_601_004_485_83e3,
        4.844_063_053_251_254_860_48e3,
    ];
    let z = x.abs();
    if z > 0.5 * MAXLOG {
        return if x < 0.0 { -1.0 } else { 1.0 };
    }
    if z >= 0.625 {
        let s = exp(2.0 * z);
        let r = 1.0 - 2.0 / (s + 1.0);
        return if x < 0.0 { -r } else { r };
    }
    if x == 0.0 {
        return x;
    }
    let s = x * x;
    x + x * s * ((P[0] * s + P[1]) * s + P[2]) / (((s + Q[0]) * s + Q[1]) * s + Q[2])
}

/// Go's `math.Asinh`.
pub fn asinh(x: f64) -> f64 {
    const NEAR_ZERO: f64 = 1.0 / (1u64 << 28) as f64;
    const LARGE: f64 = (1u64 << 28) as f64;
    if x.is_nan() || x.is_infinite() {
        return x;
    }
    let negative = x < 0.0;
    let x = if negative { -x } else { x };
    let r = if x > LARGE {
        log(x) + LN2
    } else if x > 2.0 {
        log(2.0 * x + 1.0 / ((x * x + 1.0).sqrt() + x))
    } else if x < NEAR_ZERO {
        x
    } else {
        log1p(x + x * x / (1.0 + (1.0 + x * x).sqrt()))
    };
    if negative {
        -r
    } else {
        r
    }
}

/// Go's `math.Acosh`.
pub fn acosh(x: f64) -> f64 {
    const LARGE: f64 = (1u64 << 28) as f64;
    if x < 1.0 || x.is_nan() {
        return f64::NAN;
    }
    if x == 1.0 {
        return 0.0;
    }
    if x >= LARGE {
        return log(x) + LN2;
    }
    if x > 2.0 {
        return log(2.0 * x - 1.0 / (x + (x * x - 1.0).sqrt()));
    }
    let t = x - 1.0;
    log1p(t + (2.0 * t + t * t).sqrt())
}

/// Go's `math.Atanh`.
pub fn atanh(x: f64) -> f64 {
    const NEAR_ZERO: f64 = 1.0 / (1u64 << 28) as f64;
    if !(-1.0..=1.0).contains(&x) {
        return f64::NAN;
    }
    if x == 1.0 {
        return f64::INFINITY;
    }
    if x == -1.0 {
        return f64::NEG_INFINITY;
    }
    let negative = x < 0.0;
    let x = if negative { -x } else { x };
    let r = if x < NEAR_ZERO {
        x
    } else if x < 0.5 {
        let twice = x + x;
        0.5 * log1p(twice + twice * x / (1.0 - x))
    } else {
        0.5 * log1p((x + x) / (1.0 - x))
    };
    if negative {
        -r
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values() {
        assert_eq!(sinh(f64::INFINITY), f64::INFINITY);
        assert_eq!(cosh(f64::NEG_INFINITY), f64::INFINITY);
        assert_eq!(tanh(f64::NEG_INFINITY), -1.0);
        assert!(tanh(-0.0).is_sign_negative());
        assert!(asinh(-0.0).is_sign_negative());
        assert_eq!(acosh(1.0), 0.0);
        assert!(acosh(0.5).is_nan());
        assert_eq!(atanh(-1.0), f64::NEG_INFINITY);
        assert!(atanh(f64::NAN).is_nan());
    }
}
