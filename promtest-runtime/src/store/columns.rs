//! The samples of one stored series, column by column: timestamps ([`Times`]: nothing per
//! sample while they are evenly spaced), values as plain `f64`s until the first histogram
//! arrives (then as [`SampleValue`]s), start timestamps only once one is not 0. A float series
//! of evenly spaced samples costs 8 bytes a sample instead of a [`Sample`]'s 32.

use crate::model::{Sample, SampleValue, Timestamp};

use super::slice::{SampleRef, SampleSlice, ValueRef};
use super::times::Times;

/// The value column.
#[derive(Debug, Clone)]
enum Values {
    /// Every sample is a float (stale markers included).
    Floats(Vec<f64>),
    /// Some sample is a histogram.
    Mixed(Vec<SampleValue>),
}

impl Default for Values {
    fn default() -> Self {
        Values::Floats(Vec::new())
    }
}

/// One series' samples in time order, one timestamp each.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    times: Times,
    values: Values,
    /// Start timestamps aligned with the samples, or empty while all are 0.
    starts: Vec<Timestamp>,
}

impl Columns {
    /// No samples.
    pub fn new() -> Self {
        Columns::default()
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sample `i` (`i < len`), borrowed.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> SampleRef<'_> {
        SampleRef {
            t: self.times.get(i),
            st: self.starts.get(i).copied().unwrap_or(0),
            value: match &self.values {
                Values::Floats(v) => ValueRef::Float(v[i]),
                Values::Mixed(v) => match &v[i] {
                    SampleValue::Float(f) => ValueRef::Float(*f),
                    SampleValue::Histogram(h) => ValueRef::Histogram(h),
                },
            },
        }
    }

    /// Timestamp of sample `i`.
    #[inline]
    pub(crate) fn t(&self, i: usize) -> Timestamp {
        self.times.get(i)
    }

    /// The spacing of the timestamps when there are at least two, evenly spaced.
    #[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
    pub(crate) fn regular_step(&self) -> Option<i64> {
        self.times.regular_step()
    }

    /// The value column when every sample is a float.
    pub(crate) fn floats(&self) -> Option<&[f64]> {
        match &self.values {
            Values::Floats(v) => Some(v),
            Values::Mixed(_) => None,
        }
    }

    /// Whether some sample has a start timestamp other than 0.
    pub(crate) fn has_starts(&self) -> bool {
        !self.starts.is_empty()
    }

    /// How many of the first `end` samples have `t <= x`.
    pub(crate) fn count_upto(&self, x: Timestamp, end: usize) -> usize {
        self.times.count_upto(x, end)
    }

    /// How many of the first `end` samples have `t < x`.
    pub(crate) fn count_before(&self, x: Timestamp, end: usize) -> usize {
        x.checked_sub(1).map_or(0, |b| self.count_upto(b, end))
    }

    /// All samples.
    pub fn all(&self) -> SampleSlice<'_> {
        SampleSlice::new(self, 0, self.len())
    }

    /// The samples with `mint <= t <= maxt`, without copying.
    pub fn range(&self, mint: Timestamp, maxt: Timestamp) -> SampleSlice<'_> {
        let hi = self.count_upto(maxt, self.len());
        let lo = self.count_before(mint, hi);
        SampleSlice::new(self, lo, hi)
    }

    /// Adds `s`: after the last sample normally; one at an existing timestamp replaces it (as
    /// a reload does); an earlier one is inserted in place.
    pub fn append(&mut self, s: Sample) {
        match self.times.last() {
            Some(last) if last >= s.t => {
                let pos = self.count_before(s.t, self.len());
                if pos < self.len() && self.t(pos) == s.t {
                    self.set_value(pos, s.st, s.value);
                } else {
                    self.times.insert(pos, s.t);
                    self.insert_value(pos, s.st, s.value);
                }
            }
            _ => {
                self.times.push(s.t);
                match (&mut self.values, s.value, s.st, self.starts.is_empty()) {
                    // The common case: another float, no start timestamps.
                    (Values::Floats(v), SampleValue::Float(f), 0, true) => v.push(f),
                    (_, value, st, _) => self.insert_value(self.len() - 1, st, value),
                }
            }
        }
    }

    /// Room for `additional` more samples.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.times.reserve(additional);
        match &mut self.values {
            Values::Floats(v) => v.reserve_exact(additional),
            Values::Mixed(v) => v.reserve_exact(additional),
        }
        if !self.starts.is_empty() {
            self.starts.reserve_exact(additional);
        }
    }

    /// Keeps the first `n` samples.
    #[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
    pub(crate) fn truncate(&mut self, n: usize) {
        self.times.truncate(n);
        match &mut self.values {
            Values::Floats(v) => v.truncate(n),
            Values::Mixed(v) => v.truncate(n),
        }
        self.starts.truncate(n);
    }

    /// Replaces the value (and start timestamp) of sample `i`.
    fn set_value(&mut self, i: usize, st: Timestamp, value: SampleValue) {
        self.set_start(i, st);
        match (self.column_for(&value), value) {
            (Values::Floats(v), SampleValue::Float(f)) => v[i] = f,
            (Values::Mixed(v), value) => v[i] = value,
            (Values::Floats(_), SampleValue::Histogram(_)) => unreachable!("column_for"),
        }
    }

    /// Inserts the value (and start timestamp) of a new sample `i`, its timestamp already in.
    fn insert_value(&mut self, i: usize, st: Timestamp, value: SampleValue) {
        if st != 0 || !self.starts.is_empty() {
            // The timestamp is in already: the samples before this one number `len - 1`.
            self.fill_starts(self.len() - 1);
            self.starts.insert(i, st);
        }
        match (self.column_for(&value), value) {
            (Values::Floats(v), SampleValue::Float(f)) => v.insert(i, f),
            (Values::Mixed(v), value) => v.insert(i, value),
            (Values::Floats(_), SampleValue::Histogram(_)) => unreachable!("column_for"),
        }
    }

    /// The value column, converted to [`SampleValue`]s first when `value` is the first
    /// histogram.
    fn column_for(&mut self, value: &SampleValue) -> &mut Values {
        if let (Values::Floats(v), SampleValue::Histogram(_)) = (&self.values, value) {
            let m = v.iter().map(|&f| SampleValue::Float(f)).collect();
            self.values = Values::Mixed(m);
        }
        &mut self.values
    }

    /// Sets the start timestamp of existing sample `i`.
    fn set_start(&mut self, i: usize, st: Timestamp) {
        if st != 0 || !self.starts.is_empty() {
            self.fill_starts(self.len());
            self.starts[i] = st;
        }
    }

    /// Makes `starts` hold `n` entries (zeros) when it is empty.
    fn fill_starts(&mut self, n: usize) {
        if self.starts.is_empty() {
            self.starts = vec![0; n];
        }
    }
}

