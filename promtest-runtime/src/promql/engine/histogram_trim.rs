//! Native histogram bucket trimming (`</`, `>/`, Prometheus's `TrimBuckets`) and the
//! `FloatHistogram.String()` form (used by `count_values`).

use crate::gomath::log2;
use crate::model::histogram_math::{compact, expand, exponential_bound};
use crate::model::FloatHistogram;

/// Lower and upper bound of bucket `idx` of a histogram (positive side).
pub(crate) fn bucket_bounds(h: &FloatHistogram, idx: i32) -> (f64, f64) {
    if h.uses_custom_buckets() {
        let cv = &h.custom_values;
        let bound = |i: i32| -> f64 {
            if i < 0 {
                f64::NEG_INFINITY
            } else if i as usize >= cv.len() {
                f64::INFINITY
            } else {
                cv[i as usize]
            }
        };
        (bound(idx - 1), bound(idx))
    } else {
        (
            exponential_bound(idx - 1, h.schema),
            exponential_bound(idx, h.schema),
        )
    }
}

fn midpoint(lo: f64, hi: f64, positive: bool, linear: bool) -> f64 {
    if lo.is_infinite() {
        if hi.is_infinite() {
            return 0.0;
        }
        return if hi > 0.0 { hi / 2.0 } else { hi };
    }
    if hi.is_infinite() {
        return lo;
    }
    if linear {
        return (lo + hi) / 2.0;
    }
    let g = (lo * hi).abs().sqrt();
    if positive {
        g
    } else {
        -g
    }
}

fn fraction_below(lo: f64, hi: f64, v: f64, linear: bool) -> f64 {
    if linear {
        return (v - lo) / (hi - lo);
    }
    let (ll, lu, lv) = (log2(lo.abs()), log2(hi.abs()), log2(v.abs()));
    if v > 0.0 {
        (lv - ll) / (lu - ll)
    } else {
        1.0 - ((lv - lu) / (ll - lu))
    }
}

fn infinity_bucket_trim(upper_trim: bool, lo: f64, hi: f64, count: f64, rhs: f64) -> (f64, f64) {
    let zero_if_inf = |x: f64| if x.is_infinite() { 0.0 } else { x };
    if lo == f64::NEG_INFINITY {
        if upper_trim {
            if rhs >= hi {
                return (count, 0.0);
            }
            if rhs > 0.0 && hi > 0.0 && hi.is_finite() {
                return (count * rhs / hi, rhs / 2.0);
            }
            if hi <= 0.0 {
                return (count, rhs);
            }
            return (0.0, zero_if_inf(hi));
        }
        if rhs <= lo {
            return (count, 0.0);
        }
        if rhs >= 0.0 && hi > rhs && hi.is_finite() {
            return (count * (1.0 - rhs / hi), (rhs + hi) / 2.0);
        }
        return (0.0, zero_if_inf(hi));
    }
    if upper_trim {
        return (0.0, zero_if_inf(lo));
    }
    if rhs >= lo {
        return (count, rhs);
    }
    (0.0, zero_if_inf(lo))
}

fn bucket_trim(
    lo: f64,
    hi: f64,
    count: f64,
    rhs: f64,
    upper_trim: bool,
    positive: bool,
    linear: bool,
) -> (f64, f64) {
    if lo == f64::NEG_INFINITY || hi == f64::INFINITY {
        return infinity_bucket_trim(upper_trim, lo, hi, count, rhs);
    }
    let under = if rhs <= lo {
        0.0
    } else if rhs >= hi {
        count
    } else {
        count * fraction_below(lo, hi, rhs, linear)
    };
    if upper_trim {
        (under, midpoint(lo, rhs, positive, linear))
    } else {
        (count - under, midpoint(rhs, hi, positive, linear))
    }
}

