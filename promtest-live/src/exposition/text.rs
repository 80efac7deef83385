//! The text exposition format 0.0.4: `# HELP`, `# TYPE`, one line per sample; histograms as
//! their classic `_bucket{le=…}`, `_sum` and `_count` series.

use std::fmt::Write;

use super::registry::{FamilySnapshot, MetricKind, MetricValue};

pub(super) fn render(families: &[FamilySnapshot]) -> String {
    let mut out = String::new();
    for f in families.iter().filter(|f| !f.metrics.is_empty()) {
        let kind = match f.kind {
            MetricKind::Counter => "counter",
            MetricKind::Gauge => "gauge",
            MetricKind::Histogram => "histogram",
        };
        let _ = writeln!(out, "# HELP {} {}", f.name, escape_help(&f.help));
        let _ = writeln!(out, "# TYPE {} {kind}", f.name);
        for m in &f.metrics {
            match &m.value {
                MetricValue::Number(v) => line(&mut out, &f.name, &m.labels, None, *v),
                MetricValue::Histogram(h) => {
                    let bucket = format!("{}_bucket", f.name);
                    for &(upper, count) in &h.classic {
                        line(&mut out, &bucket, &m.labels, Some(upper), count as f64);
                    }
                    line(
                        &mut out,
                        &bucket,
                        &m.labels,
                        Some(f64::INFINITY),
                        h.count as f64,
                    );
                    line(&mut out, &format!("{}_sum", f.name), &m.labels, None, h.sum);
                    line(
                        &mut out,
                        &format!("{}_count", f.name),
                        &m.labels,
                        None,
                        h.count as f64,
                    );
                }
            }
        }
    }
    out
}

fn line(out: &mut String, name: &str, labels: &[(String, String)], le: Option<f64>, v: f64) {
    out.push_str(name);
    let mut pairs: Vec<(String, String)> = labels.to_vec();
    if let Some(le) = le {
        pairs.push(("le".to_string(), number(le)));
    }
    if !pairs.is_empty() {
        out.push('{');
        for (i, (k, val)) in pairs.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{k}=\"{}\"", escape_label(val));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {}", number(v));
}

fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v == f64::INFINITY {
        "+Inf".to_string()
    } else if v == f64::NEG_INFINITY {
        "-Inf".to_string()
    } else {
        format!("{v}")
    }
}

fn escape_help(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

fn escape_label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposition::{HistogramOpts, Registry};

    #[test]
    fn renders_counters_and_classic_histograms() {
        let r = Registry::new();
        let c = r.counter_vec("x_total", "Things.", &[("test", "t")], &["type"]);
        c.with(&["a\"b"]).inc();
        let h = r.histogram_vec(
            "d_seconds",
            "Durations.",
            &[],
            &[],
            HistogramOpts::mimir_request_duration(),
        );
        h.with(&[]).observe(0.2);
        let text = render(&r.gather()[..2]);
        assert!(
            text.starts_with("# HELP x_total Things.\n# TYPE x_total counter\n"),
            "{text}"
        );
        assert!(
            text.contains("x_total{test=\"t\",type=\"a\\\"b\"} 1\n"),
            "{text}"
        );
        assert!(text.contains("d_seconds_bucket{le=\"0.25\"} 1\n"), "{text}");
        assert!(text.contains("d_seconds_bucket{le=\"0.1\"} 0\n"), "{text}");
        assert!(
            text.contains(
                "d_seconds_bucket{le=\"+Inf\"} 1\nd_seconds_sum 0.2\nd_seconds_count 1\n"
            ),
            "{text}"
        );
    }
}
