//! Wall-clock time as Unix milliseconds, and the three ways Go prints a UTC `time.Time` that
//! Mimir's continuous test shows: `String()` in errors, RFC 3339 in the comparison table, and
//! RFC 3339 with nanoseconds (`MarshalText`) in log lines.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    }
}

/// Broken-down UTC time of a Unix millisecond timestamp.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    millis: u32,
}

fn civil(ms: i64) -> Civil {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000) as u32;
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400) as u32;
    // Days since 1970-01-01 to a proleptic Gregorian date (era-based, 400-year cycles).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: tod / 3600,
        minute: tod / 60 % 60,
        second: tod % 60,
        millis,
    }
}

fn date_time(c: &Civil, date_sep: char) -> String {
    format!(
        "{:04}-{:02}-{:02}{date_sep}{:02}:{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// The fraction of a second as Go's `.999999999` layout prints it: nothing when zero, else the
/// digits without trailing zeros.
fn fraction(millis: u32) -> String {
    if millis == 0 {
        return String::new();
    }
    let digits = format!("{millis:03}");
    format!(".{}", digits.trim_end_matches('0'))
}

/// Go's `time.Time.String()` of a UTC time: `2022-06-01 10:00:20 +0000 UTC`.
pub fn go_string(ms: i64) -> String {
    let c = civil(ms);
    format!("{}{} +0000 UTC", date_time(&c, ' '), fraction(c.millis))
}

/// Go's `time.RFC3339` of a UTC time: `2022-06-01T10:00:20Z` (no fraction).
pub fn rfc3339(ms: i64) -> String {
    format!("{}Z", date_time(&civil(ms), 'T'))
}

/// Go's `time.RFC3339Nano` of a UTC time, as log lines print times: `2022-06-01T10:00:20.5Z`.
pub fn rfc3339_nano(ms: i64) -> String {
    let c = civil(ms);
    format!("{}{}Z", date_time(&c, 'T'), fraction(c.millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_as_go() {
        // 2022-06-01T10:00:20Z
        let t = 1_654_077_620_000;
        assert_eq!(go_string(t), "2022-06-01 10:00:20 +0000 UTC");
        assert_eq!(rfc3339(t), "2022-06-01T10:00:20Z");
        assert_eq!(rfc3339_nano(t + 500), "2022-06-01T10:00:20.5Z");
        assert_eq!(go_string(t + 120), "2022-06-01 10:00:20.12 +0000 UTC");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(-1_000), "1969-12-31T23:59:59Z");
    }
}
