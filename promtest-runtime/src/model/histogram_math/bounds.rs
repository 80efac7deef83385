//! Bucket boundaries of exponential schemas.

use super::bounds_table::FRACTIONS;

/// Upper bound of exponential bucket `idx` at `schema` (Prometheus's `getBoundExponential`).
/// The lower bound of bucket `idx` is the upper bound of `idx - 1`.
pub fn exponential_bound(idx: i32, schema: i32) -> f64 {
    // Valid schemas are -4..=8; clamping keeps malformed input from overflowing shifts.
    let schema = schema.clamp(-30, 30);
    if schema < 0 {
        let exp = (idx as i64) << (-schema);
        if exp == 1024 {
            return f64::MAX;
        }
        return crate::gomath::ldexp(1.0, exp);
    }
    let n = 1i64 << schema;
    let frac_idx = (idx as i64) & (n - 1);
    let frac = if schema <= 8 {
        // Prometheus's table, not 2^(j/n) / 2 (they differ in the last bit for some j).
        FRACTIONS[(frac_idx << (8 - schema)) as usize]
    } else {
        // Beyond Prometheus's schemas: the nearest computation.
        0.5 * crate::gomath::exp2(frac_idx as f64 / n as f64)
    };
    let exp = ((idx as i64) >> schema) + 1;
    if frac == 0.5 && exp == 1025 {
        return f64::MAX;
    }
    crate::gomath::ldexp(frac, exp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_at_several_schemas() {
        assert_eq!(exponential_bound(1, 0), 2.0);
        assert_eq!(exponential_bound(0, 0), 1.0);
        assert_eq!(exponential_bound(-1, 0), 0.5);
        // Prometheus's table has 0.7071067811865475 for √2/2, an ulp below the nearest.
        assert_eq!(
            exponential_bound(1, 1),
            std::f64::consts::SQRT_2.next_down()
        );
        assert_eq!(exponential_bound(2, 1), 2.0);
        assert_eq!(exponential_bound(1, -1), 4.0);
    }

    #[test]
    fn the_last_bucket_is_capped_at_max_float() {
        assert_eq!(exponential_bound(1024, 0), f64::MAX);
        assert_eq!(exponential_bound(256, -2), f64::MAX);
        assert_eq!(exponential_bound(-4, -2), 2f64.powi(-16));
    }
}
