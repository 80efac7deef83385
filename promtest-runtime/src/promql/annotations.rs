//! Warnings and infos attached to a query result, rendered as Prometheus renders them.

use crate::promql::ast::Span;

/// Whether an annotation is a warning or an info.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// A warning (`PromQLWarning`).
    Warning,
    /// An info (`PromQLInfo`).
    Info,
}

/// One annotation: its severity, message text (without position) and the span it refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Annotation {
    /// Warning or info.
    pub severity: Severity,
    /// The message, e.g. `PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "foo"`.
    pub message: String,
    /// The position in the query the annotation refers to, if any.
    pub span: Option<Span>,
}

/// The set of annotations of one query; duplicates collapse, as in Prometheus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations(Vec<Annotation>, Vec<ForcedMonotonicity>);

/// The merged state of `histogram_quantile`'s "forced monotonicity" info for one message
/// (Prometheus's `histogramQuantileForcedMonotonicityErr`, merged across steps and series).
#[derive(Clone, Debug, PartialEq)]
pub struct ForcedMonotonicity {
    /// The message without details (keys the merge).
    pub base: String,
    /// The span of the histogram argument.
    pub span: Option<Span>,
    /// Earliest and latest evaluation timestamps (ms).
    pub min_ts: i64,
    /// Latest evaluation timestamp (ms).
    pub max_ts: i64,
    /// Lowest bucket bound that was corrected.
    pub min_bucket: f64,
    /// Highest bucket bound that was corrected.
    pub max_bucket: f64,
    /// Largest removed decrease.
    pub max_diff: f64,
    /// Number of occurrences merged, minus one.
    pub count: u64,
}

impl ForcedMonotonicity {
    /// The full message: `<base>, from buckets A to B, with a max diff of D, over N samples
    /// from T1 to T2` (the position is appended when rendered).
    pub fn message(&self) -> String {
        use crate::literals::float::format_g as g;
        format!(
            "{}, from buckets {} to {}, with a max diff of {}, over {} samples from {} to {}",
            self.base,
            g(self.min_bucket),
            g(self.max_bucket),
            format_go_g_precision2(self.max_diff),
            self.count + 1,
            rfc3339(self.min_ts),
            rfc3339(self.max_ts)
        )
    }
}

/// Go's `%.2g`: two significant digits, exponent form below 1e-4 or from 100 on.
fn format_go_g_precision2(f: f64) -> String {
    if !f.is_finite() || f == 0.0 {
        return crate::literals::float::format_g(f);
    }
    let e = format!("{f:.1e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    if !(-4..2).contains(&exp) {
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{esign}{:02}", exp.abs());
    }
    let rounded: f64 = e.parse().unwrap_or(f);
    crate::literals::float::format_g(rounded)
}

/// A millisecond timestamp as RFC 3339 UTC at second precision (`2006-01-02T15:04:05Z`).
fn rfc3339(ms: i64) -> String {
    let secs = ms / 1000;
    let d = crate::promql::functions::time::DateTime::from_unix(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.year,
        d.month,
        d.day,
        d.hour,
        d.minute,
        secs.rem_euclid(60)
    )
}

impl Annotations {
    /// No annotations.
    pub(crate) fn new() -> Self {
        Annotations::default()
    }

    /// Adds an annotation unless an equal one is present.
    pub(crate) fn add(&mut self, a: Annotation) {
        if !self.0.contains(&a) {
            self.0.push(a);
        }
    }

    /// How many annotations there are, a mark for [`Annotations::discard_since`].
    pub(crate) fn mark(&self) -> usize {
        self.0.len()
    }

    /// Drops the annotations added after `mark` (Go returning a fresh `annotations.New()`
    /// for one series instead of what it had gathered for it).
    pub(crate) fn discard_since(&mut self, mark: usize) {
        self.0.truncate(mark);
    }

    /// Adds a warning.
    pub(crate) fn warn(&mut self, message: impl Into<String>, span: Option<Span>) {
        self.add(Annotation {
            severity: Severity::Warning,
            message: message.into(),
            span,
        });
    }

    /// Adds an info.
    pub(crate) fn info(&mut self, message: impl Into<String>, span: Option<Span>) {
        self.add(Annotation {
            severity: Severity::Info,
            message: message.into(),
            span,
        });
    }

    /// Merges another set into this one.
    pub(crate) fn merge(&mut self, other: Annotations) {
        for a in other.0 {
            if !other.1.iter().any(|m| m.message() == a.message) {
                self.add(a);
            }
        }
        for m in other.1 {
            self.add_forced_monotonicity(m);
        }
    }

