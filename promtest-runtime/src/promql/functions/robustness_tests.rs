//! Every registered function over odd arguments (empty and mixed windows, NaN and infinite
//! scalars, malformed strings, histograms of different layouts) returns without panicking.

use crate::model::{CounterResetHint, FloatHistogram, Span};
use crate::promql::ast::ValueType;
use crate::promql::functions::test_util::{call, labels, points, sample, window};
use crate::promql::functions::{ArgValue, Evaluation, RangeArg, FUNCTIONS};
use crate::promql::value::{HPoint, VectorSample};

fn histogram(t: i64, schema: i32, offset: i32, counts: &[f64], hint: CounterResetHint) -> HPoint {
    HPoint {
        t,
        h: std::sync::Arc::new(FloatHistogram {
            counter_reset_hint: hint,
            schema,
            count: counts.iter().sum(),
            sum: 1.0,
            positive_spans: vec![Span {
                offset,
                length: counts.len() as u32,
            }],
            positive_buckets: counts.to_vec(),
            custom_values: if schema == -53 {
                vec![1.0, 2.0]
            } else {
                vec![]
            },
            ..Default::default()
        }),
    }
}

#[test]
fn no_function_panics_on_odd_input() {
    let metric = labels(&[("__name__", "m"), ("a", "1")]);
    let floats = points(&[
        (1, 1.0),
        (2, f64::NAN),
        (3, f64::INFINITY),
        (4, -2.0),
        (5, 0.0),
    ]);
    let hists = [
        histogram(1_500, 0, 0, &[1.0, 2.0], CounterResetHint::Unknown),
        histogram(2_500, 3, -5, &[0.0, 4.0], CounterResetHint::Gauge),
        histogram(3_500, -53, 0, &[1.0], CounterResetHint::CounterReset),
        histogram(
            4_500,
            -4,
            i32::MAX - 2,
            &[1e308, 1e308],
            CounterResetHint::NotCounterReset,
        ),
    ];
    let mut windows: Vec<RangeArg<'_>> = Vec::new();
    for (f, h) in [
        (&floats[..], &hists[..0]),
        (&floats[..1], &hists[..0]),
        (&floats[..0], &hists[..]),
        (&floats[..0], &hists[..1]),
        (&floats[..], &hists[..]),
    ] {
        let plain = window(&metric, f, h, 5_000, 3_000);
        let mut anchored = plain;
        anchored.anchored = true;
        let mut smoothed = plain;
        smoothed.smoothed = true;
        windows.extend([plain, anchored, smoothed]);
    }
    let mut hist_sample = sample(&[("__name__", "h")], 0.0);
    hist_sample.h = Some(hists[1].h.clone());
    let vectors: Vec<Vec<VectorSample>> = vec![
        vec![],
        vec![
            sample(&[("__name__", "m"), ("a", "10")], f64::NAN),
            sample(&[("__name__", "m"), ("a", "9")], 1e300),
            hist_sample,
        ],
    ];
    let scalars = [f64::NAN, f64::NEG_INFINITY, 0.5, 2.0];
    let strings = ["", "(", "a", "$1${", "__name__"];
    for sig in FUNCTIONS {
        let Evaluation::Impl(_) = sig.evaluation else {
            continue;
        };
        for variant in 0..5 {
            let args: Vec<ArgValue<'_>> = sig
                .arg_types
                .iter()
                .map(|t| match t {
                    ValueType::Matrix => ArgValue::Range(windows[(variant * 4) % windows.len()]),
                    ValueType::Vector => ArgValue::Vector(&vectors[variant % 2]),
                    ValueType::Scalar => ArgValue::Scalar(scalars[variant % scalars.len()]),
                    _ => ArgValue::String(strings[variant]),
                })
                .collect();
            let _ = call(sig.name, 5_000, &args);
        }
        for w in &windows {
            let args: Vec<ArgValue<'_>> = sig
                .arg_types
                .iter()
                .map(|t| match t {
                    ValueType::Matrix => ArgValue::Range(*w),
                    ValueType::Vector => ArgValue::Vector(&vectors[1]),
                    ValueType::Scalar => ArgValue::Scalar(0.5),
                    _ => ArgValue::String("a"),
                })
                .collect();
            let _ = call(sig.name, 5_000, &args);
        }
    }
}
