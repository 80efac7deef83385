//! The timestamp column of one stored series: an arithmetic run while the samples are evenly
//! spaced (series notation and rule evaluation write them so: `first + i·step`), the listed
//! timestamps otherwise. A regular run costs nothing per sample and is searched by division.

use crate::model::Timestamp;

/// Strictly increasing timestamps.
#[derive(Debug, Clone)]
pub(crate) enum Times {
    /// `first + i·step` for `i < len` (`step > 0` once `len >= 2`).
    Regular {
        first: Timestamp,
        step: i64,
        len: usize,
    },
    /// Any increasing timestamps.
    Listed(Vec<Timestamp>),
}

impl Default for Times {
    fn default() -> Self {
        Times::Regular {
            first: 0,
            step: 0,
            len: 0,
        }
    }
}

impl Times {
    /// Number of timestamps.
    pub fn len(&self) -> usize {
        match self {
            Times::Regular { len, .. } => *len,
            Times::Listed(v) => v.len(),
        }
    }

    /// Timestamp `i` (`i < len`).
    #[inline]
    pub fn get(&self, i: usize) -> Timestamp {
        match self {
            Times::Regular { first, step, .. } => first + step * i as i64,
            Times::Listed(v) => v[i],
        }
    }

    /// The spacing of a regular run of at least two timestamps.
    #[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
    pub fn regular_step(&self) -> Option<i64> {
        match self {
            Times::Regular { step, len, .. } if *len >= 2 => Some(*step),
            _ => None,
        }
    }

    /// The last timestamp.
    pub fn last(&self) -> Option<Timestamp> {
        let n = self.len();
        (n > 0).then(|| self.get(n - 1))
    }

    /// How many of the first `end` timestamps are `<= x` (they are increasing, so these are
    /// a prefix).
    pub fn count_upto(&self, x: Timestamp, end: usize) -> usize {
        match self {
            Times::Regular { first, step, .. } => {
                if x < *first {
                    0
                } else if *step == 0 {
                    end.min(1)
                } else {
                    // `x - first` overflows only above every timestamp.
                    let k = x.checked_sub(*first).map(|d| d / *step);
                    k.and_then(|k| usize::try_from(k).ok())
                        .map_or(end, |k| k.saturating_add(1).min(end))
                }
            }
            Times::Listed(v) => v[..end].partition_point(|&t| t <= x),
        }
    }

    /// Appends `t`, which must be greater than the last timestamp.
    pub fn push(&mut self, t: Timestamp) {
        if let Times::Regular { first, step, len } = self {
            match *len {
                0 => {
                    *first = t;
                    *len = 1;
                    return;
                }
                1 => {
                    if let Some(d) = t.checked_sub(*first) {
                        *step = d;
                        *len = 2;
                        return;
                    }
                }
                n => {
                    let next = i64::try_from(n)
                        .ok()
                        .and_then(|n| step.checked_mul(n))
                        .and_then(|d| first.checked_add(d));
                    if next == Some(t) {
                        *len += 1;
                        return;
                    }
                }
            }
        }
        self.listed().push(t);
    }

    /// Inserts `t` (not present) at position `pos`, keeping the order.
    pub fn insert(&mut self, pos: usize, t: Timestamp) {
        if pos == self.len() {
            self.push(t);
        } else {
            self.listed().insert(pos, t);
        }
    }

    /// Room for `additional` more timestamps (nothing to reserve for a regular run).
    pub fn reserve(&mut self, additional: usize) {
        if let Times::Listed(v) = self {
            v.reserve_exact(additional);
        }
    }

    /// Keeps the first `n` timestamps.
    #[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
    pub fn truncate(&mut self, n: usize) {
        match self {
            Times::Regular { len, .. } => *len = (*len).min(n),
            Times::Listed(v) => v.truncate(n),
        }
    }

    /// The timestamps as a list, converting a regular run.
    fn listed(&mut self) -> &mut Vec<Timestamp> {
        if let Times::Regular { len, .. } = self {
            let n = *len;
            let v: Vec<Timestamp> = (0..n).map(|i| self.get(i)).collect();
            *self = Times::Listed(v);
        }
        match self {
            Times::Listed(v) => v,
            Times::Regular { .. } => unreachable!("converted above"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(ts: &[i64]) -> Times {
        let mut t = Times::default();
        for &x in ts {
            t.push(x);
        }
        t
    }

    #[test]
    fn evenly_spaced_stays_regular() {
        let t = from(&[5, 15, 25, 35]);
        assert!(matches!(t, Times::Regular { len: 4, .. }));
        assert_eq!(
            (0..4).map(|i| t.get(i)).collect::<Vec<_>>(),
            [5, 15, 25, 35]
        );
    }

    #[test]
    fn a_gap_lists_the_timestamps() {
        let t = from(&[5, 15, 30]);
        assert!(matches!(t, Times::Listed(_)));
        assert_eq!((0..3).map(|i| t.get(i)).collect::<Vec<_>>(), [5, 15, 30]);
    }

    #[test]
    fn count_upto_agrees_with_a_list() {
        for ts in [
            vec![],
            vec![7],
            vec![-20, -10, 0, 10, 20],
            vec![-20, -10, 5, 10, 20],
            vec![i64::MIN + 1, 0, i64::MAX - 1],
            vec![i64::MIN, i64::MAX],
        ] {
            let t = from(&ts);
            for end in 0..=ts.len() {
                for x in [i64::MIN, -25, -20, -11, -10, 0, 4, 5, 19, 20, 21, i64::MAX] {
                    let want = ts[..end].partition_point(|&y| y <= x);
                    assert_eq!(t.count_upto(x, end), want, "{ts:?} end {end} x {x}");
                }
            }
        }
    }

    #[test]
    fn insert_and_truncate() {
        let mut t = from(&[10, 20, 30]);
        t.insert(1, 15);
        assert_eq!(
            (0..4).map(|i| t.get(i)).collect::<Vec<_>>(),
            [10, 15, 20, 30]
        );
        t.truncate(2);
        assert_eq!(t.len(), 2);
        assert_eq!(t.last(), Some(15));
        let mut r = from(&[0, 10, 20]);
        r.truncate(1);
        assert_eq!(r.last(), Some(0));
    }
}
