//! Prometheus's number formatting helpers: `humanize`, `humanize1024`, `humanizeDuration`,
//! `humanizePercentage`, `humanizeTimestamp`, and float-seconds to time conversion.

use super::printf::format_float;
use super::timefmt::time_string;

fn g4(v: f64) -> String {
    format_float(v, 'g', Some(4))
}

/// `humanize`: SI prefixes with four significant digits (`1.235M`, `120m`).
pub fn humanize(mut v: f64) -> String {
    if v == 0.0 || v.is_nan() || v.is_infinite() {
        return g4(v);
    }
    let mut prefix = "";
    if v.abs() >= 1.0 {
        for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
            if v.abs() < 1000.0 {
                break;
            }
            prefix = p;
            v /= 1000.0;
        }
    } else {
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if v.abs() >= 1.0 {
                break;
            }
            prefix = p;
            v *= 1000.0;
        }
    }
    format!("{}{prefix}", g4(v))
}

/// `humanize1024`: binary prefixes (`1Mi`).
pub fn humanize1024(mut v: f64) -> String {
    if v.abs() <= 1.0 || v.is_nan() || v.is_infinite() {
        return g4(v);
    }
    let mut prefix = "";
    for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
        if v.abs() < 1024.0 {
            break;
        }
        prefix = p;
        v /= 1024.0;
    }
    format!("{}{prefix}", g4(v))
}

/// `humanizeDuration`: seconds as `1d 2h 3m 4s`, `12.35s`, or `100ms`.
pub fn humanize_duration(mut v: f64) -> String {
    if v.is_nan() || v.is_infinite() {
        return g4(v);
    }
    if v == 0.0 {
        return format!("{}s", g4(v));
    }
    if v.abs() >= 1.0 {
        let mut sign = "";
        if v < 0.0 {
            sign = "-";
            v = -v;
        }
        let d = v as i64;
        let (seconds, minutes, hours, days) = (d % 60, d / 60 % 60, d / 3600 % 24, d / 86400);
        if days != 0 {
            return format!("{sign}{days}d {hours}h {minutes}m {seconds}s");
        }
        if hours != 0 {
            return format!("{sign}{hours}h {minutes}m {seconds}s");
        }
        if minutes != 0 {
            return format!("{sign}{minutes}m {seconds}s");
        }
        return format!("{sign}{}s", g4(v));
    }
    let mut prefix = "";
    for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
        if v.abs() >= 1.0 {
            break;
        }
        prefix = p;
        v *= 1000.0;
    }
    format!("{}{prefix}s", g4(v))
}

/// `humanizePercentage`: a ratio as a percentage with four significant digits.
pub fn humanize_percentage(v: f64) -> String {
    format!("{}%", g4(v * 100.0))
}

/// Prometheus's `floatToTime`: seconds to nanoseconds since the epoch, or the error text.
/// `Ok(None)` is NaN or infinity.
pub fn float_to_time(v: f64) -> Result<Option<i128>, String> {
    if v.is_nan() || v.is_infinite() {
        return Ok(None);
    }
    let ts = v * 1e9;
    if ts > i64::MAX as f64 || ts < i64::MIN as f64 {
        return Err(format!(
            "{} cannot be represented as a nanoseconds timestamp since it overflows int64",
            format_float(v, 'g', None)
        ));
    }
    // Prometheus goes through model.Time (milliseconds), truncating towards zero.
    let ns = ts as i64;
    let ms = ns / 1_000_000;
    Ok(Some(ms as i128 * 1_000_000))
}

/// `humanizeTimestamp`: seconds since the epoch as Go's `Time.String()` in UTC.
pub fn humanize_timestamp(v: f64) -> Result<String, String> {
    match float_to_time(v)? {
        None => Ok(g4(v)),
        Some(ns) => Ok(time_string(ns)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn si_prefixes() {
        let got: Vec<String> = [0.0, 1.0, 1234567.0, 0.12, -1.0, 9.223372036854776e18]
            .map(humanize)
            .to_vec();
        assert_eq!(got, ["0", "1", "1.235M", "120m", "-1", "9.223E"]);
        assert_eq!(humanize(1.8446744073709552e19), "18.45E");
        assert_eq!(humanize(f64::NAN), "NaN");
    }

    #[test]
    fn binary_prefixes() {
        let got: Vec<String> = [0.0, 1.0, 1048576.0, 0.12, 1234567.0, 9.223372036854776e18]
            .map(humanize1024)
            .to_vec();
        assert_eq!(got, ["0", "1", "1Mi", "0.12", "1.177Mi", "8Ei"]);
        assert_eq!(humanize1024(1.8446744073709552e19), "16Ei");
    }

    #[test]
    fn durations() {
        let got: Vec<String> = [
            0.0,
            1.0,
            60.0,
            3600.0,
            86400.0,
            90000.0,
            -(86400.0 * 2.0 + 3600.0 * 3.0 + 245.0),
            899.99,
        ]
        .map(humanize_duration)
        .to_vec();
        assert_eq!(
            got,
            [
                "0s",
                "1s",
                "1m 0s",
                "1h 0m 0s",
                "1d 0h 0m 0s",
                "1d 1h 0m 0s",
                "-2d 3h 4m 5s",
                "14m 59s"
            ]
        );
        let got: Vec<String> = [0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345, 1234567.0]
            .map(humanize_duration)
            .to_vec();
        assert_eq!(
            got,
            [
                "100ms",
                "100us",
                "123.5ms",
                "1m 0s",
                "1m 0s",
                "1.234s",
                "12.35s",
                "14d 6h 56m 7s"
            ]
        );
        assert_eq!(humanize_duration(f64::NEG_INFINITY), "-Inf");
    }

    #[test]
    fn percentages() {
        let got: Vec<String> = [
            -0.22222,
            0.0,
            0.1234567,
            1.23456,
            1234567.0,
            9.223372036854776e18,
        ]
        .map(humanize_percentage)
        .to_vec();
        assert_eq!(
            got,
            [
                "-22.22%",
                "0%",
                "12.35%",
                "123.5%",
                "1.235e+08%",
                "9.223e+20%"
            ]
        );
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            humanize_timestamp(0.0).unwrap(),
            "1970-01-01 00:00:00 +0000 UTC"
        );
        assert_eq!(
            humanize_timestamp(1234567.0).unwrap(),
            "1970-01-15 06:56:07 +0000 UTC"
        );
        assert_eq!(
            humanize_timestamp(9223372036.0).unwrap(),
            "2262-04-11 23:47:16 +0000 UTC"
        );
        assert_eq!(
            humanize_timestamp(1435065584.128).unwrap(),
            "2015-06-23 13:19:44.128 +0000 UTC"
        );
        assert_eq!(humanize_timestamp(f64::NAN).unwrap(), "NaN");
        assert_eq!(
            humanize_timestamp(-9.223372036854776e18).unwrap_err(),
            "-9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64"
        );
        assert!(float_to_time(1.7e300).is_err());
        assert_eq!(
            float_to_time(1657155181.0).unwrap(),
            Some(1_657_155_181_000_000_000)
        );
    }
}
