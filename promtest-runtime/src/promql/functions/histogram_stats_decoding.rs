//! Counter-reset hints as Prometheus's `HistogramStatsIterator` produces them for selectors
//! read only for `histogram_count`/`histogram_sum`/`histogram_avg`
//! (`detectHistogramStatsDecoding`): a histogram sample with an unknown hint gets
//! "counter reset" or "not counter reset" by comparing it with the sample read just before
//! it, when the iterator read one since its last seek.

use std::collections::HashSet;
use std::sync::Arc;

use crate::model::{is_stale_nan, CounterResetHint, Sample, SampleValue};
use crate::promql::ast::{BinaryOp, Expr, VectorSelector};
use crate::promql::functions::histogram_compare::detect_reset;
use crate::promql::value::HPoint;

/// Addresses of the vector selectors of `expr` that Prometheus reads through its histogram
/// statistics iterator: below `histogram_count`, `histogram_sum` or `histogram_avg`, with no
/// subquery, `histogram_quantile(s)`, `histogram_fraction` or trim operator above them.
pub fn stats_decoding_selectors(expr: &Expr) -> HashSet<usize> {
    let mut out = HashSet::new();
    visit(expr, false, &mut out);
    out
}

/// The address [`stats_decoding_selectors`] records for `vs`.
pub fn selector_address(vs: &VectorSelector) -> usize {
    vs as *const VectorSelector as usize
}

fn visit(e: &Expr, stats: bool, out: &mut HashSet<usize>) {
    match e {
        Expr::Number(_) | Expr::String(_) => {}
        Expr::VectorSelector(vs) => {
            if stats {
                out.insert(selector_address(vs));
            }
        }
        Expr::MatrixSelector(m) => visit(m.selector_expr(), stats, out),
        // Below a subquery (or a function needing the buckets) nothing is skipped, whatever
        // is further down.
        Expr::Subquery(_) => {}
        Expr::Paren(p) => visit(&p.expr, stats, out),
        Expr::Unary(u) => visit(&u.expr, stats, out),
        Expr::Binary(b) => {
            if !matches!(b.op, BinaryOp::TrimUpper | BinaryOp::TrimLower) {
                visit(&b.lhs, stats, out);
                visit(&b.rhs, stats, out);
            }
        }
        Expr::Aggregate(a) => {
            if let Some(p) = &a.param {
                visit(p, stats, out);
            }
            visit(&a.expr, stats, out);
        }
        Expr::Call(c) => {
            let stats = match c.func.name {
                "histogram_count" | "histogram_sum" | "histogram_avg" => true,
                "histogram_quantile" | "histogram_quantiles" | "histogram_fraction" => return,
                _ => stats,
            };
            c.args.iter().for_each(|a| visit(a, stats, out));
        }
    }
}

/// The counter-reset hint the statistics iterator gives each sample of `samples` (one series,
/// time-ordered; `None` for float samples), when a selector is evaluated at the reference
/// times `refs` (ascending), reading `window` ms back from each (the lookback delta for an
/// instant selector, the range for a range selector).
///
/// Prometheus's buffering iterators seek to `ref - window` when that is past their position
/// (the statistics iterator then forgets the last histogram it read) and otherwise read on
/// sample by sample, so every sample is read at most once. A histogram with an unknown hint
/// gets "counter reset" or "not counter reset" by comparing it with the last histogram read
/// before it since the last seek; stale markers are read but not remembered.
pub fn stats_hints(samples: &[Sample], refs: &[i64], window: i64) -> Vec<Option<CounterResetHint>> {
    let mut hints: Vec<Option<CounterResetHint>> = samples
        .iter()
        .map(|s| match &s.value {
            SampleValue::Histogram(h) => Some(h.counter_reset_hint),
            SampleValue::Float(_) => None,
        })
        .collect();
    // The next sample to read, and the timestamp of the iterator's current sample (the one
    // at the previous reference time if there was one, else the first one after it); `None`
    // before the first seek and once exhausted.
    let mut next = 0;
    let mut current: Option<i64> = None;
    let mut last: Option<usize> = None;
    for (n, &r) in refs.iter().enumerate() {
        let t0 = r - window;
        if n == 0 || current.is_some_and(|c| t0 > c) {
            next = samples.partition_point(|s| s.t < t0).max(next);
            last = None;
        }
        // Read up to and including the sample at `r`, if there is one.
        while next < samples.len() && samples[next].t <= r {
            read(samples, next, &mut last, &mut hints);
            next += 1;
        }
        current = match (next.checked_sub(1).map(|i| samples[i].t), samples.get(next)) {
            (Some(t), _) if t == r => Some(t),
            (_, Some(s)) => Some(s.t),
            _ => None,
        };
    }
    hints
}

