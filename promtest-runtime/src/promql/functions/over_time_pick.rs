//! Picking one point of a range window: `first_over_time`, `last_over_time` and the
//! timestamps `ts_of_first_over_time`, `ts_of_last_over_time`, `ts_of_min_over_time`,
//! `ts_of_max_over_time`.

use crate::model::Labels;
use crate::promql::engine::EvalError;
use crate::promql::functions::over_time::pick_float;
use crate::promql::functions::FunctionCall;
use crate::promql::value::{HPoint, VectorSample};

/// Pushes a histogram value (labels and drop-name are the engine's for range functions).
fn push_histogram(call: &mut FunctionCall<'_>, p: &HPoint) {
    call.out.push(VectorSample {
        metric: Labels::empty(),
        t: call.t,
        f: 0.0,
        h: Some(p.h.clone()),
        drop_name: false,
    });
}

/// `first_over_time(v range-vector)`: the oldest point, float or histogram.
pub fn first_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let Some(w) = call.range() else {
        return Ok(());
    };
    match (w.floats.first(), w.histograms.first()) {
        (Some(f), Some(h)) if h.t <= f.t => push_histogram(call, h),
        (None, Some(h)) => push_histogram(call, h),
        (Some(f), _) => call.push_value(f.f),
        (None, None) => {}
    }
    Ok(())
}

/// `last_over_time(v range-vector)`: the newest point, float or histogram.
pub fn last_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let Some(w) = call.range() else {
        return Ok(());
    };
    match (w.floats.last(), w.histograms.last()) {
        (Some(f), Some(h)) if h.t >= f.t => push_histogram(call, h),
        (None, Some(h)) => push_histogram(call, h),
        (Some(f), _) => call.push_value(f.f),
        (None, None) => {}
    }
    Ok(())
}

/// `ts_of_first_over_time(v range-vector)`: the timestamp (s) of the oldest point.
pub fn ts_of_first_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let Some(w) = call.range() else {
        return Ok(());
    };
    let tf = w.floats.first().map_or(i64::MAX, |p| p.t);
    let th = w.histograms.first().map_or(i64::MAX, |p| p.t);
    call.push_value(tf.min(th) as f64 / 1000.0);
    Ok(())
}

/// `ts_of_last_over_time(v range-vector)`: the timestamp (s) of the newest point.
pub fn ts_of_last_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let Some(w) = call.range() else {
        return Ok(());
    };
    let tf = w.floats.last().map_or(0, |p| p.t);
    let th = w.histograms.last().map_or(0, |p| p.t);
    call.push_value(tf.max(th) as f64 / 1000.0);
    Ok(())
}

/// `ts_of_max_over_time(v range-vector)`: the timestamp (s) of the last maximal float.
pub fn ts_of_max_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    if let Some(p) = pick_float(call, |cur, best| cur >= best || best.is_nan()) {
        call.push_value(p.t as f64 / 1000.0);
    }
    Ok(())
}

/// `ts_of_min_over_time(v range-vector)`: the timestamp (s) of the last minimal float.
pub fn ts_of_min_over_time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    if let Some(p) = pick_float(call, |cur, best| cur <= best || best.is_nan()) {
        call.push_value(p.t as f64 / 1000.0);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::promql::functions::test_util::{call, hpoint, labels, points, window, Outcome};
    use crate::promql::functions::ArgValue;
    use crate::promql::value::{FPoint, HPoint};

    fn run(name: &str, f: &[FPoint], h: &[HPoint]) -> Outcome {
        let m = labels(&[("__name__", "m")]);
        call(
            name,
            100_000,
            &[ArgValue::Range(window(&m, f, h, 100_000, 100_000))],
        )
    }

    #[test]
    fn first_and_last() {
        let f = points(&[(10, 1.0), (20, 2.0), (30, 3.0)]);
        assert_eq!(run("first_over_time", &f, &[]).value(), 1.0);
        assert_eq!(run("last_over_time", &f, &[]).value(), 3.0);
        let h = [hpoint(5_000, 9.0), hpoint(40_000, 8.0)];
        let first = run("first_over_time", &f, &h);
        assert_eq!(first.out[0].h.as_ref().map(|h| h.count), Some(9.0));
        let last = run("last_over_time", &f, &h);
        assert_eq!(last.out[0].h.as_ref().map(|h| h.count), Some(8.0));
        let later = [hpoint(15_000, 7.0)];
        assert_eq!(run("last_over_time", &f, &later).value(), 3.0);
    }

    #[test]
    fn timestamps_of_points() {
        let f = points(&[(10, 5.0), (20, 1.0), (30, 5.0), (40, 1.0)]);
        assert_eq!(run("ts_of_first_over_time", &f, &[]).value(), 10.0);
        assert_eq!(run("ts_of_last_over_time", &f, &[]).value(), 40.0);
        assert_eq!(run("ts_of_max_over_time", &f, &[]).value(), 30.0);
        assert_eq!(run("ts_of_min_over_time", &f, &[]).value(), 40.0);
        let h = [hpoint(50_000, 1.0)];
        assert_eq!(run("ts_of_last_over_time", &f, &h).value(), 50.0);
        assert_eq!(run("ts_of_first_over_time", &[], &h).value(), 50.0);
        assert!(run("ts_of_max_over_time", &[], &h).out.is_empty());
    }
}
