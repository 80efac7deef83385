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

fn reduce(list: &[(i32, f64)], from: i32, to: i32) -> Vec<(i32, f64)> {
    if from == to {
        return list.to_vec();
    }
    let mut out: Vec<(i32, f64)> = Vec::with_capacity(list.len());
    for &(idx, c) in list {
        let t = ((idx - 1) >> (from - to)) + 1;
        match out.last_mut() {
            Some((li, lc)) if *li == t => *lc += c,
            _ => out.push((t, c)),
        }
    }
    out
}

/// The zero count and threshold of a histogram (given as sparse lists) once its zero bucket
/// is widened to at least `larger` (`zeroCountForLargerThreshold`).
fn zero_for_threshold(
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
fn adjust_counter_reset(h: &mut CounterResetHint, other: CounterResetHint) -> bool {
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
fn map_to_bounds(list: &[(i32, f64)], bounds: &[f64], common: &[f64]) -> Vec<(i32, f64)> {
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

/// Lower and upper bound of bucket `idx` of a histogram (positive side).
fn bucket_bounds(h: &FloatHistogram, idx: i32) -> (f64, f64) {
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
    let (ll, lu, lv) = (lo.abs().log2(), hi.abs().log2(), v.abs().log2());
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
        let idxs: Vec<i32> = bucket_list(spans, buckets).iter().map(|b| b.0).collect();
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
    use crate::promql::value::format_go_g as g;
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
    let neg = bucket_list(&h.negative_spans, &h.negative_buckets);
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
    let pos = bucket_list(&h.positive_spans, &h.positive_buckets);
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

type Buckets = std::collections::BTreeMap<i32, (f64, f64)>;

fn kahan_inc((v, c): (f64, f64), inc: f64) -> (f64, f64) {
    crate::promql::functions::kahan_sum_inc(inc, v, c)
}

/// A histogram sum with Kahan–Neumaier compensation for every field (Prometheus's
/// `KahanAdd`), as `sum` and `avg` aggregate histograms.
#[derive(Debug, Clone)]
pub struct KahanSum {
    template: FloatHistogram,
    count: (f64, f64),
    sum: (f64, f64),
    zero: (f64, f64),
    pos: Buckets,
    neg: Buckets,
}

fn to_map(list: &[(i32, f64)]) -> Buckets {
    list.iter().map(|&(i, c)| (i, (c, 0.0))).collect()
}

impl KahanSum {
    /// A sum starting at `h`.
    pub fn new(h: &FloatHistogram) -> Self {
        let mut template = h.clone();
        template.positive_buckets.clear();
        template.positive_spans.clear();
        template.negative_buckets.clear();
        template.negative_spans.clear();
        KahanSum {
            count: (h.count, 0.0),
            sum: (h.sum, 0.0),
            zero: (h.zero_count, 0.0),
            pos: to_map(&bucket_list(&h.positive_spans, &h.positive_buckets)),
            neg: to_map(&bucket_list(&h.negative_spans, &h.negative_buckets)),
            template,
        }
    }

    fn reduce_self(&mut self, to: i32) {
        let from = self.template.schema;
        for side in [&mut self.pos, &mut self.neg] {
            let mut out = Buckets::new();
            for (&idx, &(v, c)) in side.iter() {
                let t = ((idx - 1) >> (from - to)) + 1;
                let e = out.entry(t).or_insert((0.0, 0.0));
                let (nv, nc) = kahan_inc((e.0, e.1), v);
                *e = (nv, nc + c);
            }
            *side = out;
        }
        self.template.schema = to;
    }

    fn widen_zero(&mut self, threshold: f64) -> f64 {
        let schema = self.template.schema;
        let vals = |m: &Buckets| m.iter().map(|(&i, &(v, _))| (i, v)).collect::<Vec<_>>();
        let (_, t) = zero_for_threshold(
            self.zero.0,
            &vals(&self.pos),
            &vals(&self.neg),
            schema,
            threshold,
        );
        for side in [&mut self.pos, &mut self.neg] {
            let inside: Vec<i32> = side
                .keys()
                .copied()
                .filter(|&i| exponential_bound(i, schema) <= t)
                .collect();
            for i in inside {
                if let Some((v, c)) = side.remove(&i) {
                    self.zero = kahan_inc(self.zero, v);
                    self.zero.1 += c;
                }
            }
        }
        self.template.zero_threshold = t;
        t
    }

    /// Adds `h`; returns whether custom bounds had to be reconciled.
    pub fn add(&mut self, h: &FloatHistogram) -> Result<bool, HistogramError> {
        if self.template.uses_custom_buckets() != h.uses_custom_buckets() {
            return Err(HistogramError::IncompatibleSchema);
        }
        adjust_counter_reset(&mut self.template.counter_reset_hint, h.counter_reset_hint);
        let mut reconciled = false;
        let mut hpos = bucket_list(&h.positive_spans, &h.positive_buckets);
        let mut hneg = bucket_list(&h.negative_spans, &h.negative_buckets);
        let mut hzero = h.zero_count;
        if h.uses_custom_buckets() {
            if self.template.custom_values != h.custom_values {
                reconciled = true;
                let common: Vec<f64> = self
                    .template
                    .custom_values
                    .iter()
                    .copied()
                    .filter(|v| h.custom_values.contains(v))
                    .collect();
                let bounds = self.template.custom_values.clone();
                let mut out = Buckets::new();
                for (&idx, &(v, c)) in &self.pos {
                    let t = map_to_bounds(&[(idx, 1.0)], &bounds, &common)[0].0;
                    let e = out.entry(t).or_insert((0.0, 0.0));
                    let (nv, nc) = kahan_inc(*e, v);
                    *e = (nv, nc + c);
                }
                self.pos = out;
                hpos = map_to_bounds(&hpos, &h.custom_values, &common);
                self.template.custom_values = common;
            }
        } else {
            if h.schema < self.template.schema {
                self.reduce_self(h.schema);
            }
            let schema = self.template.schema;
            hpos = reduce(&hpos, h.schema, schema);
            hneg = reduce(&hneg, h.schema, schema);
            let mut ht = h.zero_threshold;
            while ht != self.template.zero_threshold {
                if self.template.zero_threshold > ht {
                    (hzero, ht) = zero_for_threshold(
                        h.zero_count,
                        &hpos,
                        &hneg,
                        schema,
                        self.template.zero_threshold,
                    );
                }
                if ht > self.template.zero_threshold {
                    self.widen_zero(ht);
                }
            }
            let t = self.template.zero_threshold;
            hpos.retain(|&(i, _)| exponential_bound(i, schema) > t);
            hneg.retain(|&(i, _)| exponential_bound(i, schema) > t);
        }
        self.count = kahan_inc(self.count, h.count);
        self.sum = kahan_inc(self.sum, h.sum);
        self.zero = kahan_inc(self.zero, hzero);
        for (side, list) in [(&mut self.pos, &hpos), (&mut self.neg, &hneg)] {
            for &(i, v) in list {
                let e = side.entry(i).or_insert((0.0, 0.0));
                *e = kahan_inc(*e, v);
            }
        }
        Ok(reconciled)
    }

    /// Multiplies values and compensations by `q`.
    pub fn scale(&mut self, q: f64) {
        for f in [&mut self.count, &mut self.sum, &mut self.zero] {
            f.0 *= q;
            f.1 *= q;
        }
        for side in [&mut self.pos, &mut self.neg] {
            for e in side.values_mut() {
                e.0 *= q;
                e.1 *= q;
            }
        }
    }

    /// Divides values and compensations by `d`.
    pub fn divide(&mut self, d: f64) {
        for f in [&mut self.count, &mut self.sum, &mut self.zero] {
            f.0 /= d;
            f.1 /= d;
        }
        for side in [&mut self.pos, &mut self.neg] {
            for e in side.values_mut() {
                e.0 /= d;
                e.1 /= d;
            }
        }
    }

    /// Whether any value overflowed to ±Inf (`HasOverflow`).
    pub fn has_overflow(&self) -> bool {
        [self.count.0, self.sum.0, self.zero.0]
            .iter()
            .chain(self.pos.values().map(|e| &e.0))
            .chain(self.neg.values().map(|e| &e.0))
            .any(|v| v.is_infinite())
    }

    /// The compensated result, each field `value / div + compensation / div`.
    pub fn finish(&self, div: f64) -> FloatHistogram {
        let f = |(v, c): (f64, f64)| v / div + c / div;
        let mut out = self.template.clone();
        out.count = f(self.count);
        out.sum = f(self.sum);
        out.zero_count = f(self.zero);
        let pos: Vec<(i32, f64)> = self.pos.iter().map(|(&i, &e)| (i, f(e))).collect();
        let neg: Vec<(i32, f64)> = self.neg.iter().map(|(&i, &e)| (i, f(e))).collect();
        (out.positive_spans, out.positive_buckets) = from_list(&pos);
        (out.negative_spans, out.negative_buckets) = from_list(&neg);
        out
    }
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
    fn string_form() {
        let mut x = h(0, &[(0, 1.0), (1, 2.0)]);
        x.count = 20.0;
        x.sum = 10.0;
        x.zero_threshold = 0.001;
        x.zero_count = 2.0;
        (x.negative_spans, x.negative_buckets) = from_list(&[(0, 1.0), (1, 2.0)]);
        assert_eq!(
            histogram_string(&x),
            "{count:20, sum:10, [-2,-1):2, [-1,-0.5):1, [-0.001,0.001]:2, (0.5,1]:1, (1,2]:2}"
        );
    }

    #[test]
    fn trim_keeps_the_lower_buckets() {
        // Buckets (0.5,1]:1, (1,2]:2 (schema 0); trimming above 1 keeps only the first.
        let mut x = h(0, &[(0, 1.0), (1, 2.0)]);
        x.sum = 4.0;
        let t = trim(&x, 1.0, true);
        assert_eq!(t.count, 1.0);
        assert_eq!(
            bucket_list(&t.positive_spans, &t.positive_buckets),
            vec![(0, 1.0)]
        );
        // The sum is re-estimated from the bucket's geometric midpoint.
        assert!((t.sum - 0.5f64.sqrt()).abs() < 1e-12);
        // Nothing to trim: unchanged.
        assert_eq!(trim(&x, 4.0, true), x);
    }

    #[test]
    fn kahan_sum_compensates() {
        let mut a = h(0, &[(0, 1.0)]);
        a.sum = 1e100;
        let mut b = h(0, &[(0, 1.0)]);
        b.sum = 1.0;
        let mut c = h(0, &[(0, 1.0)]);
        c.sum = -1e100;
        let mut k = KahanSum::new(&a);
        k.add(&b).unwrap();
        k.add(&c).unwrap();
        let r = k.finish(1.0);
        assert_eq!(r.sum, 1.0);
        assert_eq!(r.count, 3.0);
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
