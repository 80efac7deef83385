//! Linear interpolation between two native histograms (Prometheus's `interpolateHistograms`),
//! shared by `smoothed` selectors and the `smoothed` rate functions.

use super::{combine, detect_reset, mul, HistogramError};
use crate::model::FloatHistogram;

/// An interpolated histogram and which step had to reconcile custom bucket bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpolated {
    /// The histogram at the requested time.
    pub h: FloatHistogram,
    /// Bounds were reconciled computing `h2 - h1`.
    pub reconciled_sub: bool,
    /// Bounds were reconciled adding `h1` back.
    pub reconciled_add: bool,
}

/// The histogram at `t` between `h1` at `t1` and `h2` at `t2`: `h1 + (h2 - h1) * fraction`;
/// for a counter with a reset between them, `h2 * fraction`, as if it restarted from zero.
pub fn interpolate(
    (t1, h1): (i64, &FloatHistogram),
    (t2, h2): (i64, &FloatHistogram),
    t: i64,
    is_counter: bool,
) -> Result<Interpolated, HistogramError> {
    let exact = |h: &FloatHistogram| Interpolated {
        h: h.clone(),
        reconciled_sub: false,
        reconciled_add: false,
    };
    if t == t1 {
        return Ok(exact(h1));
    }
    if t == t2 {
        return Ok(exact(h2));
    }
    let fraction = (t - t1) as f64 / (t2 - t1) as f64;
    // Interpolation serves `smoothed`, which only HEAD has: HEAD's reset detection.
    if is_counter && detect_reset(h2, h1, false) {
        return Ok(exact(&mul(h2, fraction)));
    }
    let diff = combine(h2, h1, true)?;
    let sum = combine(&mul(&diff.h, fraction), h1, false)?;
    Ok(Interpolated {
        h: sum.h,
        reconciled_sub: diff.nhcb_reconciled,
        reconciled_add: sum.nhcb_reconciled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::histogram_math::buckets::test_histogram as h;

    #[test]
    fn between_two_histograms_and_after_a_reset() {
        let a = h(0, &[(0, 10.0)]);
        let b = h(0, &[(0, 20.0)]);
        let mid = interpolate((0, &a), (10, &b), 5, true).unwrap();
        assert_eq!(mid.h.positive_buckets, vec![15.0]);
        assert_eq!(interpolate((0, &a), (10, &b), 10, true).unwrap().h, b);
        // 20 -> 10 is a reset: the counter restarted from zero at t1.
        let reset = interpolate((0, &b), (10, &a), 5, true).unwrap();
        assert_eq!(reset.h.positive_buckets, vec![5.0]);
        // A gauge goes down linearly.
        let gauge = interpolate((0, &b), (10, &a), 5, false).unwrap();
        assert_eq!(gauge.h.positive_buckets, vec![15.0]);
    }
}
