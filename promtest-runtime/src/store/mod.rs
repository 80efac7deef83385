//! The in-memory block store: series keyed by labels, a postings index for
//! matchers, and per-series time-sorted sample chunks.

mod postings;

use std::collections::HashMap;

pub use postings::SeriesId;

use crate::model::{Labels, Matcher, Sample, SampleValue, Timestamp};
use postings::Postings;

/// One stored series: its labels and its samples in time order (one chunk).
#[derive(Debug, Clone)]
pub struct StoredSeries {
    /// The series' labels.
    pub labels: Labels,
    samples: Vec<Sample>,
}

impl StoredSeries {
    /// All samples, in time order.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// The samples with `mint <= t <= maxt`, without copying.
    pub fn range(&self, mint: Timestamp, maxt: Timestamp) -> &[Sample] {
        let lo = self.samples.partition_point(|s| s.t < mint);
        let hi = self.samples.partition_point(|s| s.t <= maxt);
        if lo >= hi {
            &[]
        } else {
            &self.samples[lo..hi]
        }
    }
}

/// A selected series: labels plus the samples in the requested window.
#[derive(Debug, Clone, Copy)]
pub struct SeriesView<'a> {
    /// The series' labels.
    pub labels: &'a Labels,
    /// Samples within the window, in time order.
    pub samples: &'a [Sample],
}

/// The in-memory store.
#[derive(Debug, Default, Clone)]
pub struct Store {
    series: Vec<StoredSeries>,
    by_labels: HashMap<Labels, SeriesId>,
    postings: Postings,
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Store::default()
    }

    /// The id of the series with exactly these labels, creating it if needed.
    pub fn series_id(&mut self, labels: &Labels) -> SeriesId {
        if let Some(&id) = self.by_labels.get(labels) {
            return id;
        }
        let id = self.series.len() as SeriesId;
        self.series.push(StoredSeries {
            labels: labels.clone(),
            samples: Vec::new(),
        });
        self.by_labels.insert(labels.clone(), id);
        self.postings.add(id, labels);
        id
    }

    /// Appends a sample. Samples normally arrive in time order; one at an existing
    /// timestamp replaces it (as a reload does); an earlier one is inserted in place.
    pub fn append(&mut self, labels: &Labels, sample: Sample) {
        let id = self.series_id(labels);
        self.append_to(id, sample);
    }

    /// Appends a sample to the series `id`.
    pub fn append_to(&mut self, id: SeriesId, sample: Sample) {
        let samples = &mut self.series[id as usize].samples;
        match samples.last() {
            None => samples.push(sample),
            Some(last) if last.t < sample.t => samples.push(sample),
            _ => {
                let pos = samples.partition_point(|s| s.t < sample.t);
                if pos < samples.len() && samples[pos].t == sample.t {
                    samples[pos] = sample;
                } else {
                    samples.insert(pos, sample);
                }
            }
        }
    }

    /// Appends a float sample.
    pub fn append_float(&mut self, labels: &Labels, t: Timestamp, v: f64) {
        self.append(
            labels,
            Sample {
                t,
                st: None,
                value: SampleValue::Float(v),
            },
        );
    }

    /// The series matching all `matchers`, with their samples in `[mint, maxt]`.
    /// Series with no samples in the window are left out. Order: by labels.
    pub fn select(
        &self,
        matchers: &[Matcher],
        mint: Timestamp,
        maxt: Timestamp,
    ) -> Vec<SeriesView<'_>> {
        let mut out: Vec<SeriesView<'_>> = self
            .postings
            .select(matchers)
            .into_iter()
            .map(|id| &self.series[id as usize])
            .filter(|s| {
                matchers
                    .iter()
                    .all(|m| m.matches(s.labels.get(&m.name).unwrap_or("")))
            })
            .map(|s| SeriesView {
                labels: &s.labels,
                samples: s.range(mint, maxt),
            })
            .filter(|v| !v.samples.is_empty())
            .collect();
        out.sort_by(|a, b| a.labels.cmp(b.labels));
        out
    }

    /// The labels of all series matching `matchers`, whatever their samples.
    pub fn series_labels(&self, matchers: &[Matcher]) -> Vec<&Labels> {
        let mut out: Vec<&Labels> = self
            .postings
            .select(matchers)
            .into_iter()
            .map(|id| &self.series[id as usize].labels)
            .collect();
        out.sort();
        out
    }

    /// Number of series.
    pub fn num_series(&self) -> usize {
        self.series.len()
    }

    /// Number of samples over all series.
    pub fn num_samples(&self) -> usize {
        self.series.iter().map(|s| s.samples.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MatchOp;

    fn store() -> Store {
        let mut s = Store::new();
        for (job, inst) in [("api", "a"), ("api", "b"), ("db", "a")] {
            let l = Labels::from_pairs([("__name__", "up"), ("job", job), ("instance", inst)]);
            for t in 0..10 {
                s.append_float(&l, t * 1000, t as f64);
            }
        }
        s.append_float(&Labels::from_pairs([("__name__", "other")]), 0, 1.0);
        s
    }

    #[test]
    fn select_by_matchers() {
        let s = store();
        let m = vec![
            Matcher::equal("__name__", "up"),
            Matcher::equal("job", "api"),
        ];
        let got = s.select(&m, 2000, 4000);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].samples.len(), 3);
        let m = vec![Matcher::new(MatchOp::NotEqual, "job", "api").unwrap()];
        let got = s.select(&m, 0, 10_000);
        assert_eq!(got.len(), 2, "db and the series without job");
        let m = vec![Matcher::new(MatchOp::Regex, "instance", "a|").unwrap()];
        assert_eq!(s.select(&m, 0, 10_000).len(), 3);
    }

    #[test]
    fn window_excludes_empty_series() {
        let s = store();
        assert!(s
            .select(&[Matcher::equal("__name__", "other")], 1, 5)
            .is_empty());
    }

    #[test]
    fn same_timestamp_replaces() {
        let mut s = Store::new();
        let l = Labels::from_pairs([("__name__", "x")]);
        s.append_float(&l, 5, 1.0);
        s.append_float(&l, 5, 2.0);
        s.append_float(&l, 1, 0.5);
        let got = s.select(&[Matcher::equal("__name__", "x")], 0, 10);
        assert_eq!(got[0].samples.len(), 2);
        assert_eq!(got[0].samples[1].value, SampleValue::Float(2.0));
    }
}
