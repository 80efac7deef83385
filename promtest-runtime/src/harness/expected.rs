//! What an eval expects, arranged as promqltest's `evalCmd` holds it: expected series by labels
//! with their positions, the scalar or string, the time grid and the flags.

use std::collections::HashMap;

use crate::model::{Labels, Timestamp};
use crate::script::{Eval, EvalTime, MessageMatch, SequenceValue};

/// One expected series: its position among the series lines (1-based), its line and values.
#[derive(Debug, Clone)]
pub struct ExpectedEntry {
    /// 1-based position among the expected series (for `ordered`).
    pub pos: usize,
    /// The expected values.
    pub vals: Vec<SequenceValue>,
}

/// The expectations of one eval, normalised for comparison.
#[derive(Debug, Clone)]
pub struct Expected {
    /// Whether this is a range eval.
    pub is_range: bool,
    /// Start of the result grid (range evals and `expect range vector`).
    pub start: Timestamp,
    /// End of the result grid.
    pub end: Timestamp,
    /// Step of the result grid.
    pub step: i64,
    /// The time an instant eval runs at (the range vector's end with `expect range vector`).
    pub eval_time: Timestamp,
    /// Whether the automatic range-mode check is skipped.
    pub exclude_from_range_query: bool,
    /// Whether result order matters.
    pub ordered: bool,
    /// Whether the eval must fail, and how the error must read.
    pub fail: Option<MessageMatch>,
    /// A scalar is expected (a bare number line).
    pub scalar: Option<SequenceValue>,
    /// The expected string (empty when none was written).
    pub string: String,
    /// Expected series by labels.
    pub metrics: HashMap<Labels, ExpectedEntry>,
    /// Expected labels in the order written.
    pub order: Vec<Labels>,
}

impl Expected {
    /// Arranges an eval's expectations.
    pub fn new(eval: &Eval) -> Self {
        let x = &eval.expect;
        let (is_range, mut start, mut end, mut step, mut eval_time) = match eval.time {
            EvalTime::Instant(t) => (false, t, t, 0, t),
            EvalTime::Range { start, end, step } => (true, start, end, step, start),
        };
        let mut exclude = x.string.is_some();
        if let Some((s, e, st)) = x.range_vector {
            start = s;
            end = e;
            step = st;
            eval_time = e;
            exclude = true;
        }
        let mut metrics = HashMap::new();
        let mut order = Vec::new();
        let mut scalar = None;
        let mut pos = 0;
        for s in &x.series {
            match &s.labels {
                None => {
                    scalar = s.values.first().cloned();
                }
                Some(l) => {
                    pos += 1;
                    scalar = None;
                    if !metrics.contains_key(l) {
                        order.push(l.clone());
                    }
                    metrics.insert(
                        l.clone(),
                        ExpectedEntry {
                            pos,
                            vals: s.values.clone(),
                        },
                    );
                }
            }
        }
        if scalar.is_some() {
            metrics.clear();
            order.clear();
        }
        Expected {
            is_range,
            start,
            end,
            step,
            eval_time,
            exclude_from_range_query: exclude,
            ordered: x.ordered,
            fail: x.fail.clone(),
            scalar,
            string: x.string.clone().unwrap_or_default(),
            metrics,
            order,
        }
    }

    /// Whether a scalar result is expected.
    pub fn expect_scalar(&self) -> bool {
        self.scalar.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{Expectations, ExpectedSeries};

    fn eval(time: EvalTime, expect: Expectations) -> Eval {
        Eval {
            line: 3,
            text: "eval instant at 1m x".into(),
            expr: "x".into(),
            expr_col: 20,
            time,
            expect,
        }
    }

    #[test]
    fn range_vector_moves_the_eval_time_to_its_end() {
        let e = Expected::new(&eval(
            EvalTime::Instant(60_000),
            Expectations {
                range_vector: Some((0, 30_000, 10_000)),
                ..Default::default()
            },
        ));
        assert_eq!(
            (e.start, e.end, e.step, e.eval_time),
            (0, 30_000, 10_000, 30_000)
        );
        assert!(e.exclude_from_range_query);
        assert!(!e.is_range);
    }

    #[test]
    fn series_positions_count_series_lines() {
        let a = Labels::from_pairs([("a", "1")]);
        let b = Labels::from_pairs([("a", "2")]);
        let e = Expected::new(&eval(
            EvalTime::Instant(0),
            Expectations {
                series: vec![
                    ExpectedSeries {
                        line: 4,
                        labels: Some(b.clone()),
                        values: vec![SequenceValue::Float(1.0)],
                    },
                    ExpectedSeries {
                        line: 5,
                        labels: Some(a.clone()),
                        values: vec![SequenceValue::Float(2.0)],
                    },
                ],
                ..Default::default()
            },
        ));
        assert_eq!(e.metrics[&b].pos, 1);
        assert_eq!(e.metrics[&a].pos, 2);
        assert_eq!(e.order, vec![b, a]);
        assert!(!e.expect_scalar());
    }
}
