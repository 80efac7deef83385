//! The in-memory block store: series keyed by labels, a postings index for matchers, and
//! per-series time-sorted sample columns ([`Columns`], read through [`SampleSlice`] views);
//! and the rules of Prometheus's test storage for what is appended: refusals ([`AppendCheck`],
//! [`series_refusal`]), the counter-reset hints histograms read back with
//! ([`set_readback_hints`]) and the classic to custom-bucket histogram conversion of
//! `load_with_nhcb` ([`convert_classic_histograms`]).

mod append_check;
mod columns;
mod nhcb;
mod postings;
mod readback_hints;
mod slice;
mod times;

use rustc_hash::FxHashMap as HashMap;

#[cfg(feature = "rule-tests")]
pub use append_check::series_refusal;
pub use append_check::AppendCheck;
pub use columns::Columns;
pub(crate) use nhcb::convert_classic_histograms;
pub use postings::SeriesId;
pub(crate) use readback_hints::set_readback_hints;
pub use slice::{SampleRef, SampleSlice, ValueRef};

use crate::model::{Labels, Matcher, Sample, Timestamp};
use postings::Postings;

/// One stored series: its labels and its samples in time order.
#[derive(Debug, Clone)]
pub struct StoredSeries {
    /// The series' labels.
    pub labels: Labels,
    samples: Columns,
}

/// A selected series: labels plus the samples in the requested window.
#[derive(Debug, Clone, Copy)]
pub struct SeriesView<'a> {
    /// The series' labels.
    pub labels: &'a Labels,
    /// Samples within the window, in time order.
    pub samples: SampleSlice<'a>,
}

/// The in-memory store.
#[derive(Debug, Default, Clone)]
pub struct Store {
    series: Vec<StoredSeries>,
    by_labels: HashMap<Labels, SeriesId>,
    postings: Postings,
    /// Series ids in label order.
    by_order: Vec<SeriesId>,
    /// Each series' position in `by_order`, so that selections sort by comparing integers
    /// rather than label sets. Both are kept up to date as series are created.
    label_rank: Vec<u32>,
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Store::default()
    }

    /// The id of the series with exactly these labels, creating it if needed.
    pub(crate) fn series_id(&mut self, labels: &Labels) -> SeriesId {
        if let Some(&id) = self.by_labels.get(labels) {
            return id;
        }
        let id = self.series.len() as SeriesId;
        self.series.push(StoredSeries {
            labels: labels.clone(),
            samples: Columns::new(),
        });
        self.by_labels.insert(labels.clone(), id);
        self.postings.add(id, labels);
        let pos = self
            .by_order
            .partition_point(|&o| self.series[o as usize].labels < *labels);
        for &later in &self.by_order[pos..] {
            self.label_rank[later as usize] += 1;
        }
        self.by_order.insert(pos, id);
        self.label_rank.push(pos as u32);
        id
    }

    /// Appends a sample. Samples normally arrive in time order; one at an existing
    /// timestamp replaces it (as a reload does); an earlier one is inserted in place.
    pub fn append(&mut self, labels: &Labels, sample: Sample) {
        let id = self.series_id(labels);
        self.append_to(id, sample);
    }

    /// Appends a sample to the series `id` (see [`Columns::append`]).
    pub(crate) fn append_to(&mut self, id: SeriesId, sample: Sample) {
        self.series[id as usize].samples.append(sample);
    }

    /// Makes room for `additional` more samples in series `id` (a writer that knows how many
    /// are coming saves the growth by doubling).
    #[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
    pub(crate) fn reserve(&mut self, id: SeriesId, additional: usize) {
        self.series[id as usize].samples.reserve(additional);
    }

    /// Adds the samples `samples` to series `id`: taken over whole when the series has none
    /// yet, else appended one by one as [`Store::append_to`] does.
    #[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
    pub(crate) fn extend(&mut self, id: SeriesId, samples: Columns) {
        let series = &mut self.series[id as usize].samples;
        if series.is_empty() {
            *series = samples;
        } else {
            for s in samples.all().iter() {
                series.append(s.to_sample());
            }
        }
    }

    /// Appends a float sample.
    #[cfg_attr(not(any(test, feature = "rule-tests")), allow(dead_code))] // rule tests, tests
    pub(crate) fn append_float(&mut self, labels: &Labels, t: Timestamp, v: f64) {
        self.append(labels, Sample::float(t, v));
    }

    /// The series matching all `matchers`, with their samples in `[mint, maxt]`.
    /// Series with no samples in the window are left out. Order: by labels.
    pub(crate) fn select(
        &self,
        matchers: &[Matcher],
        mint: Timestamp,
        maxt: Timestamp,
    ) -> Vec<SeriesView<'_>> {
        let mut ids = self.postings.select(matchers);
        ids.sort_unstable_by_key(|&id| self.label_rank[id as usize]);
        ids.into_iter()
            .filter_map(|id| {
                let s = &self.series[id as usize];
                let samples = s.samples.range(mint, maxt);
                (!samples.is_empty()).then_some(SeriesView {
                    labels: &s.labels,
                    samples,
                })
            })
            .collect()
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
        assert_eq!(got[0].samples.get(1).value, ValueRef::Float(2.0));
    }

    #[test]
    fn range_agrees_with_binary_search() {
        for len in 0..40i64 {
            // Evenly spaced (a regular run) and with one gap (listed timestamps).
            for gap in [false, true] {
                let ts: Vec<i64> = (0..len)
                    .map(|t| {
                        if gap && t > len / 2 {
                            t * 10 + 3
                        } else {
                            t * 10
                        }
                    })
                    .collect();
                let series: Columns = ts.iter().map(|&t| Sample::float(t, 0.0)).collect();
                for mint in -15..len * 10 + 15 {
                    for maxt in [mint - 1, mint, mint + 5, mint + 10, mint + 95, i64::MAX] {
                        let lo = ts.partition_point(|&t| t < mint);
                        let hi = ts.partition_point(|&t| t <= maxt);
                        let want = if lo >= hi { &[][..] } else { &ts[lo..hi] };
                        let got: Vec<i64> = series.range(mint, maxt).iter().map(|s| s.t).collect();
                        assert_eq!(got, want, "len {len} gap {gap} [{mint}, {maxt}]");
                    }
                }
            }
        }
    }

    #[test]
    fn select_orders_by_labels_after_new_series() {
        let mut s = store();
        let m = [Matcher::equal("__name__", "up")];
        let names = |s: &Store| -> Vec<String> {
            s.select(&m, 0, 10_000)
                .iter()
                .map(|v| v.labels.to_string())
                .collect()
        };
        assert_eq!(names(&s).len(), 3);
        // A series created after the first select must still come out in label order.
        let early = Labels::from_pairs([("__name__", "up"), ("instance", "0"), ("job", "aaa")]);
        s.append_float(&early, 0, 1.0);
        let got = names(&s);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], early.to_string());
        let mut by_labels: Vec<Labels> = s
            .select(&m, 0, 10_000)
            .iter()
            .map(|v| v.labels.clone())
            .collect();
        let before = by_labels.clone();
        by_labels.sort();
        assert_eq!(before, by_labels);
    }
}
