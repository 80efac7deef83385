//! Arithmetic on native histograms for the functions over them: addition, subtraction,
//! scaling and schema reduction, as Prometheus's `FloatHistogram.Add`/`Sub`/`Mul`/`Div`/
//! `CopyToSchema`, on top of the shared [`crate::model::histogram_math`] (compensated sums are
//! its [`KahanSum`](crate::model::histogram_math::KahanSum)).

use crate::model::histogram_math::{collapse, combine, compact, div, expand, mul, reduce};
use crate::model::FloatHistogram;
#[cfg(test)]
use crate::model::Span;

/// Histograms with exponential and with custom buckets cannot be combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncompatibleSchemas;

/// What an operation reports besides its result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpNotes {
    /// Mismatched custom bucket bounds were reconciled.
    pub reconciled: bool,
    /// A counter reset collided with a "not reset" hint.
    pub collision: bool,
}

/// `a + b` or, with `subtract`, `a - b` (the shared [`combine`] with its notes).
fn combined(
    a: &FloatHistogram,
    b: &FloatHistogram,
    subtract: bool,
) -> Result<(FloatHistogram, OpNotes), IncompatibleSchemas> {
    let c = combine(a, b, subtract).map_err(|_| IncompatibleSchemas)?;
    Ok((
        c.h,
        OpNotes {
            reconciled: c.nhcb_reconciled,
            collision: c.counter_reset_collision,
        },
    ))
}

/// `a + b`.
pub fn add(
    a: &FloatHistogram,
    b: &FloatHistogram,
) -> Result<(FloatHistogram, OpNotes), IncompatibleSchemas> {
    combined(a, b, false)
}

/// `a - b` (the hint merged as for `a + b`, as Go's `Sub`).
pub fn sub(
    a: &FloatHistogram,
    b: &FloatHistogram,
) -> Result<(FloatHistogram, OpNotes), IncompatibleSchemas> {
    combined(a, b, true)
}

/// `h * f` (the shared [`mul`]), empty buckets dropped.
pub fn scaled(h: &FloatHistogram, f: f64) -> FloatHistogram {
    let mut x = mul(h, f);
    compact(&mut x);
    x
}

/// `h` with its buckets merged down to the coarser `schema` (Go's `CopyToSchema`), empty
/// buckets dropped.
pub fn to_schema(h: &FloatHistogram, schema: i32) -> FloatHistogram {
    let mut x = h.clone();
    if !h.uses_custom_buckets() && schema < h.schema {
        let pos = reduce(
            &expand(&h.positive_spans, &h.positive_buckets),
            h.schema,
            schema,
        );
        let neg = reduce(
            &expand(&h.negative_spans, &h.negative_buckets),
            h.schema,
            schema,
        );
        (x.positive_spans, x.positive_buckets) = collapse(&pos);
        (x.negative_spans, x.negative_buckets) = collapse(&neg);
        x.schema = schema;
    }
    compact(&mut x);
    x
}

/// `h / d` (the shared [`div`]), empty buckets dropped.
pub fn divided(h: &FloatHistogram, d: f64) -> FloatHistogram {
    let mut x = div(h, d);
    compact(&mut x);
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(schema: i32, offset: i32, counts: &[f64]) -> FloatHistogram {
        FloatHistogram {
            schema,
            count: counts.iter().sum(),
            sum: counts.iter().sum::<f64>() * 2.0,
            positive_spans: vec![Span {
                offset,
                length: counts.len() as u32,
            }],
            positive_buckets: counts.to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn adds_across_schemas() {
        let fine = hist(1, 1, &[1.0, 2.0, 3.0]); // indexes 1, 2, 3 at schema 1
        let coarse = hist(0, 1, &[10.0]); // index 1 at schema 0
        let (sum, notes) = add(&fine, &coarse).unwrap();
        assert_eq!(sum.schema, 0);
        assert_eq!(sum.count, 16.0);
        // Indexes 1 and 2 at schema 1 fall into index 1 at schema 0, index 3 into index 2.
        assert_eq!(
            sum.positive_spans,
            vec![Span {
                offset: 1,
                length: 2
            }]
        );
        assert_eq!(sum.positive_buckets, vec![13.0, 3.0]);
        assert_eq!(notes, OpNotes::default());
    }

    #[test]
    fn subtracts_and_scales() {
        let a = hist(0, 0, &[5.0, 5.0]);
        let b = hist(0, 0, &[1.0, 5.0]);
        let (d, _) = sub(&a, &b).unwrap();
        assert_eq!(d.positive_buckets, vec![4.0]);
        assert_eq!(d.count, 4.0);
        let half = scaled(&a, 0.5);
        assert_eq!(half.positive_buckets, vec![2.5, 2.5]);
        assert_eq!(half.sum, 10.0);
    }

    #[test]
    fn custom_bounds_reconcile_and_mixing_fails() {
        let mut a = hist(-53, 0, &[1.0, 1.0]);
        a.custom_values = vec![5.0, 10.0];
        let mut b = hist(-53, 0, &[2.0]);
        b.custom_values = vec![5.0];
        let (s, notes) = add(&a, &b).unwrap();
        assert!(notes.reconciled);
        assert_eq!(s.custom_values, vec![5.0]);
        assert_eq!(s.positive_buckets, vec![3.0, 1.0]);
        assert_eq!(add(&a, &hist(0, 0, &[1.0])), Err(IncompatibleSchemas));
    }

    #[test]
    fn zero_buckets_widen() {
        let mut a = hist(0, 0, &[1.0, 1.0]); // buckets (0.5, 1] and (1, 2]
        a.zero_threshold = 0.0;
        let mut b = hist(0, 1, &[1.0]);
        b.zero_threshold = 1.0;
        b.zero_count = 2.0;
        let (s, _) = add(&a, &b).unwrap();
        assert_eq!(s.zero_threshold, 1.0);
        assert_eq!(s.zero_count, 3.0);
        assert_eq!(s.positive_buckets, vec![2.0]);
    }

    #[test]
    fn to_schema_merges_buckets() {
        let fine = hist(1, 1, &[1.0, 2.0, 0.0, 3.0]);
        let coarse = to_schema(&fine, 0);
        assert_eq!(coarse.schema, 0);
        assert_eq!(coarse.positive_buckets, vec![3.0, 3.0]);
        assert_eq!(to_schema(&fine, 2).positive_buckets, vec![1.0, 2.0, 3.0]);
    }

    #[test]
    fn extreme_indexes_do_not_panic() {
        let low = hist(3, i32::MIN, &[1.0, 2.0]);
        let high = hist(-4, i32::MAX - 1, &[1.0]);
        let (sum, _) = add(&low, &high).unwrap();
        assert_eq!(sum.count, 4.0);
        assert_eq!(sum.schema, -4);
        let mut wide = high.clone();
        wide.zero_threshold = 1e300;
        assert!(add(&low, &wide).is_ok());
    }
}
