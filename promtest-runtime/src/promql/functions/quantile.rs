//! The quantile estimate PromQL uses for floats (Prometheus's `quantile` in `quantile.go`).

use std::cmp::Ordering;

/// Orders floats ascending with NaN first (Prometheus's `vectorByValueHeap` order).
pub fn nan_first(a: &f64, b: &f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
    }
}

/// The `q`-quantile of `values` (sorted in place), interpolating linearly between the two
/// nearest ranks: NaN for no values or a NaN `q`, -Inf for `q < 0`, +Inf for `q > 1`.
pub fn quantile(q: f64, values: &mut [f64]) -> f64 {
    if values.is_empty() || q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    values.sort_by(nan_first);
    let n = values.len() as f64;
    let rank = q * (n - 1.0);
    let lower = rank.floor().max(0.0);
    let upper = (lower + 1.0).min(n - 1.0);
    let weight = rank - rank.floor();
    values[lower as usize] * (1.0 - weight) + values[upper as usize] * weight
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolates_between_ranks() {
        let mut v = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(0.5, &mut v), 2.5);
        assert_eq!(v, [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(quantile(0.0, &mut v), 1.0);
        assert_eq!(quantile(1.0, &mut v), 4.0);
        assert_eq!(quantile(0.25, &mut v), 1.75);
    }

    #[test]
    fn out_of_range_and_empty() {
        let mut v = [1.0, 2.0];
        assert_eq!(quantile(-0.1, &mut v), f64::NEG_INFINITY);
        assert_eq!(quantile(1.1, &mut v), f64::INFINITY);
        assert!(quantile(f64::NAN, &mut v).is_nan());
        assert!(quantile(0.5, &mut []).is_nan());
    }

    #[test]
    fn nan_sorts_first() {
        let mut v = [2.0, f64::NAN, 1.0];
        assert!(quantile(0.0, &mut v).is_nan());
        assert_eq!(quantile(1.0, &mut v), 2.0);
    }
}
