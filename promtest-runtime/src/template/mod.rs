//! Go `text/template` for alerting-rule labels and annotations, with Prometheus's function
//! map and `$labels`/`$value`/`$externalLabels`/`$externalURL` prelude.
//!
//! The pipeline is [`lexer`] → [`parser`] (trees of [`ast`] nodes) → [`exec`] over [`value`]s,
//! with Go's `fmt` formatting in [`printf`], Go's builtins in [`builtins`] and Prometheus's
//! functions in [`prom_funcs`]. Texts of results and errors follow Go and Prometheus.

pub mod ast;
pub mod builtins;
pub mod exec;
mod fmt_float;
mod fmt_value;
pub mod functions;
pub mod humanize;
pub mod lexer;
pub mod literal;
pub mod parser;
pub mod printf;
pub mod prom_funcs;
pub mod timefmt;
pub mod value;

#[cfg(test)]
mod depth_tests;
#[cfg(test)]
mod printf_reference_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::Labels;

pub use value::{StructValue, Value};

/// One sample returned by a template's `query` call.
#[derive(Clone, Debug, PartialEq)]
pub struct QuerySample {
    /// The series' labels.
    pub labels: Labels,
    /// The float value.
    pub value: f64,
}

/// Runs a PromQL instant query for the template function `query` (at the alert's evaluation
/// time, which the caller knows); errors are reported as `error calling query: <msg>`.
pub trait QueryFn: Fn(&str) -> Result<Vec<QuerySample>, String> {}

impl<F: Fn(&str) -> Result<Vec<QuerySample>, String>> QueryFn for F {}

/// What an alerting rule's templates see.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TemplateData {
    /// The alert's labels (`$labels`, `.Labels`).
    pub labels: Labels,
    /// The alert's value (`$value`, `.Value`).
    pub value: f64,
    /// The configured external labels (`$externalLabels`).
    pub external_labels: Labels,
    /// The external URL (`$externalURL`, `externalURL`, `pathPrefix`).
    pub external_url: String,
    /// Evaluation time in milliseconds since the epoch (`now`).
    pub timestamp_ms: i64,
}

/// Go's spelling of the alert data type, as Prometheus's `AlertTemplateData` declares it.
pub const ALERT_DATA_TYPE: &str =
    "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }";

/// The variables Prometheus defines before every alert template.
pub const ALERT_PRELUDE: &str =
    "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}";

fn labels_value(l: &Labels) -> Value {
    let m: BTreeMap<String, String> = l
        .iter()
        .map(|l| (l.name.clone(), l.value.clone()))
        .collect();
    Value::StrMap(Arc::new(m))
}

impl TemplateData {
    /// The data as the template's dot: Prometheus's alert data struct.
    pub fn to_value(&self) -> Value {
        Value::Struct(Arc::new(StructValue {
            type_name: ALERT_DATA_TYPE.to_string(),
            fields: vec![
                ("Labels".into(), labels_value(&self.labels)),
                ("ExternalLabels".into(), labels_value(&self.external_labels)),
                (
                    "ExternalURL".into(),
                    Value::String(self.external_url.clone()),
                ),
                ("Value".into(), Value::Float(self.value)),
            ],
        }))
    }
}

/// A template expansion as Prometheus's `Expander.Expand` does it (text mode, `missingkey=zero`).
#[cfg(test)]
pub struct Expander<'a> {
    /// The template's name (in errors).
    pub name: &'a str,
    /// The template text.
    pub text: &'a str,
    /// The dot.
    pub data: Value,
    /// Evaluation time in milliseconds (`now`).
    pub timestamp_ms: i64,
    /// The external URL (`externalURL`, `pathPrefix`).
    pub external_url: &'a str,
    /// Runs `query`.
    pub query: &'a dyn QueryFn,
}

#[cfg(test)]
impl Expander<'_> {
    /// Parses and executes; errors read `error parsing template <name>: ...` or
    /// `error executing template <name>: ...` as in Prometheus.
    pub fn expand(&self) -> Result<String, String> {
        CompiledTemplate::new(self.name, self.text).execute(
            self.data.clone(),
            self.timestamp_ms,
            self.external_url,
            self.query,
        )
    }
}

/// A template parsed once, to be executed many times: an alerting rule expands the same label
/// and annotation templates at every evaluation, and parsing dominated that before.
#[derive(Debug, Clone)]
pub struct CompiledTemplate {
    name: String,
    text: String,
    parsed: Parsed,
}

