//! Approximate float comparison as promqltest does it (`almost.Equal`).

use super::is_stale_nan;

/// The relative error promqltest allows between expected and actual sample values.
pub const DEFAULT_EPSILON: f64 = 0.000001;

/// Upstream's `almost.Equal`: relative comparison, NaN equals NaN (but the stale marker only
/// equals the stale marker).
pub fn almost_equal(a: f64, b: f64, epsilon: f64) -> bool {
    if a.is_nan() && b.is_nan() {
        return is_stale_nan(a) == is_stale_nan(b);
    }
    if a == b {
        return true;
    }
    let min_normal = f64::MIN_POSITIVE;
    let abs_sum = a.abs() + b.abs();
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || abs_sum < min_normal {
        return diff < epsilon * min_normal;
    }
    diff / abs_sum.min(f64::MAX) < epsilon
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::stale_nan;

    #[test]
    fn relative_tolerance() {
        assert!(almost_equal(1.0, 1.0 + 1e-7, DEFAULT_EPSILON));
        assert!(!almost_equal(1.0, 1.0 + 1e-5, DEFAULT_EPSILON));
        assert!(almost_equal(1e12, 1e12 + 1.0, DEFAULT_EPSILON));
        assert!(!almost_equal(0.0, 1e-300, DEFAULT_EPSILON));
    }

    #[test]
    fn nan_and_stale_marker() {
        assert!(almost_equal(f64::NAN, f64::NAN, DEFAULT_EPSILON));
        assert!(almost_equal(stale_nan(), stale_nan(), DEFAULT_EPSILON));
        assert!(!almost_equal(stale_nan(), f64::NAN, DEFAULT_EPSILON));
    }
}
