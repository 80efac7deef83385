//! Arithmetic on native histograms as PromQL needs it: scaling (`Mul`, `Div`), addition and
//! subtraction with schema and zero-bucket reconciliation (`Add`, `Sub`), equality, and
//! compaction. Buckets are handled as sparse `(index, count)` lists; the result's span
//! layout is compact (empty buckets dropped), which compares equal to Prometheus's.
//!
//! Public so that function implementations (rates, `histogram_*`) can use it.

use crate::model::{CounterResetHint, FloatHistogram, Span};

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

/// The buckets of one side as `(index, count)`, in index order.
pub fn bucket_list(spans: &[Span], counts: &[f64]) -> Vec<(i32, f64)> {
    let mut out = Vec::with_capacity(counts.len());
    let mut idx: i32 = 0;
    let mut it = counts.iter();
    for (i, s) in spans.iter().enumerate() {
        idx = if i == 0 { s.offset } else { idx + s.offset };
        for _ in 0..s.length {
            match it.next() {
                Some(&c) => out.push((idx, c)),
                None => return out,
            }
            idx += 1;
        }
    }
    out
}

/// Spans and counts from an index-ordered list; buckets with count 0 are dropped.
pub fn from_list(list: &[(i32, f64)]) -> (Vec<Span>, Vec<f64>) {
    let mut spans: Vec<Span> = Vec::new();
    let mut counts = Vec::new();
    let mut next: Option<i32> = None;
    for &(idx, c) in list.iter().filter(|(_, c)| *c != 0.0) {
        match next {
            Some(n) if n == idx => spans.last_mut().expect("a span").length += 1,
            Some(n) => spans.push(Span {
                offset: idx - n,
                length: 1,
            }),
            None => spans.push(Span {
                offset: idx,
                length: 1,
            }),
        }
        counts.push(c);
        next = Some(idx + 1);
    }
    (spans, counts)
}

/// Drops empty buckets (`Compact(0)`, up to span layout).
pub fn compact(h: &mut FloatHistogram) {
    let pos = bucket_list(&h.positive_spans, &h.positive_buckets);
    (h.positive_spans, h.positive_buckets) = from_list(&pos);
    let neg = bucket_list(&h.negative_spans, &h.negative_buckets);
    (h.negative_spans, h.negative_buckets) = from_list(&neg);
}

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

/// `h / scalar` (`Div`): division by zero removes all buckets.
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

/// Upper bound of exponential bucket `idx` at `schema` (`getBoundExponential`).
pub fn exponential_bound(idx: i32, schema: i32) -> f64 {
    // Valid schemas are -4..=8; clamping keeps malformed input from overflowing shifts.
    let schema = schema.clamp(-30, 30);
    if schema < 0 {
        let exp = (idx as i64) << (-schema);
        if exp == 1024 {
            return f64::MAX;
        }
        return 2f64.powi(exp.clamp(-2000, 2000) as i32);
    }
    let n = 1i64 << schema;
    let frac_idx = (idx as i64) & (n - 1);
    let frac = 0.5 * (frac_idx as f64 / n as f64).exp2();
    let exp = ((idx as i64) >> schema) + 1;
    if frac == 0.5 && exp == 1025 {
        return f64::MAX;
    }
    frac * 2f64.powi(exp.clamp(-2000, 2000) as i32)
}

pub(crate) fn reduce(list: &[(i32, f64)], from: i32, to: i32) -> Vec<(i32, f64)> {
    if from == to {
        return list.to_vec();
    }
    let mut out: Vec<(i32, f64)> = Vec::with_capacity(list.len());
    for &(idx, c) in list {
        let t = ((idx - 1) >> (from - to).clamp(0, 31)) + 1;
        match out.last_mut() {
            Some((li, lc)) if *li == t => *lc += c,
            _ => out.push((t, c)),
        }
    }
    out
}

