//! Failure texts as promtool prints them: floats in Go's `%E` form, alert lists, indentation.

use crate::model::Labels;

pub use crate::literals::float::format_e_upper as float_e;

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
