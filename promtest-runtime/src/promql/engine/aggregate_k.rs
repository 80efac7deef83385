//! `topk`, `bottomk`, `limitk` and `limit_ratio`: aggregations that keep input series.
//! Selection and output order follow Prometheus's heaps exactly (ties included).

use rustc_hash::FxHashMap as HashMap;

use crate::literals::float::format_g;
use crate::model::Labels;
use crate::promql::ast::{AggregateExpr, AggregateOp};
use crate::promql::engine::aggregate::{cursors, grouping_labels, next_value, Params};
use crate::promql::engine::errors::{EvalError, EvalResult};
use crate::promql::engine::hash::labels_hash;
use crate::promql::engine::step_loop::{push_point, sample_series, Evaluator};
use crate::promql::value::{Series, VectorSample};

/// A binary heap ordered as Go's `container/heap` with a `less` function.
struct GoHeap {
    items: Vec<VectorSample>,
    less: fn(&VectorSample, &VectorSample) -> bool,
}

/// `vectorByValueHeap.Less`: NaN is smallest.
fn by_value(a: &VectorSample, b: &VectorSample) -> bool {
    a.f.is_nan() || a.f < b.f
}

/// `vectorByReverseValueHeap.Less`: NaN is "smallest" (on top), else larger first.
fn by_reverse_value(a: &VectorSample, b: &VectorSample) -> bool {
    a.f.is_nan() || a.f > b.f
}

impl GoHeap {
    fn less(&self, i: usize, j: usize) -> bool {
        (self.less)(&self.items[i], &self.items[j])
    }

    fn up(&mut self, mut j: usize) {
        while j > 0 {
            let i = (j - 1) / 2;
            if !self.less(j, i) {
                break;
            }
            self.items.swap(i, j);
            j = i;
        }
    }

    fn down(&mut self, i0: usize) -> bool {
        let n = self.items.len();
        let mut i = i0;
        loop {
            let j1 = 2 * i + 1;
            if j1 >= n {
                break;
            }
            let mut j = j1;
            if j1 + 1 < n && self.less(j1 + 1, j1) {
                j = j1 + 1;
            }
            if !self.less(j, i) {
                break;
            }
            self.items.swap(i, j);
            i = j;
        }
        i > i0
    }

    fn push(&mut self, s: VectorSample) {
        self.items.push(s);
        let n = self.items.len() - 1;
        self.up(n);
    }

    fn fix_top(&mut self) {
        if !self.down(0) {
            self.up(0);
        }
    }

    /// `sort.Sort(sort.Reverse(heap))` (insertion sort, as Go uses for small inputs).
    fn into_sorted_reverse(mut self) -> Vec<VectorSample> {
        let n = self.items.len();
        for i in 1..n {
            let mut j = i;
            // Reverse(Less)(j, j-1) == Less(j-1, j).
            while j > 0 && self.less(j - 1, j) {
                self.items.swap(j, j - 1);
                j -= 1;
            }
        }
        self.items
    }
}

struct KGroup {
    seen: bool,
    heap: GoHeap,
    complete: bool,
}

/// `limit_ratio`'s deterministic sampling: whether `metric` falls within `ratio`.
fn ratio_keeps(ratio: f64, metric: &Labels) -> bool {
    let offset = labels_hash(metric) as f64 / u64::MAX as f64;
    (ratio >= 0.0 && offset < ratio) || (ratio < 0.0 && offset >= 1.0 + ratio)
}

