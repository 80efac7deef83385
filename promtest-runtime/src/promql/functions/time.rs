//! Time functions: `time`, `timestamp` and the UTC calendar functions (`minute`, `hour`,
//! `day_of_month`, `day_of_week`, `day_of_year`, `days_in_month`, `month`, `year`), which
//! default to `vector(time())`.

use crate::model::Labels;
use crate::promql::engine::EvalError;
use crate::promql::functions::FunctionCall;
use crate::promql::value::VectorSample;

/// `time()`: the evaluation time in seconds.
pub fn time(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    call.push_value(call.t as f64 / 1000.0);
    Ok(())
}

/// `timestamp(v instant-vector)`: each sample's timestamp in seconds (the engine passes the
/// samples' own timestamps for a plain selector argument), histograms included.
pub fn timestamp(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    for s in call.vector(0) {
        call.push_float_dropping_name(&s.metric, s.t as f64 / 1000.0);
    }
    Ok(())
}

/// A UTC calendar date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    /// Year (proleptic Gregorian).
    pub year: i64,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of the month, 1..=31.
    pub day: u32,
    /// Hour, 0..=23.
    pub hour: u32,
    /// Minute, 0..=59.
    pub minute: u32,
    weekday: u32,
    year_day: u32,
}

impl DateTime {
    /// The UTC date and time of `secs` seconds since the Unix epoch, as Go's `time.Unix`
    /// gives it for every `int64` (see [`crate::model::go_time`]).
    pub fn from_unix(secs: i64) -> Self {
        let d = crate::model::go_time::unix_date(secs);
        DateTime {
            year: d.year,
            month: d.month,
            day: d.day,
            hour: d.hour,
            minute: d.minute,
            weekday: d.weekday,
            year_day: d.year_day,
        }
    }

    /// Day of the week, 0 = Sunday.
    pub fn weekday(&self) -> u32 {
        self.weekday
    }

    /// Day of the year, 1..=366.
    pub fn year_day(&self) -> u32 {
        self.year_day
    }
}

/// The number of days of `month` (1..=12) in `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if crate::model::go_time::is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Applies `f` to the date of each float sample's value (seconds, truncated), dropping the
/// name; with no argument, to the evaluation time (Prometheus's `dateWrapper`).
fn date_function(call: &mut FunctionCall<'_>, f: fn(&DateTime) -> f64) -> Result<(), EvalError> {
    if call.args.is_empty() {
        let v = f(&DateTime::from_unix(call.t / 1000));
        call.out.push(VectorSample {
            metric: Labels::empty(),
            t: call.t,
            f: v,
            h: None,
            drop_name: false,
        });
        return Ok(());
    }
    for s in call.vector(0) {
        if s.h.is_none() {
            // Go's int64(x) on amd64: NaN and out-of-range values become MinInt64.
            let v = f(&DateTime::from_unix(crate::gomath::go_int64(s.f)));
            call.push_float_dropping_name(&s.metric, v);
        }
    }
    Ok(())
}

/// `minute(v=vector(time()) instant-vector)`.
pub fn minute(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    date_function(call, |d| f64::from(d.minute))
}

/// `hour(v=vector(time()) instant-vector)`.
pub fn hour(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    date_function(call, |d| f64::from(d.hour))
}

/// `day_of_month(v=vector(time()) instant-vector)`.
pub fn day_of_month(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    date_function(call, |d| f64::from(d.day))
}

/// `day_of_week(v=vector(time()) instant-vector)`: 0 = Sunday.
pub fn day_of_week(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    date_function(call, |d| f64::from(d.weekday()))
}

/// `day_of_year(v=vector(time()) instant-vector)`.
pub fn day_of_year(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    date_function(call, |d| f64::from(d.year_day()))
}

/// `days_in_month(v=vector(time()) instant-vector)`.
pub fn days_in_month_fn(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    date_function(call, |d| f64::from(days_in_month(d.year, d.month)))
}

/// `month(v=vector(time()) instant-vector)`.
pub fn month(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    date_function(call, |d| f64::from(d.month))
}

/// `year(v=vector(time()) instant-vector)`.
pub fn year(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    date_function(call, |d| d.year as f64)
}

#[cfg(test)]
mod tests {
    use super::DateTime;
    use crate::promql::functions::test_util::{call, sample};
    use crate::promql::functions::ArgValue;

    #[test]
    fn calendar_of_known_instants() {
        let d = DateTime::from_unix(1_136_239_445); // 2006-01-02 22:04:05 UTC, a Monday
        assert_eq!(
            (d.year, d.month, d.day, d.hour, d.minute),
            (2006, 1, 2, 22, 4)
        );
        assert_eq!(d.weekday(), 1);
        assert_eq!(d.year_day(), 2);
        assert_eq!(DateTime::from_unix(0).weekday(), 4);
        assert_eq!(DateTime::from_unix(1_483_191_420).year_day(), 366);
        let before_epoch = DateTime::from_unix(-1);
        assert_eq!(
            (
                before_epoch.year,
                before_epoch.month,
                before_epoch.day,
                before_epoch.hour
            ),
            (1969, 12, 31, 23)
        );
    }

    #[test]
    fn date_functions_on_vectors_and_default() {
        let v = [sample(&[("__name__", "m"), ("a", "b")], 1_456_790_399.0)];
        let out = call("month", 0, &[ArgValue::Vector(&v)]);
        assert_eq!(out.value(), 2.0);
        assert!(out.out[0].drop_name);
        assert_eq!(
            call("day_of_month", 0, &[ArgValue::Vector(&v)]).value(),
            29.0
        );
        assert_eq!(
            call("days_in_month", 0, &[ArgValue::Vector(&v)]).value(),
            29.0
        );
        let default = call("year", 90_000, &[]);
        assert_eq!(default.value(), 1970.0);
        assert!(default.out[0].metric.is_empty());
        assert_eq!(call("minute", 90_000, &[]).value(), 1.0);
    }

    #[test]
    fn time_and_timestamp() {
        assert_eq!(call("time", 1_500, &[]).value(), 1.5);
        let mut s = sample(&[("__name__", "m")], 7.0);
        s.t = 10_000;
        let out = call("timestamp", 20_000, &[ArgValue::Vector(&[s])]);
        assert_eq!(out.value(), 10.0);
        assert!(out.out[0].drop_name);
    }
}
