//! The histogram arithmetic the functions use, end to end: `add`/`sub` across schemas, zero
//! buckets and custom bounds, `scaled`, `to_schema`.

use super::*;
use crate::model::{FloatHistogram, Span};

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
    assert_eq!(notes, AddNotes::default());
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
    assert_eq!(
        add(&a, &hist(0, 0, &[1.0])),
        Err(HistogramError::IncompatibleSchema)
    );
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

fn spans(h: &FloatHistogram) -> Vec<(i32, f64)> {
    expand(&h.positive_spans, &h.positive_buckets)
}

#[test]
fn finer_increment_is_reduced() {
    // schema -1 bucket 1 covers schema 0 buckets 1 and 2.
    let a = hist(-1, 1, &[1.0]);
    let b = hist(0, 1, &[2.0, 2.0]);
    let r = combine(&a, &b, false).unwrap().h;
    assert_eq!(r.schema, -1);
    assert_eq!(spans(&r), vec![(1, 5.0)]);
}

#[test]
fn counter_reset_hints_reconcile() {
    use crate::model::CounterResetHint::*;
    let with = |hint| FloatHistogram {
        counter_reset_hint: hint,
        ..Default::default()
    };
    let hint = |a, b| {
        combine(&with(a), &with(b), false)
            .unwrap()
            .h
            .counter_reset_hint
    };
    assert_eq!(hint(Unknown, Gauge), Gauge);
    assert_eq!(hint(CounterReset, NotCounterReset), Unknown);
    assert!(
        combine(&with(CounterReset), &with(NotCounterReset), false)
            .unwrap()
            .counter_reset_collision
    );
}

#[test]
fn zero_buckets_are_reconciled() {
    // Schema 0: bucket 0 is (0.5, 1], bucket 1 is (1, 2].
    let mut a = hist(0, 0, &[3.0, 4.0]);
    a.zero_threshold = 0.001;
    a.zero_count = 1.0;
    let mut b = hist(0, 1, &[5.0]);
    b.zero_threshold = 1.0;
    b.zero_count = 2.0;
    let r = combine(&a, &b, false).unwrap().h;
    assert_eq!(r.zero_threshold, 1.0);
    // a's bucket 0 moved into the zero bucket: 1 + 3, plus b's 2.
    assert_eq!(r.zero_count, 6.0);
    assert_eq!(spans(&r), vec![(1, 9.0)]);
    // A threshold inside a populated bucket widens to that bucket's upper bound.
    let mut c = hist(0, 1, &[1.0]);
    c.zero_threshold = 1.5;
    c.zero_count = 0.0;
    let r = combine(&a, &c, false).unwrap().h;
    assert_eq!(r.zero_threshold, 2.0);
    assert_eq!(r.zero_count, 1.0 + 3.0 + 4.0 + 1.0);
    assert!(r.positive_buckets.is_empty());
}

/// As Go's `Add`, zero buckets are reconciled at each side's own schema before the finer side
/// is reduced: 1.5 widens to schema 1's bound 2, not to schema -1's bound 4. (As in Go, `b`'s
/// bucket counted into the zero bucket is kept too: reduced to (1, 4] it is above the width.)
#[test]
fn zero_buckets_are_reconciled_before_schemas_are() {
    let mut a = hist(-1, 0, &[]);
    a.zero_threshold = 1.5;
    a.zero_count = 1.0;
    // Schema 1: bucket 2 is (1.41, 2], bucket 3 (2, 2.83], bucket 4 (2.83, 4].
    let mut b = hist(1, 2, &[2.0, 1.0, 3.0]);
    b.zero_threshold = 1.0;
    b.zero_count = 0.0;
    let r = combine(&a, &b, false).unwrap().h;
    assert_eq!((r.schema, r.zero_threshold, r.zero_count), (-1, 2.0, 3.0));
    // b's buckets 2 to 4 land in schema -1 bucket 1, (1, 4].
    assert_eq!(spans(&r), vec![(1, 6.0)]);
}

#[test]
fn nan_zero_width_and_extreme_schemas_do_not_hang_or_panic() {
    let mut a = hist(0, 0, &[1.0]);
    a.zero_threshold = f64::NAN;
    let b = hist(0, 0, &[1.0]);
    let r = combine(&a, &b, false).unwrap().h;
    assert_eq!(spans(&r), vec![(0, 2.0)]);
    assert!(combine(&b, &a, false).is_ok());
    let coarse = hist(-100, 0, &[1.0]);
    let fine = hist(100, 5, &[1.0]);
    assert!(combine(&coarse, &fine, false).is_ok());
}

#[test]
fn custom_buckets_with_different_bounds_meet_on_shared_bounds() {
    let mut a = hist(-53, 0, &[1.0, 2.0, 3.0]);
    a.custom_values = vec![5.0, 10.0];
    let mut b = hist(-53, 0, &[10.0, 20.0, 30.0]);
    b.custom_values = vec![10.0, 20.0];
    let r = combine(&a, &b, false).unwrap();
    assert!(r.nhcb_reconciled);
    assert_eq!(r.h.custom_values, vec![10.0]);
    // a: (..5]+(5..10] -> (..10]; +Inf stays. b: (..10] -> (..10]; (10..20], +Inf -> +Inf.
    assert_eq!(spans(&r.h), vec![(0, 13.0), (1, 53.0)]);
}
