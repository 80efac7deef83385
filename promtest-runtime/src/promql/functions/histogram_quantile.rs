//! `histogram_quantile`, `histogram_quantiles` and `histogram_fraction` over classic
//! (`le`-labelled bucket series) and native histograms: the grouping of bucket series by
//! their labels without `le` (Prometheus's `resetHistograms`), the bad-`le` and mixed
//! classic/native warnings, and the per-histogram estimates.

use crate::literals::float::format_g;
use crate::literals::number::parse_go_float;
use crate::model::Labels;
use crate::promql::annotations::ForcedMonotonicity;
use crate::promql::engine::EvalError;
use crate::promql::functions::histogram_classic::{
    bucket_fraction, bucket_quantile, ClassicBucket,
};
use crate::promql::functions::histogram_native::{self, NanInfo};
use crate::promql::functions::FunctionCall;
use crate::promql::value::VectorSample;

/// The bucket label of classic histograms.
const BUCKET_LABEL: &str = "le";

/// One classic histogram: its output labels and buckets.
struct ClassicGroup {
    /// The labels without `le`.
    metric: Labels,
    buckets: Vec<ClassicBucket>,
}

/// An instant vector split into classic histograms and native histogram samples.
struct Histograms<'a> {
    classic: Vec<ClassicGroup>,
    native: Vec<&'a VectorSample>,
}

/// `" for metric name \"x\""` when `name` is non-empty (`maybeAddMetricName`).
fn for_metric(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        let mut s = String::from(" for metric name ");
        let _ = crate::model::labels::write_go_quoted(&mut s, name);
        s
    }
}

/// The metric name annotations name: the series' name with delayed name removal, else "".
fn annotation_name<'l>(call: &FunctionCall<'_>, metric: &'l Labels) -> &'l str {
    if call.delayed_name_removal {
        metric.metric_name().unwrap_or("")
    } else {
        ""
    }
}

/// Splits `input` into classic and native histograms, warning about unparsable `le`
/// labels and dropping classic/native pairs with the same labels (`resetHistograms`).
fn split<'a>(call: &mut FunctionCall<'_>, input: &'a [VectorSample], arg: usize) -> Histograms<'a> {
    let span = Some(call.arg_span(arg));
    let mut classic: Vec<ClassicGroup> = Vec::new();
    let mut index: std::collections::HashMap<Labels, usize> = std::collections::HashMap::new();
    let mut native = Vec::new();
    for s in input {
        if s.h.is_some() {
            native.push(s);
            continue;
        }
        let le = s.metric.get(BUCKET_LABEL).unwrap_or("");
        let Some(upper_bound) = parse_go_float(le) else {
            let mut msg = String::from(
                "PromQL warning: bucket label \"le\" is missing or has a malformed value of ",
            );
            let _ = crate::model::labels::write_go_quoted(&mut msg, le);
            msg.push_str(&for_metric(annotation_name(call, &s.metric)));
            call.annotations.warn(msg, span);
            continue;
        };
        let key = s.metric.without(&[BUCKET_LABEL]);
        let i = *index.entry(key.clone()).or_insert_with(|| {
            classic.push(ClassicGroup {
                metric: key,
                buckets: Vec::new(),
            });
            classic.len() - 1
        });
        classic[i].buckets.push(ClassicBucket {
            upper_bound,
            count: s.f,
        });
    }
    let mut kept = Vec::with_capacity(native.len());
    for s in native {
        match index.get(&s.metric) {
            Some(&i) if !classic[i].buckets.is_empty() => {
                let msg = format!(
                    "PromQL warning: vector contains a mix of classic and native histograms{}",
                    for_metric(annotation_name(call, &s.metric))
                );
                call.annotations.warn(msg, span);
                classic[i].buckets.clear();
            }
            _ => kept.push(s),
        }
    }
    classic.retain(|g| !g.buckets.is_empty());
    Histograms {
        classic,
        native: kept,
    }
}

/// Warns about a quantile outside [0, 1] (`InvalidQuantileWarning`).
fn validate_quantile(call: &mut FunctionCall<'_>, q: f64, arg: usize) {
    if q.is_nan() || !(0.0..=1.0).contains(&q) {
        let span = Some(call.arg_span(arg));
        call.annotations.warn(
            format!(
                "PromQL warning: quantile value should be between 0 and 1, got {}",
                format_g(q)
            ),
            span,
        );
    }
}

