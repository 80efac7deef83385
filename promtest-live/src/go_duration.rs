//! Go's `time.Duration` text: `time.ParseDuration` (`5m`, `1h30m`, `1.5s`, `300ms`) for flags,
//! and `Duration.String()` (`5m0s`, `168h0m0s`, `20s`) for `--help` defaults and log lines.

use std::time::Duration;

const UNITS: &[(&str, u128)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("\u{b5}s", 1_000),
    ("\u{3bc}s", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// Go's `time.ParseDuration`, for non-negative durations (a flag of ours never takes a negative
/// one). Errors are worded as Go's: `time: invalid duration "x"`.
pub fn parse(text: &str) -> Result<Duration, String> {
    let invalid = || format!("time: invalid duration {:?}", text);
    let mut s = text;
    let negative = s.starts_with('-');
    if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('+')) {
        s = rest;
    }
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u128 = 0;
    while !s.is_empty() {
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, rest) = s.split_at(int_len);
        let mut rest = rest;
        let mut frac_part = "";
        if let Some(after_dot) = rest.strip_prefix('.') {
            let frac_len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
            frac_part = &after_dot[..frac_len];
            rest = &after_dot[frac_len..];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = rest
            .char_indices()
            .find(|&(_, c)| c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        let unit = &rest[..unit_len];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {:?}", text));
        }
        let scale = UNITS
            .iter()
            .find(|(name, _)| *name == unit)
            .map(|&(_, n)| n)
            .ok_or_else(|| format!("time: unknown unit {:?} in duration {:?}", unit, text))?;
        let whole: u128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| invalid())?
        };
        let mut value = whole.checked_mul(scale).ok_or_else(invalid)?;
        // The fraction, truncated to whole nanoseconds as Go does.
        let mut frac_scale = scale;
        for digit in frac_part.bytes() {
            frac_scale /= 10;
            value += u128::from(digit - b'0') * frac_scale;
            if frac_scale == 0 {
                break;
            }
        }
        total = total.checked_add(value).ok_or_else(invalid)?;
        if total > i64::MAX as u128 {
            return Err(invalid());
        }
        s = &rest[unit_len..];
    }
    if negative && total != 0 {
        return Err(format!("{}: negative durations are not allowed", invalid()));
    }
    Ok(Duration::from_nanos(total as u64))
}

/// Go's `Duration.String()`: `0s`, `1.5ms`, `20s`, `5m0s`, `168h0m0s`.
pub fn format(d: Duration) -> String {
    let mut u = d.as_nanos().min(i64::MAX as u128) as u64;
    if u == 0 {
        return "0s".to_string();
    }
    if u < 1_000_000_000 {
        let (prec, unit) = if u < 1_000 {
            (0, "ns")
        } else if u < 1_000_000 {
            (3, "\u{b5}s")
        } else {
            (6, "ms")
        };
        let (frac, int) = fraction(u, prec);
        return format!("{int}{frac}{unit}");
    }
    let (frac, secs) = fraction(u, 9);
    u = secs;
    let mut out = format!("{}{frac}s", u % 60);
    u /= 60;
    if u > 0 {
        out = format!("{}m{out}", u % 60);
        u /= 60;
        if u > 0 {
            out = format!("{u}h{out}");
        }
    }
    out
}

/// The `prec` low decimal digits of `v` as `.ddd` without trailing zeros (empty when all are
/// zero), and `v` with them removed.
fn fraction(mut v: u64, prec: u32) -> (String, u64) {
    let mut digits = Vec::new();
    let mut printed = false;
    for _ in 0..prec {
        let digit = v % 10;
        printed = printed || digit != 0;
        if printed {
            digits.push(b'0' + digit as u8);
        }
        v /= 10;
    }
    if digits.is_empty() {
        return (String::new(), v);
    }
    digits.reverse();
    (
        format!(".{}", String::from_utf8(digits).unwrap_or_default()),
        v,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_durations() {
        let ms = |t| parse(t).map(|d| d.as_millis());
        assert_eq!(ms("5m"), Ok(300_000));
        assert_eq!(ms("1h30m"), Ok(5_400_000));
        assert_eq!(ms("1.5s"), Ok(1_500));
        assert_eq!(ms("300ms"), Ok(300));
        assert_eq!(ms("0"), Ok(0));
        assert_eq!(ms("168h"), Ok(604_800_000));
        assert_eq!(parse("2us").unwrap().as_nanos(), 2_000);
        assert_eq!(parse("2\u{b5}s").unwrap().as_nanos(), 2_000);
        assert_eq!(parse(".5s").unwrap().as_millis(), 500);
        assert_eq!(
            parse("1").unwrap_err(),
            "time: missing unit in duration \"1\""
        );
        assert_eq!(
            parse("1d").unwrap_err(),
            "time: unknown unit \"d\" in duration \"1d\""
        );
        assert_eq!(parse("").unwrap_err(), "time: invalid duration \"\"");
        assert_eq!(parse("m").unwrap_err(), "time: invalid duration \"m\"");
        assert!(parse("-5s").is_err());
        assert!(parse("999999999999h").is_err());
    }

    #[test]
    fn formats_as_go() {
        let f = |ms| format(Duration::from_millis(ms));
        assert_eq!(f(0), "0s");
        assert_eq!(f(20_000), "20s");
        assert_eq!(f(300_000), "5m0s");
        assert_eq!(f(604_800_000), "168h0m0s");
        assert_eq!(f(5_400_000), "1h30m0s");
        assert_eq!(f(1_500), "1.5s");
        assert_eq!(f(1), "1ms");
        assert_eq!(format(Duration::from_micros(1_500)), "1.5ms");
        assert_eq!(format(Duration::from_nanos(1_500)), "1.5\u{b5}s");
        assert_eq!(format(Duration::from_nanos(15)), "15ns");
        assert_eq!(f(100_000), "1m40s");
    }
}
