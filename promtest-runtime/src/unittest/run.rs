//! Runs one test group as promtool does: a fresh store, input series revealed tick by tick,
//! rule groups evaluated every `evaluation_interval`, alert cases checked at the latest tick
//! not after their `eval_time`, expression cases after the loop.

use super::engine_options_for;
use crate::harness::format::histogram_test_expression;
use crate::model::Labels;
use crate::promql::engine::errors::go_quote;
use crate::promql::engine::Engine;
use crate::rules::dependencies::rule_by_rule_safe;
use crate::rules::group::query_vector;
use crate::rules::{AlertContext, GroupState, RuleGroup};
use crate::script::{
    duplicate_label_name, parse_series, parse_series_upto, LoadSeries, SequenceValue,
};
use crate::store::{series_refusal, Columns, SeriesId, Store};
use rustc_hash::FxHashMap as HashMap;

use super::evaluation::{eval_rule_by_rule, eval_tick_by_tick, Schedule};
use super::file::{AlertCase, ExprCase, TestGroup};
use super::format::{alerts_string, indent_lines};
use super::jsondiff::{self, Json};
use super::warnings::{evaluation_warnings, unused_inputs};
use super::RunOptions;
use crate::literals::float::format_e_upper;

/// The samples an expression case's query returned: labels, value, and the histogram in the
/// `{{…}}` notation (empty for a float).
pub type Samples = Vec<(Labels, f64, String)>;

/// The outcome of one test group: promtool's error texts in its order, and per case whether it
/// failed (`None` when the group stopped before the case could be checked).
#[derive(Debug, Clone, Default)]
pub struct GroupOutcome {
    /// All errors, in promtool's order.
    pub errors: Vec<String>,
    /// Per alert case: `Some(None)` passed, `Some(Some(e))` failed.
    pub alerts: Vec<Option<Option<String>>>,
    /// Per expression case.
    pub exprs: Vec<Option<Option<String>>>,
    /// Per alert case that was checked: the alerts firing (labels without `alertname`,
    /// annotations), sorted; what the update mode writes.
    pub got_alerts: Vec<Option<Vec<(Labels, Labels)>>>,
    /// Per expression case whose query ran: the samples (labels, value, histogram in the
    /// `{{…}}` notation or empty), sorted by labels.
    pub got_samples: Vec<Option<Samples>>,
    /// promtest's warnings about the group: input series nothing reads, annotations raised
    /// by the rules' queries.
    pub warnings: Vec<String>,
}

impl GroupOutcome {
    /// promtool's errors when the group failed although every assertion passed (a refused
    /// input series, a malformed one in a group without assertions, an evaluation error after
    /// the last check): no assertion reports them as its own.
    pub fn unreported_errors(&self) -> Option<&[String]> {
        let all_passed = self
            .alerts
            .iter()
            .chain(&self.exprs)
            .all(|r| *r == Some(None));
        (all_passed && !self.errors.is_empty()).then_some(self.errors.as_slice())
    }
}

