//! Label matchers: `=`, `!=`, `=~`, `!~`, with Prometheus's fully anchored regexes.

use std::fmt;

use super::labels::{is_legacy_label_name, write_go_quoted};

/// The comparison a matcher makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchOp {
    /// `=`
    Equal,
    /// `!=`
    NotEqual,
    /// `=~`
    Regex,
    /// `!~`
    NotRegex,
}

impl MatchOp {
    /// The operator as written in PromQL.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regex => "=~",
            MatchOp::NotRegex => "!~",
        }
    }
}

/// One label matcher. A missing label matches as the empty string.
#[derive(Clone, Debug)]
pub struct Matcher {
    /// The label name.
    pub name: String,
    /// The operator.
    pub op: MatchOp,
    /// The value or regex source, as written.
    pub value: String,
    regex: Option<regex::Regex>,
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.op == other.op && self.value == other.value
    }
}

/// A regex in a matcher that does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadRegex(pub String);

impl Matcher {
    /// Builds a matcher; regex operators compile `value` anchored at both ends, as Prometheus does
    /// (3.x: `.` matches a newline).
    pub fn new(
        op: MatchOp,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, BadRegex> {
        Matcher::new_in(op, name, value, true)
    }

    /// [`Matcher::new`] with `.` matching a newline (3.x) or not (2.x,
    /// [`crate::Semantics::regex_dot_matches_newline`]).
    pub fn new_in(
        op: MatchOp,
        name: impl Into<String>,
        value: impl Into<String>,
        dot_matches_newline: bool,
    ) -> Result<Self, BadRegex> {
        let value = value.into();
        let regex = match op {
            MatchOp::Regex | MatchOp::NotRegex => Some(
                anchored_regex(&value, dot_matches_newline)
                    .map_err(|e| BadRegex(regex_error_text(&e)))?,
            ),
            _ => None,
        };
        Ok(Matcher {
            name: name.into(),
            op,
            value,
            regex,
        })
    }

    /// An equality matcher (never fails).
    pub fn equal(name: impl Into<String>, value: impl Into<String>) -> Self {
        Matcher {
            name: name.into(),
            op: MatchOp::Equal,
            value: value.into(),
            regex: None,
        }
    }

    /// Whether `value` (the label's value, "" when absent) satisfies this matcher.
    pub fn matches(&self, value: &str) -> bool {
        match self.op {
            MatchOp::Equal => self.value == value,
            MatchOp::NotEqual => self.value != value,
            MatchOp::Regex => self.regex.as_ref().is_some_and(|r| r.is_match(value)),
            MatchOp::NotRegex => !self.regex.as_ref().is_some_and(|r| r.is_match(value)),
        }
    }

    /// Whether this matcher matches the empty string (i.e. series lacking the label).
    pub fn matches_empty(&self) -> bool {
        self.matches("")
    }
}

/// `pattern` (Go syntax) compiled fully anchored, as Prometheus compiles its label regexes:
/// `^(?s:pattern)$` from 3.0 on, `^(?:pattern)$` before (where `.` does not match `\n`).
pub(crate) fn anchored_regex(
    pattern: &str,
    dot_matches_newline: bool,
) -> Result<regex::Regex, regex::Error> {
    let flags = if dot_matches_newline { "s" } else { "" };
    regex::Regex::new(&format!(
        "^(?{flags}:{})$",
        super::go_regex::translate(pattern)
    ))
}

fn regex_error_text(e: &regex::Error) -> String {
    match e {
        regex::Error::Syntax(s) => s.lines().last().unwrap_or(s).trim().to_string(),
        other => other.to_string(),
    }
}

impl fmt::Display for Matcher {
    /// Prints as PromQL: `name="value"`, quoting non-legacy names.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_legacy_label_name(&self.name) {
            f.write_str(&self.name)?;
        } else {
            write_go_quoted(f, &self.name)?;
        }
        f.write_str(self.op.as_str())?;
        write_go_quoted(f, &self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_is_anchored() {
        let m = Matcher::new(MatchOp::Regex, "a", "fo+").unwrap();
        assert!(m.matches("foo"));
        assert!(!m.matches("xfoo"));
        assert!(!m.matches(""));
        let n = Matcher::new(MatchOp::NotRegex, "a", "fo+|").unwrap();
        assert!(!n.matches(""));
    }

    #[test]
    fn dot_matches_newline() {
        let m = Matcher::new(MatchOp::Regex, "a", "a.b").unwrap();
        assert!(m.matches("a\nb"));
        // 2.x: `.` stops at a newline; classes and `\s` still match it.
        let m = Matcher::new_in(MatchOp::Regex, "a", "a.b", false).unwrap();
        assert!(!m.matches("a\nb") && m.matches("a b"));
        let m = Matcher::new_in(MatchOp::NotRegex, "a", ".*", false).unwrap();
        assert!(m.matches("x\ny") && !m.matches("xy"));
        let m = Matcher::new_in(MatchOp::Regex, "a", "a[^x]b|c\\sd", false).unwrap();
        assert!(m.matches("a\nb") && m.matches("c\nd"));
    }

    #[test]
    fn bad_regex_is_an_error() {
        assert!(Matcher::new(MatchOp::Regex, "a", "(").is_err());
    }
}
