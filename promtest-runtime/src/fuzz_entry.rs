//! Entry points for the fuzz targets in `fuzz/` into parsers that are not public API: each
//! takes untrusted text and may return errors, never panic. Not part of the API.

/// Parses `src` as a promtool rule-test file (strict fields, as `promtool test rules` reads
/// it); the error is promtool's text.
pub fn rule_test_yaml(src: &str) -> Result<(), String> {
    let root = crate::rules::yaml::parse(src).map_err(|e| e.to_string())?;
    crate::unittest::file::test_file(root.as_ref()).map(|_| ())
}

/// Parses and validates `src` as a rule file, as `promtool check rules` does.
pub fn rule_file_yaml(src: &str) -> Result<(), Vec<String>> {
    crate::rules::file::parse_rule_file("fuzz.yml", src, false).map(|_| ())
}

/// Parses `text` as an alerting rule's template (with the `$labels`/`$value` prelude) and
/// executes it with `labels` and `value`; a `query` call gets `labels` and `value` back as
/// its one sample. Returns the expansion or the error Prometheus would put in its place.
pub fn template(text: &str, labels: &[(String, String)], value: f64) -> String {
    use crate::template::{CompiledTemplate, QuerySample, TemplateData};
    let _ = crate::template::parse_alert_template("__alert_fuzz", text);
    let labels = crate::model::Labels::from_pairs(labels.iter().cloned());
    let data = TemplateData {
        labels: labels.clone(),
        value,
        external_labels: crate::model::Labels::from_pairs([("cluster", "fuzz")]),
        external_url: "http://fuzz.example".into(),
        timestamp_ms: 1_700_000_000_000,
    };
    let query = move |_q: &str| {
        Ok(vec![QuerySample {
            labels: labels.clone(),
            value,
        }])
    };
    CompiledTemplate::alert("__alert_fuzz", text).execute_alert_or_error(&data, &query)
}
