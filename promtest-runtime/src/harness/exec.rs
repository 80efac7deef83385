//! Running one eval exactly as promqltest does: the query itself, the `@`-pinned variants of an
//! instant eval, the range-mode check, expected failures, annotations and the result comparison.

use std::sync::OnceLock;

use regex::Regex;

use crate::model::Timestamp;
use crate::promql::ast::Expr;
use crate::promql::value::{Value, VectorSample};
use crate::promql::{Engine, EngineOptions, EvalError, ParseError, QueryResult};
use crate::script::{Eval, MessageMatch};
use crate::semantics::{parse_for, Semantics};
use crate::store::Store;

use super::annotations_check::{check_annotations, AnnotationExpectations};
use super::at_modifier::{additional_eval_times, pinned};
use super::compare::{assert_matrix_sorted, compare_result};
use super::diff::{expected_lines, got_lines};
use super::expected::Expected;
use super::failure::{Failure, FailureKind};
use crate::error::{ErrorKind, Location};
use crate::literals::{format_duration as duration, go_quote};

/// The range-mode check is skipped for queries that depend on the query's own range.
fn query_context_funcs() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(start|end|range|step)\(\)").expect("static regex"))
}

/// One eval being run against the state it sees.
pub struct EvalRun<'a> {
    file: &'a str,
    eval: &'a Eval,
    store: &'a Store,
    engine: Engine,
    exp: Expected,
}

impl<'a> EvalRun<'a> {
    /// Prepares an eval of `file` to run against `store` with promqltest's engine settings,
    /// under the semantics of a Prometheus release.
    pub fn new(file: &'a str, eval: &'a Eval, store: &'a Store, semantics: Semantics) -> Self {
        let defaults = EngineOptions::default();
        let options = EngineOptions {
            semantics,
            delayed_name_removal: defaults.delayed_name_removal
                && semantics.delayed_name_removal_available,
            ..defaults
        };
        EvalRun {
            file,
            eval,
            store,
            engine: Engine::new(options),
            exp: Expected::new(eval),
        }
    }

    fn failure(&self, query: &str, when: String, kind: FailureKind) -> Failure {
        kind.at(Location::line(self.file, self.eval.line))
            .with_query(query, when)
    }

    /// The result differs from the expectation.
    fn mismatch(&self, query: &str, when: String, message: String) -> Failure {
        self.failure(query, when, FailureKind::mismatch(message))
    }

    /// An engine error the eval did not expect (upstream's words around Prometheus's).
    fn engine_error(&self, query: &str, when: String, message: String) -> Failure {
        self.failure(query, when, FailureKind::Error(ErrorKind::Engine(message)))
    }

    /// Parses a query as the release of the engine's semantics does.
    fn parse(&self, query: &str) -> Result<Expr, ParseError> {
        parse_for(query, &self.engine.options.semantics)
    }

    fn instant_when(t: Timestamp) -> String {
        format!("instant at {} (t={t}ms)", duration(t))
    }

    fn range_when(start: Timestamp, end: Timestamp, step: i64) -> String {
        format!(
            "range from {} to {} step {}",
            duration(start),
            duration(end),
            duration(step)
        )
    }

    /// The eval line with a caret under byte `pos` of the expression, and its `file:line:col`.
    fn caret(&self, pos: usize) -> String {
        let text = &self.eval.text;
        let expr = &self.eval.expr;
        let start = text
            .rfind(expr.as_str())
            .unwrap_or(self.eval.expr_col.saturating_sub(1));
        let pos = pos.min(expr.len());
        let prefix: String = text
            .get(..start)
            .unwrap_or_default()
            .chars()
            .chain(expr.get(..pos).unwrap_or_default().chars())
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let col = self.eval.expr_col + expr.get(..pos).map_or(0, |p| p.chars().count());
        format!(
            "  --> {}:{}:{col}\n   | {text}\n   | {prefix}^",
            self.file, self.eval.line
        )
    }

