//! Numbers, points, samples and histograms printed as Prometheus (Go) prints them in test failures.

use crate::model::{CounterResetHint, FloatHistogram};
use crate::promql::value::{FPoint, HPoint, Series, Value, VectorSample};

use crate::literals::float::{format_f, format_g};

/// A float point as `FPoint.String()`: `value @[t]`.
pub fn fpoint(p: &FPoint) -> String {
    format!("{} @[{}]", format_f(p.f), p.t)
}

/// A histogram point as the failure messages print it: `{{…}} @[t]`.
pub fn hpoint(p: &HPoint) -> String {
    format!("{} @[{}]", histogram_test_expression(&p.h), p.t)
}

/// A list of float points as Go prints a slice with `%v`: `[1 @[0] 2 @[60000]]`.
pub fn fpoints(ps: &[FPoint]) -> String {
    let items: Vec<String> = ps.iter().map(fpoint).collect();
    format!("[{}]", items.join(" "))
}

/// Upstream's `formatSeriesResult`: counts and points of a result series.
pub fn series_result(s: &Series) -> String {
    let fp = if s.floats.len() == 1 { "" } else { "s" };
    let hp = if s.histograms.len() == 1 { "" } else { "s" };
    let hs: Vec<String> = s.histograms.iter().map(hpoint).collect();
    format!(
        "{} float point{fp} {} and {} histogram point{hp} [{}]",
        s.floats.len(),
        fpoints(&s.floats),
        s.histograms.len(),
        hs.join(" ")
    )
}

/// A vector sample as `Sample.String()`: `labels => value @[t]`.
pub fn sample(s: &VectorSample) -> String {
    let v = match &s.h {
        Some(h) => format!("{} @[{}]", histogram_test_expression(h), s.t),
        None => format!("{} @[{}]", format_f(s.f), s.t),
    };
    format!("{} => {}", s.metric, v)
}

/// A series as `Series.String()`: `labels =>` then one point per line.
pub fn series(s: &Series) -> String {
    let mut vals: Vec<String> = s.floats.iter().map(fpoint).collect();
    vals.extend(s.histograms.iter().map(hpoint));
    format!("{} =>\n{}", s.metric, vals.join("\n"))
}

/// A value as its Go `String()`.
pub fn value(v: &Value) -> String {
    match v {
        Value::Scalar { t, v } => format!("scalar: {} @[{}]", format_f(*v), t),
        Value::String { t, v } => format!("string: {v} @[{t}]"),
        Value::Vector(vec) => vec.iter().map(sample).collect::<Vec<_>>().join("\n"),
        Value::Matrix(m) => m.iter().map(series).collect::<Vec<_>>().join("\n"),
    }
}

/// A histogram as upstream's `FloatHistogram.TestExpression()`: the `{{…}}` script notation,
/// compacted to one span per side.
pub fn histogram_test_expression(h: &FloatHistogram) -> String {
    let mut res = Vec::new();
    if h.schema != 0 {
        res.push(format!("schema:{}", h.schema));
    }
    if h.count != 0.0 {
        res.push(format!("count:{}", format_g(h.count)));
    }
    if h.sum != 0.0 {
        res.push(format!("sum:{}", format_g(h.sum)));
    }
    if h.zero_count != 0.0 {
        res.push(format!("z_bucket:{}", format_g(h.zero_count)));
    }
    if h.zero_threshold != 0.0 {
        res.push(format!("z_bucket_w:{}", format_g(h.zero_threshold)));
    }
    if h.uses_custom_buckets() {
        let cv: Vec<String> = h.custom_values.iter().map(|v| format_g(*v)).collect();
        res.push(format!("custom_values:[{}]", cv.join(" ")));
    }
    match h.counter_reset_hint {
        CounterResetHint::Unknown => {}
        CounterResetHint::CounterReset => res.push("counter_reset_hint:reset".into()),
        CounterResetHint::NotCounterReset => res.push("counter_reset_hint:not_reset".into()),
        CounterResetHint::Gauge => res.push("counter_reset_hint:gauge".into()),
    }
    let sides = [
        ("buckets", "offset", &h.positive_spans, &h.positive_buckets),
        (
            "n_buckets",
            "n_offset",
            &h.negative_spans,
            &h.negative_buckets,
        ),
    ];
    for (bkey, okey, spans, buckets) in sides {
        let dense = super::histogram_cmp::dense_buckets(spans, buckets);
        if let Some((first, counts)) = dense {
            if first != 0 {
                res.push(format!("{okey}:{first}"));
            }
            let bs: Vec<String> = counts.iter().map(|v| format_g(*v)).collect();
            res.push(format!("{bkey}:[{}]", bs.join(" ")));
        }
    }
    format!("{{{{{}}}}}", res.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    #[test]
    fn go_float_forms() {
        assert_eq!(format_f(1.5), "1.5");
        assert_eq!(format_f(1e21), "1000000000000000000000");
        assert_eq!(format_f(f64::INFINITY), "+Inf");
        assert_eq!(format_f(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_g(123456.0), "123456");
        assert_eq!(format_g(1e6), "1e+06");
        assert_eq!(format_g(1234567.0), "1.234567e+06");
        assert_eq!(format_g(0.0001), "0.0001");
        assert_eq!(format_g(0.00001), "1e-05");
        assert_eq!(format_g(-2.5), "-2.5");
        assert_eq!(format_g(f64::NAN), "NaN");
    }

    #[test]
    fn test_expression_compacts_to_one_span() {
        let h = FloatHistogram {
            schema: 1,
            count: 6.0,
            sum: 10.0,
            positive_spans: vec![
                Span {
                    offset: 1,
                    length: 2,
                },
                Span {
                    offset: 1,
                    length: 1,
                },
            ],
            positive_buckets: vec![1.0, 2.0, 3.0],
            ..Default::default()
        };
        assert_eq!(
            histogram_test_expression(&h),
            "{{schema:1 count:6 sum:10 offset:1 buckets:[1 2 0 3]}}"
        );
    }

    #[test]
    fn series_result_counts() {
        let s = Series {
            floats: vec![FPoint { t: 0, f: 1.0 }],
            ..Default::default()
        };
        assert_eq!(
            series_result(&s),
            "1 float point [1 @[0]] and 0 histogram points []"
        );
    }
}
