//! `sum_over_time` and `avg_over_time` over windows of native histograms.

use std::sync::Arc;

use crate::model::histogram_math::{compact, div, AddNotes, HistogramError, KahanSum};
use crate::model::{CounterResetHint, Labels};
use crate::promql::engine::EvalError;
use crate::promql::functions::annotate::{
    counter_reset_collision, mismatched_custom_buckets, mixed_exponential_custom,
};
use crate::promql::functions::nhcb_bounds::refuse_mismatched_bounds;
use crate::promql::functions::FunctionCall;
use crate::promql::value::{HPoint, VectorSample};

/// Tracks what the inputs and additions reported, for the annotations afterwards.
#[derive(Default)]
struct Seen {
    reset: bool,
    not_reset: bool,
    reconciled: bool,
}

impl Seen {
    fn hint(&mut self, p: &HPoint) {
        match p.h.counter_reset_hint {
            CounterResetHint::CounterReset => self.reset = true,
            CounterResetHint::NotCounterReset => self.not_reset = true,
            _ => {}
        }
    }

    fn notes(&mut self, n: AddNotes) {
        self.reconciled |= n.reconciled;
    }

    fn annotate(&self, call: &mut FunctionCall<'_>) {
        let span = call.arg_span(0);
        if self.reset && self.not_reset {
            counter_reset_collision(call, span, "aggregation");
        }
        if self.reconciled {
            mismatched_custom_buckets(call, span, "aggregation");
        }
    }
}

/// The compensated sum divided by `d`, empty buckets dropped.
fn result(acc: &KahanSum, d: f64) -> crate::model::FloatHistogram {
    let mut h = acc.finish(d);
    compact(&mut h);
    h
}

fn push(call: &mut FunctionCall<'_>, h: crate::model::FloatHistogram) {
    call.out.push(VectorSample {
        metric: Labels::empty(),
        t: call.t,
        f: 0.0,
        h: Some(Arc::new(h)),
        drop_name: false,
    });
}

/// Pushes the result of `f`, or warns on a mix of exponential and custom buckets.
fn finish(
    call: &mut FunctionCall<'_>,
    metric: &Labels,
    seen: &Seen,
    result: Result<crate::model::FloatHistogram, HistogramError>,
) {
    match result {
        Ok(h) => {
            seen.annotate(call);
            push(call, h);
        }
        Err(HistogramError::IncompatibleSchema) => {
            let span = call.arg_span(0);
            mixed_exponential_custom(call, metric, span);
        }
    }
}

/// Whether the release refuses `hs` for their different custom bounds (warning if so).
fn incompatible_bounds(call: &mut FunctionCall<'_>, metric: &Labels, hs: &[HPoint]) -> bool {
    refuse_mismatched_bounds(call, metric, hs.iter().map(|p| &*p.h))
}

/// The Kahan-compensated sum of `hs` (non-empty).
pub fn sum_histograms(
    call: &mut FunctionCall<'_>,
    metric: &Labels,
    hs: &[HPoint],
) -> Result<(), EvalError> {
    if incompatible_bounds(call, metric, hs) {
        return Ok(());
    }
    let mut seen = Seen::default();
    seen.hint(&hs[0]);
    let mut acc = KahanSum::new(&hs[0].h);
    let result = (|| {
        for p in &hs[1..] {
            seen.hint(p);
            let n = acc.add(&p.h)?;
            seen.notes(n);
        }
        Ok(result(&acc, 1.0))
    })();
    finish(call, metric, &seen, result);
    Ok(())
}

/// The mean of `hs` (non-empty): a direct compensated sum while it stays finite, then an
/// incremental mean (as Prometheus's `avg_over_time`).
pub fn avg_histograms(
    call: &mut FunctionCall<'_>,
    metric: &Labels,
    hs: &[HPoint],
) -> Result<(), EvalError> {
    if incompatible_bounds(call, metric, hs) {
        return Ok(());
    }
    let mut seen = Seen::default();
    seen.hint(&hs[0]);
    let mut acc = KahanSum::new(&hs[0].h);
    let result = (|| {
        let mut count = 1.0;
        let mut incremental = false;
        for (i, p) in hs[1..].iter().enumerate() {
            seen.hint(p);
            count = (i + 2) as f64;
            if !incremental {
                let mut tried = acc.clone();
                let n = tried.add(&p.h)?;
                seen.notes(n);
                if !tried.has_overflow() {
                    acc = tried;
                    continue;
                }
                incremental = true;
                acc.divide(count - 1.0);
            }
            acc.scale((count - 1.0) / count);
            let n = acc.add(&div(&p.h, count))?;
            seen.notes(n);
        }
        Ok(result(&acc, if incremental { 1.0 } else { count }))
    })();
    finish(call, metric, &seen, result);
    Ok(())
}
