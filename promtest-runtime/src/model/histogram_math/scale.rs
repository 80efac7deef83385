//! Scaling a histogram by a scalar (`Mul`, `Div`), also with empty buckets dropped as the
//! functions over histograms return them.

use super::buckets::compact;
use crate::model::{CounterResetHint, FloatHistogram};

/// `h * factor` (`Mul`): all counts and the sum scaled; a negative factor makes a gauge.
pub fn mul(h: &FloatHistogram, factor: f64) -> FloatHistogram {
    let mut out = h.clone();
    out.zero_count *= factor;
    out.count *= factor;
    out.sum *= factor;
    out.positive_buckets.iter_mut().for_each(|b| *b *= factor);
    out.negative_buckets.iter_mut().for_each(|b| *b *= factor);
    if factor < 0.0 {
        out.counter_reset_hint = CounterResetHint::Gauge;
    }
    out
}

/// `h / scalar` (`Div`): division by zero removes all buckets; a negative divisor makes a gauge.
pub fn div(h: &FloatHistogram, scalar: f64) -> FloatHistogram {
    let mut out = h.clone();
    out.zero_count /= scalar;
    out.count /= scalar;
    out.sum /= scalar;
    if scalar == 0.0 {
        out.positive_buckets.clear();
        out.negative_buckets.clear();
        out.positive_spans.clear();
        out.negative_spans.clear();
        return out;
    }
    out.positive_buckets.iter_mut().for_each(|b| *b /= scalar);
    out.negative_buckets.iter_mut().for_each(|b| *b /= scalar);
    if scalar < 0.0 {
        out.counter_reset_hint = CounterResetHint::Gauge;
    }
    out
}

/// `h * f` ([`mul`]), empty buckets dropped.
pub fn scaled(h: &FloatHistogram, f: f64) -> FloatHistogram {
    let mut x = mul(h, f);
    compact(&mut x);
    x
}

/// `h / d` ([`div`]), empty buckets dropped.
pub fn divided(h: &FloatHistogram, d: f64) -> FloatHistogram {
    let mut x = div(h, d);
    compact(&mut x);
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn h() -> FloatHistogram {
        FloatHistogram {
            count: 4.0,
            sum: 8.0,
            zero_count: 1.0,
            positive_spans: vec![Span {
                offset: 0,
                length: 1,
            }],
            positive_buckets: vec![3.0],
            ..Default::default()
        }
    }

    #[test]
    fn mul_scales_everything() {
        let r = mul(&h(), 2.0);
        assert_eq!((r.count, r.sum, r.zero_count), (8.0, 16.0, 2.0));
        assert_eq!(r.positive_buckets, vec![6.0]);
        assert_eq!(r.counter_reset_hint, CounterResetHint::Unknown);
        assert_eq!(mul(&h(), -1.0).counter_reset_hint, CounterResetHint::Gauge);
    }

    #[test]
    fn div_by_zero_drops_buckets() {
        let r = div(&h(), 0.0);
        assert!(r.positive_buckets.is_empty() && r.positive_spans.is_empty());
        assert_eq!(r.count, f64::INFINITY);
        assert_eq!(div(&h(), 2.0).positive_buckets, vec![1.5]);
        assert_eq!(div(&h(), -2.0).counter_reset_hint, CounterResetHint::Gauge);
    }
}