#[derive(Debug, Clone)]
enum Parsed {
    /// No action at all: the output is this text, whatever the data.
    Literal(String),
    /// Shared: a rule's templates are cloned with it, and a deep tree is not copied.
    Set(Arc<parser::TemplateSet>),
    Error(String),
}

impl CompiledTemplate {
    /// Parses `text` as template `name`.
    pub fn new(name: &str, text: &str) -> Self {
        let parsed = if !text.contains("{{") {
            Parsed::Literal(text.to_string())
        } else {
            let mut set = parser::TemplateSet::default();
            match parser::parse(name, text, &|f| functions::lookup(f).is_some(), &mut set) {
                Ok(()) => Parsed::Set(Arc::new(set)),
                Err(e) => Parsed::Error(format!("error parsing template {name}: {e}")),
            }
        };
        CompiledTemplate {
            name: name.to_string(),
            text: text.to_string(),
            parsed,
        }
    }

    /// An alerting rule's label or annotation template: Prometheus's
    /// `$labels`/`$externalLabels`/`$externalURL`/`$value` prelude, then `text`.
    pub fn alert(name: &str, text: &str) -> Self {
        let mut t = CompiledTemplate::new(name, &format!("{ALERT_PRELUDE}{text}"));
        if !text.contains("{{") {
            // The prelude only defines variables and prints nothing.
            t.parsed = Parsed::Literal(text.to_string());
        }
        t
    }

    /// Executes against `data` (the dot); parse errors are reported here, as Prometheus reports
    /// them at expansion.
    pub fn execute(
        &self,
        data: Value,
        timestamp_ms: i64,
        external_url: &str,
        query: &dyn QueryFn,
    ) -> Result<String, String> {
        let set = match &self.parsed {
            Parsed::Literal(out) => return Ok(out.clone()),
            Parsed::Error(e) => return Err(e.clone()),
            Parsed::Set(set) => set,
        };
        let ctx = functions::CallCtx {
            query,
            now_ms: timestamp_ms,
            external_url,
        };
        exec::Executor::new(set, &self.name, &self.text, &ctx)
            .run(&self.name, data)
            .map_err(|e| format!("error executing template {}: {e}", self.name))
    }

    /// [`CompiledTemplate::execute_alert`], with a failure turned into the text Prometheus puts
    /// in the label or annotation: `<error expanding template: ...>`.
    pub fn execute_alert_or_error(&self, data: &TemplateData, query: &dyn QueryFn) -> String {
        self.execute_alert(data, query)
            .unwrap_or_else(|e| format!("<error expanding template: {e}>"))
    }

    /// Whether the output depends on nothing but the data's labels, value, external labels
    /// and URL: the text names neither `query` (which reads the store) nor `now` (the
    /// evaluation time). Conservative: a text that merely mentions either word is impure.
    pub fn depends_only_on_data(&self) -> bool {
        !self.text.contains("query") && !self.text.contains("now")
    }

    /// Executes with alert data (see [`TemplateData`]).
    pub fn execute_alert(
        &self,
        data: &TemplateData,
        query: &dyn QueryFn,
    ) -> Result<String, String> {
        if let Parsed::Literal(out) = &self.parsed {
            return Ok(out.clone());
        }
        self.execute(
            data.to_value(),
            data.timestamp_ms,
            &data.external_url,
            query,
        )
    }
}

/// Parses an alerting rule's label or annotation template as rule files are validated
/// (rulefmt's `testTemplateParsing`): the prelude, then `text`, as template `name`; the error
/// is Go's parse error (`template: <name>:<line>: …`).
pub fn parse_alert_template(name: &str, text: &str) -> Result<(), String> {
    let mut set = parser::TemplateSet::default();
    parser::parse(
        name,
        &format!("{ALERT_PRELUDE}{text}"),
        &|f| functions::lookup(f).is_some(),
        &mut set,
    )
}

/// Expands an alerting rule's label or annotation template `text` as Prometheus does: the
/// `$labels`/`$externalLabels`/`$externalURL`/`$value` prelude, then the text, against the
/// alert data. `name` is the template name Prometheus uses (`__alert_<rule name>`).
#[cfg(test)]
pub fn expand(
    name: &str,
    text: &str,
    data: &TemplateData,
    query: &dyn QueryFn,
) -> Result<String, String> {
    CompiledTemplate::alert(name, text).execute_alert(data, query)
}

/// [`expand`], with failures turned into the text Prometheus puts in the label or annotation:
/// `<error expanding template: ...>`.
#[cfg(test)]
pub fn expand_or_error(name: &str, text: &str, data: &TemplateData, query: &dyn QueryFn) -> String {
    CompiledTemplate::alert(name, text).execute_alert_or_error(data, query)
}