/// Adds a NaN-observation info about native histogram `metric`.
fn nan_info(call: &mut FunctionCall<'_>, info: Option<NanInfo>, metric: &Labels, arg: usize) {
    if let Some(info) = info {
        let name = if call.delayed_name_removal {
            metric.metric_name().unwrap_or("")
        } else {
            ""
        };
        let msg = format!("{}{}", info.message(), for_metric(name));
        let span = Some(call.arg_span(arg));
        call.annotations.info(msg, span);
    }
}

/// The quantile of classic histogram `g`, adding the forced-monotonicity info if needed.
fn classic_quantile(call: &mut FunctionCall<'_>, q: f64, g: &ClassicGroup, arg: usize) -> f64 {
    let o = bucket_quantile(q, &g.buckets);
    if o.forced_monotonic {
        let base = format!(
            "PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile){}",
            for_metric(annotation_name(call, &g.metric))
        );
        let span = Some(call.arg_span(arg));
        call.annotations
            .add_forced_monotonicity(ForcedMonotonicity {
                base,
                span,
                min_ts: call.t,
                max_ts: call.t,
                min_bucket: o.min_bucket,
                max_bucket: o.max_bucket,
                max_diff: o.max_diff,
                count: 0,
            });
    }
    o.value
}

/// Pushes a result derived from `metric` (name dropped).
fn push(call: &mut FunctionCall<'_>, metric: &Labels, f: f64) {
    call.push_float_dropping_name(metric, f);
}

/// `histogram_quantile(q, v)`.
pub fn histogram_quantile(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let q = call.scalar(0);
    validate_quantile(call, q, 0);
    let input = call.vector(1);
    let hs = split(call, input, 1);
    for s in hs.native {
        let h = s.h.as_deref().expect("native sample");
        let (v, info) = histogram_native::histogram_quantile(
            q,
            h,
            call.semantics.native_histogram_linear_interpolation,
        );
        nan_info(call, info, &s.metric, 1);
        push(call, &s.metric, v);
    }
    for g in &hs.classic {
        let v = classic_quantile(call, q, g, 1);
        push(call, &g.metric, v);
    }
    Ok(())
}