impl<'a> Evaluator<'a> {
    /// topk, bottomk, limitk, limit_ratio.
    pub(crate) fn aggregate_k(
        &mut self,
        a: &AggregateExpr,
        grouping: &[String],
        input: &[Series],
        params: Option<Params>,
    ) -> EvalResult<Vec<Series>> {
        let op = a.op;
        let Some(mut params) = params else {
            return Err(EvalError::engine(format!(
                "{} requires a parameter",
                op.as_str()
            )));
        };
        match op {
            AggregateOp::LimitRatio => {
                if params.max == 0.0 && params.min == 0.0 {
                    return Ok(Vec::new());
                }
                if params.any_nan {
                    return Err(EvalError::engine("Ratio value is NaN"));
                }
                let pspan = a.param.as_ref().map_or(a.span, |p| p.span());
                for (v, cap) in [(params.max, 1.0), (params.min, -1.0)] {
                    if (cap > 0.0 && v > cap) || (cap < 0.0 && v < cap) {
                        self.annos.warn(
                            format!(
                                "PromQL warning: ratio value should be between -1 and 1, got {}, capping to {}",
                                format_g(v),
                                format_g(cap)
                            ),
                            Some(pspan),
                        );
                    }
                }
            }
            _ => {
                if params.max < 1.0 {
                    return Ok(Vec::new());
                }
                if params.any_nan {
                    return Err(EvalError::engine("Parameter value is NaN"));
                }
                if params.min <= i64::MIN as f64 {
                    return Err(EvalError::engine(format!(
                        "Scalar value {} underflows int64",
                        format_g(params.min)
                    )));
                }
                if params.max >= i64::MAX as f64 {
                    return Err(EvalError::engine(format!(
                        "Scalar value {} overflows int64",
                        format_g(params.max)
                    )));
                }
            }
        }
        let mut index: HashMap<Labels, usize> = HashMap::default();
        let series_group: Vec<usize> = input
            .iter()
            .map(|s| {
                let l = grouping_labels(&s.metric, a.without, grouping);
                let n = index.len();
                *index.entry(l).or_insert(n)
            })
            .collect();
        let heap_less = if op == AggregateOp::Bottomk {
            by_reverse_value
        } else {
            by_value
        };
        let mut curs = cursors(input);
        let mut out_index: HashMap<Labels, usize> = HashMap::default();
        let mut out: Vec<Series> = Vec::new();
        let steps = self.steps();
        let span = a.span;
        for ts in steps {
            let fparam = params.next_value();
            let mut groups: Vec<KGroup> = (0..index.len())
                .map(|_| KGroup {
                    seen: false,
                    heap: GoHeap {
                        items: Vec::new(),
                        less: heap_less,
                    },
                    complete: false,
                })
                .collect();
            let mut remaining = groups.len();
            let mut stop = false;
            for (si, s) in input.iter().enumerate() {
                let Some((f, h)) = next_value(s, &mut curs[si], ts) else {
                    continue;
                };
                if stop {
                    continue;
                }
                let sample = VectorSample {
                    metric: s.metric.clone(),
                    t: ts,
                    f,
                    h: h.cloned(),
                    drop_name: s.drop_name,
                };
                let mut k: i64 = 0;
                let mut r = 0.0;
                match op {
                    AggregateOp::LimitRatio => {
                        if fparam == 0.0 {
                            stop = true;
                            continue;
                        }
                        r = fparam.clamp(-1.0, 1.0);
                    }
                    _ => {
                        k = (fparam as i64).min(input.len() as i64);
                        if k < 1 {
                            stop = true;
                            continue;
                        }
                    }
                }
                let g = &mut groups[series_group[si]];
                if !g.seen {
                    g.seen = true;
                    match op {
                        AggregateOp::LimitRatio => {
                            if ratio_keeps(r, &sample.metric) {
                                g.heap.push(sample);
                            }
                        }
                        AggregateOp::Limitk => g.heap.items.push(sample),
                        _ => {
                            if sample.h.is_some() {
                                g.seen = false;
                                self.annos.info(
                                    format!(
                                        "PromQL info: ignored histogram in {} aggregation",
                                        op.as_str()
                                    ),
                                    Some(span),
                                );
                            } else {
                                g.heap.push(sample);
                            }
                        }
                    }
                    if op == AggregateOp::Limitk && g.heap.items.len() as i64 == k {
                        // k == 1: complete with its first element.
                        g.complete = true;
                        remaining -= 1;
                        if remaining == 0 {
                            stop = true;
                        }
                    }
                    continue;
                }
                match op {
                    AggregateOp::Topk | AggregateOp::Bottomk => {
                        let better = |top: f64| {
                            if op == AggregateOp::Topk {
                                top < sample.f || (top.is_nan() && !sample.f.is_nan())
                            } else {
                                top > sample.f || (top.is_nan() && !sample.f.is_nan())
                            }
                        };
                        if sample.h.is_some() {
                            self.annos.info(
                                format!(
                                    "PromQL info: ignored histogram in {} aggregation",
                                    op.as_str()
                                ),
                                Some(span),
                            );
                        } else if (g.heap.items.len() as i64) < k {
                            g.heap.push(sample);
                        } else if better(g.heap.items[0].f) {
                            g.heap.items[0] = sample;
                            if k > 1 {
                                g.heap.fix_top();
                            }
                        }
                    }
                    AggregateOp::Limitk => {
                        if (g.heap.items.len() as i64) < k {
                            g.heap.push(sample);
                        }
                        if !g.complete && g.heap.items.len() as i64 == k {
                            g.complete = true;
                            remaining -= 1;
                            if remaining == 0 {
                                stop = true;
                            }
                        }
                    }
                    _ => {
                        if ratio_keeps(r, &sample.metric) {
                            g.heap.push(sample);
                        }
                    }
                }
            }
            let instant = self.is_instant();
            let mut emitted: Vec<VectorSample> = Vec::new();
            for g in groups {
                if !g.seen {
                    continue;
                }
                match op {
                    AggregateOp::Topk | AggregateOp::Bottomk => {
                        emitted.extend(g.heap.into_sorted_reverse());
                    }
                    _ => emitted.extend(g.heap.items),
                }
            }
            if instant {
                return Ok(emitted.into_iter().map(|s| sample_series(s, ts)).collect());
            }
            for s in emitted {
                match out_index.get(&s.metric) {
                    Some(&i) => push_point(&mut out[i], ts, s.f, s.h),
                    None => {
                        out_index.insert(s.metric.clone(), out.len());
                        out.push(sample_series(s, ts));
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: f64) -> VectorSample {
        VectorSample {
            metric: Labels::from_pairs([("v", f.to_string())]),
            t: 0,
            f,
            h: None,
            drop_name: false,
        }
    }

    #[test]
    fn heap_keeps_smallest_on_top_and_sorts_descending() {
        let mut h = GoHeap {
            items: Vec::new(),
            less: by_value,
        };
        for v in [3.0, 1.0, 2.0] {
            h.push(s(v));
        }
        assert_eq!(h.items[0].f, 1.0);
        let sorted: Vec<f64> = h.into_sorted_reverse().iter().map(|s| s.f).collect();
        assert_eq!(sorted, vec![3.0, 2.0, 1.0]);
    }
}
