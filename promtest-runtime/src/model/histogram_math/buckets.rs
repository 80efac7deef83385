//! Converting between spans plus counts and sparse `(index, count)` lists.

use crate::model::{FloatHistogram, Span};

/// The buckets of one side as `(index, count)`, in index order. The first span's offset is the
/// index of its first bucket, later offsets are gaps after the previous span. Counts beyond
/// the spans are ignored, as are spans beyond the counts.
pub fn expand(spans: &[Span], counts: &[f64]) -> Vec<(i32, f64)> {
    let mut out = Vec::with_capacity(counts.len());
    let mut idx: i32 = 0;
    let mut it = counts.iter();
    for s in spans {
        idx = idx.saturating_add(s.offset);
        for _ in 0..s.length {
            match it.next() {
                Some(&c) => out.push((idx, c)),
                None => return out,
            }
            idx = idx.saturating_add(1);
        }
    }
    out
}

/// Spans and counts from an index-ordered list, buckets with count 0 dropped (`Compact(0)`).
pub fn collapse(list: &[(i32, f64)]) -> (Vec<Span>, Vec<f64>) {
    collapse_with_gaps(list, 0)
}

/// Spans and counts from an index-ordered list, buckets with count 0 dropped, and gaps of at
/// most `max_empty` missing indexes filled with empty buckets (`Compact(max_empty)`).
pub fn collapse_with_gaps(list: &[(i32, f64)], max_empty: i32) -> (Vec<Span>, Vec<f64>) {
    let mut spans: Vec<Span> = Vec::new();
    let mut counts = Vec::with_capacity(list.len());
    let mut prev_end: Option<i32> = None; // index just past the last bucket
    for &(idx, c) in list.iter().filter(|(_, c)| *c != 0.0) {
        match (prev_end, spans.last_mut()) {
            (Some(end), Some(last)) if idx >= end && idx.saturating_sub(end) <= max_empty => {
                let gap = (idx - end) as usize;
                counts.resize(counts.len() + gap, 0.0);
                last.length += gap as u32 + 1;
            }
            (Some(end), _) => spans.push(Span {
                offset: idx.saturating_sub(end),
                length: 1,
            }),
            (None, _) => spans.push(Span {
                offset: idx,
                length: 1,
            }),
        }
        counts.push(c);
        prev_end = Some(idx.saturating_add(1));
    }
    (spans, counts)
}

/// Drops empty buckets of both sides (`Compact(0)`, up to span layout).
pub fn compact(h: &mut FloatHistogram) {
    compact_with_gaps(h, 0);
}

/// Drops empty buckets of both sides, keeping runs of at most `max_empty` empty buckets
/// between populated ones (`Compact(max_empty)`).
pub fn compact_with_gaps(h: &mut FloatHistogram, max_empty: i32) {
    let pos = expand(&h.positive_spans, &h.positive_buckets);
    (h.positive_spans, h.positive_buckets) = collapse_with_gaps(&pos, max_empty);
    let neg = expand(&h.negative_spans, &h.negative_buckets);
    (h.negative_spans, h.negative_buckets) = collapse_with_gaps(&neg, max_empty);
}

/// A histogram (for tests) with the given schema and positive buckets, its count their sum.
#[cfg(test)]
pub(crate) fn test_histogram(schema: i32, pos: &[(i32, f64)]) -> FloatHistogram {
    let (positive_spans, positive_buckets) = collapse(pos);
    FloatHistogram {
        schema,
        count: pos.iter().map(|p| p.1).sum(),
        positive_spans,
        positive_buckets,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(offset: i32, length: u32) -> Span {
        Span { offset, length }
    }

    #[test]
    fn expand_uses_relative_offsets_after_the_first_span() {
        let list = expand(&[span(-2, 2), span(3, 1)], &[1.0, 2.0, 3.0]);
        assert_eq!(list, vec![(-2, 1.0), (-1, 2.0), (3, 3.0)]);
    }

    #[test]
    fn expand_tolerates_mismatched_lengths() {
        assert_eq!(expand(&[span(0, 3)], &[1.0]), vec![(0, 1.0)]);
        assert_eq!(expand(&[span(1, 1)], &[1.0, 2.0]), vec![(1, 1.0)]);
    }

    #[test]
    fn collapse_drops_empty_buckets_and_splits_spans() {
        let (spans, counts) = collapse(&[(0, 1.0), (1, 0.0), (2, 2.0), (3, 4.0)]);
        assert_eq!(spans, vec![span(0, 1), span(1, 2)]);
        assert_eq!(counts, vec![1.0, 2.0, 4.0]);
    }

    #[test]
    fn collapse_with_gaps_fills_small_gaps() {
        let (spans, counts) = collapse_with_gaps(&[(0, 1.0), (2, 2.0), (6, 3.0)], 1);
        assert_eq!(spans, vec![span(0, 3), span(3, 1)]);
        assert_eq!(counts, vec![1.0, 0.0, 2.0, 3.0]);
    }

    #[test]
    fn compact_round_trips_through_expand() {
        let mut h = FloatHistogram {
            positive_spans: vec![span(1, 3), span(0, 0), span(2, 1)],
            positive_buckets: vec![0.0, 5.0, 6.0, 7.0],
            ..Default::default()
        };
        compact(&mut h);
        assert_eq!(h.positive_spans, vec![span(2, 2), span(2, 1)]);
        assert_eq!(
            expand(&h.positive_spans, &h.positive_buckets),
            vec![(2, 5.0), (3, 6.0), (6, 7.0)]
        );
    }
}