/// The value of the quantile label for `q` (`labels.FormatOpenMetricsFloat`).
pub fn format_openmetrics_float(q: f64) -> String {
    if q.is_nan() || q.is_infinite() {
        return format_g(q);
    }
    let s = format_g(q);
    if s.contains(['e', '.']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// `histogram_quantiles(v, "label", q0, q1, ...)`: one output per histogram and quantile,
/// labelled with the quantile.
pub fn histogram_quantiles(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let label = call.string(1);
    let qs: Vec<f64> = (2..call.args.len()).map(|i| call.scalar(i)).collect();
    for (i, &q) in qs.iter().enumerate() {
        validate_quantile(call, q, i + 2);
    }
    let input = call.vector(0);
    let hs = split(call, input, 0);
    for &q in &qs {
        let qs_label = format_openmetrics_float(q);
        for s in &hs.native {
            let h = s.h.as_deref().expect("native sample");
            let (v, info) = histogram_native::histogram_quantile(
                q,
                h,
                call.semantics.native_histogram_linear_interpolation,
            );
            nan_info(call, info, &s.metric, 0);
            let metric = s.metric.with(label, &qs_label);
            push(call, &metric, v);
        }
        for g in &hs.classic {
            let v = classic_quantile(call, q, g, 0);
            let metric = g.metric.with(label, &qs_label);
            push(call, &metric, v);
        }
    }
    Ok(())
}

/// `histogram_fraction(lower, upper, v)`.
pub fn histogram_fraction(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let (lower, upper) = (call.scalar(0), call.scalar(1));
    let input = call.vector(2);
    let hs = split(call, input, 2);
    for s in hs.native {
        let h = s.h.as_deref().expect("native sample");
        let (v, info) = histogram_native::histogram_fraction(
            lower,
            upper,
            h,
            call.semantics.native_histogram_linear_interpolation,
        );
        nan_info(call, info, &s.metric, 2);
        push(call, &s.metric, v);
    }
    for g in &hs.classic {
        push(call, &g.metric, bucket_fraction(lower, upper, &g.buckets));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::functions::test_util::{call, labels, sample};
    use crate::promql::functions::ArgValue;

    fn buckets(name: &str, pairs: &[(&str, f64)]) -> Vec<VectorSample> {
        pairs
            .iter()
            .map(|&(le, f)| sample(&[("__name__", name), ("job", "a"), ("le", le)], f))
            .collect()
    }

    #[test]
    fn classic_quantile_groups_by_labels_without_le() {
        let mut v = buckets("x_bucket", &[("0.5", 20.0), ("1", 50.0), ("+Inf", 100.0)]);
        v.extend(buckets("y_bucket", &[("1", 10.0), ("+Inf", 10.0)]));
        let o = call(
            "histogram_quantile",
            0,
            &[ArgValue::Scalar(0.35), ArgValue::Vector(&v)],
        );
        assert!(o.result.is_ok());
        assert_eq!(o.values(), vec![0.75, 0.35]);
        assert!(o.out.iter().all(|s| s.drop_name && !s.metric.has("le")));
        assert!(o.out[0].metric.has("__name__"));
        assert!(o.messages().is_empty());
    }

    #[test]
    fn bad_le_and_invalid_quantile_warn() {
        let v = vec![
            sample(&[("__name__", "x"), ("le", "oops")], 1.0),
            sample(&[("__name__", "x"), ("le", "+Inf")], 2.0),
        ];
        let o = call(
            "histogram_quantile",
            0,
            &[ArgValue::Scalar(1.5), ArgValue::Vector(&v)],
        );
        assert_eq!(o.values(), vec![f64::INFINITY]);
        assert_eq!(
            o.messages(),
            vec![
                "PromQL warning: quantile value should be between 0 and 1, got 1.5".to_string(),
                "PromQL warning: bucket label \"le\" is missing or has a malformed value of \"oops\" for metric name \"x\"".to_string(),
            ]
        );
    }

    #[test]
    fn mixed_classic_and_native_is_dropped() {
        let mut v = vec![sample(&[("__name__", "x"), ("le", "+Inf")], 2.0)];
        let mut native = sample(&[("__name__", "x")], 0.0);
        native.h = Some(std::sync::Arc::new(crate::model::FloatHistogram {
            count: 1.0,
            ..Default::default()
        }));
        v.push(native);
        let o = call(
            "histogram_fraction",
            0,
            &[
                ArgValue::Scalar(0.0),
                ArgValue::Scalar(1.0),
                ArgValue::Vector(&v),
            ],
        );
        assert!(o.out.is_empty());
        assert_eq!(
            o.messages(),
            vec!["PromQL warning: vector contains a mix of classic and native histograms for metric name \"x\"".to_string()]
        );
    }

    #[test]
    fn quantiles_label_each_output() {
        let v = buckets("x_bucket", &[("1", 50.0), ("+Inf", 100.0)]);
        let o = call(
            "histogram_quantiles",
            0,
            &[
                ArgValue::Vector(&v),
                ArgValue::String("q"),
                ArgValue::Scalar(0.25),
                ArgValue::Scalar(1.0),
            ],
        );
        assert_eq!(o.values(), vec![0.5, 1.0]);
        assert_eq!(o.out[0].metric.get("q"), Some("0.25"));
        assert_eq!(o.out[1].metric.get("q"), Some("1.0"));
        assert_eq!(
            o.out[1].metric,
            labels(&[("__name__", "x_bucket"), ("job", "a"), ("q", "1.0")])
        );
    }

    #[test]
    fn forced_monotonicity_is_reported_once() {
        let v = buckets("x_bucket", &[("1", 10.0), ("2", 8.0), ("+Inf", 12.0)]);
        let o = call(
            "histogram_quantile",
            60_000,
            &[ArgValue::Scalar(0.5), ArgValue::Vector(&v)],
        );
        assert_eq!(o.values(), vec![0.6]);
        let m = o.messages();
        assert_eq!(m.len(), 1);
        assert!(m[0].starts_with(
            "PromQL info: input to histogram_quantile needed to be fixed for monotonicity"
        ));
        assert!(m[0].contains(
            "from buckets 2 to 2, with a max diff of 2, over 1 samples from 1970-01-01T00:01:00Z"
        ));
    }

    #[test]
    fn openmetrics_float_labels() {
        assert_eq!(format_openmetrics_float(0.0), "0.0");
        assert_eq!(format_openmetrics_float(0.5), "0.5");
        assert_eq!(format_openmetrics_float(2.0), "2.0");
        assert_eq!(format_openmetrics_float(1e-7), "1e-07");
        assert_eq!(format_openmetrics_float(f64::NAN), "NaN");
    }
}
