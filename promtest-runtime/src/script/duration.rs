//! Prometheus durations as `model.ParseDuration` reads them: `1h30m`, `5m`, `100ms`, `0`.

/// Nanoseconds per unit and the unit's rank (units must appear from biggest to smallest).
const UNITS: [(&str, u64, u8); 7] = [
    ("y", 365 * 24 * 3_600_000_000_000, 1),
    ("w", 7 * 24 * 3_600_000_000_000, 2),
    ("d", 24 * 3_600_000_000_000, 3),
    ("h", 3_600_000_000_000, 4),
    ("m", 60_000_000_000, 5),
    ("s", 1_000_000_000, 6),
    ("ms", 1_000_000, 7),
];

/// Parses a Prometheus duration into milliseconds.
///
/// Accepts exactly what `model.ParseDuration` accepts: `0`, or one or more
/// `<digits><unit>` groups with units `y w d h m s ms` in decreasing order.
/// Errors carry Prometheus's wording (`not a valid duration string: "x"`).
pub fn parse_duration(s: &str) -> Result<i64, String> {
    match s {
        "0" => return Ok(0),
        "" => return Err("empty duration string".to_string()),
        _ => {}
    }
    let invalid = || format!("not a valid duration string: {s:?}");
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut total: u64 = 0;
    let mut last_rank = 0u8;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(invalid());
        }
        let v: u64 = s[start..i].parse().map_err(|_| invalid())?;
        let ustart = i;
        while i < bytes.len() && !bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == ustart {
            return Err(invalid());
        }
        let unit = &s[ustart..i];
        let Some(&(_, mult, rank)) = UNITS.iter().find(|(u, _, _)| *u == unit) else {
            return Err(format!("unknown unit {unit:?} in duration {s:?}"));
        };
        if rank <= last_rank {
            return Err(invalid());
        }
        last_rank = rank;
        if v > (1u64 << 63) / mult {
            return Err("duration out of range".to_string());
        }
        total = total
            .checked_add(v * mult)
            .filter(|t| *t <= i64::MAX as u64)
            .ok_or_else(|| "duration out of range".to_string())?;
    }
    Ok((total / 1_000_000) as i64)
}

/// Formats milliseconds as Prometheus's `model.Duration.String()` does: `1h30m`,
/// `90d` (years and weeks only when exact), `0s`; negative durations get a `-`.
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
            out.push_str(&format!("{v}{unit}"));
            rest -= v * mult;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_units_in_order() {
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("5m"), Ok(300_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("100ms"), Ok(100));
        assert_eq!(parse_duration("1d2h"), Ok(93_600_000));
        assert_eq!(parse_duration("1y"), Ok(31_536_000_000));
        assert_eq!(parse_duration("2w"), Ok(1_209_600_000));
        assert_eq!(parse_duration("1m0s"), Ok(60_000));
    }

    #[test]
    fn formats_like_prometheus() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(5_400_000), "1h30m");
        assert_eq!(format_duration(90 * 86_400_000), "90d");
        assert_eq!(format_duration(14 * 86_400_000), "2w");
        assert_eq!(format_duration(31_536_000_000), "1y");
        assert_eq!(format_duration(61_001), "1m1s1ms");
        assert_eq!(format_duration(-60_000), "-1m");
        for s in ["1h30m", "5m", "100ms", "2w", "1y", "1d2h3m4s5ms"] {
            assert_eq!(format_duration(parse_duration(s).unwrap()), s);
        }
    }

    #[test]
    fn rejects_what_prometheus_rejects() {
        assert_eq!(parse_duration(""), Err("empty duration string".to_string()));
        assert_eq!(
            parse_duration("10"),
            Err(r#"not a valid duration string: "10""#.to_string())
        );
        assert_eq!(
            parse_duration("30s1m"),
            Err(r#"not a valid duration string: "30s1m""#.to_string())
        );
        assert_eq!(
            parse_duration("5q"),
            Err(r#"unknown unit "q" in duration "5q""#.to_string())
        );
        assert!(parse_duration("-5m").is_err());
        assert!(parse_duration("1.5h").is_err());
        assert!(parse_duration("00").is_err());
        assert_eq!(
            parse_duration("999999999y"),
            Err("duration out of range".to_string())
        );
    }
}
