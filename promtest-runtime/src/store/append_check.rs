//! The checks Prometheus's test storage (a TSDB head without an out-of-order window) makes
//! when a `load` block is appended after earlier ones: each block is one appender, committed
//! whole or not at all, and a sample is refused when it is older than the series' newest
//! sample (`out of order sample`), when it repeats that newest timestamp with another value
//! (`duplicate sample for timestamp …`), or when it is older than the head's newest sample
//! minus half a block (`out of bounds`). Repeating the newest sample exactly is accepted and
//! changes nothing.

use std::collections::HashMap;

use crate::literals::float::format_g;
use crate::model::{FloatHistogram, Labels, Sample, SampleValue, Timestamp};

/// Half of the test storage's 24h block range: how far behind the newest sample a new
/// sample may be.
const HALF_BLOCK_MS: i64 = 12 * 3600 * 1000;

/// Why the storage refuses every sample of a series, if it does (the head appender's label
/// check): an empty label set, or a label name the series' description repeats (`Labels`
/// keep one of each, so the caller says which name was repeated).
pub fn series_refusal(labels: &Labels, repeated_name: Option<&str>) -> Option<String> {
    if labels.is_empty() {
        return Some("empty labelset: invalid sample".into());
    }
    repeated_name.map(|n| format!("label name \"{n}\" is not unique: invalid sample"))
}

/// What the storage holds so far: each series' newest sample and the newest timestamp.
#[derive(Debug, Default, Clone)]
pub struct AppendCheck {
    newest: HashMap<Labels, Sample>,
    max_t: Option<Timestamp>,
}

impl AppendCheck {
    /// An empty storage.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks one block's samples (each series' samples in time order) against what was
    /// committed before and, when all pass, commits them. Returns the samples to store
    /// (exact repeats of a series' newest sample left out) or the storage's error text.
    pub fn commit(
        &mut self,
        block: &[(Labels, Vec<Sample>)],
    ) -> Result<Vec<(Labels, Vec<Sample>)>, String> {
        let min_valid = self.max_t.map(|t| t.saturating_sub(HALF_BLOCK_MS));
        let mut out = Vec::with_capacity(block.len());
        for (labels, samples) in block {
            if let Some(e) = series_refusal(labels, None).filter(|_| !samples.is_empty()) {
                return Err(e);
            }
            let newest = self.newest.get(labels);
            let mut keep = Vec::with_capacity(samples.len());
            for s in samples {
                if min_valid.is_some_and(|m| s.t < m) {
                    return Err("out of bounds".into());
                }
                match newest {
                    Some(n) if s.t < n.t => return Err("out of order sample".into()),
                    Some(n) if s.t == n.t => {
                        if let Some(e) = duplicate(n, s) {
                            return Err(e);
                        }
                    }
                    _ => keep.push(s.clone()),
                }
            }
            out.push((labels.clone(), keep));
        }
        for (labels, samples) in &out {
            if let Some(last) = samples.last() {
                self.max_t = Some(self.max_t.map_or(last.t, |m| m.max(last.t)));
                self.newest.insert(labels.clone(), last.clone());
            }
        }
        Ok(out)
    }
}

/// The error for a sample at the same time as the series' newest one, `None` when equal.
fn duplicate(existing: &Sample, new: &Sample) -> Option<String> {
    let t = new.t;
    match (&existing.value, &new.value) {
        (SampleValue::Float(a), SampleValue::Float(b)) => {
            if a.to_bits() == b.to_bits() {
                return None;
            }
            if t == 0 {
                return Some("duplicate sample for timestamp".into());
            }
            Some(format!(
                "duplicate sample for timestamp {t}; overrides not allowed: existing {}, new value {}",
                format_g(*a),
                format_g(*b)
            ))
        }
        (SampleValue::Histogram(_), SampleValue::Float(b)) => {
            if t == 0 {
                return Some("duplicate sample for timestamp".into());
            }
            Some(format!(
                "duplicate sample for timestamp {t}; overrides not allowed: existing is a histogram, new value {}",
                format_g(*b)
            ))
        }
        (SampleValue::Histogram(a), SampleValue::Histogram(b)) if same_histogram(a, b) => None,
        _ => Some("duplicate sample for timestamp".into()),
    }
}

/// Histogram equality as the TSDB compares appended histograms: everything but the
/// counter-reset hint, floats by their bits.
fn same_histogram(a: &FloatHistogram, b: &FloatHistogram) -> bool {
    let bits = |h: &FloatHistogram| (h.sum.to_bits(), h.count.to_bits(), h.zero_count.to_bits());
    let rest = |h: &FloatHistogram| FloatHistogram {
        counter_reset_hint: Default::default(),
        sum: 0.0,
        count: 0.0,
        zero_count: 0.0,
        ..h.clone()
    };
    bits(a) == bits(b) && rest(a) == rest(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(t: i64, v: f64) -> Sample {
        Sample::float(t, v)
    }

    fn block(name: &str, samples: Vec<Sample>) -> Vec<(Labels, Vec<Sample>)> {
        vec![(Labels::from_pairs([("__name__", name)]), samples)]
    }

    #[test]
    fn later_blocks_may_only_extend_series() {
        let mut c = AppendCheck::new();
        c.commit(&block("m", vec![f(0, 1.0), f(60_000, 2.0)]))
            .unwrap();
        // An exact repeat of the newest sample is dropped; newer samples pass.
        let kept = c
            .commit(&block("m", vec![f(60_000, 2.0), f(120_000, 3.0)]))
            .unwrap();
        assert_eq!(kept[0].1, vec![f(120_000, 3.0)]);
        assert_eq!(
            c.commit(&block("m", vec![f(120_000, 4.0)])).unwrap_err(),
            "duplicate sample for timestamp 120000; overrides not allowed: existing 3, new value 4"
        );
        assert_eq!(
            c.commit(&block("m", vec![f(0, 1.0)])).unwrap_err(),
            "out of order sample"
        );
        // Another series starts anywhere within half a block of the newest sample.
        c.commit(&block("n", vec![f(0, 1.0)])).unwrap();
        let empty = vec![(Labels::empty(), vec![f(0, 1.0)])];
        assert_eq!(
            c.commit(&empty).unwrap_err(),
            "empty labelset: invalid sample"
        );
    }

    #[test]
    fn failed_blocks_commit_nothing() {
        let mut c = AppendCheck::new();
        c.commit(&block("m", vec![f(0, 1.0)])).unwrap();
        assert_eq!(
            c.commit(&block("m", vec![f(0, 2.0)])).unwrap_err(),
            "duplicate sample for timestamp"
        );
        let mut two = block("n", vec![f(600_000, 1.0)]);
        two.extend(block("m", vec![f(0, 5.0)]));
        assert!(c.commit(&two).is_err());
        // `n` was not committed: an earlier sample is still in order.
        c.commit(&block("n", vec![f(0, 1.0)])).unwrap();
    }

    #[test]
    fn far_older_samples_are_out_of_bounds() {
        let mut c = AppendCheck::new();
        c.commit(&block("m", vec![f(13 * 3_600_000, 1.0)])).unwrap();
        assert_eq!(
            c.commit(&block("n", vec![f(0, 1.0)])).unwrap_err(),
            "out of bounds"
        );
    }
}
