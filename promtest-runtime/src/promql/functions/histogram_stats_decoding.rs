//! Counter-reset hints as Prometheus's `HistogramStatsIterator` produces them for selectors
//! read only for `histogram_count`/`histogram_sum`/`histogram_avg`
//! (`detectHistogramStatsDecoding`): a histogram sample with an unknown hint gets
//! "counter reset" or "not counter reset" by comparing it with the sample read just before
//! it, when the iterator read one since its last seek.

use std::collections::HashSet;
use std::sync::Arc;

use crate::model::{CounterResetHint, FloatHistogram, Sample, SampleValue};
use crate::promql::ast::{BinaryOp, Expr, VectorSelector};
use crate::promql::functions::histogram_compare::detect_reset;

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

/// For each sample of `samples` (one series, time-ordered), whether the statistics iterator
/// reads the sample before it immediately before it, when an instant selector is evaluated at
/// the reference times `refs` (ascending) with `lookback`: Prometheus's memoizing iterator
/// seeks to `ref - lookback` when that is past its position (forgetting the last sample read)
/// and otherwise reads on sample by sample.
pub fn chained_reads(samples: &[Sample], refs: &[i64], lookback: i64) -> Vec<bool> {
    let mut chained = vec![false; samples.len()];
    // Index of the iterator's current sample; `samples.len()` when exhausted.
    let mut pos: Option<usize> = None;
    for &r in refs {
        let t0 = r - lookback;
        let seek = match pos {
            None => true,
            Some(p) => p < samples.len() && t0 > samples[p].t,
        };
        let mut p = if seek {
            samples.partition_point(|s| s.t < t0)
        } else {
            pos.unwrap_or(0)
        };
        let chain_start = p;
        while p < samples.len() && samples[p].t < r {
            p += 1;
            if p < samples.len() && p > chain_start {
                chained[p] = true;
            }
        }
        pos = Some(p);
    }
    chained
}

/// The histogram of `samples[i]` with the hint the statistics iterator gives it.
pub fn stats_histogram(
    samples: &[Sample],
    i: usize,
    chained: &[bool],
) -> Option<Arc<FloatHistogram>> {
    let SampleValue::Histogram(h) = &samples.get(i)?.value else {
        return None;
    };
    if h.counter_reset_hint != CounterResetHint::Unknown
        || !chained.get(i).copied().unwrap_or(false)
    {
        return Some(h.clone());
    }
    let SampleValue::Histogram(prev) = &samples[i - 1].value else {
        return Some(h.clone());
    };
    let mut out = (**h).clone();
    out.counter_reset_hint = if detect_reset(h, prev) {
        CounterResetHint::CounterReset
    } else {
        CounterResetHint::NotCounterReset
    };
    Some(Arc::new(out))
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
            value: SampleValue::Histogram(Arc::new(FloatHistogram {
                count,
                ..Default::default()
            })),
        }
    }

    #[test]
    fn reads_chain_within_the_lookback_window() {
        let s: Vec<Sample> = (0..6)
            .map(|i| hist(i * 60_000, [3.0, 2.0, 2.0, 3.0, 1.0, 2.0][i as usize]))
            .collect();
        // Instant query at 4m with 5m lookback: samples 0..=4 read in sequence.
        let c = chained_reads(&s, &[240_000], 300_000);
        assert_eq!(c, vec![false, true, true, true, true, false]);
        assert_eq!(
            stats_histogram(&s, 1, &c).map(|h| h.counter_reset_hint),
            Some(CounterResetHint::CounterReset)
        );
        assert_eq!(
            stats_histogram(&s, 3, &c).map(|h| h.counter_reset_hint),
            Some(CounterResetHint::NotCounterReset)
        );
        // A short lookback seeks past the first samples: sample 3 starts a new chain.
        let c = chained_reads(&s, &[240_000], 60_000);
        assert_eq!(c, vec![false, false, false, false, true, false]);
        assert_eq!(
            stats_histogram(&s, 3, &c).map(|h| h.counter_reset_hint),
            Some(CounterResetHint::Unknown)
        );
    }
}