    /// Upstream's `checkExpectedFailure`: the error text against `expect fail`.
    fn check_expected_failure(&self, actual: &str) -> Result<(), String> {
        match &self.exp.fail {
            Some(m) if !m.matches(actual) => {
                let want = match m {
                    MessageMatch::Any => "^.*$".to_string(),
                    MessageMatch::Exact(s) => s.clone(),
                    MessageMatch::Regex(r) => r.as_str().to_string(),
                };
                Err(format!(
                    "expected error matching {} evaluating query {} (line {}), but got: {actual}",
                    go_quote(&want),
                    go_quote(&self.eval.expr),
                    self.eval.line
                ))
            }
            _ => Ok(()),
        }
    }

    /// Runs the eval; `Err` holds why it failed.
    pub fn run(&self) -> Result<(), Failure> {
        let ast = match self.parse(&self.eval.expr) {
            Ok(ast) => ast,
            Err(e) => {
                let text = e.render(&self.eval.expr);
                let when = if self.exp.is_range {
                    Self::range_when(self.exp.start, self.exp.end, self.exp.step)
                } else {
                    Self::instant_when(self.exp.eval_time)
                };
                if self.exp.fail.is_some() {
                    return self
                        .check_expected_failure(&text)
                        .map_err(|m| self.mismatch(&self.eval.expr, when, m));
                }
                let kind = if self.exp.is_range {
                    "range"
                } else {
                    "instant"
                };
                return Err(self.engine_error(
                    &self.eval.expr,
                    when,
                    format!(
                        "error creating {kind} query for {} (line {}): {text}\n{}",
                        go_quote(&self.eval.expr),
                        self.eval.line,
                        self.caret(e.span.start)
                    ),
                ));
            }
        };
        if self.exp.is_range {
            self.run_range(&ast)
        } else {
            self.run_instant(&ast)
        }
    }

    /// What the eval expects.
    pub fn expected(&self) -> &Expected {
        &self.exp
    }

    /// The result of the eval's own query (none of the automatic checks), when it runs
    /// without error: what the update mode writes as the expectation.
    pub fn main_result(&self) -> Option<Value> {
        let ast = self.parse(&self.eval.expr).ok()?;
        let res = if self.exp.is_range {
            self.engine.range(
                self.store,
                &ast,
                self.exp.start,
                self.exp.end,
                self.exp.step,
            )
        } else {
            self.engine.instant(self.store, &ast, self.exp.eval_time)
        };
        res.value.ok()
    }

