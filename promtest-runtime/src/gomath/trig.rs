//! Sine, cosine and tangent: Go's `math.Sin`, `Cos` and `Tan` (pure Go, after Cephes).
//!
//! The argument is reduced to an octant and a remainder `z` in `[-π/4, π/4]` (Cody–Waite
//! with π/4 in three parts below 2^29, Payne–Hanek above), then a polynomial in `z²`
//! gives the sine or the cosine of `z`.

use super::trig_reduce::{trig_reduce, REDUCE_THRESHOLD};

/// Sine polynomial coefficients (Cephes).
const SIN: [f64; 6] = [
    1.589_623_015_765_465_680_60e-10,
    -2.505_074_776_285_780_728_66e-8,
    2.755_731_362_138_572_452_13e-6,
    -1.984_126_982_958_953_859_96e-4,
    8.333_333_333_322_118_588_78e-3,
    -1.666_666_666_666_663_072_95e-1,
];

/// Cosine polynomial coefficients (Cephes).
const COS: [f64; 6] = [
    -1.135_853_652_138_768_173_00e-11,
    2.087_570_084_197_473_167_78e-9,
    -2.755_731_417_929_673_881_12e-7,
    2.480_158_728_885_170_453_48e-5,
    -1.388_888_888_887_305_641_16e-3,
    4.166_666_666_666_659_292_18e-2,
];

/// Tangent rational function coefficients (Cephes).
const TAN_P: [f64; 3] = [
    -1.309_369_391_813_837_776_46e4,
    1.153_516_648_385_874_161_40e6,
    -1.795_652_519_764_848_779_88e7,
];
const TAN_Q: [f64; 5] = [
    1.0,
    1.368_129_634_706_929_546_78e4,
    -1.320_892_344_402_109_674_47e6,
    2.500_838_018_233_579_158_39e7,
    -5.386_957_559_294_546_298_81e7,
];

/// Octant `j` (even after mapping zeros to the origin) and remainder of a finite `x >= 0`.
fn reduce(x: f64) -> (u64, f64) {
    const PI4A: f64 = 7.853_981_256_484_985_351_56e-1; // π/4 in three parts
    const PI4B: f64 = 3.774_894_707_930_798_176_68e-8;
    const PI4C: f64 = 2.695_151_429_079_059_526_45e-15;
    const FOUR_OVER_PI: f64 = 1.273_239_544_735_162_686_151_070_106_980_114_9;
    if x >= REDUCE_THRESHOLD {
        return trig_reduce(x);
    }
    let mut j = (x * FOUR_OVER_PI) as u64;
    let mut y = j as f64;
    if j & 1 == 1 {
        j += 1;
        y += 1.0;
    }
    (j, ((x - y * PI4A) - y * PI4B) - y * PI4C)
}

fn sin_poly(z: f64, zz: f64) -> f64 {
    z + z
        * zz
        * (((((SIN[0] * zz + SIN[1]) * zz + SIN[2]) * zz + SIN[3]) * zz + SIN[4]) * zz + SIN[5])
}

fn cos_poly(zz: f64) -> f64 {
    1.0 - 0.5 * zz
        + zz * zz
            * (((((COS[0] * zz + COS[1]) * zz + COS[2]) * zz + COS[3]) * zz + COS[4]) * zz + COS[5])
}

/// Go's `math.Sin`.
pub fn sin(x: f64) -> f64 {
    if x == 0.0 || x.is_nan() {
        return x;
    }
    if x.is_infinite() {
        return f64::NAN;
    }
    let mut negative = x < 0.0;
    let (mut j, z) = reduce(x.abs());
    j &= 7;
    if j > 3 {
        negative = !negative;
        j -= 4;
    }
    let zz = z * z;
    let y = if j == 1 || j == 2 {
        cos_poly(zz)
    } else {
        sin_poly(z, zz)
    };
    if negative {
        -y
    } else {
        y
    }
}

/// Go's `math.Cos`.
pub fn cos(x: f64) -> f64 {
    if x.is_nan() || x.is_infinite() {
        return f64::NAN;
    }
    let mut negative = false;
    let (mut j, z) = reduce(x.abs());
    j &= 7;
    if j > 3 {
        j -= 4;
        negative = !negative;
    }
    if j > 1 {
        negative = !negative;
    }
    let zz = z * z;
    let y = if j == 1 || j == 2 {
        sin_poly(z, zz)
    } else {
        cos_poly(zz)
    };
    if negative {
        -y
    } else {
        y
    }
}

/// Go's `math.Tan`.
pub fn tan(x: f64) -> f64 {
    if x == 0.0 || x.is_nan() {
        return x;
    }
    if x.is_infinite() {
        return f64::NAN;
    }
    let (j, z) = reduce(x.abs());
    let zz = z * z;
    let mut y = if zz > 1e-14 {
        let p = zz * ((TAN_P[0] * zz + TAN_P[1]) * zz + TAN_P[2]);
        let q = (((zz + TAN_Q[1]) * zz + TAN_Q[2]) * zz + TAN_Q[3]) * zz + TAN_Q[4];
        z + z * (p / q)
    } else {
        z
    };
    if j & 2 == 2 {
        y = -1.0 / y;
    }
    if x < 0.0 {
        -y
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values() {
        assert!(sin(-0.0).is_sign_negative());
        assert!(sin(f64::INFINITY).is_nan());
        assert_eq!(cos(0.0), 1.0);
        assert!(cos(f64::NEG_INFINITY).is_nan());
        assert!(tan(-0.0).is_sign_negative());
        assert!(sin(1e300).abs() <= 1.0);
        assert!(cos(f64::MAX).abs() <= 1.0);
    }
}
