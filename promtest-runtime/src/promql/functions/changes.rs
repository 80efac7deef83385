//! Counting transitions in a range window: `changes` and `resets`.

use crate::model::histogram_math::{detect_reset, equals as histograms_equal};
use crate::model::FloatHistogram;
use crate::promql::engine::EvalError;
use crate::promql::functions::{FunctionCall, RangeArg};

/// One point of a window, float or histogram, with its start timestamp (0 if unknown).
#[derive(Clone, Copy)]
enum Point<'a> {
    Float(f64),
    Histogram(&'a FloatHistogram),
}

/// The window's points merged in time order, as `(t, start timestamp, value)`; with the
/// `anchored` modifier only the newest point at or before the range start is kept from the
/// part before it (Prometheus's `pickFirstSampleIndices`); `None` when no point lies after
/// the range start of an anchored window.
fn merged<'a>(w: &RangeArg<'a>) -> Option<Vec<(i64, i64, Point<'a>)>> {
    let (mut fi, mut hi) = (0, 0);
    if w.anchored {
        let f_le = w.floats.partition_point(|p| p.t <= w.range_start);
        let h_le = w.histograms.partition_point(|p| p.t <= w.range_start);
        if f_le >= w.floats.len() && h_le >= w.histograms.len() {
            return None;
        }
        match (f_le.checked_sub(1), h_le.checked_sub(1)) {
            (None, None) => {}
            (Some(f), None) => fi = f,
            (Some(f), Some(h)) if w.floats[f].t >= w.histograms[h].t => (fi, hi) = (f, h + 1),
            (f, Some(h)) => (fi, hi) = (f.map_or(0, |f| f + 1), h),
        }
    }
    let mut out = Vec::with_capacity(w.floats.len() - fi + w.histograms.len() - hi);
    while fi < w.floats.len() || hi < w.histograms.len() {
        let take_float = hi >= w.histograms.len()
            || (fi < w.floats.len() && w.floats[fi].t < w.histograms[hi].t);
        if take_float {
            let st = w.float_start_timestamps.get(fi).copied().unwrap_or(0);
            out.push((w.floats[fi].t, st, Point::Float(w.floats[fi].f)));
            fi += 1;
        } else if fi >= w.floats.len() || w.floats[fi].t > w.histograms[hi].t {
            let st = w.histogram_start_timestamps.get(hi).copied().unwrap_or(0);
            let h = &*w.histograms[hi].h;
            out.push((w.histograms[hi].t, st, Point::Histogram(h)));
            hi += 1;
        } else {
            // A float and a histogram at one timestamp: Prometheus's loop takes neither
            // and repeats the previous point; count it as no transition.
            if let Some(&last) = out.last() {
                out.push(last);
            }
            fi += 1;
            hi += 1;
        }
    }
    Some(out)
}

/// `changes(v range-vector)`: how often the value changed (NaN to NaN is no change).
pub fn changes(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let Some(w) = call.range() else {
        return Ok(());
    };
    let Some(points) = merged(&w) else {
        return Ok(());
    };
    let mut n = 0;
    for pair in points.windows(2) {
        let changed = match (pair[0].2, pair[1].2) {
            (Point::Float(a), Point::Float(b)) => a != b && !(a.is_nan() && b.is_nan()),
            (Point::Histogram(a), Point::Histogram(b)) => !histograms_equal(a, b),
            _ => true,
        };
        n += usize::from(changed);
    }
    if !points.is_empty() {
        call.push_value(n as f64);
    }
    Ok(())
}

/// `resets(v range-vector)`: how often the counter reset (a decrease, a start timestamp
/// after the previous sample, or a switch between float and histogram).
pub fn resets(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let Some(w) = call.range() else {
        return Ok(());
    };
    let Some(points) = merged(&w) else {
        return Ok(());
    };
    let bounds_reset = call.semantics.nhcb_bounds_change_is_reset;
    let mut n = 0;
    for pair in points.windows(2) {
        let (prev_t, prev_st, prev) = pair[0];
        let (cur_t, cur_st, cur) = pair[1];
        let st_reset = is_start_timestamp_reset(prev_st, prev_t, cur_st, cur_t);
        let reset = match (prev, cur) {
            (Point::Float(a), Point::Float(b)) => b < a || st_reset,
            (Point::Histogram(a), Point::Histogram(b)) => {
                st_reset || detect_reset(b, a, bounds_reset)
            }
            _ => true,
        };
        n += usize::from(reset);
    }
    if !points.is_empty() {
        call.push_value(n as f64);
    }
    Ok(())
}

/// Whether the current sample's start timestamp says the counter restarted since the
/// previous sample (Prometheus's `isStartTimestampReset`).
pub fn is_start_timestamp_reset(prev_st: i64, prev_t: i64, cur_st: i64, cur_t: i64) -> bool {
    if cur_st == 0 || cur_st >= cur_t || cur_st < prev_t {
        return false;
    }
    if cur_st > prev_t {
        return true;
    }
    if prev_st > prev_t {
        return false;
    }
    prev_st != 0 && prev_st != prev_t
}

#[cfg(test)]
mod tests {
    use crate::promql::functions::test_util::{call, hpoint, labels, points, window, Outcome};
    use crate::promql::functions::{ArgValue, RangeArg};

    fn run(name: &str, w: RangeArg<'_>) -> Outcome {
        call(name, w.range_end, &[ArgValue::Range(w)])
    }

    #[test]
    fn counts_changes() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[
            (1, 1.0),
            (2, 1.0),
            (3, 2.0),
            (4, f64::NAN),
            (5, f64::NAN),
            (6, 2.0),
        ]);
        assert_eq!(
            run("changes", window(&m, &f, &[], 10_000, 10_000)).value(),
            3.0
        );
        let one = points(&[(1, 5.0)]);
        assert_eq!(
            run("changes", window(&m, &one, &[], 10_000, 10_000)).value(),
            0.0
        );
    }

    #[test]
    fn counts_resets() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[(1, 3.0), (2, 1.0), (3, 4.0), (4, 0.0), (5, 0.0)]);
        assert_eq!(
            run("resets", window(&m, &f, &[], 10_000, 10_000)).value(),
            2.0
        );
        let h = [hpoint(6_000, 1.0), hpoint(7_000, 0.5)];
        assert_eq!(
            run("resets", window(&m, &f, &h, 10_000, 10_000)).value(),
            4.0
        );
        assert_eq!(
            run("changes", window(&m, &f, &h, 10_000, 10_000)).value(),
            5.0
        );
    }

    #[test]
    fn start_timestamps_mark_resets() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[(1, 1.0), (2, 2.0), (3, 3.0)]);
        let sts = [500, 500, 2_500];
        let mut w = window(&m, &f, &[], 10_000, 10_000);
        w.float_start_timestamps = &sts;
        assert_eq!(run("resets", w).value(), 1.0);
    }

    #[test]
    fn anchored_keeps_one_point_before_start() {
        let m = labels(&[("__name__", "m")]);
        let f = points(&[(1, 9.0), (2, 1.0), (6, 2.0)]);
        let mut w = window(&m, &f, &[], 10_000, 5_000);
        w.anchored = true;
        assert_eq!(run("changes", w).value(), 1.0);
        let before = points(&[(1, 9.0), (2, 1.0)]);
        let mut w = window(&m, &before, &[], 10_000, 5_000);
        w.anchored = true;
        assert!(run("changes", w).out.is_empty());
    }
}
