//! A failed case: where, which query at which time, upstream's explanation and the diff.

use std::fmt;

use super::diff;

/// Why a case failed, ready to be rendered into a trial's failure message.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The file, as named in the trial.
    pub file: String,
    /// 1-based line of the eval (or of the script error).
    pub line: usize,
    /// The query that ran (for the automatic checks: the rewritten query).
    pub query: String,
    /// When it ran, e.g. `instant at 50m` or `range from 0s to 10m step 1m`.
    pub when: String,
    /// Upstream's explanation, e.g. `expected 3 for {a="1"} but got 4`.
    pub message: String,
    /// Expected and got series as lines, when the failure is a result mismatch.
    pub diff: Option<Box<(Vec<String>, Vec<String>)>>,
}

impl Failure {
    /// The first line of the explanation (used as the reason of a known failure).
    pub fn summary(&self) -> String {
        self.message.lines().next().unwrap_or_default().to_string()
    }

    /// The full text: `file:line`, query and time, explanation and diff; colours when `color`.
    pub fn render(&self, color: bool) -> String {
        let mut out = format!("{}:{}: {}\n", self.file, self.line, self.message);
        if !self.query.is_empty() {
            out.push_str(&format!("  query: {}\n", self.query));
        }
        if !self.when.is_empty() {
            out.push_str(&format!("  at:    {}\n", self.when));
        }
        if let Some(d) = &self.diff {
            let (exp, got) = &**d;
            out.push_str(&diff::render(exp, got, color));
        }
        out
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_query_and_diff() {
        let f = Failure {
            file: "a.test".into(),
            line: 7,
            query: "sum(x)".into(),
            when: "instant at 1m".into(),
            message: "expected 1 for {} but got 2".into(),
            diff: Some(Box::new((vec!["{} 1".into()], vec!["{} 2".into()]))),
        };
        let text = f.render(false);
        assert!(text.starts_with(
            "a.test:7: expected 1 for {} but got 2\n  query: sum(x)\n  at:    instant at 1m\n"
        ));
        assert!(text.contains("- {} 1\n+ {} 2\n"));
        assert_eq!(f.summary(), "expected 1 for {} but got 2");
    }
}
