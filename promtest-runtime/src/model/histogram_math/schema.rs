//! Schema reduction: merging buckets down to a coarser exponential schema.

use super::buckets::{collapse, compact, expand};
use crate::model::FloatHistogram;

/// The index at `target` schema of bucket `idx` at the finer (or equal) `origin` schema.
pub fn reduce_index(idx: i32, origin: i32, target: i32) -> i32 {
    // Shifting by 31 or more gives 0 or -1, as Go's shift does.
    let shift = origin.saturating_sub(target).clamp(0, 31) as u32;
    (idx.saturating_sub(1) >> shift).saturating_add(1)
}

/// Reduces an index-ordered `(index, count)` list from schema `from` to the coarser `to`,
/// summing the counts that land in the same bucket.
pub fn reduce(list: &[(i32, f64)], from: i32, to: i32) -> Vec<(i32, f64)> {
    if from == to {
        return list.to_vec();
    }
    let mut out: Vec<(i32, f64)> = Vec::with_capacity(list.len());
    for &(idx, c) in list {
        let t = reduce_index(idx, from, to);
        match out.last_mut() {
            Some((li, lc)) if *li == t => *lc += c,
            _ => out.push((t, c)),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_map_to_the_enclosing_bucket() {
        // Schema 1 buckets 1 and 2 both lie in schema 0 bucket 1 (1, 2].
        assert_eq!(reduce_index(1, 1, 0), 1);
        assert_eq!(reduce_index(2, 1, 0), 1);
        assert_eq!(reduce_index(3, 1, 0), 2);
        assert_eq!(reduce_index(0, 1, 0), 0);
        assert_eq!(reduce_index(-1, 1, 0), 0);
        assert_eq!(reduce_index(5, 0, 0), 5);
    }

    #[test]
    fn reduce_sums_merged_buckets() {
        let list = [(-1, 1.0), (0, 2.0), (1, 3.0), (2, 4.0), (5, 5.0)];
        assert_eq!(reduce(&list, 1, 0), vec![(0, 3.0), (1, 7.0), (3, 5.0)]);
        assert_eq!(reduce(&list, 2, 2), list.to_vec());
    }
}