/// The zero count and threshold of a histogram (given as sparse lists) once its zero bucket
/// is widened to at least `larger` (`zeroCountForLargerThreshold`).
pub(crate) fn zero_for_threshold(
    zero_count: f64,
    pos: &[(i32, f64)],
    neg: &[(i32, f64)],
    schema: i32,
    mut larger: f64,
) -> (f64, f64) {
    'outer: loop {
        let mut z = zero_count;
        for &(idx, c) in pos {
            if exponential_bound(idx - 1, schema) >= larger {
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
            if exponential_bound(idx - 1, schema) >= larger {
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

/// Prometheus's `adjustCounterReset`: the receiver's hint after combining; true on collision.
pub(crate) fn adjust_counter_reset(h: &mut CounterResetHint, other: CounterResetHint) -> bool {
    use CounterResetHint::*;
    match (*h, other) {
        (a, b) if a == b => false,
        (Gauge, _) => false,
        (_, Gauge) => {
            *h = Gauge;
            false
        }
        (Unknown, _) => false,
        (_, Unknown) => {
            *h = Unknown;
            false
        }
        _ => {
            *h = Unknown;
            true
        }
    }
}

fn add_lists(a: &[(i32, f64)], b: &[(i32, f64)], sign: f64) -> Vec<(i32, f64)> {
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

/// Custom buckets mapped onto `common` bounds: each bucket goes to the first common bucket
/// whose upper bound is at least its own (`addCustomBucketsWithMismatches`).
pub(crate) fn map_to_bounds(
    list: &[(i32, f64)],
    bounds: &[f64],
    common: &[f64],
) -> Vec<(i32, f64)> {
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

/// `a + b` (`Add`) or, with `subtract`, `a - b` (`Sub`; the result is then a gauge).
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
        bucket_list(&a.positive_spans, &a.positive_buckets),
        bucket_list(&b.positive_spans, &b.positive_buckets),
    );
    if a.uses_custom_buckets() {
        if a.custom_values != b.custom_values {
            let common: Vec<f64> = a
                .custom_values
                .iter()
                .copied()
                .filter(|v| b.custom_values.contains(v))
                .collect();
            let amapped = map_to_bounds(&apos, &a.custom_values, &common);
            let bmapped = map_to_bounds(&bpos, &b.custom_values, &common);
            (out.positive_spans, out.positive_buckets) =
                from_list(&add_lists(&amapped, &bmapped, sign));
            out.custom_values = common;
            reconciled = true;
        } else {
            (out.positive_spans, out.positive_buckets) = from_list(&add_lists(&apos, &bpos, sign));
        }
    } else {
        let (aneg, bneg) = (
            bucket_list(&a.negative_spans, &a.negative_buckets),
            bucket_list(&b.negative_spans, &b.negative_buckets),
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
        (out.positive_spans, out.positive_buckets) = from_list(&add_lists(&apos, &bpos, sign));
        (out.negative_spans, out.negative_buckets) = from_list(&add_lists(&aneg, &bneg, sign));
    }
    if subtract {
        out.counter_reset_hint = CounterResetHint::Gauge;
    }
    Ok(Combined {
        h: out,
        counter_reset_collision: collision,
        nhcb_reconciled: reconciled,
    })
}

/// Prometheus's `FloatHistogram.Equals` (bitwise counts, same schema and layout of buckets).
pub fn equals(a: &FloatHistogram, b: &FloatHistogram) -> bool {
    let same = |x: f64, y: f64| x.to_bits() == y.to_bits();
    let lists_eq = |x: Vec<(i32, f64)>, y: Vec<(i32, f64)>| {
        x.len() == y.len() && x.iter().zip(&y).all(|(p, q)| p.0 == q.0 && same(p.1, q.1))
    };
    a.schema == b.schema
        && same(a.count, b.count)
        && same(a.sum, b.sum)
        && (!a.uses_custom_buckets() || a.custom_values == b.custom_values)
        && a.zero_threshold == b.zero_threshold
        && same(a.zero_count, b.zero_count)
        && lists_eq(
            bucket_list(&a.positive_spans, &a.positive_buckets),
            bucket_list(&b.positive_spans, &b.positive_buckets),
        )
        && lists_eq(
            bucket_list(&a.negative_spans, &a.negative_buckets),
            bucket_list(&b.negative_spans, &b.negative_buckets),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(schema: i32, pos: &[(i32, f64)]) -> FloatHistogram {
        let (positive_spans, positive_buckets) = from_list(pos);
        FloatHistogram {
            schema,
            count: pos.iter().map(|p| p.1).sum(),
            positive_spans,
            positive_buckets,
            ..Default::default()
        }
    }

    #[test]
    fn add_reduces_to_the_coarser_schema() {
        let a = h(1, &[(1, 1.0), (2, 1.0)]);
        let b = h(0, &[(1, 3.0)]);
        let r = combine(&a, &b, false).unwrap().h;
        assert_eq!(r.schema, 0);
        assert_eq!(
            bucket_list(&r.positive_spans, &r.positive_buckets),
            vec![(1, 5.0)]
        );
        assert_eq!(r.count, 5.0);
    }

    #[test]
    fn subtraction_is_a_gauge() {
        let a = h(0, &[(1, 3.0)]);
        let r = combine(&a, &a, true).unwrap().h;
        assert_eq!(r.counter_reset_hint, CounterResetHint::Gauge);
        assert!(r.positive_buckets.is_empty());
    }

    #[test]
    fn bounds() {
        assert_eq!(exponential_bound(1, 0), 2.0);
        assert_eq!(exponential_bound(0, 0), 1.0);
        assert_eq!(exponential_bound(1, 1), 2f64.sqrt());
        assert_eq!(exponential_bound(1, -1), 4.0);
    }

    #[test]
    fn scaling() {
        let a = h(0, &[(1, 2.0)]);
        assert_eq!(mul(&a, -1.0).counter_reset_hint, CounterResetHint::Gauge);
        assert!(div(&a, 0.0).positive_buckets.is_empty());
        assert!(equals(&a, &a.clone()));
    }
}
