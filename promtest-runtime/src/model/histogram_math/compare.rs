//! Comparing histograms: Prometheus's `Equals` and span matching.

use super::buckets::expand;
use crate::model::{FloatHistogram, Span};

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
            expand(&a.positive_spans, &a.positive_buckets),
            expand(&b.positive_spans, &b.positive_buckets),
        )
        && lists_eq(
            expand(&a.negative_spans, &a.negative_buckets),
            expand(&b.negative_spans, &b.negative_buckets),
        )
}

/// Spans describe the same buckets, ignoring zero-length spans (Go's `spansMatch`).
pub fn spans_match(a: &[Span], b: &[Span]) -> bool {
    let norm = |s: &[Span]| -> Vec<(i64, u32)> {
        let mut out: Vec<(i64, u32)> = Vec::new();
        let mut pending: i64 = 0;
        for sp in s {
            pending += i64::from(sp.offset);
            if sp.length > 0 {
                out.push((pending, sp.length));
                pending = 0;
            }
        }
        out
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(offset: i32, length: u32) -> Span {
        Span { offset, length }
    }

    #[test]
    fn zero_length_spans_fold_into_the_next_offset() {
        assert!(spans_match(
            &[span(1, 2), span(2, 0), span(3, 1)],
            &[span(1, 2), span(5, 1)]
        ));
        assert!(!spans_match(&[span(1, 2)], &[span(2, 2)]));
    }

    #[test]
    fn equality_is_bitwise_and_ignores_layout() {
        let a = FloatHistogram {
            count: 1.0,
            positive_spans: vec![span(0, 1)],
            positive_buckets: vec![1.0],
            ..Default::default()
        };
        let mut b = a.clone();
        b.positive_spans = vec![span(0, 1), span(0, 0)];
        assert!(equals(&a, &b));
        b.count = f64::NAN;
        assert!(!equals(&a, &b));
    }
}
