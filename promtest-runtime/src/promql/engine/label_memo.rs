//! Label sets derived from an operation's input series, computed once per series and query
//! instead of once per step: keyed by the address of the input's shared label storage, which
//! the memo keeps alive (so an address cannot be reused by another label set meanwhile).

use rustc_hash::FxHashMap as HashMap;

use crate::model::Labels;

/// One derived label set per input label set.
#[derive(Default)]
pub(crate) struct LabelMemo {
    map: HashMap<usize, (Labels, Labels)>,
}

impl LabelMemo {
    /// `derive(key)`, computed the first time `key`'s storage is seen.
    pub fn get(&mut self, key: &Labels, derive: impl FnOnce(&Labels) -> Labels) -> Labels {
        self.map
            .entry(key.storage_addr())
            .or_insert_with(|| (key.clone(), derive(key)))
            .1
            .clone()
    }
}

/// One derived label set per pair of input label sets.
#[derive(Default)]
pub(crate) struct PairMemo {
    map: HashMap<(usize, usize), (Labels, Labels, Labels)>,
}

impl PairMemo {
    /// `derive(a, b)`, computed the first time the pair of storages is seen.
    pub fn get(
        &mut self,
        a: &Labels,
        b: &Labels,
        derive: impl FnOnce(&Labels, &Labels) -> Labels,
    ) -> Labels {
        self.map
            .entry((a.storage_addr(), b.storage_addr()))
            .or_insert_with(|| (a.clone(), b.clone(), derive(a, b)))
            .2
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_once_per_storage_and_tells_equal_sets_apart_by_storage() {
        let a = Labels::from_pairs([("__name__", "x"), ("a", "1")]);
        let b = Labels::from_pairs([("__name__", "x"), ("a", "1")]);
        let mut memo = LabelMemo::default();
        let mut calls = 0;
        for l in [&a, &a.clone(), &b] {
            let got = memo.get(l, |l| {
                calls += 1;
                l.without_metric_name()
            });
            assert_eq!(got, Labels::from_pairs([("a", "1")]));
        }
        assert_eq!(calls, 2, "a and its clone share storage; b has its own");
    }
}
