//! Alert label and annotation templates: until the Go text/template module lands, a small
//! expander for the common forms (`{{ $labels.x }}`, `{{ $value }}`, `{{ $externalLabels.x }}`,
//! `{{ $externalURL }}` and their `.Labels`/`.Value`… spellings). Anything else expands to
//! Prometheus's `<error expanding template: …>` text, so a test that needs it fails visibly.

use crate::harness::format::float_g;
use crate::model::Labels;

/// What an alert template sees.
#[derive(Debug, Clone)]
pub struct AlertTemplateData<'a> {
    /// The alert's series labels (without `__name__`).
    pub labels: &'a Labels,
    /// External labels of the test group.
    pub external_labels: &'a Labels,
    /// External URL of the test group.
    pub external_url: &'a str,
    /// The sample value.
    pub value: f64,
}

/// Expands `text` for the alert `rule_name`; errors become Prometheus's
/// `<error expanding template: …>` text.
pub fn expand(rule_name: &str, text: &str, data: &AlertTemplateData<'_>) -> String {
    match try_expand(rule_name, text, data) {
        Ok(s) => s,
        Err(e) => format!("<error expanding template: {e}>"),
    }
}

fn try_expand(rule_name: &str, text: &str, data: &AlertTemplateData<'_>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let mut lit = &rest[..open];
        let mut inner = &rest[open + 2..];
        let close = inner
            .find("}}")
            .ok_or_else(|| format!("template: __alert_{rule_name}:1: unclosed action"))?;
        let mut after = &inner[close + 2..];
        inner = &inner[..close];
        if let Some(s) = inner.strip_prefix("- ") {
            lit = lit.trim_end();
            inner = s;
        }
        if let Some(s) = inner.strip_suffix(" -") {
            after = after.trim_start();
            inner = s;
        }
        out.push_str(lit);
        out.push_str(&action(rule_name, inner.trim(), data)?);
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

fn lookup(l: &Labels, name: &str) -> String {
    l.get(name).unwrap_or_default().to_string()
}

fn action(rule_name: &str, a: &str, d: &AlertTemplateData<'_>) -> Result<String, String> {
    if a.starts_with("/*") && a.ends_with("*/") {
        return Ok(String::new());
    }
    if let Some(n) = a.strip_prefix("$labels.").or(a.strip_prefix(".Labels.")) {
        return Ok(lookup(d.labels, n));
    }
    if let Some(n) = a
        .strip_prefix("$externalLabels.")
        .or(a.strip_prefix(".ExternalLabels."))
    {
        return Ok(lookup(d.external_labels, n));
    }
    match a {
        "$value" | ".Value" => Ok(float_g(d.value)),
        "$externalURL" | ".ExternalURL" => Ok(d.external_url.to_string()),
        "$labels" | ".Labels" => Ok(go_map(d.labels)),
        "$externalLabels" | ".ExternalLabels" => Ok(go_map(d.external_labels)),
        _ => Err(format!(
            "template: __alert_{rule_name}: unsupported by promtest: {{{{{a}}}}}"
        )),
    }
}

/// A label map printed as Go's `%v` of `map[string]string`: `map[a:1 b:2]`.
fn go_map(l: &Labels) -> String {
    let parts: Vec<String> = l
        .iter()
        .map(|x| format!("{}:{}", x.name, x.value))
        .collect();
    format!("map[{}]", parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_labels_and_value() {
        let l = Labels::from_pairs([("instance", "a:1"), ("job", "j")]);
        let ext = Labels::from_pairs([("dc", "eu")]);
        let d = AlertTemplateData {
            labels: &l,
            external_labels: &ext,
            external_url: "http://x",
            value: 1_000_000.0,
        };
        assert_eq!(
            expand("A", "{{ $labels.instance }} of {{$labels.job}} = {{ $value }} {{ $externalLabels.dc }} {{.ExternalURL}}", &d),
            "a:1 of j = 1e+06 eu http://x"
        );
        assert_eq!(expand("A", "x {{ $labels.nope }}.", &d), "x .");
        assert_eq!(expand("A", "a  {{- $labels.job -}}  b", &d), "ajb");
        assert!(expand("A", "{{ humanize $value }}", &d).starts_with("<error expanding template: "));
    }
}
