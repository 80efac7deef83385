//! Running one eval exactly as promqltest does: the query itself, the `@`-pinned variants of an
//! instant eval, the range-mode check, expected failures, annotations and the result comparison.

use std::sync::OnceLock;

use regex::Regex;

use crate::model::Timestamp;
use crate::promql::ast::Expr;
use crate::promql::value::{Value, VectorSample};
use crate::promql::{parse_expr, Engine, EvalError, QueryResult};
use crate::script::{Eval, MessageMatch};
use crate::store::Store;

use super::annotations_check::{check_annotations, AnnotationExpectations};
use super::at_modifier::{additional_eval_times, pinned};
use super::compare::{assert_matrix_sorted, compare_result};
use super::diff::{expected_lines, got_lines};
use super::expected::Expected;
use super::failure::Failure;
use super::quote::{duration, go_quote};

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
    /// Prepares an eval of `file` to run against `store` with promqltest's engine settings.
    pub fn new(file: &'a str, eval: &'a Eval, store: &'a Store) -> Self {
        EvalRun {
            file,
            eval,
            store,
            engine: Engine::default(),
            exp: Expected::new(eval),
        }
    }

    fn failure(&self, query: &str, when: String, message: String) -> Failure {
        Failure {
            file: self.file.to_string(),
            line: self.eval.line,
            query: query.to_string(),
            when,
            message,
            diff: None,
        }
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
        let ast = match parse_expr(&self.eval.expr) {
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
                        .map_err(|m| self.failure(&self.eval.expr, when, m));
                }
                let kind = if self.exp.is_range {
                    "range"
                } else {
                    "instant"
                };
                return Err(self.failure(
                    &self.eval.expr,
                    when,
                    format!(
                        "error creating {kind} query for {} (line {}): {text}",
                        go_quote(&self.eval.expr),
                        self.eval.line
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
        let fail = |m: String| self.failure(query, when.to_string(), m);
        match res.value {
            Err(EvalError::Unsupported(u)) => Err(fail(format!("unsupported by promtest: {u}"))),
            Err(e) if self.exp.fail.is_some() => self
                .check_expected_failure(&e.to_string())
                .map(|()| None)
                .map_err(fail),
            Err(e) => Err(fail(format!(
                "error evaluating query {} (line {}): {e}",
                go_quote(query),
                self.eval.line
            ))),
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
                )
                .map_err(fail)?;
                Ok(Some(v))
            }
        }
    }

    fn compare(&self, query: &str, when: &str, got: &Value, suffix: &str) -> Result<(), Failure> {
        compare_result(&self.exp, got).map_err(|m| {
            let mut f = self.failure(
                query,
                when.to_string(),
                format!(
                    "error in eval {query} (line {}){suffix}: {m}",
                    self.eval.line
                ),
            );
            f.diff = Some(Box::new((
                expected_lines(&self.exp),
                got_lines(&self.exp, got),
            )));
            f
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
        self.run_instant_query(&self.eval.expr, ast, t)?;
        let Some(pinned_ast) = pinned(ast, t) else {
            return Ok(());
        };
        let text = pinned_ast.to_string();
        let reparsed = match parse_expr(&text) {
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
                return Err(self.failure(&text, Self::instant_when(t), msg));
            }
        };
        for et in additional_eval_times(t) {
            self.run_instant_query(&text, &reparsed, et)?;
        }
        Ok(())
    }

    fn run_instant_query(&self, query: &str, ast: &Expr, t: Timestamp) -> Result<(), Failure> {
        let when = Self::instant_when(t);
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
            Err(EvalError::Unsupported(u)) => {
                return Err(self.failure(query, rwhen, format!("unsupported by promtest: {u}")))
            }
            Err(e) => {
                return Err(self.failure(
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
                return Err(self.failure(
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
        assert_matrix_sorted(&matrix).map_err(|m| self.failure(query, rwhen.clone(), m))?;
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
                    return Err(self.failure(
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
