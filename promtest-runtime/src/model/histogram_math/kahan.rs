//! Kahan–Neumaier compensated summation: one float step ([`kahan_sum_inc`]) and the sums of
//! native histograms (Prometheus's `KahanAdd`), the one running sum behind the `sum` and `avg`
//! aggregations and `sum_over_time` / `avg_over_time`.

use super::{
    adjust_counter_reset, collapse, common_bounds, expand, exponential_bound, map_to_bounds,
    reduce, reduce_index, zero_for_threshold, AddNotes, HistogramError,
};
use crate::model::FloatHistogram;

type Buckets = std::collections::BTreeMap<i32, (f64, f64)>;

/// One step of Kahan–Neumaier summation: adds `inc` to `sum` with compensation `c`, returning
/// the new sum and compensation (the compensation is reset when the sum becomes infinite).
pub fn kahan_sum_inc(inc: f64, sum: f64, c: f64) -> (f64, f64) {
    kahan_step(inc, sum, c, true)
}

/// [`kahan_sum_inc`] of a release: with `nan_at_inf` (2.x,
/// [`crate::Semantics::kahan_nan_compensation_at_inf`]) the compensation is not reset when the
/// sum becomes infinite, so it turns NaN (`Inf - Inf`).
pub fn kahan_sum_inc_in(inc: f64, sum: f64, c: f64, nan_at_inf: bool) -> (f64, f64) {
    kahan_step(inc, sum, c, !nan_at_inf)
}

fn kahan_step(inc: f64, sum: f64, c: f64, reset_at_inf: bool) -> (f64, f64) {
    let t = sum + inc;
    let c = if reset_at_inf && t.is_infinite() {
        0.0
    } else if sum.abs() >= inc.abs() {
        c + ((sum - t) + inc)
    } else {
        c + ((inc - t) + sum)
    };
    (t, c)
}

fn kahan_inc((v, c): (f64, f64), inc: f64) -> (f64, f64) {
    kahan_sum_inc(inc, v, c)
}

/// A histogram sum with Kahan–Neumaier compensation for every field (Prometheus's
/// `KahanAdd`).
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
            pos: to_map(&expand(&h.positive_spans, &h.positive_buckets)),
            neg: to_map(&expand(&h.negative_spans, &h.negative_buckets)),
            template,
        }
    }

    fn reduce_self(&mut self, to: i32) {
        let from = self.template.schema;
        for side in [&mut self.pos, &mut self.neg] {
            let mut out = Buckets::new();
            for (&idx, &(v, c)) in side.iter() {
                let t = reduce_index(idx, from, to);
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

    /// Adds `h`; reports whether custom bounds had to be reconciled and whether the
    /// counter-reset hints collided.
    pub fn add(&mut self, h: &FloatHistogram) -> Result<AddNotes, HistogramError> {
        if self.template.uses_custom_buckets() != h.uses_custom_buckets() {
            return Err(HistogramError::IncompatibleSchema);
        }
        let collision =
            adjust_counter_reset(&mut self.template.counter_reset_hint, h.counter_reset_hint);
        let mut reconciled = false;
        let mut hpos = expand(&h.positive_spans, &h.positive_buckets);
        let mut hneg = expand(&h.negative_spans, &h.negative_buckets);
        let mut hzero = h.zero_count;
        if h.uses_custom_buckets() {
            if self.template.custom_values != h.custom_values {
                reconciled = true;
                let common = common_bounds(&self.template.custom_values, &h.custom_values);
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
        Ok(AddNotes {
            reconciled,
            collision,
        })
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

    /// The custom bucket bounds of the sum when it has custom buckets (schema -53).
    pub fn custom_values(&self) -> Option<&[f64]> {
        self.template
            .uses_custom_buckets()
            .then_some(self.template.custom_values.as_slice())
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
        (out.positive_spans, out.positive_buckets) = collapse(&pos);
        (out.negative_spans, out.negative_buckets) = collapse(&neg);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensation_recovers_lost_low_bits() {
        let (mut s, mut c) = (0.0, 0.0);
        for v in [1e100, 1.0, -1e100] {
            (s, c) = kahan_sum_inc(v, s, c);
        }
        assert_eq!(s + c, 1.0);
        let (mut s, mut c) = (0.0, 0.0);
        for v in [1.0, 1e100, 1.0, -1e100] {
            (s, c) = kahan_sum_inc(v, s, c);
        }
        assert_eq!(s + c, 2.0);
    }

    #[test]
    fn infinity_resets_the_compensation() {
        assert_eq!(kahan_sum_inc(f64::INFINITY, 1.0, 0.5), (f64::INFINITY, 0.0));
        // Before 2.54 the compensation turns NaN instead.
        let (s, c) = kahan_sum_inc_in(f64::INFINITY, 1.0, 0.5, true);
        assert!(s == f64::INFINITY && c.is_nan());
        assert_eq!(
            kahan_sum_inc_in(2.0, 1.0, 0.5, true),
            kahan_sum_inc(2.0, 1.0, 0.5)
        );
    }

    use crate::model::histogram_math::buckets::test_histogram as h;

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
    fn compensation_survives_huge_terms_and_hints_merge() {
        use crate::model::CounterResetHint;
        let mut big = h(0, &[(0, 1e100)]);
        big.counter_reset_hint = CounterResetHint::CounterReset;
        let mut k = KahanSum::new(&h(0, &[(0, 1.0)]));
        k.add(&big).unwrap();
        k.add(&h(0, &[(0, 1.0)])).unwrap();
        let mut neg = h(0, &[(0, -1e100)]);
        neg.counter_reset_hint = CounterResetHint::NotCounterReset;
        let notes = k.add(&neg).unwrap();
        assert_eq!(k.finish(1.0).positive_buckets, vec![2.0]);
        assert!(!notes.collision);
        assert!(!k.has_overflow());
        let mut custom = h(0, &[(0, 1.0)]);
        custom.schema = crate::model::histogram::CUSTOM_BUCKETS_SCHEMA;
        assert!(k.add(&custom).is_err());
    }
}
