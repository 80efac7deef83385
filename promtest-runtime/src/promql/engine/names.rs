//! Delayed `__name__` removal (Prometheus's `EnableDelayedNameRemoval`): series marked
//! `drop_name` lose their metric name (and type/unit metadata labels) once evaluation ends.

use rustc_hash::FxHashMap as HashMap;

use crate::model::Labels;
use crate::promql::engine::errors::{EvalError, EvalResult};
use crate::promql::value::{Series, VectorSample};

/// The labels Prometheus treats as metadata and drops with the name.
const METADATA_LABELS: &[&str] = &["__name__", "__type__", "__unit__"];

/// `labels` without `__name__`, `__type__` and `__unit__`.
pub fn drop_metadata_labels(labels: &Labels) -> Labels {
    labels.without(METADATA_LABELS)
}

/// Drops names of marked series, then merges series that now share a label set; overlapping
/// timestamps are an error (`mergeSeriesWithSameLabelset`).
pub(crate) fn cleanup_matrix(mut mat: Vec<Series>) -> EvalResult<Vec<Series>> {
    for s in &mut mat {
        if s.drop_name {
            s.metric = drop_metadata_labels(&s.metric);
        }
    }
    merge_same_labelset(mat)
}

/// Drops names of marked samples; two samples with one label set are an error.
pub(crate) fn cleanup_vector(mut vec: Vec<VectorSample>) -> EvalResult<Vec<VectorSample>> {
    for s in &mut vec {
        if s.drop_name {
            s.metric = drop_metadata_labels(&s.metric);
        }
    }
    let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(vec.len(), Default::default());
    for s in &vec {
        if !seen.insert(&s.metric) {
            return Err(EvalError::duplicate_labelset());
        }
    }
    Ok(vec)
}

/// Merges series with equal labels whose timestamps do not overlap.
pub(crate) fn merge_same_labelset(mat: Vec<Series>) -> EvalResult<Vec<Series>> {
    if mat.len() <= 1 {
        return Ok(mat);
    }
    let mut index: HashMap<Labels, usize> =
        HashMap::with_capacity_and_hasher(mat.len(), Default::default());
    let mut out: Vec<Series> = Vec::with_capacity(mat.len());
    let mut merged_any = false;
    for s in mat {
        match index.get(&s.metric) {
            Some(&i) => {
                merged_any = true;
                let base = &mut out[i];
                base.floats.extend(s.floats);
                base.histograms.extend(s.histograms);
            }
            None => {
                index.insert(s.metric.clone(), out.len());
                out.push(s);
            }
        }
    }
    if merged_any {
        for s in &mut out {
            s.floats.sort_by_key(|p| p.t);
            s.histograms.sort_by_key(|p| p.t);
            if s.floats.windows(2).any(|w| w[0].t == w[1].t)
                || s.histograms.windows(2).any(|w| w[0].t == w[1].t)
            {
                return Err(EvalError::duplicate_labelset());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::value::FPoint;

    fn series(name: &str, ts: &[i64]) -> Series {
        Series {
            metric: Labels::from_pairs([("__name__", name), ("a", "1")]),
            floats: ts.iter().map(|&t| FPoint { t, f: 1.0 }).collect(),
            histograms: vec![],
            drop_name: true,
        }
    }

    #[test]
    fn merges_disjoint_series() {
        let got = cleanup_matrix(vec![series("x", &[0, 20]), series("y", &[10])]).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].metric.to_string(), r#"{a="1"}"#);
        let ts: Vec<i64> = got[0].floats.iter().map(|p| p.t).collect();
        assert_eq!(ts, vec![0, 10, 20]);
    }

    #[test]
    fn overlapping_series_are_an_error() {
        let err = cleanup_matrix(vec![series("x", &[0]), series("y", &[0])]).unwrap_err();
        assert_eq!(err, EvalError::duplicate_labelset());
    }
}
