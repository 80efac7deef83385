//! Arithmetic on native histograms for the functions over them: addition (plain and
//! Kahan-compensated), subtraction and scaling, bringing operands to a common bucket layout
//! first (coarsest schema, widest zero bucket, shared custom bounds), as Prometheus's
//! `FloatHistogram.Add`/`KahanAdd`/`Sub`/`Mul`/`Div`.

use std::collections::BTreeMap;

use crate::model::histogram_math::{map_to_bounds, zero_for_threshold};

use crate::model::histogram_math::{
    adjust_counter_reset, collapse, combine, compact, div, expand as expand_list,
    exponential_bound, kahan_sum_inc, mul, reduce_index,
};
use crate::model::{CounterResetHint, FloatHistogram, Span};

/// Histograms with exponential and with custom buckets cannot be combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncompatibleSchemas;

/// A histogram with its buckets keyed by index, for arithmetic.
#[derive(Debug, Clone, PartialEq)]
pub struct Expanded {
    /// The counter-reset hint.
    pub hint: CounterResetHint,
    /// The schema.
    pub schema: i32,
    /// Width of the zero bucket.
    pub zero_threshold: f64,
    /// Observations in the zero bucket.
    pub zero_count: f64,
    /// Total observations.
    pub count: f64,
    /// Sum of observations.
    pub sum: f64,
    /// Custom bucket bounds (schema -53).
    pub custom_values: Vec<f64>,
    /// Positive (or custom) buckets by index.
    pub pos: BTreeMap<i32, f64>,
    /// Negative buckets by index.
    pub neg: BTreeMap<i32, f64>,
}

fn expand(spans: &[Span], counts: &[f64]) -> BTreeMap<i32, f64> {
    let mut out = BTreeMap::new();
    for (idx, c) in expand_list(spans, counts) {
        *out.entry(idx).or_insert(0.0) += c;
    }
    out
}

impl Expanded {
    /// The expanded form of `h`.
    pub fn new(h: &FloatHistogram) -> Self {
        Expanded {
            hint: h.counter_reset_hint,
            schema: h.schema,
            zero_threshold: h.zero_threshold,
            zero_count: h.zero_count,
            count: h.count,
            sum: h.sum,
            custom_values: h.custom_values.clone(),
            pos: expand(&h.positive_spans, &h.positive_buckets),
            neg: expand(&h.negative_spans, &h.negative_buckets),
        }
    }

    /// An empty histogram with the layout of `self` (for Kahan compensations).
    fn empty_like(&self) -> Self {
        Expanded {
            hint: self.hint,
            schema: self.schema,
            zero_threshold: self.zero_threshold,
            zero_count: 0.0,
            count: 0.0,
            sum: 0.0,
            custom_values: self.custom_values.clone(),
            pos: BTreeMap::new(),
            neg: BTreeMap::new(),
        }
    }

    /// Back to spans and buckets, with empty buckets removed (`Compact(0)`).
    pub fn to_histogram(&self) -> FloatHistogram {
        let list = |m: &BTreeMap<i32, f64>| -> Vec<(i32, f64)> {
            m.iter().map(|(i, c)| (*i, *c)).collect()
        };
        let (positive_spans, positive_buckets) = collapse(&list(&self.pos));
        let (negative_spans, negative_buckets) = collapse(&list(&self.neg));
        FloatHistogram {
            counter_reset_hint: self.hint,
            schema: self.schema,
            zero_threshold: self.zero_threshold,
            zero_count: self.zero_count,
            count: self.count,
            sum: self.sum,
            positive_spans,
            negative_spans,
            positive_buckets,
            negative_buckets,
            custom_values: self.custom_values.clone(),
        }
    }

    fn is_custom(&self) -> bool {
        self.schema == crate::model::histogram::CUSTOM_BUCKETS_SCHEMA
    }

    /// Multiplies every count and the sum by `f`.
    pub fn scale(&mut self, f: f64) {
        self.zero_count *= f;
        self.count *= f;
        self.sum *= f;
        for c in self.pos.values_mut().chain(self.neg.values_mut()) {
            *c *= f;
        }
    }

    /// Divides every count and the sum by `d` (Go's `Div`).
    pub fn divide(&mut self, d: f64) {
        self.zero_count /= d;
        self.count /= d;
        self.sum /= d;
        for c in self.pos.values_mut().chain(self.neg.values_mut()) {
            *c /= d;
        }
    }

