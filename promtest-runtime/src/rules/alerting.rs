//! The alerting rule's state machine, as Prometheus's `AlertingRule.Eval`: pending alerts fire
//! after `for`, keep firing for `keep_firing_for`, resolved alerts are kept 15m; each evaluation
//! yields the `ALERTS` and `ALERTS_FOR_STATE` samples.

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Labels, Timestamp};
use crate::promql::value::VectorSample;

use super::file::RuleDef;
use super::template::{self, AlertTemplateData};
use crate::template::CompiledTemplate;

/// How long a resolved alert is kept (ms).
pub const RESOLVED_RETENTION: i64 = 15 * 60 * 1000;

/// An alert's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertState {
    /// Resolved.
    Inactive,
    /// Active, waiting for `for`.
    Pending,
    /// Firing.
    Firing,
}

impl AlertState {
    /// The `alertstate` label value.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Inactive => "inactive",
            AlertState::Pending => "pending",
            AlertState::Firing => "firing",
        }
    }
}

/// One alert of an alerting rule.
#[derive(Debug, Clone)]
pub struct Alert {
    /// Labels (expanded), with `alertname`.
    pub labels: Labels,
    /// Annotations (expanded).
    pub annotations: Labels,
    /// State.
    pub state: AlertState,
    /// When it became active (ms).
    pub active_at: Timestamp,
    /// When it was resolved (ms).
    pub resolved_at: Option<Timestamp>,
    /// Since when it keeps firing with no result (ms).
    pub keep_firing_since: Option<Timestamp>,
    /// The last value.
    pub value: f64,
}

/// Template context shared by a group's alerting rules.
#[derive(Debug, Clone, Default)]
pub struct AlertContext {
    /// External labels.
    pub external_labels: Labels,
    /// External URL.
    pub external_url: String,
}

/// The state of one alerting rule across evaluations.
#[derive(Debug, Clone, Default)]
pub struct AlertingState {
    active: HashMap<Labels, Alert>,
    /// The rule's label and annotation templates, parsed at the first evaluation.
    templates: Option<RuleTemplates>,
    /// The `ALERTS` and `ALERTS_FOR_STATE` label sets of an alert (by its labels and state),
    /// built once rather than at every evaluation.
    series_labels: HashMap<(Labels, AlertState), (Labels, Labels)>,
    /// The latest expansion of each template that depends only on the alert's labels and
    /// value (see [`CompiledTemplate::depends_only_on_data`]), by template (the rule's labels,
    /// then its annotations) and series: the value's bits and the text. An alert whose value
    /// does not change is not expanded again.
    expanded: HashMap<(usize, Labels), (u64, String)>,
}

/// An alerting rule's templates, parsed once, in the rule's label and annotation order.
#[derive(Debug, Clone)]
struct RuleTemplates {
    labels: Vec<CompiledTemplate>,
    annotations: Vec<CompiledTemplate>,
}

impl RuleTemplates {
    fn new(rule: &RuleDef) -> Self {
        let compile = |l: &crate::model::Label| template::compile(&rule.name, &l.value);
        RuleTemplates {
            labels: rule.labels.iter().map(compile).collect(),
            annotations: rule.annotations.iter().map(compile).collect(),
        }
    }
}

impl AlertingState {
    /// The alerts that are not inactive, in label order.
    pub fn active_alerts(&self) -> Vec<&Alert> {
        let mut v: Vec<&Alert> = self
            .active
            .values()
            .filter(|a| a.state != AlertState::Inactive)
            .collect();
        v.sort_by(|a, b| a.labels.cmp(&b.labels));
        v
    }