    fn annotation_expectations(&self) -> AnnotationExpectations<'_> {
        let x = &self.eval.expect;
        AnnotationExpectations {
            warn: &x.warn,
            info: &x.info,
            no_warn: x.no_warn,
            no_info: x.no_info,
        }
    }

    /// Handles the value-or-error part common to every query: expected failures, annotations.
    /// `Ok(None)` means the query failed as expected and nothing more is checked.
    fn outcome(&self, query: &str, when: &str, res: QueryResult) -> Result<Option<Value>, Failure> {
        let fail = |m: String| self.mismatch(query, when.to_string(), m);
        match res.value {
            Err(e @ EvalError::Unsupported(_)) => {
                Err(self.failure(query, when.to_string(), FailureKind::Error(e)))
            }
            Err(e) if self.exp.fail.is_some() => self
                .check_expected_failure(&e.to_string())
                .map(|()| None)
                .map_err(fail),
            Err(e) => Err(self.engine_error(
                query,
                when.to_string(),
                format!(
                    "error evaluating query {} (line {}): {e}",
                    go_quote(query),
                    self.eval.line
                ),
            )),
            Ok(_) if self.exp.fail.is_some() => Err(fail(format!(
                "expected error evaluating query {} (line {}) but got none",
                go_quote(query),
                self.eval.line
            ))),
            Ok(v) => {
                check_annotations(
                    self.annotation_expectations(),
                    query,
                    self.eval.line,
                    &res.annotations,
                    !self
                        .engine
                        .options
                        .semantics
                        .annotation_msg_without_position,
                )
                .map_err(fail)?;
                Ok(Some(v))
            }
        }
    }

    fn compare(&self, query: &str, when: &str, got: &Value, suffix: &str) -> Result<(), Failure> {
        compare_result(&self.exp, got).map_err(|m| {
            let kind = FailureKind::Mismatch {
                message: format!(
                    "error in eval {query} (line {}){suffix}: {m}",
                    self.eval.line
                ),
                diff: Some(Box::new((
                    expected_lines(&self.exp),
                    got_lines(&self.exp, got),
                ))),
            };
            self.failure(query, when.to_string(), kind)
        })
    }

    fn run_range(&self, ast: &Expr) -> Result<(), Failure> {
        let (start, end, step) = (self.exp.start, self.exp.end, self.exp.step);
        let when = Self::range_when(start, end, step);
        let query = self.eval.expr.as_str();
        let res = self.engine.range(self.store, ast, start, end, step);
        match self.outcome(query, &when, res)? {
            None => Ok(()),
            Some(v) => self.compare(query, &when, &v, ""),
        }
    }

    fn run_instant(&self, ast: &Expr) -> Result<(), Failure> {
        let t = self.exp.eval_time;
        self.run_instant_query(&self.eval.expr, ast, t, false)?;
        let Some(pinned_ast) = pinned(ast, t) else {
            return Ok(());
        };
        let text = pinned_ast.to_string();
        let reparsed = match self.parse(&text) {
            Ok(e) => e,
            Err(e) => {
                let msg = format!(
                    "error creating instant query for {} (line {}): {}",
                    go_quote(&text),
                    self.eval.line,
                    e.render(&text)
                );
                if self.exp.fail.is_some() && self.check_expected_failure(&e.render(&text)).is_ok()
                {
                    return Ok(());
                }
                return Err(self.engine_error(&text, Self::instant_when(t), msg));
            }
        };
        for et in additional_eval_times(t) {
            self.run_instant_query(&text, &reparsed, et, true)?;
        }
        Ok(())
    }

    /// Runs one instant query and its range-mode check; `pinned` marks the automatic `@` variants.
    fn run_instant_query(
        &self,
        query: &str,
        ast: &Expr,
        t: Timestamp,
        pinned: bool,
    ) -> Result<(), Failure> {
        let mut when = Self::instant_when(t);
        if pinned {
            when.push_str(&format!(
                " (automatic @ check: selectors pinned to {})",
                duration(self.exp.eval_time)
            ));
        }
        let res = self.engine.instant(self.store, ast, t);
        let Some(value) = self.outcome(query, &when, res)? else {
            return Ok(());
        };
        self.compare(query, &when, &value, "")?;
        if self.exp.exclude_from_range_query || query_context_funcs().is_match(query) {
            return Ok(());
        }
        let (rs, re) = (t - 60_000, t + 60_000);
        let rwhen = format!("{} (range-mode check)", Self::range_when(rs, re, 60_000));
        let res = self.engine.range(self.store, ast, rs, re, 60_000);
        let matrix = match res.value {
            Err(e @ EvalError::Unsupported(_)) => {
                return Err(self.failure(query, rwhen, FailureKind::Error(e)))
            }
            Err(e) => {
                return Err(self.engine_error(
                    query,
                    rwhen,
                    format!(
                        "error evaluating query {} (line {}) in range mode: {e}",
                        go_quote(query),
                        self.eval.line
                    ),
                ))
            }
            Ok(Value::Matrix(m)) => m,
            Ok(other) => {
                return Err(self.mismatch(
                    query,
                    rwhen,
                    format!(
                        "range query for {} (line {}) returned {} instead of a matrix",
                        go_quote(query),
                        self.eval.line,
                        super::format::value(&other)
                    ),
                ))
            }
        };
        if self.exp.ordered {
            return Ok(());
        }
        assert_matrix_sorted(&matrix).map_err(|m| self.mismatch(query, rwhen.clone(), m))?;
        let mut vec = Vec::with_capacity(matrix.len());
        for s in &matrix {
            if let Some(p) = s.floats.iter().find(|p| p.t == t) {
                vec.push(VectorSample {
                    metric: s.metric.clone(),
                    t,
                    f: p.f,
                    h: None,
                    drop_name: false,
                });
            }
            if let Some(p) = s.histograms.iter().find(|p| p.t == t) {
                vec.push(VectorSample {
                    metric: s.metric.clone(),
                    t,
                    f: 0.0,
                    h: Some(p.h.clone()),
                    drop_name: false,
                });
            }
        }
        let got = if matches!(value, Value::Scalar { .. }) {
            match vec.first() {
                Some(s) => Value::Scalar { t, v: s.f },
                None => {
                    return Err(self.mismatch(
                        query,
                        rwhen,
                        format!(
                            "range query for {} (line {}) has no point at {t}",
                            go_quote(query),
                            self.eval.line
                        ),
                    ))
                }
            }
        } else {
            Value::Vector(vec)
        };
        self.compare(query, &rwhen, &got, " range mode")
    }
}