impl FromIterator<Sample> for Columns {
    /// The samples as [`Columns::append`] adds them one by one.
    fn from_iter<I: IntoIterator<Item = Sample>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut c = Columns::new();
        c.reserve(iter.size_hint().0);
        for s in iter {
            c.append(s);
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::FloatHistogram;

    fn owned(c: &Columns) -> Vec<Sample> {
        c.all().iter().map(|s| s.to_sample()).collect()
    }

    #[test]
    fn floats_stay_plain_until_a_histogram() {
        let mut c: Columns = (0..3).map(|i| Sample::float(i * 10, i as f64)).collect();
        assert!(c.floats().is_some());
        let h = SampleValue::Histogram(Arc::new(FloatHistogram::default()));
        c.append(Sample {
            t: 30,
            st: 0,
            value: h.clone(),
        });
        assert!(c.floats().is_none());
        let got = owned(&c);
        assert_eq!(got[2], Sample::float(20, 2.0));
        assert_eq!(got[3].value, h);
    }

    #[test]
    fn start_timestamps_appear_when_one_is_set() {
        let mut c: Columns = (0..3).map(|i| Sample::float(i * 10, 1.0)).collect();
        assert!(!c.has_starts());
        c.append(Sample {
            t: 30,
            st: 25,
            value: SampleValue::Float(2.0),
        });
        assert!(c.has_starts());
        let sts: Vec<i64> = c.all().iter().map(|s| s.st).collect();
        assert_eq!(sts, [0, 0, 0, 25]);
        c.append(Sample {
            t: 10,
            st: 5,
            value: SampleValue::Float(3.0),
        });
        let got = owned(&c);
        assert_eq!(got.len(), 4, "same timestamp replaces");
        assert_eq!((got[1].st, &got[1].value), (5, &SampleValue::Float(3.0)));
    }

    #[test]
    fn appends_agree_with_a_sorted_list() {
        let order = [50, 10, 30, 30, 20, 60, 70, 5, 70, 80];
        let mut want: Vec<Sample> = Vec::new();
        let mut c = Columns::new();
        for (k, &t) in order.iter().enumerate() {
            let s = Sample {
                t,
                st: if k % 3 == 0 { 0 } else { t - 1 },
                value: SampleValue::Float(k as f64),
            };
            match want.binary_search_by_key(&t, |x| x.t) {
                Ok(i) => want[i] = s.clone(),
                Err(i) => want.insert(i, s.clone()),
            }
            c.append(s);
            assert_eq!(owned(&c), want, "after {k}");
        }
    }

    #[test]
    fn range_is_inclusive() {
        let c: Columns = (0..10).map(|i| Sample::float(i * 10, 0.0)).collect();
        let ts = |lo, hi| -> Vec<i64> { c.range(lo, hi).iter().map(|s| s.t).collect() };
        assert_eq!(ts(20, 40), [20, 30, 40]);
        assert_eq!(ts(21, 39), [30]);
        assert!(ts(41, 49).is_empty());
        assert!(ts(50, 40).is_empty());
        assert_eq!(ts(i64::MIN, i64::MAX).len(), 10);
    }
}
