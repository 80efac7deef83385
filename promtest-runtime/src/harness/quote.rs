//! Go's `%q` quoting and Prometheus's duration format, for messages that must read as upstream's.

use crate::model::labels::write_go_quoted;

/// `s` quoted as Go's `%q` / `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    // Writing into a String cannot fail.
    let _ = write_go_quoted(&mut out, s);
    out
}

/// Milliseconds as Prometheus's `model.Duration` prints them: `1h30m`, `10s`, `1d`, `0s`, `-5m`.
pub fn duration(ms: i64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    let sign = if ms < 0 { "-" } else { "" };
    let mut rest = ms.unsigned_abs();
    let units: [(&str, u64); 7] = [
        ("y", 365 * 24 * 3_600_000),
        ("w", 7 * 24 * 3_600_000),
        ("d", 24 * 3_600_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
        ("ms", 1),
    ];
    let mut out = String::from(sign);
    for (name, size) in units {
        if rest >= size {
            out.push_str(&format!("{}{name}", rest / size));
            rest %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_durations() {
        assert_eq!(go_quote("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(5_400_000), "1h30m");
        assert_eq!(duration(86_400_000), "1d");
        assert_eq!(duration(-300_000), "-5m");
        assert_eq!(duration(1500), "1s500ms");
    }
}