/// `h </ rhs` (`upper_trim`: keep observations below `rhs`) or `h >/ rhs` (keep those
/// above), Prometheus's `TrimBuckets`: partially covered buckets are interpolated, and count
/// and sum are re-estimated from bucket midpoints when anything was trimmed.
pub fn trim(h: &FloatHistogram, rhs: f64, upper_trim: bool) -> FloatHistogram {
    let mut out = h.clone();
    let linear = h.uses_custom_buckets();
    let (mut count, mut sum) = (0.0, 0.0);
    let mut trimmed = false;
    let (mut has_pos, mut has_neg) = (false, false);
    for positive in [true, false] {
        let (spans, buckets) = if positive {
            (&out.positive_spans, &mut out.positive_buckets)
        } else {
            (&out.negative_spans, &mut out.negative_buckets)
        };
        let idxs: Vec<i32> = expand(spans, buckets).iter().map(|b| b.0).collect();
        for (i, idx) in idxs.into_iter().enumerate() {
            let c = buckets[i];
            if c == 0.0 {
                continue;
            }
            if positive {
                has_pos = true;
            } else {
                has_neg = true;
            }
            let (l, u) = bucket_bounds(h, idx);
            let (lo, hi) = if positive { (l, u) } else { (-u, -l) };
            let keep_all = if upper_trim { hi <= rhs } else { lo >= rhs };
            let partial = if upper_trim { lo < rhs } else { hi > rhs };
            if keep_all {
                count += c;
                sum += midpoint(lo, hi, positive, linear) * c;
            } else if partial {
                let (keep, mid) = bucket_trim(lo, hi, c, rhs, upper_trim, positive, linear);
                count += keep;
                sum += mid * keep;
                if c != keep {
                    buckets[i] = keep;
                    trimmed = true;
                }
            } else {
                buckets[i] = 0.0;
                trimmed = true;
            }
        }
    }
    if out.zero_count > 0.0 {
        let (mut lo, mut hi) = (-out.zero_threshold, out.zero_threshold);
        if has_neg && !has_pos {
            hi = 0.0;
        }
        if has_pos && !has_neg {
            lo = 0.0;
        }
        let zc = out.zero_count;
        let (keep, mid) = if upper_trim {
            if rhs <= lo {
                (0.0, 0.0)
            } else if rhs >= hi {
                (zc, (lo + hi) / 2.0)
            } else {
                (zc * (rhs - lo) / (hi - lo), (lo + rhs) / 2.0)
            }
        } else if rhs <= lo {
            (zc, (lo + hi) / 2.0)
        } else if rhs >= hi {
            (0.0, 0.0)
        } else {
            (zc * (hi - rhs) / (hi - lo), (rhs + hi) / 2.0)
        };
        if out.zero_count != keep {
            out.zero_count = keep;
            trimmed = true;
        }
        sum += mid * keep;
        count += keep;
    }
    if trimmed {
        out.count = count;
        out.sum = sum;
        compact(&mut out);
    }
    out
}

/// Prometheus's `FloatHistogram.String()`: `{count:N, sum:S, <buckets>}` with the non-empty
/// buckets from the most negative to the most positive, e.g. `(0.5,1]:1`.
pub fn histogram_string(h: &FloatHistogram) -> String {
    use crate::literals::float::format_g as g;
    let custom = h.uses_custom_buckets();
    let bucket = |lo: f64, hi: f64, lo_incl: bool, hi_incl: bool, c: f64| {
        format!(
            "{}{},{}{}:{}",
            if lo_incl { '[' } else { '(' },
            g(lo),
            g(hi),
            if hi_incl { ']' } else { ')' },
            g(c)
        )
    };
    let mut parts = vec![format!("{{count:{}, sum:{}", g(h.count), g(h.sum))];
    let neg = expand(&h.negative_spans, &h.negative_buckets);
    for &(idx, c) in neg.iter().rev().filter(|b| b.1 != 0.0) {
        let (l, u) = bucket_bounds(h, idx);
        let (lo, hi) = (-u, -l);
        let (li, ui) = if custom {
            (idx == 0, true)
        } else {
            (lo < 0.0, hi > 0.0)
        };
        parts.push(bucket(lo, hi, li, ui, c));
    }
    if h.zero_count != 0.0 {
        parts.push(bucket(
            -h.zero_threshold,
            h.zero_threshold,
            true,
            true,
            h.zero_count,
        ));
    }
    let pos = expand(&h.positive_spans, &h.positive_buckets);
    for &(idx, c) in pos.iter().filter(|b| b.1 != 0.0) {
        let (lo, hi) = bucket_bounds(h, idx);
        let (li, ui) = if custom {
            (idx == 0, true)
        } else {
            (lo < 0.0, hi > 0.0)
        };
        parts.push(bucket(lo, hi, li, ui, c));
    }
    parts.join(", ") + "}"
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::histogram_math::buckets::test_histogram as h;
    use crate::model::histogram_math::collapse;

    #[test]
    fn trim_keeps_the_lower_buckets() {
        // Buckets (0.5,1]:1, (1,2]:2 (schema 0); trimming above 1 keeps only the first.
        let mut x = h(0, &[(0, 1.0), (1, 2.0)]);
        x.sum = 4.0;
        let t = trim(&x, 1.0, true);
        assert_eq!(t.count, 1.0);
        assert_eq!(
            expand(&t.positive_spans, &t.positive_buckets),
            vec![(0, 1.0)]
        );
        // The sum is re-estimated from the bucket's geometric midpoint.
        assert!((t.sum - 0.5f64.sqrt()).abs() < 1e-12);
        // Nothing to trim: unchanged.
        assert_eq!(trim(&x, 4.0, true), x);
    }

    #[test]
    fn string_form() {
        let mut x = h(0, &[(0, 1.0), (1, 2.0)]);
        x.count = 20.0;
        x.sum = 10.0;
        x.zero_threshold = 0.001;
        x.zero_count = 2.0;
        (x.negative_spans, x.negative_buckets) = collapse(&[(0, 1.0), (1, 2.0)]);
        assert_eq!(
            histogram_string(&x),
            "{count:20, sum:10, [-2,-1):2, [-1,-0.5):1, [-0.001,0.001]:2, (0.5,1]:1, (1,2]:2}"
        );
    }
}
