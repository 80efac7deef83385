//! Widening the zero bucket to a larger threshold.

use super::bounds::exponential_bound;

/// The zero count and threshold of a histogram (given as sparse lists at `schema`) once its
/// zero bucket is widened to at least `larger` (`zeroCountForLargerThreshold`): buckets below
/// the new threshold are counted in; a populated bucket straddling it widens it further to
/// that bucket's upper bound.
pub fn zero_for_threshold(
    zero_count: f64,
    pos: &[(i32, f64)],
    neg: &[(i32, f64)],
    schema: i32,
    mut larger: f64,
) -> (f64, f64) {
    'outer: loop {
        let mut z = zero_count;
        for &(idx, c) in pos {
            if exponential_bound(idx.saturating_sub(1), schema) >= larger {
                break;
            }
            z += c;
            let upper = exponential_bound(idx, schema);
            if upper > larger {
                if c != 0.0 {
                    larger = upper;
                }
                break;
            }
        }
        for &(idx, c) in neg {
            if exponential_bound(idx.saturating_sub(1), schema) >= larger {
                break;
            }
            z += c;
            let upper = exponential_bound(idx, schema);
            if upper > larger {
                if c != 0.0 {
                    larger = upper;
                    continue 'outer;
                }
                break;
            }
        }
        return (z, larger);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_below_the_threshold_move_into_the_zero_bucket() {
        // Schema 0: bucket 0 is (0.5, 1], bucket 1 is (1, 2].
        let pos = [(0, 2.0), (1, 3.0)];
        assert_eq!(zero_for_threshold(1.0, &pos, &[], 0, 1.0), (3.0, 1.0));
    }

    #[test]
    fn a_straddled_populated_bucket_widens_the_threshold() {
        let pos = [(0, 2.0), (1, 3.0)];
        let neg = [(1, 4.0)];
        assert_eq!(zero_for_threshold(1.0, &pos, &neg, 0, 1.5), (10.0, 2.0));
    }

    #[test]
    fn a_nan_threshold_terminates() {
        let pos = [(0, 2.0)];
        let (z, t) = zero_for_threshold(1.0, &pos, &pos, 0, f64::NAN);
        assert!(t.is_nan());
        assert_eq!(z, 5.0);
    }
}
