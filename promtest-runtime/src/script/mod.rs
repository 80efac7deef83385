//! promqltest scripts (`.test`): `load`, `clear`, `eval` commands, expectations and series notation.
//!
//! [`parse_script`] reads a script as Prometheus's `promqltest` does; [`Load::apply`]
//! puts a `load` block's samples into a [`crate::store::Store`]. Expressions stay text:
//! the harness parses them with the PromQL parser.
//!
//! Where this differs from upstream, on purpose:
//! - command words (`load`, `eval_fail`, `clear`…) are matched case-insensitively;
//!   upstream accepts only lowercase `load`/`eval` forms;
//! - loaded histograms get the counter-reset hints the TSDB reads back, but chunks the
//!   TSDB would cut for size (which read back `unknown` at their first sample) are not modelled;
//! - repetitions (`axN`) are capped at [`series::MAX_REPEAT`] values.

mod apply;
mod eval;
mod expect;
mod histogram_literal;
mod lines;
mod load;
mod position;
mod series;
mod series_lexer;
mod start_timestamps;
mod update;

#[cfg(test)]
mod corpus_tests;

pub use crate::error::{Error, ErrorKind, Location};
pub(crate) use update::replace_expected;

use crate::model::{FloatHistogram, Labels, Timestamp};

/// Parses a promqltest script. `file` is used only in error locations.
///
/// A malformed line anywhere makes the whole script fail, with the file, 1-based
/// line and column, and what was expected.
pub fn parse_script(file: &str, src: &str) -> Result<Script, Error> {
    lines::parse_lines(file, src)
}

/// Parses one series description (`metric{a="b"} 1+2x3 _ stale {{…}}`) into its
/// labels and values, as used by `load` lines, expected results and rule tests'
/// `input_series`. Errors carry the 0-based byte offset of the problem in `text`.
#[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
pub fn parse_series(text: &str) -> Result<(Labels, Vec<SequenceValue>), (usize, String)> {
    series::parse_series_desc(text).map_err(|e| (e.at, e.msg))
}

/// As [`parse_series`], for inputs of which only the first `limit` values can ever be read
/// (promtool's input series, read up to the last evaluation time): a repetition longer than
/// [`series::MAX_REPEAT`] then stops expanding at `limit` values instead of being an error.
#[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
pub fn parse_series_upto(
    text: &str,
    limit: usize,
) -> Result<(Labels, Vec<SequenceValue>), (usize, String)> {
    series::parse_series_desc_upto(text, Some(limit)).map_err(|e| (e.at, e.msg))
}

/// The label name a series description's metric repeats, if any (`m{a="1",a="2"}`): it
/// parses, but Prometheus's storage refuses such a series.
#[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
pub fn duplicate_label_name(text: &str) -> Option<String> {
    series::duplicate_label_name(text)
}

/// One value of a series in series notation.
#[derive(Debug, Clone, PartialEq)]
pub enum SequenceValue {
    /// `_`: no sample at this step.
    Omitted,
    /// A float (`stale` is the stale marker NaN).
    Float(f64),
    /// A `{{...}}` histogram literal; `counter_reset_hint_set` when the literal names one.
    Histogram {
        /// The histogram (boxed: a float is the common case, and a series of floats should not
        /// take a histogram's room per value).
        h: Box<FloatHistogram>,
        /// Whether the literal set `counter_reset_hint`.
        counter_reset_hint_set: bool,
    },
}

/// A parsed script.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Script {
    /// The commands in order.
    pub(crate) commands: Vec<Command>,
}

impl Script {
    /// The commands, in file order.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }
}

impl Load {
    /// 1-based line of the `load` word.
    pub fn line(&self) -> usize {
        self.line
    }
}

impl Eval {
    /// 1-based line of the eval.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The eval line as written (trimmed), as trial names show it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The PromQL expression.
    pub fn expr(&self) -> &str {
        &self.expr
    }

    /// The expected series (or scalar) lines, in the order written.
    pub fn expected_series(&self) -> &[ExpectedSeries] {
        &self.expect.series
    }
}

