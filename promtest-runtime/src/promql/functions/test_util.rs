//! Test helpers: calling a registered implementation with hand-made arguments.

use crate::model::Labels;
use crate::promql::annotations::Annotations;
use crate::promql::ast::{Call, Expr, NumberLiteral, Span};
use crate::promql::engine::EvalError;
use crate::promql::functions::{lookup, ArgValue, Evaluation, FunctionCall, RangeArg};
use crate::promql::value::{FPoint, HPoint, VectorSample};

/// What one call of an implementation produced.
pub(crate) struct Outcome {
    pub out: Vec<VectorSample>,
    pub annotations: Annotations,
    pub result: Result<(), EvalError>,
}

impl Outcome {
    /// The single output value (panics in tests if there is not exactly one).
    pub fn value(&self) -> f64 {
        assert!(self.result.is_ok(), "call failed: {:?}", self.result);
        assert_eq!(self.out.len(), 1, "expected one output sample");
        self.out[0].f
    }

    /// The output values in order.
    pub fn values(&self) -> Vec<f64> {
        self.out.iter().map(|s| s.f).collect()
    }

    /// The annotation messages in order.
    pub fn messages(&self) -> Vec<String> {
        self.annotations.iter().map(|a| a.message.clone()).collect()
    }
}

/// Calls function `name` at time `t` (ms) with `args`; argument `i` has span `10*i..10*i+5`.
pub(crate) fn call(name: &str, t: i64, args: &[ArgValue<'_>]) -> Outcome {
    call_with(name, t, args, true)
}

/// As [`call`], choosing delayed name removal.
pub(crate) fn call_with(name: &str, t: i64, args: &[ArgValue<'_>], delayed: bool) -> Outcome {
    let func = lookup(name).expect("function in table");
    let exprs = (0..args.len())
        .map(|i| {
            Expr::Number(NumberLiteral {
                val: 0.0,
                duration: false,
                span: Span {
                    start: i * 10,
                    end: i * 10 + 5,
                },
            })
        })
        .collect();
    let c = Call {
        func,
        args: exprs,
        span: Span { start: 0, end: 100 },
    };
    let Evaluation::Impl(f) = func.evaluation else {
        panic!("{name} has no implementation")
    };
    let mut out = Vec::new();
    let mut annotations = Annotations::new();
    let mut fc = FunctionCall {
        call: &c,
        t,
        args,
        out: &mut out,
        annotations: &mut annotations,
        delayed_name_removal: delayed,
        semantics: crate::semantics::Semantics::default(),
    };
    let result = f(&mut fc);
    Outcome {
        out,
        annotations,
        result,
    }
}

/// Labels from pairs.
pub(crate) fn labels(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

/// A float sample of an instant vector.
pub(crate) fn sample(pairs: &[(&str, &str)], f: f64) -> VectorSample {
    VectorSample {
        metric: labels(pairs),
        t: 0,
        f,
        h: None,
        drop_name: false,
    }
}

/// Float points from `(seconds, value)` pairs.
pub(crate) fn points(pts: &[(i64, f64)]) -> Vec<FPoint> {
    pts.iter()
        .map(|&(s, f)| FPoint { t: s * 1000, f })
        .collect()
}

/// A plain window `(t - range, t]` over `floats` and `histograms`.
pub(crate) fn window<'a>(
    metric: &'a Labels,
    floats: &'a [FPoint],
    histograms: &'a [HPoint],
    t: i64,
    range: i64,
) -> RangeArg<'a> {
    RangeArg {
        metric,
        floats,
        histograms,
        float_start_timestamps: &[],
        histogram_start_timestamps: &[],
        range,
        range_start: t - range,
        range_end: t,
        anchored: false,
        smoothed: false,
        plain_counter: false,
    }
}

/// A histogram point with the given count (other fields default).
pub(crate) fn hpoint(t: i64, count: f64) -> HPoint {
    HPoint {
        t,
        h: std::sync::Arc::new(crate::model::FloatHistogram {
            count,
            ..Default::default()
        }),
    }
}
