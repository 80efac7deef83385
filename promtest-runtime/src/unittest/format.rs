//! Failure texts as promtool prints them: floats in Go's `%E` form, alert lists, indentation.

use crate::model::Labels;

/// A float as Go's `strconv.FormatFloat(v, 'E', -1, 64)`: `1E+00`, `1.5E-07`, `NaN`, `+Inf`.
pub fn float_e(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let e = format!("{v:E}");
    let (m, exp) = e.split_once('E').unwrap_or((e.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{m}E{sign}{:02}", exp.abs())
}

/// Prefixes every line but the first with `indent` (promtool's `indentLines`).
pub fn indent_lines(s: &str, indent: &str) -> String {
    s.split('\n')
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

/// An alert list as promtool's `labelsAndAnnotations.String()`.
pub fn alerts_string(alerts: &[(Labels, Labels)]) -> String {
    if alerts.is_empty() {
        return "[]".into();
    }
    let mut s = String::from("[");
    for (i, (l, a)) in alerts.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let one = format!("\nLabels:{l}\nAnnotations:{a}");
        s.push_str(&format!("\n{i}:{}", indent_lines(&one, "  ")));
    }
    s.push_str("\n]");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_format() {
        assert_eq!(float_e(1.0), "1E+00");
        assert_eq!(float_e(0.0), "0E+00");
        assert_eq!(float_e(1.5e-7), "1.5E-07");
        assert_eq!(float_e(-123456.0), "-1.23456E+05");
        assert_eq!(float_e(f64::NEG_INFINITY), "-Inf");
    }

    #[test]
    fn alert_list() {
        let l = Labels::from_pairs([("alertname", "T")]);
        assert_eq!(
            alerts_string(&[(l, Labels::empty())]),
            "[\n0:\n  Labels:{alertname=\"T\"}\n  Annotations:{}\n]"
        );
        assert_eq!(alerts_string(&[]), "[]");
    }
}
