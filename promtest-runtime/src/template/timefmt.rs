//! Go's `time` formatting in UTC: `Time.Format` layouts, `Time.String`, `Duration.String`.

const NANOS_PER_SEC: i128 = 1_000_000_000;
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// A UTC instant broken into calendar fields.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    yday: u32,
    weekday: usize,
    hour: u32,
    min: u32,
    sec: u32,
    nanos: u32,
}

fn civil(ns: i128) -> Civil {
    let secs = ns.div_euclid(NANOS_PER_SEC) as i64;
    let nanos = ns.rem_euclid(NANOS_PER_SEC) as u32;
    let d = crate::model::go_time::unix_date(secs);
    Civil {
        year: d.year,
        month: d.month,
        day: d.day,
        yday: d.year_day,
        weekday: d.weekday as usize,
        hour: d.hour,
        min: d.minute,
        sec: d.second,
        nanos,
    }
}

/// Formats a UTC time (nanoseconds since the epoch) with a Go reference layout.
pub fn format_time(ns: i128, layout: &str) -> String {
    let c = civil(ns);
    let b = layout.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let rest = |i: usize| &layout[i..];
    while i < b.len() {
        let r = rest(i);
        let (text, len): (String, usize) = if r.starts_with("January") {
            (MONTHS[c.month as usize - 1].into(), 7)
        } else if r.starts_with("Jan") {
            (MONTHS[c.month as usize - 1][..3].into(), 3)
        } else if r.starts_with("Monday") {
            (DAYS[c.weekday].into(), 6)
        } else if r.starts_with("Mon") {
            (DAYS[c.weekday][..3].into(), 3)
        } else if r.starts_with("MST") {
            ("UTC".into(), 3)
        } else if r.starts_with("2006") {
            (format!("{:04}", c.year), 4)
        } else if r.starts_with("002") {
            (format!("{:03}", c.yday), 3)
        } else if r.starts_with("01") {
            (format!("{:02}", c.month), 2)
        } else if r.starts_with("02") {
            (format!("{:02}", c.day), 2)
        } else if r.starts_with("03") {
            (format!("{:02}", hour12(c.hour)), 2)
        } else if r.starts_with("04") {
            (format!("{:02}", c.min), 2)
        } else if r.starts_with("05") {
            (format!("{:02}", c.sec), 2)
        } else if r.starts_with("06") {
            (format!("{:02}", c.year.rem_euclid(100)), 2)
        } else if r.starts_with("15") {
            (format!("{:02}", c.hour), 2)
        } else if r.starts_with("__2") {
            (format!("{:>3}", c.yday), 3)
        } else if r.starts_with("_2") && !r.starts_with("_2006") {
            (format!("{:>2}", c.day), 2)
        } else if r.starts_with('1') {
            (c.month.to_string(), 1)
        } else if r.starts_with('2') {
            (c.day.to_string(), 1)
        } else if r.starts_with('3') {
            (hour12(c.hour).to_string(), 1)
        } else if r.starts_with('4') {
            (c.min.to_string(), 1)
        } else if r.starts_with('5') {
            (c.sec.to_string(), 1)
        } else if r.starts_with("PM") {
            (if c.hour >= 12 { "PM" } else { "AM" }.into(), 2)
        } else if r.starts_with("pm") {
            (if c.hour >= 12 { "pm" } else { "am" }.into(), 2)
        } else if let Some((t, l)) = zone(r) {
            (t.into(), l)
        } else if let Some((t, l)) = fraction(r, c.nanos) {
            (t, l)
        } else {
            let ch = r.chars().next().unwrap_or(' ');
            (ch.to_string(), ch.len_utf8())
        };
        out.push_str(&text);
        i += len;
    }
    out
}

fn hour12(h: u32) -> u32 {
    match h % 12 {
        0 => 12,
        x => x,
    }
}

