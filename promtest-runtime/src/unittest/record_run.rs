//! A recording rule's results over a run of ticks written in bulk: the work of
//! [`GroupState::apply`] tick by tick, with each result series' recorded labels and store id
//! found once per run instead of once per tick.

use std::sync::Arc;

use crate::model::{stale_nan, Labels, Sample, SampleValue};
use crate::promql::value::Series;
use crate::rules::group::{recorded_labels, Returned};
use crate::rules::GroupState;
use crate::store::{SeriesId, Store};

/// Writes the range query result `series` of recording rule `i` of `g` at the query times
/// `times` (one per tick of the run, increasing), as [`GroupState::apply`] would tick by tick:
/// each tick's samples, and a stale marker for each series returned at the previous tick but
/// not at this one. Returns false, writing nothing, when `apply` could fail at some tick (a
/// group `limit`, two result series with the same recorded labels): the caller then goes tick
/// by tick.
pub(crate) fn write_recorded_run(
    g: &mut GroupState,
    i: usize,
    store: &mut Store,
    series: &[Series],
    times: &[i64],
) -> bool {
    if g.group.limit > 0 {
        return false;
    }
    let rule = &g.group.rules[i];
    let labels: Vec<Labels> = series
        .iter()
        .map(|s| recorded_labels(rule, &s.metric))
        .collect();
    let mut returned = Returned::with_capacity_and_hasher(labels.len(), Default::default());
    if !labels.iter().all(|l| returned.insert(l.clone())) {
        return false;
    }
    let ids: Vec<SeriesId> = labels.iter().map(|l| store.series_id(l)).collect();
    let Some(&first) = times.first() else {
        return true;
    };
    // Series returned before the run but by none of its results end at its first tick.
    for gone in g.previous(i).iter().filter(|l| !returned.contains(*l)) {
        store.append_float(gone, first, stale_nan());
    }
    let mut present: Vec<bool> = labels.iter().map(|l| g.previous(i).contains(l)).collect();
    let mut cursors = vec![(0usize, 0usize); series.len()];
    for &t in times {
        for (j, s) in series.iter().enumerate() {
            let (f, h) = &mut cursors[j];
            while s.floats.get(*f).is_some_and(|p| p.t < t) {
                *f += 1;
            }
            while s.histograms.get(*h).is_some_and(|p| p.t < t) {
                *h += 1;
            }
            let value = if let Some(p) = s.floats.get(*f).filter(|p| p.t == t) {
                SampleValue::Float(p.f)
            } else if let Some(p) = s.histograms.get(*h).filter(|p| p.t == t) {
                SampleValue::Histogram(Arc::clone(&p.h))
            } else {
                if present[j] {
                    store.append_to(ids[j], Sample::float(t, stale_nan()));
                    present[j] = false;
                }
                continue;
            };
            store.append_to(ids[j], Sample { t, st: 0, value });
            present[j] = true;
        }
    }
    let returned: Returned = labels
        .into_iter()
        .zip(present)
        .filter_map(|(l, p)| p.then_some(l))
        .collect();
    g.set_previous(i, returned);
    true
}