    /// Whether any count or the sum is infinite (Go's `HasOverflow`).
    pub fn has_overflow(&self) -> bool {
        [self.zero_count, self.count, self.sum]
            .iter()
            .chain(self.pos.values())
            .chain(self.neg.values())
            .any(|v| v.is_infinite())
    }

    /// The threshold the zero bucket reaches when widened to `t`: a populated bucket the
    /// threshold falls into widens it to that bucket's upper bound.
    fn widened_threshold(&self, t: f64) -> f64 {
        if t <= self.zero_threshold {
            return t;
        }
        let list = |m: &BTreeMap<i32, f64>| -> Vec<(i32, f64)> {
            m.iter().map(|(i, c)| (*i, *c)).collect()
        };
        zero_for_threshold(
            self.zero_count,
            &list(&self.pos),
            &list(&self.neg),
            self.schema,
            t,
        )
        .1
    }

    /// Moves the buckets below threshold `t` into the zero bucket.
    fn widen_zero(&mut self, t: f64) {
        if t <= self.zero_threshold {
            return;
        }
        let schema = self.schema;
        for side in [&mut self.pos, &mut self.neg] {
            let folded: Vec<i32> = side
                .keys()
                .copied()
                .filter(|&i| exponential_bound(i.saturating_sub(1), schema) < t)
                .collect();
            for i in folded {
                self.zero_count += side.remove(&i).unwrap_or(0.0);
            }
        }
        self.zero_threshold = t;
    }

    /// Merges buckets down to the coarser `schema`.
    fn reduce_to(&mut self, schema: i32) {
        if schema >= self.schema {
            return;
        }
        let from = self.schema;
        for side in [&mut self.pos, &mut self.neg] {
            let mut reduced = BTreeMap::new();
            for (&i, &c) in side.iter() {
                *reduced.entry(reduce_index(i, from, schema)).or_insert(0.0) += c;
            }
            *side = reduced;
        }
        self.schema = schema;
    }

    /// Rolls custom buckets up to `bounds` (a subset of the current bounds).
    fn rebound(&mut self, bounds: &[f64]) {
        if self.custom_values == bounds {
            return;
        }
        let list: Vec<(i32, f64)> = self.pos.iter().map(|(i, c)| (*i, *c)).collect();
        self.pos = map_to_bounds(&list, &self.custom_values, bounds)
            .into_iter()
            .collect();
        self.custom_values = bounds.to_vec();
    }
}

/// Brings `hs` to one layout; returns whether mismatched custom bounds were reconciled.
fn align(hs: &mut [&mut Expanded]) -> Result<bool, IncompatibleSchemas> {
    let Some(first) = hs.first() else {
        return Ok(false);
    };
    let custom = first.is_custom();
    if hs.iter().any(|h| h.is_custom() != custom) {
        return Err(IncompatibleSchemas);
    }
    if custom {
        let mut bounds = first.custom_values.clone();
        for h in hs.iter() {
            bounds.retain(|b| h.custom_values.contains(b));
        }
        let reconciled = hs.iter().any(|h| h.custom_values != bounds);
        for h in hs.iter_mut() {
            h.rebound(&bounds);
        }
        return Ok(reconciled);
    }
    let mut t = hs.iter().map(|h| h.zero_threshold).fold(0.0, f64::max);
    loop {
        let widened = hs.iter().map(|h| h.widened_threshold(t)).fold(t, f64::max);
        if widened.partial_cmp(&t) != Some(std::cmp::Ordering::Greater) {
            break;
        }
        t = widened;
    }
    let schema = hs.iter().map(|h| h.schema).min().unwrap_or(0);
    for h in hs.iter_mut() {
        h.widen_zero(t);
        h.reduce_to(schema);
    }
    Ok(false)
}

/// The counter-reset hint of a sum (Go's `adjustCounterReset`); `true` on a collision of
/// "reset" and "not reset".
fn combine_hints(a: CounterResetHint, b: CounterResetHint) -> (CounterResetHint, bool) {
    let mut hint = a;
    let collision = adjust_counter_reset(&mut hint, b);
    (hint, collision)
}

/// What an operation reports besides its result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpNotes {
    /// Mismatched custom bucket bounds were reconciled.
    pub reconciled: bool,
    /// A counter reset collided with a "not reset" hint.
    pub collision: bool,
}