/// Runs `tg` against the rule groups `groups` (already loaded and ordered).
pub fn run_group(
    tg: &TestGroup,
    groups: &[RuleGroup],
    eval_interval: i64,
    fuzzy: bool,
    opts: &RunOptions,
) -> GroupOutcome {
    let mut out = GroupOutcome {
        alerts: vec![None; tg.alert_rule_test.len()],
        exprs: vec![None; tg.promql_expr_test.len()],
        got_alerts: vec![None; tg.alert_rule_test.len()],
        got_samples: vec![None; tg.promql_expr_test.len()],
        ..Default::default()
    };
    let interval = if tg.interval == 0 && !opts.semantics.rule_test_interval_defaults_to_zero {
        eval_interval
    } else {
        tg.interval
    };
    let (inputs, refused) = match load_inputs(tg, interval) {
        Ok(i) => i,
        Err(e) => {
            out.errors.push(e);
            return out;
        }
    };
    out.warnings = unused_inputs(tg, groups);
    let engine = Engine::new(engine_options_for(opts, eval_interval));
    let ctx = AlertContext {
        external_labels: tg.external_labels.clone(),
        external_url: tg.external_url.clone(),
    };
    let mut states: Vec<GroupState> = groups
        .iter()
        .map(|g| GroupState::new(g.clone(), ctx.clone()))
        .collect();
    let mint = tg.start_timestamp;
    let maxt = mint + tg.last_eval_time();
    for (i, a) in tg.alert_rule_test.iter().enumerate() {
        if a.alertname.is_empty() {
            let in_group = if tg.name.is_empty() {
                String::new()
            } else {
                format!(" (in TestGroup {})", tg.name)
            };
            out.errors.push(format!(
                "an item under alert_rule_test misses required attribute alertname at eval_time {}{in_group}",
                crate::literals::format_duration(a.eval_time)
            ));
            out.alerts[i] = Some(Some(out.errors[0].clone()));
            return out;
        }
    }
    let mut store = Store::new();
    let ids: Vec<SeriesId> = inputs.iter().map(|(l, _)| store.series_id(l)).collect();
    let mut cursor = vec![0usize; inputs.len()];
    let schedule = Schedule::new(tg, mint, maxt, eval_interval);
    // The storage's refusal of an input series, at each tick from its first sample on.
    let refusals: Vec<Option<&String>> = schedule
        .ticks
        .iter()
        .map(|&ts| refused.iter().find(|(t, _)| *t <= ts).map(|(_, e)| e))
        .collect();
    let evaluated = if !opts.tick_by_tick && refused.is_empty() && rule_by_rule_safe(groups) {
        // Every input sample up to the last tick goes in at once (moved, not copied).
        let last = schedule.last_tick();
        for ((_, mut samples), &id) in inputs.into_iter().zip(&ids) {
            samples.truncate(samples.count_upto(last, samples.len()));
            store.extend(id, samples);
        }
        eval_rule_by_rule(&engine, &mut store, &mut states, &schedule)
    } else {
        let skip: Vec<bool> = refusals.iter().map(Option::is_some).collect();
        eval_tick_by_tick(
            &engine,
            &mut store,
            &mut states,
            &schedule,
            &skip,
            |store, ts| reveal(&inputs, &ids, &mut cursor, store, ts),
        )
    };
    out.warnings.extend(evaluation_warnings(&states));
    for (k, cases) in schedule.checks.iter().enumerate() {
        if let Some(e) = refusals[k] {
            out.errors.push(e.clone());
        }
        if evaluated.errors.as_ref().is_some_and(|(at, _)| *at == k) {
            break;
        }
        for &i in cases {
            let case = &tg.alert_rule_test[i];
            let firing = evaluated.firing_at(k, &case.alertname);
            let mut got: Vec<(Labels, Labels)> = firing
                .iter()
                .map(|(l, a)| (l.without(&["alertname"]), a.clone()))
                .collect();
            got.sort();
            out.got_alerts[i] = Some(got);
            let res = check_alert(tg, case, firing, opts.diff);
            if let Some(e) = &res {
                out.errors.push(e.clone());
            }
            out.alerts[i] = Some(res);
        }
    }
    if let Some((_, errs)) = evaluated.errors {
        out.errors.extend(errs);
        return out;
    }
    for (i, case) in tg.promql_expr_test.iter().enumerate() {
        let (res, got) = check_expr(&engine, &store, mint, case, fuzzy);
        out.got_samples[i] = got;
        if let Some(e) = &res {
            out.errors.push(e.clone());
        }
        out.exprs[i] = Some(res);
    }
    out
}

/// The input series' samples, each series' samples in time order (offset by the start time).
type Inputs = Vec<(Labels, Columns)>;

/// An input series the storage refuses: when its first sample is due and the error text.
type Refused = Vec<(i64, String)>;

/// The input series' samples, and the series promtool's storage refuses (an empty label set,
/// a repeated label name): from their first sample on, every tick's append fails with the
/// storage's error, so nothing more is stored and no rule is evaluated. A series given twice
/// keeps its last definition, at that place (as a `load` block does). Each series goes into its
/// compact columns as soon as it is read, so that only one series' expanded values exist at a
/// time.
fn load_inputs(tg: &TestGroup, interval: i64) -> Result<(Inputs, Refused), String> {
    // Values past the last evaluation time are never read (but by `@` or a negative offset,
    // which is why only over-long repetitions, otherwise errors, are cut there).
    let limit = usize::try_from(tg.last_eval_time().max(0) / interval.max(1))
        .unwrap_or(usize::MAX)
        .saturating_add(2);
    // Per definition: labels, samples and the label name its description repeats; `None`
    // once a later definition of the same labels replaced it.
    let mut defined: Vec<Option<(Labels, Columns, Option<String>)>> = Vec::new();
    let mut latest: HashMap<Labels, usize> = HashMap::default();
    for (i, s) in tg.input_series.iter().enumerate() {
        // promtool writes `  <series> <values>` into a load block, whose lines are trimmed.
        let text = format!("{} {}", s.series, s.values);
        let repeated = duplicate_label_name(&text);
        let (labels, values) = parse_series_upto(text.trim(), limit)
            .map_err(|(at, msg)| format!("{}:{}: parse error: {msg}", i + 1, at + 1))?;
        let series = LoadSeries {
            line: s.line,
            labels,
            values,
            start_offsets: None,
        };
        let mut samples = series.samples(interval);
        // At interval 0 (2.42's default) every value falls at one time; the storage keeps
        // the first.
        if interval == 0 {
            samples.dedup_by_key(|s| s.t);
        }
        for s in samples.iter_mut() {
            s.t += tg.start_timestamp;
        }
        if let Some(earlier) = latest.insert(series.labels.clone(), defined.len()) {
            defined[earlier] = None;
        }
        defined.push(Some((
            series.labels,
            samples.into_iter().collect(),
            repeated,
        )));
    }
    let mut refused = Vec::new();
    let mut out = Vec::with_capacity(latest.len());
    for (labels, samples, repeated) in defined.into_iter().flatten() {
        match series_refusal(&labels, repeated.as_deref()) {
            Some(p) => {
                if !samples.is_empty() {
                    refused.push((samples.t(0), p));
                }
            }
            None => out.push((labels, samples)),
        }
    }
    Ok((out, refused))
}

