//! Borrowed views of stored samples: a contiguous run of one series' samples
//! ([`SampleSlice`]), one sample ([`SampleRef`]) and its value ([`ValueRef`]), read from the
//! series' columns without copying.

use std::sync::Arc;

use crate::model::{is_stale_nan, FloatHistogram, Sample, SampleValue, Timestamp};

use super::columns::Columns;

/// A stored sample's value, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    /// A float; may be the stale marker.
    Float(f64),
    /// A native histogram.
    Histogram(&'a Arc<FloatHistogram>),
}

impl ValueRef<'_> {
    /// The value, owned (a histogram shares its allocation).
    pub fn to_owned(self) -> SampleValue {
        match self {
            ValueRef::Float(f) => SampleValue::Float(f),
            ValueRef::Histogram(h) => SampleValue::Histogram(Arc::clone(h)),
        }
    }

    /// Whether this is a stale marker (a float one, or a histogram with a stale sum).
    pub fn is_stale(self) -> bool {
        match self {
            ValueRef::Float(f) => is_stale_nan(f),
            ValueRef::Histogram(h) => is_stale_nan(h.sum),
        }
    }
}

/// A stored sample, borrowed: timestamp, start timestamp (0 = unknown) and value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleRef<'a> {
    /// The sample's timestamp.
    pub t: Timestamp,
    /// Its start (created) timestamp, 0 when unknown.
    pub st: Timestamp,
    /// Its value.
    pub value: ValueRef<'a>,
}

impl SampleRef<'_> {
    /// The sample, owned.
    pub fn to_sample(self) -> Sample {
        Sample {
            t: self.t,
            st: self.st,
            value: self.value.to_owned(),
        }
    }
}

/// Samples `lo..hi` of one series, in time order.
#[derive(Debug, Clone, Copy)]
pub struct SampleSlice<'a> {
    cols: &'a Columns,
    lo: usize,
    hi: usize,
}

impl<'a> SampleSlice<'a> {
    /// Samples `lo..hi` of `cols` (`lo <= hi <= cols.len()`).
    pub(crate) fn new(cols: &'a Columns, lo: usize, hi: usize) -> Self {
        SampleSlice { cols, lo, hi }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.hi - self.lo
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.hi == self.lo
    }

    /// Sample `i` of the slice (`i < len`).
    #[inline]
    pub fn get(&self, i: usize) -> SampleRef<'a> {
        debug_assert!(i < self.len());
        self.cols.get(self.lo + i)
    }

    /// Timestamp of sample `i` of the slice (`i < len`).
    #[inline]
    pub fn t(&self, i: usize) -> Timestamp {
        self.cols.t(self.lo + i)
    }

    /// The samples in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = SampleRef<'a>> + 'a {
        let cols = self.cols;
        (self.lo..self.hi).map(move |i| cols.get(i))
    }

    /// The values when every sample of the series is a float.
    pub fn floats(&self) -> Option<&'a [f64]> {
        self.cols.floats().map(|v| &v[self.lo..self.hi])
    }

    /// The spacing of the timestamps when the series' samples (at least two) are evenly
    /// spaced.
    #[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
    pub fn regular_step(&self) -> Option<i64> {
        self.cols.regular_step()
    }

    /// Whether some sample of the series has a start timestamp other than 0.
    pub fn has_starts(&self) -> bool {
        self.cols.has_starts()
    }

    /// How many samples of the slice have `t <= x` (a prefix).
    pub fn count_upto(&self, x: Timestamp) -> usize {
        let n = self.cols.count_upto(x, self.hi);
        n.saturating_sub(self.lo)
    }
}
