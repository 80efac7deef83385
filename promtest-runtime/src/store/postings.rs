//! The label index: for each label name and value, the sorted ids of the series that carry it.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Labels, MatchOp, Matcher};

/// A series id: its position in the store's series list.
pub type SeriesId = u32;

/// Postings lists keyed by label name, then value.
#[derive(Default, Debug, Clone)]
pub struct Postings {
    by_name: HashMap<String, BTreeMap<String, Vec<SeriesId>>>,
    all: Vec<SeriesId>,
}

impl Postings {
    /// Indexes a new series (ids must be added in increasing order).
    pub fn add(&mut self, id: SeriesId, labels: &Labels) {
        self.all.push(id);
        for l in labels {
            self.by_name
                .entry(l.name.clone())
                .or_default()
                .entry(l.value.clone())
                .or_default()
                .push(id);
        }
    }

    /// The ids of all series matching every matcher, in increasing order.
    pub fn select(&self, matchers: &[Matcher]) -> Vec<SeriesId> {
        // Start from the most selective positive matcher (one that cannot match a missing label).
        let mut result: Option<Vec<SeriesId>> = None;
        let mut deferred: Vec<&Matcher> = Vec::new();
        for m in matchers {
            if m.matches_empty() {
                deferred.push(m);
                continue;
            }
            let ids = self.ids_matching(m);
            result = Some(match result {
                None => ids,
                Some(prev) => intersect(&prev, &ids),
            });
        }
        let mut ids = result.unwrap_or_else(|| self.all.clone());
        for m in deferred {
            // The matcher matches "" so a series passes when it lacks the label, or its value matches.
            let failing = self.ids_failing(m);
            ids = subtract(&ids, &failing);
        }
        ids
    }

    /// Ids of series that have label `m.name` with a value `m` accepts.
    fn ids_matching(&self, m: &Matcher) -> Vec<SeriesId> {
        let Some(values) = self.by_name.get(&m.name) else {
            return Vec::new();
        };
        if m.op == MatchOp::Equal {
            return values.get(&m.value).cloned().unwrap_or_default();
        }
        let lists: Vec<&Vec<SeriesId>> = values
            .iter()
            .filter(|(v, _)| m.matches(v))
            .map(|(_, ids)| ids)
            .collect();
        union(&lists)
    }

    /// Ids of series that have label `m.name` with a value `m` rejects.
    fn ids_failing(&self, m: &Matcher) -> Vec<SeriesId> {
        let Some(values) = self.by_name.get(&m.name) else {
            return Vec::new();
        };
        let lists: Vec<&Vec<SeriesId>> = values
            .iter()
            .filter(|(v, _)| !m.matches(v))
            .map(|(_, ids)| ids)
            .collect();
        union(&lists)
    }
}

fn intersect(a: &[SeriesId], b: &[SeriesId]) -> Vec<SeriesId> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn subtract(a: &[SeriesId], b: &[SeriesId]) -> Vec<SeriesId> {
    let mut j = 0;
    a.iter()
        .copied()
        .filter(|&x| {
            while j < b.len() && b[j] < x {
                j += 1;
            }
            !(j < b.len() && b[j] == x)
        })
        .collect()
}

fn union(lists: &[&Vec<SeriesId>]) -> Vec<SeriesId> {
    let mut out: Vec<SeriesId> = lists.iter().flat_map(|l| l.iter().copied()).collect();
    out.sort_unstable();
    out.dedup();
    out
}