/// Appends the input samples with `t <= ts` not yet in the store.
fn reveal(inputs: &Inputs, ids: &[SeriesId], cursor: &mut [usize], store: &mut Store, ts: i64) {
    for (k, (_, samples)) in inputs.iter().enumerate() {
        while cursor[k] < samples.len() && samples.t(cursor[k]) <= ts {
            store.append_to(ids[k], samples.get(cursor[k]).to_sample());
            cursor[k] += 1;
        }
    }
}

/// Compares the firing alerts `got` (labels, annotations) with the case's expectation.
fn check_alert(
    tg: &TestGroup,
    case: &AlertCase,
    mut got: Vec<(Labels, Labels)>,
    diff: bool,
) -> Option<String> {
    let mut exp: Vec<(Labels, Labels)> = case
        .exp_alerts
        .iter()
        .map(|(l, a)| {
            let mut l = l.clone();
            l.retain(|(n, _)| n != "alertname");
            l.push(("alertname".into(), case.alertname.clone()));
            (
                Labels::from_pairs_keeping_empty(l),
                Labels::from_pairs_keeping_empty(a.clone()),
            )
        })
        .collect();
    got.sort();
    exp.sort();
    if got == exp {
        return None;
    }
    let name = if tg.name.is_empty() {
        String::new()
    } else {
        format!("    name: {},\n", tg.name)
    };
    if diff {
        let (res, text) = jsondiff::compare(
            &Json::from_alerts(&exp),
            &Json::from_alerts(&got),
            &jsondiff::Options::console(),
        );
        if res == jsondiff::Difference::FullMatch {
            return None;
        }
        return Some(format!(
            "{name}    alertname: {}, time: {}, \n        diff: {}",
            case.alertname,
            crate::literals::format_duration(case.eval_time),
            indent_lines(&text, "            ")
        ));
    }
    Some(format!(
        "{name}    alertname: {}, time: {}, \n        exp:{}, \n        got:{}",
        case.alertname,
        crate::literals::format_duration(case.eval_time),
        indent_lines(&alerts_string(&exp), "            "),
        indent_lines(&alerts_string(&got), "            ")
    ))
}

/// A sample as promtool compares and prints it.
#[derive(Debug, Clone)]
struct Parsed {
    labels: Labels,
    value: f64,
    histogram: String,
}

impl Parsed {
    fn render(&self) -> String {
        if self.histogram.is_empty() {
            format!("{} {}", self.labels, format_e_upper(self.value))
        } else {
            format!("{} {}", self.labels, self.histogram)
        }
    }
}

fn floats_match(a: f64, b: f64, fuzzy: bool) -> bool {
    if a == b || (a.is_nan() && b.is_nan()) {
        return true;
    }
    fuzzy
        && a.is_finite()
        && b.is_finite()
        && (next_toward(a, f64::INFINITY) == b || next_toward(a, f64::NEG_INFINITY) == b)
}

/// `math.Nextafter(x, toward)` for finite `x`.
fn next_toward(x: f64, toward: f64) -> f64 {
    if x == toward {
        return x;
    }
    if x == 0.0 {
        let tiny = f64::from_bits(1);
        return if toward > 0.0 { tiny } else { -tiny };
    }
    let bits = x.to_bits();
    let up = (toward > x) == (x > 0.0);
    f64::from_bits(if up { bits + 1 } else { bits - 1 })
}

fn render_list(v: &[Parsed]) -> String {
    if v.is_empty() {
        return "nil".into();
    }
    v.iter().map(Parsed::render).collect::<Vec<_>>().join(", ")
}

/// The case's failure (`None`: it passed), and the samples its query returned (`None` when it
/// failed to run).
fn check_expr(
    engine: &Engine,
    store: &Store,
    mint: i64,
    case: &ExprCase,
    fuzzy: bool,
) -> (Option<String>, Option<Samples>) {
    let mut got = None;
    let res = compare_expr(engine, store, mint, case, fuzzy, &mut got);
    (res, got)
}

