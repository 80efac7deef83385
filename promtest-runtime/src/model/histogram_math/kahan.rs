//! Kahan–Neumaier compensated summation.

/// One step of Kahan–Neumaier summation: adds `inc` to `sum` with compensation `c`, returning
/// the new sum and compensation (the compensation is reset when the sum becomes infinite).
pub fn kahan_sum_inc(inc: f64, sum: f64, c: f64) -> (f64, f64) {
    let t = sum + inc;
    let c = if t.is_infinite() {
        0.0
    } else if sum.abs() >= inc.abs() {
        c + ((sum - t) + inc)
    } else {
        c + ((inc - t) + sum)
    };
    (t, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensation_recovers_lost_low_bits() {
        let (mut s, mut c) = (0.0, 0.0);
        for v in [1e100, 1.0, -1e100] {
            (s, c) = kahan_sum_inc(v, s, c);
        }
        assert_eq!(s + c, 1.0);
        let (mut s, mut c) = (0.0, 0.0);
        for v in [1.0, 1e100, 1.0, -1e100] {
            (s, c) = kahan_sum_inc(v, s, c);
        }
        assert_eq!(s + c, 2.0);
    }

    #[test]
    fn infinity_resets_the_compensation() {
        assert_eq!(kahan_sum_inc(f64::INFINITY, 1.0, 0.5), (f64::INFINITY, 0.0));
    }
}
