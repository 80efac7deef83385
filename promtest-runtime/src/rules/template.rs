//! Alert label and annotation templates, expanded with the Go text/template engine
//! ([`crate::template`]) as Prometheus's `AlertingRule.Eval` does: template name
//! `__alert_<rule>`, the `$labels`/`$value`/`$externalLabels`/`$externalURL` prelude, `query`
//! run at the evaluation time, failures as `<error expanding template: …>`.

use crate::model::Labels;
use crate::template::{CompiledTemplate, QueryFn, TemplateData};

/// What an alert template sees.
pub struct AlertTemplateData<'a> {
    /// The alert's series labels, `__name__` included (Prometheus's `smpl.Metric.Map()`).
    pub labels: &'a Labels,
    /// External labels of the test group.
    pub external_labels: &'a Labels,
    /// External URL of the test group.
    pub external_url: &'a str,
    /// The sample value.
    pub value: f64,
    /// Evaluation time (ms).
    pub timestamp_ms: i64,
    /// Runs the template function `query`.
    pub query: &'a dyn QueryFn,
}

/// Parses `text` once as a template of the alert `rule_name` (template name `__alert_<rule>`).
pub fn compile(rule_name: &str, text: &str) -> CompiledTemplate {
    CompiledTemplate::alert(&format!("__alert_{rule_name}"), text)
}

/// Expands a template made by [`compile`]; errors become Prometheus's
/// `<error expanding template: …>` text.
pub fn expand_compiled(t: &CompiledTemplate, data: &AlertTemplateData<'_>) -> String {
    let d = TemplateData {
        labels: data.labels.clone(),
        value: data.value,
        external_labels: data.external_labels.clone(),
        external_url: data.external_url.to_string(),
        timestamp_ms: data.timestamp_ms,
    };
    t.execute_alert_or_error(&d, data.query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_labels_value_and_functions() {
        let l = Labels::from_pairs([("instance", "a:1"), ("job", "j")]);
        let ext = Labels::from_pairs([("dc", "eu")]);
        let q = |_: &str| -> Result<Vec<crate::template::QuerySample>, String> { Ok(Vec::new()) };
        let d = AlertTemplateData {
            labels: &l,
            external_labels: &ext,
            external_url: "http://x",
            value: 1_000_000.0,
            timestamp_ms: 0,
            query: &q,
        };
        let expand = |name: &str, text: &str, d: &AlertTemplateData<'_>| {
            expand_compiled(&compile(name, text), d)
        };
        assert_eq!(
            expand("A", "{{ $labels.instance }} of {{$labels.job}} = {{ $value }} {{ $externalLabels.dc }} {{$externalURL}}", &d),
            "a:1 of j = 1e+06 eu http://x"
        );
        assert_eq!(expand("A", "x {{ $labels.nope }}.", &d), "x .");
        assert_eq!(expand("A", "{{ humanize $value }}", &d), "1M");
        assert!(expand("A", "{{ nope }}", &d).starts_with("<error expanding template: "));
    }
}