#[cfg(test)]
mod tests {
    use crate::harness::plan::plan_script;

    /// Runs every eval of `src`, giving each eval line's outcome.
    fn outcomes(src: &str) -> Vec<(usize, Result<(), String>)> {
        plan_script("t.test", src, crate::semantics::Semantics::default())
            .iter()
            .map(|c| (c.line, c.run().map_err(|f| f.render(false))))
            .collect()
    }

    const LOAD: &str = "load 1m\n\tm{a=\"1\"} 0+1x10\n\tm{a=\"2\"} 5x10\n\n";

    #[test]
    fn passing_and_failing_values() {
        let src = format!(
            "{LOAD}eval instant at 2m m\n\tm{{a=\"1\"}} 2\n\tm{{a=\"2\"}} 5\n\n\
             eval instant at 2m m\n\tm{{a=\"1\"}} 3\n\tm{{a=\"2\"}} 5\n"
        );
        let got = outcomes(&src);
        assert_eq!(got[0], (5, Ok(())));
        let err = got[1].1.clone().unwrap_err();
        assert!(
            err.starts_with("t.test:9: error in eval m (line 9): expected 3 for"),
            "{err}"
        );
        assert!(err.contains("- m{a=\"1\"} 3\n+ m{a=\"1\"} 2\n"), "{err}");
    }

    #[test]
    fn expected_failures_must_fail_with_the_right_text() {
        let src = format!(
            "{LOAD}eval instant at 0 m + on() m\n\texpect fail regex: many-to-many\n\n\
             eval instant at 0 m + on() m\n\texpect fail msg: something else\n\n\
             eval instant at 0 m\n\texpect fail\n"
        );
        let got = outcomes(&src);
        assert_eq!(got[0].1, Ok(()));
        assert!(got[1]
            .1
            .as_ref()
            .unwrap_err()
            .contains("expected error matching \"something else\""));
        assert!(got[2].1.as_ref().unwrap_err().contains("but got none"));
    }

    #[test]
    fn parse_errors_render_with_position_and_caret() {
        let got = outcomes("eval instant at 0 sum(\n\t{} 1\n\neval instant at 0 sum(\n\texpect fail regex: parse error\n");
        let err = got[0].1.clone().unwrap_err();
        assert!(err.contains("parse error"), "{err}");
        assert!(err.contains("   | eval instant at 0 sum(\n   |"), "{err}");
        assert_eq!(got[1].1, Ok(()));
    }

    #[test]
    fn range_evals_compare_every_step() {
        let src = format!(
            "{LOAD}eval range from 0 to 2m step 1m m{{a=\"1\"}}\n\tm{{a=\"1\"}} 0 1 2\n\n\
             eval range from 0 to 2m step 1m m{{a=\"1\"}}\n\tm{{a=\"1\"}} 0 1 3\n"
        );
        let got = outcomes(&src);
        assert_eq!(got[0].1, Ok(()));
        let err = got[1].1.clone().unwrap_err();
        assert!(
            err.contains("expected float value at index 2 (t=120000)"),
            "{err}"
        );
        assert!(err.contains("at:    range from 0s to 2m step 1m"), "{err}");
    }

    #[test]
    fn a_later_load_is_invisible_to_an_earlier_eval() {
        let src = "load 1m\n\tx 1\n\neval instant at 0 y\n\nload 1m\n\ty 2\n\neval instant at 0 y\n\ty 2\n";
        let got = outcomes(src);
        assert_eq!(got, vec![(4, Ok(())), (9, Ok(()))]);
    }
}