/// A histogram as promtool prints and compares it: the test expression, without the
/// counter-reset hint where the release leaves it out.
fn histogram_text(h: &crate::model::FloatHistogram, sem: &crate::semantics::Semantics) -> String {
    if sem.rule_test_histogram_hint {
        histogram_test_expression(h)
    } else {
        let mut h = h.clone();
        h.counter_reset_hint = crate::model::CounterResetHint::Unknown;
        histogram_test_expression(&h)
    }
}

fn compare_expr(
    engine: &Engine,
    store: &Store,
    mint: i64,
    case: &ExprCase,
    fuzzy: bool,
    actual: &mut Option<Samples>,
) -> Option<String> {
    let head = format!(
        "    expr: {}, time: {}",
        go_quote(&case.expr),
        crate::literals::format_duration(case.eval_time)
    );
    let sem = engine.options.semantics;
    let got = match crate::semantics::parse_for(&case.expr, &sem) {
        Err(e) => return Some(format!("{head}, err: {}", e.render(&case.expr))),
        Ok(expr) => match query_vector(engine, store, &expr, mint + case.eval_time) {
            Ok(v) => v,
            Err(e) => return Some(format!("{head}, err: {e}")),
        },
    };
    let mut got: Vec<Parsed> = got
        .into_iter()
        .map(|s| Parsed {
            labels: s.metric,
            value: s.f,
            histogram: s.h.map(|h| histogram_text(&h, &sem)).unwrap_or_default(),
        })
        .collect();
    got.sort_by(|a, b| a.labels.cmp(&b.labels));
    *actual = Some(
        got.iter()
            .map(|p| (p.labels.clone(), p.value, p.histogram.clone()))
            .collect(),
    );
    let mut exp = Vec::new();
    for s in &case.exp_samples {
        let labels = match parse_metric(&s.labels) {
            Ok(l) => l,
            Err(e) => return Some(format!("{head}, err: labels {}: {e}", go_quote(&s.labels))),
        };
        let mut histogram = String::new();
        if !s.histogram.is_empty() {
            match parse_series(&format!("{{}} {}", s.histogram)) {
                Err((at, msg)) => {
                    return Some(format!(
                        "{head}, err: labels {}: 1:{}: parse error: {msg}",
                        go_quote(&s.labels),
                        at + 1
                    ))
                }
                Ok((_, vals)) => match vals.as_slice() {
                    [SequenceValue::Histogram { h, .. }] => histogram = histogram_text(h, &sem),
                    [v] => {
                        return Some(format!(
                            "{head}, err: labels {}: expected histogram, got {v:?}",
                            go_quote(&s.labels)
                        ))
                    }
                    vs => {
                        return Some(format!(
                            "{head}, err: labels {}: expected 1 value, got {}",
                            go_quote(&s.labels),
                            vs.len()
                        ))
                    }
                },
            }
        }
        exp.push(Parsed {
            labels,
            value: s.value,
            histogram,
        });
    }
    exp.sort_by(|a, b| a.labels.cmp(&b.labels));
    got.sort_by(|a, b| a.labels.cmp(&b.labels));
    let same = exp.len() == got.len()
        && exp.iter().zip(&got).all(|(e, g)| {
            e.labels == g.labels
                && e.histogram == g.histogram
                && floats_match(e.value, g.value, fuzzy)
        });
    if same {
        None
    } else {
        Some(format!(
            "{head},\n        exp: {}\n        got: {}",
            render_list(&exp),
            render_list(&got)
        ))
    }
}

/// `parser.ParseMetric`: a series selector's labels, no values (empty text = no labels).
fn parse_metric(text: &str) -> Result<Labels, String> {
    if text.trim().is_empty() {
        return Ok(Labels::empty());
    }
    match parse_series(text) {
        Ok((l, v)) if v.is_empty() => Ok(l),
        Ok(_) => Err("1:1: parse error: unexpected values after the metric".into()),
        Err((at, msg)) => Err(format!("1:{}: parse error: {msg}", at + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_is_one_ulp() {
        let x = 0.1 + 0.2;
        assert!(!floats_match(0.3, x, false));
        assert!(floats_match(0.3, x, true));
        assert!(
            !floats_match(0.3, 0.3000000000000001, true)
                || next_toward(0.3, 1.0) == 0.3000000000000001
        );
        assert!(floats_match(f64::NAN, f64::NAN, false));
    }

    #[test]
    fn metric_parsing() {
        assert_eq!(parse_metric("").unwrap(), Labels::empty());
        assert_eq!(parse_metric("up{a=\"b\"}").unwrap().get("a"), Some("b"));
        assert!(parse_metric("up{a=").is_err());
    }
}
