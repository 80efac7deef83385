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