/// Reads sample `i`: detects its hint against `last` and remembers it.
fn read(
    samples: &[Sample],
    i: usize,
    last: &mut Option<usize>,
    hints: &mut [Option<CounterResetHint>],
) {
    let SampleValue::Histogram(h) = &samples[i].value else {
        return;
    };
    if is_stale_nan(h.sum) {
        return;
    }
    if h.counter_reset_hint == CounterResetHint::Unknown {
        if let Some(SampleValue::Histogram(prev)) = last.map(|l| &samples[l].value) {
            hints[i] = Some(if detect_reset(h, prev) {
                CounterResetHint::CounterReset
            } else {
                CounterResetHint::NotCounterReset
            });
        }
    }
    *last = Some(i);
}

/// Sets the hints [`stats_hints`] computes on the histogram points taken from `samples`
/// (matched by timestamp).
pub fn apply_stats_hints(points: &mut [HPoint], samples: &[Sample], refs: &[i64], window: i64) {
    let hints = stats_hints(samples, refs, window);
    for p in points {
        let i = samples.partition_point(|s| s.t < p.t);
        let (Some(s), Some(Some(hint))) = (samples.get(i), hints.get(i)) else {
            continue;
        };
        if s.t == p.t && p.h.counter_reset_hint != *hint {
            let mut h = (*p.h).clone();
            h.counter_reset_hint = *hint;
            p.h = Arc::new(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::parser::parse_expr;

    fn marked(q: &str) -> usize {
        let e = parse_expr(q).expect("valid query");
        stats_decoding_selectors(&e).len()
    }

    #[test]
    fn marks_selectors_below_stats_functions_only() {
        assert_eq!(marked("histogram_count(sum(x))"), 1);
        assert_eq!(marked("histogram_sum(x) + histogram_avg(rate(y[5m]))"), 2);
        assert_eq!(marked("sum(x)"), 0);
        assert_eq!(marked("histogram_quantile(0.5, histogram_count(x))"), 0);
        assert_eq!(marked("histogram_count(last_over_time(x[5m:1m]))"), 0);
        assert_eq!(marked("histogram_count(x </ 3)"), 0);
    }

    fn hist(t: i64, count: f64) -> Sample {
        Sample {
            t,
            st: None,
            value: SampleValue::Histogram(Arc::new(crate::model::FloatHistogram {
                count,
                ..Default::default()
            })),
        }
    }

    #[test]
    fn hints_chain_within_the_window() {
        use CounterResetHint::*;
        let s: Vec<Sample> = (0..6)
            .map(|i| hist(i * 60_000, [3.0, 2.0, 2.0, 3.0, 1.0, 2.0][i as usize]))
            .collect();
        // Evaluated at 4m with a 5m window: samples 0..=4 read in sequence.
        let h = stats_hints(&s, &[240_000], 300_000);
        assert_eq!(
            h,
            vec![
                Some(Unknown),
                Some(CounterReset),
                Some(NotCounterReset),
                Some(NotCounterReset),
                Some(CounterReset),
                Some(Unknown)
            ]
        );
        // A 1m window seeks to 3m: sample 3 is the first read, sample 4 compares with it.
        let h = stats_hints(&s, &[240_000], 60_000);
        assert_eq!(h[3], Some(Unknown));
        assert_eq!(h[4], Some(CounterReset));
        // Steps 1m apart read on without seeking: same hints as one long read from 0.
        let h = stats_hints(&s, &[60_000, 120_000, 180_000, 240_000, 300_000], 60_000);
        assert_eq!(h[0], Some(Unknown));
        assert_eq!(h[1], Some(CounterReset));
        assert_eq!(h[2], Some(NotCounterReset));
        assert_eq!(h[5], Some(NotCounterReset));
    }

    #[test]
    fn applies_hints_to_points_by_time() {
        let s = vec![hist(0, 3.0), hist(60_000, 1.0)];
        let mut pts: Vec<HPoint> = s
            .iter()
            .map(|x| HPoint {
                t: x.t,
                h: match &x.value {
                    SampleValue::Histogram(h) => h.clone(),
                    SampleValue::Float(_) => unreachable!(),
                },
            })
            .collect();
        apply_stats_hints(&mut pts, &s, &[60_000], 300_000);
        assert_eq!(pts[0].h.counter_reset_hint, CounterResetHint::Unknown);
        assert_eq!(pts[1].h.counter_reset_hint, CounterResetHint::CounterReset);
    }
}