/// One command of a script.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // evals dominate scripts; boxing them buys nothing
pub enum Command {
    /// `load <step>` / `load_with_nhcb <step>` and its series lines.
    Load(Load),
    /// `clear`.
    Clear {
        /// 1-based line.
        line: usize,
    },
    /// `eval ...` and its expectation lines.
    Eval(Eval),
}

/// A `load` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    /// 1-based line of the `load` word.
    pub(crate) line: usize,
    /// Interval between successive values (ms).
    pub(crate) step: i64,
    /// `load_with_nhcb`: classic histogram series are also loaded as custom-bucket native histograms.
    pub(crate) with_nhcb: bool,
    /// The series, in order.
    pub(crate) series: Vec<LoadSeries>,
}

/// One series line of a `load` block.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadSeries {
    /// 1-based line.
    pub line: usize,
    /// The series' labels.
    pub labels: Labels,
    /// Values at 0, step, 2·step, …
    pub values: Vec<SequenceValue>,
    /// Start-timestamp offsets (ms, relative to each sample) from a preceding `metric@st` line, aligned with `values`.
    pub start_offsets: Option<Vec<Option<i64>>>,
}

/// When an eval runs.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalTime {
    /// `eval instant at <t>`.
    Instant(Timestamp),
    /// `eval range from <start> to <end> step <step>`.
    Range {
        /// Start (ms).
        start: Timestamp,
        /// End (ms).
        end: Timestamp,
        /// Step (ms).
        step: i64,
    },
}

/// How an `expect` line matches a message.
#[derive(Debug, Clone)]
pub enum MessageMatch {
    /// No `msg:`/`regex:`: anything matches.
    Any,
    /// `msg: text`: exact text.
    Exact(String),
    /// `regex: re` / `expected_fail_regexp re`: a regex that must match somewhere.
    Regex(regex::Regex),
}

impl PartialEq for MessageMatch {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (MessageMatch::Any, MessageMatch::Any) => true,
            (MessageMatch::Exact(a), MessageMatch::Exact(b)) => a == b,
            (MessageMatch::Regex(a), MessageMatch::Regex(b)) => a.as_str() == b.as_str(),
            _ => false,
        }
    }
}

impl MessageMatch {
    /// Whether `text` satisfies this match.
    pub fn matches(&self, text: &str) -> bool {
        match self {
            MessageMatch::Any => true,
            MessageMatch::Exact(s) => s == text,
            MessageMatch::Regex(r) => r.is_match(text),
        }
    }
}

/// One expected series (or scalar) of an eval.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedSeries {
    /// 1-based line.
    pub line: usize,
    /// Labels; `None` for a bare number (a scalar result).
    pub labels: Option<Labels>,
    /// Values (one for an instant eval).
    pub values: Vec<SequenceValue>,
}

/// What an eval expects.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expectations {
    /// `expect fail` (or `eval_fail`): the query must fail; the match applies to the error text.
    pub fail: Option<MessageMatch>,
    /// `expect warn` lines (or `eval_warn`, which adds `Any`).
    pub warn: Vec<MessageMatch>,
    /// `expect info` lines (or `eval_info`).
    pub info: Vec<MessageMatch>,
    /// `expect no_warn`.
    pub no_warn: bool,
    /// `expect no_info`.
    pub no_info: bool,
    /// `expect ordered` (or `eval_ordered`).
    pub ordered: bool,
    /// `expect range vector from .. to .. step ..`: an instant query's range-vector result window.
    pub range_vector: Option<(Timestamp, Timestamp, i64)>,
    /// `expect string "..."`.
    pub string: Option<String>,
    /// Expected series, in the order written.
    pub series: Vec<ExpectedSeries>,
}

/// An `eval` command.
#[derive(Debug, Clone, PartialEq)]
pub struct Eval {
    /// 1-based line of the eval.
    pub(crate) line: usize,
    /// The whole eval line as written (trimmed), used in trial names.
    pub(crate) text: String,
    /// The PromQL expression.
    pub(crate) expr: String,
    /// 1-based column (in characters) of the expression within its line of the file,
    /// counting the line's indentation (`text` is trimmed, so for an indented eval
    /// line the expression starts at a smaller column of `text`).
    pub(crate) expr_col: usize,
    /// When it runs.
    pub(crate) time: EvalTime,
    /// What it expects.
    pub(crate) expect: Expectations,
}
