//! Sample accounting for the max-samples limit, counted as Prometheus counts it.

use crate::model::FloatHistogram;
use crate::promql::value::{Series, VectorSample};

/// Prometheus's `FloatHistogram.Size()`: the bytes a histogram takes in memory.
pub fn histogram_bytes(h: &FloatHistogram) -> usize {
    168 + 8
        * (h.positive_spans.len()
            + h.negative_spans.len()
            + h.positive_buckets.len()
            + h.negative_buckets.len()
            + h.custom_values.len())
}

/// How many samples one histogram point counts as (`HPoint.size()`).
pub fn histogram_point_size(h: &FloatHistogram) -> usize {
    (histogram_bytes(h) + 8) / 16
}

/// Samples held by a matrix (`Matrix.TotalSamples()`).
pub fn matrix_samples(m: &[Series]) -> usize {
    m.iter()
        .map(|s| {
            s.floats.len()
                + s.histograms
                    .iter()
                    .map(|p| histogram_point_size(&p.h))
                    .sum::<usize>()
        })
        .sum()
}

/// Samples held by a vector (`Vector.TotalSamples()`).
pub fn vector_samples(v: &[VectorSample]) -> usize {
    v.iter()
        .map(|s| 1 + s.h.as_ref().map_or(0, |h| histogram_bytes(h) / 16))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_sizes() {
        let h = FloatHistogram {
            positive_buckets: vec![1.0, 2.0],
            positive_spans: vec![crate::model::Span {
                offset: 0,
                length: 2,
            }],
            ..Default::default()
        };
        assert_eq!(histogram_bytes(&h), 192);
        assert_eq!(histogram_point_size(&h), 12);
    }
}
