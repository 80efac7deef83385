//! Times as promtool prints and reads them: Go's `time.Duration.String()` and
//! `start_timestamp` values (RFC 3339 or Unix seconds).

/// Formats milliseconds as Go's `time.Duration.String()`: `0s`, `1m0s`, `1h5m0s`, `1.5s`, `500ms`.
pub fn go_duration(ms: i64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    let neg = ms < 0;
    let mut u = ms.unsigned_abs();
    let sign = if neg { "-" } else { "" };
    if u < 1000 {
        return format!("{sign}{u}ms");
    }
    let frac = u % 1000;
    u /= 1000;
    let secs = u % 60;
    u /= 60;
    let mut s = if frac == 0 {
        format!("{secs}s")
    } else {
        let f = format!("{frac:03}");
        format!("{secs}.{}s", f.trim_end_matches('0'))
    };
    if u > 0 {
        let mins = u % 60;
        let hours = u / 60;
        s = format!("{mins}m{s}");
        if hours > 0 {
            s = format!("{hours}h{s}");
        }
    }
    format!("{sign}{s}")
}

/// Parses promtool's time argument: Unix seconds (with fraction) or RFC 3339. Returns ms.
pub fn parse_time(s: &str) -> Result<i64, String> {
    if let Ok(f) = s.parse::<f64>() {
        if f.is_finite() {
            return Ok((f * 1000.0).round() as i64);
        }
    }
    rfc3339(s).ok_or_else(|| format!("cannot parse {s:?} to a valid timestamp"))
}

fn rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut i = 19;
    let mut ms = 0i64;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits = &s[start..i];
        let padded: String = digits.chars().chain("000".chars()).take(3).collect();
        ms = padded.parse().ok()?;
    }
    let offset = match &s[i..] {
        "Z" | "z" => 0,
        tz if tz.len() == 6 && matches!(&tz[..1], "+" | "-") => {
            let oh: i64 = tz[1..3].parse().ok()?;
            let om: i64 = tz[4..6].parse().ok()?;
            let o = (oh * 60 + om) * 60_000;
            if &tz[..1] == "-" {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + h) * 60 + mi) * 60_000 + se * 1000 + ms - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_duration(300_000), "5m0s");
        assert_eq!(go_duration(3_900_000), "1h5m0s");
        assert_eq!(go_duration(1_500), "1.5s");
        assert_eq!(go_duration(250), "250ms");
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("1700000000").unwrap(), 1_700_000_000_000);
        assert_eq!(parse_time("1970-01-01T00:01:00Z").unwrap(), 60_000);
        assert_eq!(
            parse_time("2023-11-14T22:13:20.5Z").unwrap(),
            1_700_000_000_500
        );
        assert_eq!(parse_time("1970-01-01T01:00:00+01:00").unwrap(), 0);
        assert!(parse_time("yesterday").is_err());
    }
}