    /// One evaluation at `ts` given the query result `res` (taken at `ts - query_offset`); returns
    /// the `ALERTS`/`ALERTS_FOR_STATE` samples to write, or the rule's error.
    pub fn eval(
        &mut self,
        rule: &RuleDef,
        ctx: &AlertContext,
        res: Vec<VectorSample>,
        ts: Timestamp,
        limit: usize,
        query: &dyn crate::template::QueryFn,
    ) -> Result<Vec<(Labels, f64)>, String> {
        let mut fresh: HashMap<Labels, Alert> = HashMap::default();
        let templates = self
            .templates
            .get_or_insert_with(|| RuleTemplates::new(rule));
        for s in res {
            // Templates see the sample's labels, metric name included; the alert drops it.
            let series = s.metric.without_metric_name();
            let data = AlertTemplateData {
                labels: &s.metric,
                external_labels: &ctx.external_labels,
                external_url: &ctx.external_url,
                value: s.f,
                timestamp_ms: ts,
                query,
            };
            let mut pairs: Vec<(String, String)> = series
                .iter()
                .map(|l| (l.name.clone(), l.value.clone()))
                .collect();
            let mut expand = |k: usize, t: &CompiledTemplate| -> String {
                if !t.depends_only_on_data() {
                    return template::expand_compiled(t, &data);
                }
                let bits = s.f.to_bits();
                match self.expanded.get(&(k, s.metric.clone())) {
                    Some((b, text)) if *b == bits => text.clone(),
                    _ => {
                        let text = template::expand_compiled(t, &data);
                        self.expanded
                            .insert((k, s.metric.clone()), (bits, text.clone()));
                        text
                    }
                }
            };
            for (k, (l, t)) in rule.labels.iter().zip(&templates.labels).enumerate() {
                pairs.retain(|(n, _)| n != &l.name);
                pairs.push((l.name.clone(), expand(k, t)));
            }
            pairs.retain(|(n, _)| n != "alertname");
            pairs.push(("alertname".into(), rule.name.clone()));
            let labels = Labels::from_pairs(pairs);
            let annotations = Labels::from_pairs_keeping_empty(
                rule.annotations
                    .iter()
                    .zip(&templates.annotations)
                    .enumerate()
                    .map(|(k, (a, t))| (a.name.clone(), expand(templates.labels.len() + k, t))),
            );
            if fresh.contains_key(&labels) {
                return Err(
                    "vector contains metrics with the same labelset after applying alert labels"
                        .into(),
                );
            }
            fresh.insert(
                labels.clone(),
                Alert {
                    labels,
                    annotations,
                    state: AlertState::Pending,
                    active_at: ts,
                    resolved_at: None,
                    keep_firing_since: None,
                    value: s.f,
                },
            );
        }
        let returned: Vec<Labels> = fresh.keys().cloned().collect();
        for (k, a) in fresh {
            match self.active.get_mut(&k) {
                Some(old) if old.state != AlertState::Inactive => {
                    old.value = a.value;
                    old.annotations = a.annotations;
                }
                _ => {
                    self.active.insert(k, a);
                }
            }
        }
        let mut keys: Vec<Labels> = self.active.keys().cloned().collect();
        keys.sort();
        let mut out = Vec::new();
        let mut num_active = 0usize;
        for k in keys {
            let Some(a) = self.active.get_mut(&k) else {
                continue;
            };
            if !returned.contains(&k) {
                let mut keep_firing = false;
                if a.state == AlertState::Firing && rule.keep_firing_for > 0 {
                    let since = *a.keep_firing_since.get_or_insert(ts);
                    keep_firing = ts - since < rule.keep_firing_for;
                }
                let drop = a.state == AlertState::Pending
                    || a.resolved_at.is_some_and(|r| ts - r > RESOLVED_RETENTION);
                if a.state != AlertState::Inactive && !keep_firing {
                    a.state = AlertState::Inactive;
                    a.resolved_at = Some(ts);
                }
                if drop {
                    self.active.remove(&k);
                    if !keep_firing {
                        continue;
                    }
                }
                if !keep_firing {
                    continue;
                }
            } else {
                a.keep_firing_since = None;
            }
            let Some(a) = self.active.get_mut(&k) else {
                continue;
            };
            num_active += 1;
            if a.state == AlertState::Pending && ts - a.active_at >= rule.hold {
                a.state = AlertState::Firing;
            }
            if a.state == AlertState::Firing && ts - a.active_at < rule.hold {
                a.state = AlertState::Pending;
                a.keep_firing_since = None;
            }
            let (alerts, for_state) = self
                .series_labels
                .entry((a.labels.clone(), a.state))
                .or_insert_with(|| alert_series_labels(rule, &a.labels, a.state))
                .clone();
            out.push((alerts, 1.0));
            out.push((for_state, (a.active_at.div_euclid(1000)) as f64));
        }
        if limit > 0 && num_active > limit {
            self.active.clear();
            return Err(format!(
                "exceeded limit of {limit} with {num_active} alerts"
            ));
        }
        Ok(out)
    }
}

/// The labels of an alert's `ALERTS` sample (in state `state`) and of its `ALERTS_FOR_STATE`
/// sample: the rule's labels overridden by the alert's, then the name, `alertname` and state.
fn alert_series_labels(rule: &RuleDef, labels: &Labels, state: AlertState) -> (Labels, Labels) {
    let mut alerts = rule.labels.clone();
    let mut for_state = rule.labels.clone();
    for l in labels.iter() {
        alerts = alerts.with(&l.name, &l.value);
        for_state = for_state.with(&l.name, &l.value);
    }
    alerts = alerts
        .with("__name__", "ALERTS")
        .with("alertname", &rule.name)
        .with("alertstate", state.as_str());
    for_state = for_state
        .with("__name__", "ALERTS_FOR_STATE")
        .with("alertname", &rule.name);
    (alerts, for_state)
}