fn zone(r: &str) -> Option<(&'static str, usize)> {
    const NUMERIC: [(&str, &str); 5] = [
        ("-07:00:00", "+00:00:00"),
        ("-070000", "+000000"),
        ("-07:00", "+00:00"),
        ("-0700", "+0000"),
        ("-07", "+00"),
    ];
    for (pat, text) in NUMERIC {
        if r.starts_with(pat) {
            return Some((text, pat.len()));
        }
    }
    for pat in ["Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07"] {
        if r.starts_with(pat) {
            return Some(("Z", pat.len()));
        }
    }
    None
}

fn fraction(r: &str, nanos: u32) -> Option<(String, usize)> {
    let b = r.as_bytes();
    if b.len() < 2 || !(b[0] == b'.' || b[0] == b',') || !(b[1] == b'0' || b[1] == b'9') {
        return None;
    }
    let d = b[1];
    let n = b[1..].iter().take_while(|c| **c == d).count();
    if b.get(1 + n).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let digits = format!("{nanos:09}");
    let mut frac = digits[..n.min(9)].to_string();
    if d == b'9' {
        while frac.ends_with('0') {
            frac.pop();
        }
        if frac.is_empty() {
            return Some((String::new(), 1 + n));
        }
    }
    Some((format!("{}{frac}", b[0] as char), 1 + n))
}

/// Go's `Time.String()` for a UTC time: `2006-01-02 15:04:05.999999999 -0700 MST`.
pub fn time_string(ns: i128) -> String {
    format_time(ns, "2006-01-02 15:04:05.999999999 -0700 MST")
}

/// Go's `Duration.String()`, e.g. `1h2m3.5s`, `1.5ms`, `0s`.
pub fn duration_string(d: i64) -> String {
    if d == 0 {
        return "0s".into();
    }
    let sign = if d < 0 { "-" } else { "" };
    let u = d.unsigned_abs();
    let frac = |v: u64, prec: u32| -> String {
        let p = 10u64.pow(prec);
        let whole = v / p;
        let mut f = format!("{:0width$}", v % p, width = prec as usize);
        while f.ends_with('0') {
            f.pop();
        }
        if f.is_empty() {
            whole.to_string()
        } else {
            format!("{whole}.{f}")
        }
    };
    if u < 1_000_000_000 {
        return if u < 1_000 {
            format!("{sign}{u}ns")
        } else if u < 1_000_000 {
            format!("{sign}{}µs", frac(u, 3))
        } else {
            format!("{sign}{}ms", frac(u, 6))
        };
    }
    let secs = frac(u % 60_000_000_000, 9);
    let total_min = u / 60_000_000_000;
    let mut out = String::from(sign);
    if total_min >= 60 {
        out.push_str(&format!("{}h", total_min / 60));
    }
    if total_min > 0 {
        out.push_str(&format!("{}m", total_min % 60));
    }
    out.push_str(&format!("{secs}s"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_string_layout() {
        assert_eq!(time_string(0), "1970-01-01 00:00:00 +0000 UTC");
        assert_eq!(time_string(-1_000_000_000), "1969-12-31 23:59:59 +0000 UTC");
        assert_eq!(
            time_string(1_435_065_584_128_000_000),
            "2015-06-23 13:19:44.128 +0000 UTC"
        );
    }

    #[test]
    fn format_layouts() {
        let t = 1_353_755_652_000_000_000;
        assert_eq!(
            format_time(t, "Mon Jan 2 15:04:05 2006"),
            "Sat Nov 24 11:14:12 2012"
        );
        assert_eq!(
            format_time(t, "2006-01-02T15:04:05Z07:00"),
            "2012-11-24T11:14:12Z"
        );
        assert_eq!(
            format_time(t, "3:04PM Monday January _2 06"),
            "11:14AM Saturday November 24 12"
        );
        assert_eq!(format_time(t + 5_000_000, "05.000 05.999"), "12.005 12.005");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_string(1_800_000_000_000), "30m0s");
        assert_eq!(duration_string(3_723_500_000_000), "1h2m3.5s");
        assert_eq!(duration_string(1_500_000), "1.5ms");
        assert_eq!(duration_string(-2_000), "-2µs");
        assert_eq!(duration_string(0), "0s");
    }
}