    /// Adds (or merges into an earlier one with the same base message) a "forced
    /// monotonicity" info of `histogram_quantile`.
    pub(crate) fn add_forced_monotonicity(&mut self, m: ForcedMonotonicity) {
        let Some(i) = self.1.iter().position(|o| o.base == m.base) else {
            self.add(Annotation {
                severity: Severity::Info,
                message: m.message(),
                span: m.span,
            });
            self.1.push(m);
            return;
        };
        let old = self.1[i].clone();
        let merged = ForcedMonotonicity {
            base: m.base,
            span: m.span,
            min_ts: old.min_ts.min(m.min_ts),
            max_ts: old.max_ts.max(m.max_ts),
            min_bucket: old.min_bucket.min(m.min_bucket),
            max_bucket: old.max_bucket.max(m.max_bucket),
            max_diff: old.max_diff.max(m.max_diff),
            count: old.count + m.count + 1,
        };
        let old_message = old.message();
        if let Some(a) = self
            .0
            .iter_mut()
            .find(|a| a.severity == Severity::Info && a.message == old_message)
        {
            a.message = merged.message();
            a.span = merged.span;
        }
        self.1[i] = merged;
    }

    /// All annotations, in the order they were added.
    pub fn iter(&self) -> std::slice::Iter<'_, Annotation> {
        self.0.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Renders warnings and infos as Prometheus's `Annotations.AsStrings(query, 0, 0)`:
    /// the message followed by ` (line:col)` of its span within `query`, when it has one.
    pub fn as_strings(&self, query: &str) -> (Vec<String>, Vec<String>) {
        self.split(|a| match a.span {
            Some(span) => format!("{} ({})", a.message, line_col(query, span.start)),
            None => a.message.clone(),
        })
    }

    /// Warnings and infos as their bare messages, without positions (an annotation's
    /// `Error()` in Prometheus up to 3.5's promqltest).
    pub fn messages(&self) -> (Vec<String>, Vec<String>) {
        self.split(|a| a.message.clone())
    }

    /// Warnings and infos rendered by `text`, in the order they were added.
    fn split(&self, text: impl Fn(&Annotation) -> String) -> (Vec<String>, Vec<String>) {
        let mut warnings = Vec::new();
        let mut infos = Vec::new();
        for a in &self.0 {
            match a.severity {
                Severity::Warning => warnings.push(text(a)),
                Severity::Info => infos.push(text(a)),
            }
        }
        (warnings, infos)
    }
}

/// `line:col` (1-based) of byte offset `pos` in `query`, as Prometheus's `PositionRange.StartPosInput`.
pub fn line_col(query: &str, pos: usize) -> String {
    let pos = pos.min(query.len());
    let before = &query[..pos];
    let line = before.matches('\n').count() + 1;
    let col = match before.rfind('\n') {
        Some(nl) => pos - nl,
        None => pos + 1,
    };
    format!("{line}:{col}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forced(ts: i64, min_bucket: f64, max_bucket: f64, max_diff: f64) -> ForcedMonotonicity {
        ForcedMonotonicity {
            base: "PromQL info: input to histogram_quantile needed to be fixed for monotonicity"
                .into(),
            span: Some(Span { start: 3, end: 5 }),
            min_ts: ts,
            max_ts: ts,
            min_bucket,
            max_bucket,
            max_diff,
            count: 0,
        }
    }

    #[test]
    fn forced_monotonicity_merges_across_steps() {
        let mut a = Annotations::new();
        a.add_forced_monotonicity(forced(60_000, 2.0, 5.0, 0.5));
        a.add_forced_monotonicity(forced(120_000, 1.0, 3.0, 123.0));
        let (warnings, infos) = a.as_strings("histogram_quantile(0.5, x)");
        assert!(warnings.is_empty());
        assert_eq!(
            infos,
            vec![
                "PromQL info: input to histogram_quantile needed to be fixed for monotonicity, \
                  from buckets 1 to 5, with a max diff of 1.2e+02, over 2 samples from \
                  1970-01-01T00:01:00Z to 1970-01-01T00:02:00Z (1:4)"
                    .to_string()
            ]
        );
    }

    #[test]
    fn two_significant_digits() {
        assert_eq!(format_go_g_precision2(2.0), "2");
        assert_eq!(format_go_g_precision2(0.125), "0.12");
        assert_eq!(format_go_g_precision2(25.0), "25");
        assert_eq!(format_go_g_precision2(0.00001234), "1.2e-05");
    }
}
