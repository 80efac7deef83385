//! `histogram_count`, `histogram_sum`, `histogram_avg`, `histogram_stddev` and
//! `histogram_stdvar`: one float per native histogram sample; float samples are ignored
//! (Prometheus's `simpleHistogramFunc`).

use crate::model::{FloatHistogram, METRIC_NAME};
use crate::promql::engine::EvalError;
use crate::promql::functions::histogram_native::histogram_variance;
use crate::promql::functions::FunctionCall;
use crate::promql::value::VectorSample;

/// Applies `f` to each histogram sample of the first argument.
fn per_histogram(
    call: &mut FunctionCall<'_>,
    f: impl Fn(&FloatHistogram) -> f64,
) -> Result<(), EvalError> {
    let input = call.vector(0);
    for s in input {
        let Some(h) = s.h.as_deref() else {
            continue;
        };
        // Without delayed name removal only `__name__` is dropped here.
        let metric = if call.delayed_name_removal {
            s.metric.clone()
        } else {
            s.metric.without(&[METRIC_NAME])
        };
        call.out.push(VectorSample {
            metric,
            t: call.t,
            f: f(h),
            h: None,
            drop_name: true,
        });
    }
    Ok(())
}

/// `histogram_count(v)`: the count of observations.
pub fn histogram_count(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    per_histogram(call, |h| h.count)
}

/// `histogram_sum(v)`: the sum of observations.
pub fn histogram_sum(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    per_histogram(call, |h| h.sum)
}

/// `histogram_avg(v)`: sum divided by count.
pub fn histogram_avg(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    per_histogram(call, |h| h.sum / h.count)
}

/// `histogram_stddev(v)`: the estimated standard deviation of observations.
pub fn histogram_stddev(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let nan_at_inf = call.semantics.kahan_nan_compensation_at_inf;
    per_histogram(call, move |h| histogram_variance(h, nan_at_inf).sqrt())
}

/// `histogram_stdvar(v)`: the estimated variance of observations.
pub fn histogram_stdvar(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    let nan_at_inf = call.semantics.kahan_nan_compensation_at_inf;
    per_histogram(call, move |h| histogram_variance(h, nan_at_inf))
}

#[cfg(test)]
mod tests {
    use crate::model::{FloatHistogram, Span};
    use crate::promql::functions::test_util::{call, call_with, sample};
    use crate::promql::functions::ArgValue;
    use std::sync::Arc;

    fn input() -> Vec<crate::promql::value::VectorSample> {
        let mut h = sample(&[("__name__", "h"), ("job", "a")], 0.0);
        h.h = Some(Arc::new(FloatHistogram {
            schema: 0,
            count: 4.0,
            sum: 6.0,
            positive_spans: vec![Span {
                offset: 1,
                length: 1,
            }],
            positive_buckets: vec![4.0],
            ..Default::default()
        }));
        vec![h, sample(&[("__name__", "f")], 3.0)]
    }

    #[test]
    fn simple_values_skip_floats() {
        let v = input();
        assert_eq!(
            call("histogram_count", 0, &[ArgValue::Vector(&v)]).values(),
            vec![4.0]
        );
        assert_eq!(
            call("histogram_sum", 0, &[ArgValue::Vector(&v)]).values(),
            vec![6.0]
        );
        assert_eq!(
            call("histogram_avg", 0, &[ArgValue::Vector(&v)]).values(),
            vec![1.5]
        );
        let o = call_with("histogram_count", 0, &[ArgValue::Vector(&v)], false);
        assert!(!o.out[0].metric.has("__name__"));
        assert!(o.out[0].drop_name);
    }

    #[test]
    fn spread_from_geometric_bucket_means() {
        let v = input();
        // All 4 observations in (1, 2], geometric mean sqrt(2); mean 1.5.
        let var = (2f64.sqrt() - 1.5).powi(2);
        let got = call("histogram_stdvar", 0, &[ArgValue::Vector(&v)]).value();
        assert!((got - var).abs() < 1e-12);
        let sd = call("histogram_stddev", 0, &[ArgValue::Vector(&v)]).value();
        assert!((sd - var.sqrt()).abs() < 1e-12);
    }
}
