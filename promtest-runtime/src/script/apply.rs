//! Loading a `load` block into the store, through the store's append rules.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Error, ErrorKind, Load, LoadSeries, Location, SequenceValue};
use crate::model::{Labels, Sample, SampleValue, Timestamp};
use crate::store::{convert_classic_histograms, set_readback_hints, AppendCheck, Store};

impl Load {
    /// Appends every value of the block to `store`: value `i` of a series at
    /// `i * step` ms, `_` skipped, with its start timestamp when an `@st` line gave one.
    /// Histograms get the counter-reset hints Prometheus's TSDB returns for them
    /// (`unknown` first in a chunk, then `not_reset`; gauges stay gauges).
    /// A series defined twice in one block keeps its last definition, as upstream.
    /// For `load_with_nhcb`, classic histogram series are also converted into
    /// custom-bucket native histograms; a conversion that fails is skipped here
    /// (use [`Load::try_apply`] to see the error).
    pub fn apply(&self, store: &mut Store) {
        let _ = self.try_apply(store);
    }

    /// Like [`Load::apply`], but reports a classic histogram that cannot be converted
    /// (`load_with_nhcb`), as Prometheus fails the load. Everything else is loaded anyway.
    /// The error's location is the `load` line; its `file` is left empty for the caller to fill.
    pub fn try_apply(&self, store: &mut Store) -> Result<(), Error> {
        self.try_apply_checked(store, &mut AppendCheck::new())
    }

    /// Like [`Load::try_apply`] for a block following the blocks `check` has seen: the block
    /// is refused whole, as Prometheus's test storage refuses it, when a sample is out of
    /// order, out of bounds or a different value at a series' newest timestamp.
    pub(crate) fn try_apply_checked(
        &self,
        store: &mut Store,
        check: &mut AppendCheck,
    ) -> Result<(), Error> {
        // The storage's words (refusals, conversion errors): an engine error at the `load` line.
        let at_load = |message: String| {
            ErrorKind::engine(message).at(Location {
                file: String::new(),
                line: self.line,
                col: 1,
            })
        };
        let mut series = self.effective_series();
        let mut conversion_error = None;
        if self.with_nhcb {
            match convert_classic_histograms(&series) {
                Ok(converted) => {
                    for (labels, mut samples) in converted {
                        set_readback_hints(&mut samples);
                        series.push((labels, samples));
                    }
                }
                Err(message) => conversion_error = Some(at_load(message)),
            }
        }
        for (labels, samples) in check.commit(&series).map_err(at_load)? {
            for s in samples {
                store.append(&labels, s);
            }
        }
        conversion_error.map_or(Ok(()), Err)
    }

    /// The samples of each distinct series (last definition wins), in file order, as
    /// [`Load::apply`] stores them.
    fn effective_series(&self) -> Vec<(Labels, Vec<Sample>)> {
        let mut last: HashMap<&Labels, usize> = HashMap::new();
        for (i, s) in self.series.iter().enumerate() {
            last.insert(&s.labels, i);
        }
        self.series
            .iter()
            .enumerate()
            .filter(|(i, s)| last.get(&s.labels) == Some(i))
            .map(|(_, s)| (s.labels.clone(), s.samples(self.step)))
            .collect()
    }
}

impl LoadSeries {
    /// This series' samples in a block of `step` ms: value `i` at `i * step`, `_` skipped,
    /// with its start timestamp when an `@st` line gave one, histograms with the
    /// counter-reset hints the TSDB reads back.
    pub(crate) fn samples(&self, step: i64) -> Vec<Sample> {
        let mut samples = Vec::with_capacity(self.values.len());
        for (i, v) in self.values.iter().enumerate() {
            let t: Timestamp = (i as i64).saturating_mul(step);
            let value = match v {
                SequenceValue::Omitted => continue,
                SequenceValue::Float(f) => SampleValue::Float(*f),
                SequenceValue::Histogram { h, .. } => {
                    SampleValue::Histogram(Arc::new((**h).clone()))
                }
            };
            // Upstream's appender treats a start timestamp of 0 as unknown.
            let st = self
                .start_offsets
                .as_ref()
                .and_then(|o| o.get(i).copied().flatten())
                .map_or(0, |off| t.saturating_add(off));
            samples.push(Sample { t, st, value });
        }
        set_readback_hints(&mut samples);
        samples
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{is_stale_nan, Labels, Matcher};
    use crate::script::{parse_script, Command, Load};
    use crate::store::{Store, ValueRef};

    fn load(src: &str) -> Load {
        match parse_script("t.test", src).unwrap().commands.remove(0) {
            Command::Load(l) => l,
            other => panic!("{other:?}"),
        }
    }

    fn select<'a>(store: &'a Store, name: &str) -> Vec<crate::store::SeriesView<'a>> {
        store.select(&[Matcher::equal("__name__", name)], i64::MIN, i64::MAX)
    }

    #[test]
    fn values_land_at_step_multiples() {
        let mut store = Store::new();
        load("load 1m\n  a{x=\"1\"} 1 _ 3 stale\n  b {{count:2 sum:1}}x1\n").apply(&mut store);
        let a = select(&store, "a");
        assert_eq!(a.len(), 1);
        let ts: Vec<i64> = a[0].samples.iter().map(|s| s.t).collect();
        assert_eq!(ts, vec![0, 120_000, 180_000]);
        assert!(matches!(a[0].samples.get(2).value, ValueRef::Float(f) if is_stale_nan(f)));
        let b = select(&store, "b");
        assert_eq!(b[0].samples.len(), 2);
        assert!(matches!(b[0].samples.get(1).value, ValueRef::Histogram(h) if h.count == 2.0));
    }

    #[test]
    fn start_timestamps_and_redefinitions() {
        let l = load("load 1m\n  m 9 9\n  m@st _ -30s -1m\n  m 1 2 3\n");
        let samples = l.effective_series();
        assert_eq!(samples.len(), 1);
        let m = &samples[0].1;
        assert_eq!(
            m.iter().map(|s| s.st).collect::<Vec<_>>(),
            vec![0, 30_000, 60_000]
        );
        // A start timestamp of 0 is "unknown" to upstream's appender.
        let z = load("load 1m\n  m@st _ -1m\n  m 1 2\n").effective_series();
        assert_eq!(z[0].1[1].st, 0);
        assert_eq!(samples[0].0, Labels::from_pairs([("__name__", "m")]));
    }

    #[test]
    fn nhcb_loads_native_histograms_too() {
        let mut store = Store::new();
        let l = load("load_with_nhcb 1m\n  h_bucket{le=\"1\"} 1 2\n  h_bucket{le=\"+Inf\"} 3 4\n  h_sum 5 6\n  h_count 3 4\n");
        l.try_apply(&mut store).unwrap();
        assert_eq!(select(&store, "h_bucket").len(), 2);
        let h = select(&store, "h");
        assert_eq!(h.len(), 1);
        assert!(
            matches!(h[0].samples.get(1).value, ValueRef::Histogram(x) if x.count == 4.0 && x.sum == 6.0)
        );
        let bad = load("load_with_nhcb 1m\n  h_bucket{le=\"+Inf\"} 3\n  h_count 4\n");
        let mut s2 = Store::new();
        let e = bad.try_apply(&mut s2).unwrap_err();
        assert_eq!(e.loc.line, 1);
        assert_eq!(select(&s2, "h_count").len(), 1);
    }
}
