//! Failure texts as promtool prints them: alert lists, indentation (floats in Go's `%E` form
//! are [`crate::literals::float::format_e_upper`]).

use crate::model::Labels;

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
    fn alert_list() {
        let l = Labels::from_pairs([("alertname", "T")]);
        assert_eq!(
            alerts_string(&[(l, Labels::empty())]),
            "[\n0:\n  Labels:{alertname=\"T\"}\n  Annotations:{}\n]"
        );
        assert_eq!(alerts_string(&[]), "[]");
    }
}