fn add_fields(a: &mut Expanded, b: &Expanded, sign: f64) {
    a.zero_count += sign * b.zero_count;
    a.count += sign * b.count;
    a.sum += sign * b.sum;
    for (side, other) in [(&mut a.pos, &b.pos), (&mut a.neg, &b.neg)] {
        for (&i, &c) in other {
            *side.entry(i).or_insert(0.0) += sign * c;
        }
    }
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

/// A Kahan-compensated running sum of histograms (Go's `KahanAdd` with its compensation).
#[derive(Debug, Clone)]
pub struct KahanHistogramSum {
    sum: Expanded,
    comp: Expanded,
}

impl KahanHistogramSum {
    /// A sum starting at `h`.
    pub fn new(h: &FloatHistogram) -> Self {
        let sum = Expanded::new(h);
        let comp = sum.empty_like();
        KahanHistogramSum { sum, comp }
    }

    /// Adds `h` (divided by `divisor`) to the sum; the layouts are aligned first.
    pub fn add(
        &mut self,
        h: &FloatHistogram,
        divisor: f64,
    ) -> Result<OpNotes, IncompatibleSchemas> {
        let mut other = Expanded::new(h);
        if divisor != 1.0 {
            other.divide(divisor);
        }
        let reconciled = align(&mut [&mut self.sum, &mut self.comp, &mut other])?;
        let (hint, collision) = combine_hints(self.sum.hint, other.hint);
        self.sum.hint = hint;
        let inc = |s: &mut f64, c: &mut f64, v: f64| {
            (*s, *c) = kahan_sum_inc(v, *s, *c);
        };
        inc(
            &mut self.sum.zero_count,
            &mut self.comp.zero_count,
            other.zero_count,
        );
        inc(&mut self.sum.count, &mut self.comp.count, other.count);
        inc(&mut self.sum.sum, &mut self.comp.sum, other.sum);
        for (side, comp, o) in [
            (&mut self.sum.pos, &mut self.comp.pos, &other.pos),
            (&mut self.sum.neg, &mut self.comp.neg, &other.neg),
        ] {
            for (&i, &v) in o {
                let s = side.entry(i).or_insert(0.0);
                let c = comp.entry(i).or_insert(0.0);
                inc(s, c, v);
            }
        }
        Ok(OpNotes {
            reconciled,
            collision,
        })
    }

    /// Multiplies the sum and its compensation by `f`.
    pub fn scale(&mut self, f: f64) {
        self.sum.scale(f);
        self.comp.scale(f);
    }

    /// Divides the sum and its compensation by `d`.
    pub fn divide(&mut self, d: f64) {
        self.sum.divide(d);
        self.comp.divide(d);
    }

    /// Whether the running sum overflowed.
    pub fn has_overflow(&self) -> bool {
        self.sum.has_overflow()
    }

    /// The compensated sum.
    pub fn result(&self) -> FloatHistogram {
        let mut out = self.sum.clone();
        let mut comp = self.comp.clone();
        // Layouts are already aligned; align again only defensively (cannot fail here).
        let _ = align(&mut [&mut out, &mut comp]);
        add_fields(&mut out, &comp, 1.0);
        out.to_histogram()
    }
}

/// `h * f` (the shared [`mul`]), empty buckets dropped.
pub fn scaled(h: &FloatHistogram, f: f64) -> FloatHistogram {
    let mut x = mul(h, f);
    compact(&mut x);
    x
}

/// `h` with its buckets merged down to the coarser `schema` (Go's `CopyToSchema`).
pub fn to_schema(h: &FloatHistogram, schema: i32) -> FloatHistogram {
    let mut x = Expanded::new(h);
    if !x.is_custom() {
        x.reduce_to(schema);
    }
    x.to_histogram()
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
    fn kahan_sum_compensates_and_hints_collide() {
        let mut big = hist(0, 0, &[1e100]);
        big.counter_reset_hint = CounterResetHint::CounterReset;
        let mut acc = KahanHistogramSum::new(&hist(0, 0, &[1.0]));
        acc.add(&big, 1.0).unwrap();
        acc.add(&hist(0, 0, &[1.0]), 1.0).unwrap();
        let mut neg = hist(0, 0, &[-1e100]);
        neg.counter_reset_hint = CounterResetHint::NotCounterReset;
        let notes = acc.add(&neg, 1.0).unwrap();
        assert_eq!(acc.result().positive_buckets, vec![2.0]);
        assert!(!notes.collision);
        assert!(!acc.has_overflow());
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
