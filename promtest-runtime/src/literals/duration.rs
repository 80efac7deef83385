//! Prometheus durations: `model.ParseDuration` (`1h30m`, `5m`, `100ms`, `0`), `model.Duration`'s
//! text, and Go `time.Duration` conversions.

use super::quote::go_quote;

/// Nanoseconds per second.
const NANOS_PER_SEC: i64 = 1_000_000_000;

/// Go's `model.ParseDuration`: `1h30m`, `5m`, `100ms`, `0`; the result in nanoseconds.
pub fn parse_duration_nanos(text: &str) -> Result<i64, String> {
    const UNITS: [(&str, u64); 7] = [
        ("y", 365 * 24 * 3600 * 1_000_000_000),
        ("w", 7 * 24 * 3600 * 1_000_000_000),
        ("d", 24 * 3600 * 1_000_000_000),
        ("h", 3600 * 1_000_000_000),
        ("m", 60 * 1_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
    ];
    match text {
        "0" => return Ok(0),
        "" => return Err("empty duration string".to_string()),
        _ => {}
    }
    let invalid = || format!("not a valid duration string: {}", go_quote(text));
    let mut rest = text;
    let mut total: u64 = 0;
    let mut last_unit: Option<usize> = None;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(invalid());
        }
        let v: u64 = rest[..digits].parse().map_err(|_| invalid())?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(|b| !b.is_ascii_digit()).count();
        if unit_len == 0 {
            return Err(invalid());
        }
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let Some(pos) = UNITS.iter().position(|(u, _)| *u == unit) else {
            return Err(format!(
                "unknown unit {} in duration {}",
                go_quote(unit),
                go_quote(text)
            ));
        };
        if last_unit.is_some_and(|last| pos <= last) {
            return Err(invalid());
        }
        last_unit = Some(pos);
        let mult = UNITS[pos].1;
        if v > (1u64 << 63) / mult {
            return Err("duration out of range".to_string());
        }
        total = total.saturating_add(v * mult);
        if total > i64::MAX as u64 {
            return Err("duration out of range".to_string());
        }
    }
    Ok(total as i64)
}

/// Go's `model.ParseDurationAllowNegative` (the template function `parseDuration`): a leading
/// `-` negates the rest, parsed by [`parse_duration_nanos`] (whose errors then name the rest).
#[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
pub fn parse_duration_allow_negative(text: &str) -> Result<i64, String> {
    match text.strip_prefix('-') {
        Some(rest) => parse_duration_nanos(rest).map(|ns| -ns),
        None => parse_duration_nanos(text),
    }
}

/// Go's `time.Duration.Seconds()` of a nanosecond count.
pub fn nanos_to_seconds(ns: i64) -> f64 {
    let sec = ns / NANOS_PER_SEC;
    let nsec = ns % NANOS_PER_SEC;
    sec as f64 + nsec as f64 / 1e9
}

/// Whether `seconds` would overflow a Go `time.Duration` (int64 nanoseconds).
pub fn duration_out_of_range(seconds: f64) -> bool {
    const LIMIT: f64 = 9_223_372_036.854_776; // 2^63 / 1e9
    seconds.is_nan() || !(-LIMIT..=LIMIT).contains(&seconds)
}

/// Seconds → milliseconds as Prometheus does: round to nanoseconds, then truncate to ms.
pub fn seconds_to_millis(seconds: f64) -> i64 {
    let ns = (seconds * 1e9).round();
    let ns = if ns >= i64::MAX as f64 {
        i64::MAX
    } else if ns <= i64::MIN as f64 {
        i64::MIN
    } else {
        ns as i64
    };
    ns / 1_000_000
}

/// Parses a Prometheus duration into milliseconds (see [`parse_duration_nanos`]).
pub fn parse_duration(text: &str) -> Result<i64, String> {
    parse_duration_nanos(text).map(|ns| ns / 1_000_000)
}

/// Milliseconds as Prometheus's `model.Duration.String()`: `1h30m`, `8d`, `2w`, `0s`
/// (years and weeks only when exact); a negative duration gets a leading `-`.
pub fn format_duration(ms: i64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let mut rest = ms.unsigned_abs();
    let mut out = String::new();
    if ms < 0 {
        out.push('-');
    }
    for (unit, mult, exact) in [
        ("y", 31_536_000_000u64, true),
        ("w", 604_800_000, true),
        ("d", 86_400_000, false),
        ("h", 3_600_000, false),
        ("m", 60_000, false),
        ("s", 1_000, false),
        ("ms", 1, false),
    ] {
        if exact && rest / mult * mult != rest {
            continue;
        }
        let v = rest / mult;
        if v > 0 {
            out.push_str(&v.to_string());
            out.push_str(unit);
            rest -= v * mult;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_model_parse_duration() {
        assert_eq!(parse_duration_nanos("5m").unwrap(), 300 * NANOS_PER_SEC);
        assert_eq!(parse_duration_nanos("1h30m").unwrap(), 5400 * NANOS_PER_SEC);
        assert_eq!(parse_duration_nanos("1s500ms").unwrap(), 1_500_000_000);
        assert_eq!(parse_duration_nanos("0").unwrap(), 0);
        assert_eq!(
            parse_duration_nanos("5y1hs").unwrap_err(),
            "unknown unit \"hs\" in duration \"5y1hs\""
        );
        assert_eq!(
            parse_duration_nanos("1m1h").unwrap_err(),
            "not a valid duration string: \"1m1h\""
        );
        assert_eq!(
            parse_duration_nanos("1.5m").unwrap_err(),
            "unknown unit \".\" in duration \"1.5m\""
        );
        assert_eq!(
            parse_duration_nanos("300y").unwrap_err(),
            "duration out of range"
        );
    }

    #[test]
    fn negative_durations_as_parse_duration_allow_negative() {
        assert_eq!(
            parse_duration_allow_negative("1h2m10ms"),
            Ok(3_720_010_000_000)
        );
        assert_eq!(
            parse_duration_allow_negative("-30m"),
            Ok(-1_800_000_000_000)
        );
        assert_eq!(parse_duration_allow_negative("0"), Ok(0));
        assert_eq!(
            parse_duration_allow_negative(""),
            Err("empty duration string".into())
        );
        assert_eq!(
            parse_duration_allow_negative("-1m1h"),
            Err("not a valid duration string: \"1m1h\"".into())
        );
    }

    #[test]
    fn millis_round_then_truncate() {
        assert_eq!(seconds_to_millis(1.5), 1500);
        assert_eq!(seconds_to_millis(-300.0), -300_000);
        assert_eq!(seconds_to_millis(0.0004), 0);
        assert!(duration_out_of_range(f64::INFINITY));
        assert!(!duration_out_of_range(1e9));
    }

    #[test]
    fn format_like_model_duration() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(5_400_000), "1h30m");
        assert_eq!(format_duration(8 * 86_400_000), "8d");
        assert_eq!(format_duration(14 * 86_400_000), "2w");
        assert_eq!(format_duration(-300_000), "-5m");
        assert_eq!(format_duration(1500), "1s500ms");
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
    }
}
