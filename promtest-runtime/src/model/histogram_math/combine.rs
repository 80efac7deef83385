//! Adding and subtracting histograms (`Add`, `Sub`) with schema, zero-bucket and
//! custom-bound reconciliation and counter-reset hint merging.

use super::bounds::exponential_bound;
use super::buckets::{collapse, expand};
use super::hints::adjust_counter_reset;
use super::schema::reduce;
use super::zero_bucket::zero_for_threshold;
use crate::model::FloatHistogram;

/// Why two histograms cannot be combined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistogramError {
    /// One uses exponential buckets, the other custom buckets
    /// (`ErrHistogramsIncompatibleSchema`).
    IncompatibleSchema,
}

/// The outcome of an addition or subtraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Combined {
    /// The result.
    pub h: FloatHistogram,
    /// One input had a counter reset hint of `CounterReset`, the other `NotCounterReset`.
    pub counter_reset_collision: bool,
    /// Custom-bucket histograms with different bounds were mapped to their common bounds.
    pub nhcb_reconciled: bool,
}

/// Merges two index-ordered lists, adding `sign * count` of `b` to `a`.
pub fn add_lists(a: &[(i32, f64)], b: &[(i32, f64)], sign: f64) -> Vec<(i32, f64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(&(ia, ca)), Some(&(ib, cb))) if ia == ib => {
                out.push((ia, ca + sign * cb));
                i += 1;
                j += 1;
            }
            (Some(&(ia, ca)), Some(&(ib, _))) if ia < ib => {
                out.push((ia, ca));
                i += 1;
            }
            (Some(&(ia, ca)), None) => {
                out.push((ia, ca));
                i += 1;
            }
            (_, Some(&(ib, cb))) => {
                out.push((ib, sign * cb));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// The custom bounds present in both `a` and `b`, in `a`'s order (the layout mismatched
/// custom-bucket histograms are reconciled to).
pub fn common_bounds(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().copied().filter(|v| b.contains(v)).collect()
}

/// Custom buckets mapped onto `common` bounds: each bucket goes to the first common bucket
/// whose upper bound is at least its own (`addCustomBucketsWithMismatches`).
pub fn map_to_bounds(list: &[(i32, f64)], bounds: &[f64], common: &[f64]) -> Vec<(i32, f64)> {
    let mut out: Vec<(i32, f64)> = Vec::new();
    for &(idx, c) in list {
        let target = match bounds.get(idx.max(0) as usize) {
            Some(&b) if idx >= 0 => common.iter().position(|&x| x >= b).unwrap_or(common.len()),
            _ => common.len(),
        } as i32;
        match out.iter_mut().find(|(i, _)| *i == target) {
            Some((_, tc)) => *tc += c,
            None => out.push((target, c)),
        }
    }
    out.sort_by_key(|p| p.0);
    out
}

/// `a + b` (`Add`) or, with `subtract`, `a - b` (`Sub`). As in Prometheus, the hint is merged
/// by [`adjust_counter_reset`] either way; the `-` operator marks its result a gauge itself.
pub fn combine(
    a: &FloatHistogram,
    b: &FloatHistogram,
    subtract: bool,
) -> Result<Combined, HistogramError> {
    if a.uses_custom_buckets() != b.uses_custom_buckets() {
        return Err(HistogramError::IncompatibleSchema);
    }
    let sign = if subtract { -1.0 } else { 1.0 };
    let mut reconciled = false;
    let mut out = a.clone();
    let collision = adjust_counter_reset(&mut out.counter_reset_hint, b.counter_reset_hint);
    out.count += sign * b.count;
    out.sum += sign * b.sum;
    let (apos, bpos) = (
        expand(&a.positive_spans, &a.positive_buckets),
        expand(&b.positive_spans, &b.positive_buckets),
    );
    if a.uses_custom_buckets() {
        if a.custom_values != b.custom_values {
            let common = common_bounds(&a.custom_values, &b.custom_values);
            let amapped = map_to_bounds(&apos, &a.custom_values, &common);
            let bmapped = map_to_bounds(&bpos, &b.custom_values, &common);
            (out.positive_spans, out.positive_buckets) =
                collapse(&add_lists(&amapped, &bmapped, sign));
            out.custom_values = common;
            reconciled = true;
        } else {
            (out.positive_spans, out.positive_buckets) = collapse(&add_lists(&apos, &bpos, sign));
        }
    } else {
        let (aneg, bneg) = (
            expand(&a.negative_spans, &a.negative_buckets),
            expand(&b.negative_spans, &b.negative_buckets),
        );
        let schema = a.schema.min(b.schema);
        let (mut apos, mut aneg) = (
            reduce(&apos, a.schema, schema),
            reduce(&aneg, a.schema, schema),
        );
        let (mut bpos, mut bneg) = (
            reduce(&bpos, b.schema, schema),
            reduce(&bneg, b.schema, schema),
        );
        let (mut az, mut bz) = (a.zero_count, b.zero_count);
        let mut threshold = a.zero_threshold;
        let mut b_threshold = b.zero_threshold;
        while threshold != b_threshold {
            if threshold > b_threshold {
                (bz, b_threshold) =
                    zero_for_threshold(b.zero_count, &bpos, &bneg, schema, threshold);
            }
            if b_threshold > threshold {
                (az, threshold) =
                    zero_for_threshold(a.zero_count, &apos, &aneg, schema, b_threshold);
            }
        }
        let inside =
            |l: &mut Vec<(i32, f64)>| l.retain(|&(i, _)| exponential_bound(i, schema) > threshold);
        if threshold != a.zero_threshold {
            inside(&mut apos);
            inside(&mut aneg);
        }
        inside(&mut bpos);
        inside(&mut bneg);
        out.schema = schema;
        out.zero_threshold = threshold;
        out.zero_count = az + sign * bz;
        (out.positive_spans, out.positive_buckets) = collapse(&add_lists(&apos, &bpos, sign));
        (out.negative_spans, out.negative_buckets) = collapse(&add_lists(&aneg, &bneg, sign));
    }
    Ok(Combined {
        h: out,
        counter_reset_collision: collision,
        nhcb_reconciled: reconciled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CounterResetHint;

    use crate::model::histogram_math::buckets::test_histogram as h;

    #[test]
    fn add_reduces_to_the_coarser_schema() {
        let a = h(1, &[(1, 1.0), (2, 1.0)]);
        let b = h(0, &[(1, 3.0)]);
        let r = combine(&a, &b, false).unwrap().h;
        assert_eq!(r.schema, 0);
        assert_eq!(
            expand(&r.positive_spans, &r.positive_buckets),
            vec![(1, 5.0)]
        );
        assert_eq!(r.count, 5.0);
    }

    #[test]
    fn subtraction_keeps_the_merged_hint() {
        let mut a = h(0, &[(1, 3.0)]);
        a.counter_reset_hint = CounterResetHint::NotCounterReset;
        let r = combine(&a, &a, true).unwrap().h;
        assert_eq!(r.counter_reset_hint, CounterResetHint::NotCounterReset);
        assert!(r.positive_buckets.is_empty());
    }

    #[test]
    fn mismatched_custom_bounds_meet_on_the_shared_ones() {
        assert_eq!(
            common_bounds(&[1.0, 2.0, 5.0], &[2.0, 5.0, 10.0]),
            vec![2.0, 5.0]
        );
        // Buckets (..1], (1..2], (2..5], +Inf onto bounds [2, 5]: 0+1 -> 0, 2 -> 1, 3 -> 2.
        let list = [(0, 1.0), (1, 2.0), (2, 3.0), (3, 4.0)];
        assert_eq!(
            map_to_bounds(&list, &[1.0, 2.0, 5.0], &[2.0, 5.0]),
            vec![(0, 3.0), (1, 3.0), (2, 4.0)]
        );
    }
}
