//! Inverse trigonometric functions: Go's `math.Asin`, `Acos`, `Atan` and `Atan2` (pure Go,
//! after Cephes): everything reduces to a rational approximation of atan on `[0, 0.66]`.

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

/// atan on `[0, 0.66]` (Go's `xatan`).
fn xatan(x: f64) -> f64 {
    const P0: f64 = -8.750_608_600_031_904_122_785e-1;
    const P1: f64 = -1.615_753_718_733_365_076_637e1;
    const P2: f64 = -7.500_855_792_314_704_667_340e1;
    const P3: f64 = -1.228_866_684_490_136_173_410e2;
    const P4: f64 = -6.485_021_904_942_025_371_773e1;
    const Q0: f64 = 2.485_846_490_142_306_297_962e1;
    const Q1: f64 = 1.650_270_098_316_988_542_046e2;
    const Q2: f64 = 4.328_810_604_912_902_668_951e2;
    const Q3: f64 = 4.853_903_996_359_136_964_868e2;
    const Q4: f64 = 1.945_506_571_482_613_964_425e2;
    let z = x * x;
    let z = z * ((((P0 * z + P1) * z + P2) * z + P3) * z + P4)
        / (((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4);
    x * z + x
}

/// atan of a non-negative `x`, reduced into `xatan`'s range (Go's `satan`).
fn satan(x: f64) -> f64 {
    const MOREBITS: f64 = 6.123_233_995_736_765_886_130e-17; // π/2 = FRAC_PI_2 + MOREBITS
    const TAN3PIO8: f64 = 2.414_213_562_373_095_048_80;
    if x <= 0.66 {
        return xatan(x);
    }
    if x > TAN3PIO8 {
        return FRAC_PI_2 - xatan(1.0 / x) + MOREBITS;
    }
    FRAC_PI_4 + xatan((x - 1.0) / (x + 1.0)) + 0.5 * MOREBITS
}

/// Go's `math.Atan`.
pub fn atan(x: f64) -> f64 {
    if x == 0.0 {
        return x;
    }
    if x > 0.0 {
        satan(x)
    } else {
        -satan(-x)
    }
}

/// Go's `math.Asin`.
pub fn asin(x: f64) -> f64 {
    if x == 0.0 {
        return x;
    }
    let negative = x < 0.0;
    let x = x.abs();
    if x > 1.0 {
        return f64::NAN;
    }
    let root = (1.0 - x * x).sqrt();
    let r = if x > 0.7 {
        FRAC_PI_2 - satan(root / x)
    } else {
        satan(x / root)
    };
    if negative {
        -r
    } else {
        r
    }
}

/// Go's `math.Acos`: `π/2 - Asin(x)`.
pub fn acos(x: f64) -> f64 {
    FRAC_PI_2 - asin(x)
}

/// Go's `math.Atan2`: the angle of the point `(x, y)`.
pub fn atan2(y: f64, x: f64) -> f64 {
    // 3π/4 as Go's constant arithmetic rounds it.
    const THREE_PI_4: f64 = 2.356_194_490_192_344_928_846_982_537_459_627_163;
    if y.is_nan() || x.is_nan() {
        return f64::NAN;
    }
    if y == 0.0 {
        return if x >= 0.0 && x.is_sign_positive() {
            0f64.copysign(y)
        } else {
            PI.copysign(y)
        };
    }
    if x == 0.0 {
        return FRAC_PI_2.copysign(y);
    }
    if x.is_infinite() {
        let angle = match (x > 0.0, y.is_infinite()) {
            (true, true) => FRAC_PI_4,
            (true, false) => 0.0,
            (false, true) => THREE_PI_4,
            (false, false) => PI,
        };
        return angle.copysign(y);
    }
    if y.is_infinite() {
        return FRAC_PI_2.copysign(y);
    }
    let q = atan(y / x);
    if x < 0.0 {
        if q <= 0.0 {
            q + PI
        } else {
            q - PI
        }
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values() {
        assert!(asin(-0.0).is_sign_negative());
        assert!(asin(1.5).is_nan());
        assert_eq!(asin(1.0), FRAC_PI_2);
        assert_eq!(atan(f64::INFINITY), FRAC_PI_2);
        assert_eq!(atan2(-0.0, -1.0), -PI);
        assert_eq!(atan2(f64::INFINITY, f64::NEG_INFINITY), 2.356194490192345);
        assert_eq!(atan2(1.0, 0.0), FRAC_PI_2);
    }
}
