//! Adding and subtracting histograms (`Add`, `Sub`) with schema, zero-bucket and
//! custom-bound reconciliation and counter-reset hint merging.

use super::bounds::exponential_bound;
use super::buckets::{collapse, expand};
use super::hints::adjust_counter_reset;
use super::schema::reduce;
use super::zero_bucket::zero_for_threshold;
use crate::model::FloatHistogram;

/// Why two histograms cannot be combined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistogramError {
    /// One uses exponential buckets, the other custom buckets
    /// (`ErrHistogramsIncompatibleSchema`).
    #[error("cannot apply this operation on histograms with a mix of exponential and custom bucket schemas")]
    IncompatibleSchema,
}

/// What adding (or subtracting) a histogram reports besides the result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AddNotes {
    /// Mismatched custom bucket bounds were reconciled.
    pub reconciled: bool,
    /// A counter reset met a "not reset" hint.
    pub collision: bool,
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
        let (mut apos, mut aneg) = (apos, expand(&a.negative_spans, &a.negative_buckets));
        let (bpos, bneg) = (bpos, expand(&b.negative_spans, &b.negative_buckets));
        // Go's `reconcileZeroBuckets`, before any schema reduction: each side widens its zero
        // bucket at its own schema until both agree; `a` drops the buckets now inside it. NaN
        // widths never agree (nor compare), so they are left as they are.
        let (mut az, mut threshold) = (a.zero_count, a.zero_threshold);
        let (mut bz, mut b_threshold) = (b.zero_count, b.zero_threshold);
        let mut widened = false;
        if !threshold.is_nan() && !b_threshold.is_nan() {
            while threshold != b_threshold {
                if threshold > b_threshold {
                    (bz, b_threshold) =
                        zero_for_threshold(b.zero_count, &bpos, &bneg, b.schema, threshold);
                }
                if b_threshold > threshold {
                    (az, threshold) =
                        zero_for_threshold(a.zero_count, &apos, &aneg, a.schema, b_threshold);
                    widened = true;
                }
            }
        }
        if widened {
            // `trimBucketsInZeroBucket`: every bucket whose lower bound is below the width.
            let outside = |&(i, _): &(i32, f64)| {
                exponential_bound(i.saturating_sub(1), a.schema) >= threshold
            };
            apos.retain(outside);
            aneg.retain(outside);
        }
        let schema = a.schema.min(b.schema);
        let (apos, aneg) = (
            reduce(&apos, a.schema, schema),
            reduce(&aneg, a.schema, schema),
        );
        let (mut bpos, mut bneg) = (
            reduce(&bpos, b.schema, schema),
            reduce(&bneg, b.schema, schema),
        );
        // `addBuckets` skips the buckets of `b` inside the zero bucket.
        let inside =
            |l: &mut Vec<(i32, f64)>| l.retain(|&(i, _)| exponential_bound(i, schema) > threshold);
        if !threshold.is_nan() {
            inside(&mut bpos);
            inside(&mut bneg);
        }
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

/// `a + b` ([`combine`]) with what it reports.
pub fn add(
    a: &FloatHistogram,
    b: &FloatHistogram,
) -> Result<(FloatHistogram, AddNotes), HistogramError> {
    combine(a, b, false).map(Combined::with_notes)
}

/// `a - b` (the hint merged as for `a + b`, as Go's `Sub`) with what it reports.
pub fn sub(
    a: &FloatHistogram,
    b: &FloatHistogram,
) -> Result<(FloatHistogram, AddNotes), HistogramError> {
    combine(a, b, true).map(Combined::with_notes)
}

impl Combined {
    /// The result and what the operation reports.
    fn with_notes(self) -> (FloatHistogram, AddNotes) {
        let notes = AddNotes {
            reconciled: self.nhcb_reconciled,
            collision: self.counter_reset_collision,
        };
        (self.h, notes)
    }
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
