//! Conformance of the parser and printer against every eval expression of Prometheus's
//! promqltest corpus (read at test time; see `tests/support/corpus.rs`).

use std::time::Instant;

use super::parse_expr;
use crate::promql::ast::{AtModifier, Expr, Span};

/// One eval expression of the corpus.
struct Case {
    file: String,
    line: usize,
    expr: String,
    /// The `expect fail` line that follows, if any (`msg:`/`regex:` text included).
    expect_fail: Option<String>,
}

use crate::test_corpus as corpus;

/// Every eval expression of the corpus, or `None` when the corpus is absent (under CI,
/// absence fails).
fn corpus_cases() -> Option<Vec<Case>> {
    let dir = corpus::require("promqltest")?;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "test"))
        .collect();
    files.sort();
    let instant = regex::Regex::new(
        r"^eval(?:_(?:fail|warn|ordered|info))?\s+instant\s+(?:at\s+(?:.+?))?\s+(.+)$",
    )
    .ok()?;
    let range = regex::Regex::new(
        r"^eval(?:_(?:fail|warn|info))?\s+range\s+from\s+(?:.+)\s+to\s+(?:.+)\s+step\s+(?:.+?)\s+(.+)$",
    )
    .ok()?;
    let mut cases = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).ok()?;
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (i, l) in lines.iter().enumerate() {
            if !l.to_ascii_lowercase().starts_with("eval") {
                continue;
            }
            let caps = instant.captures(l).or_else(|| range.captures(l));
            let Some(caps) = caps else { continue };
            let expect_fail = lines[i + 1..]
                .iter()
                .take_while(|n| !n.is_empty() && !n.starts_with("eval"))
                .find(|n| n.starts_with("expect fail"))
                .map(|s| s.to_string());
            cases.push(Case {
                file: path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into(),
                line: i + 1,
                expr: caps[1].to_string(),
                expect_fail,
            });
        }
    }
    Some(cases)
}

/// `expr` with every span zeroed and matchers sorted, as text for structural comparison
/// (the `Debug` form, so that NaN literals compare equal).
fn normalized(expr: &Expr) -> String {
    let mut e = expr.clone();
    strip(&mut e);
    format!("{e:?}")
}

fn strip(e: &mut Expr) {
    let zero = Span::default();
    match e {
        Expr::Number(n) => n.span = zero,
        Expr::String(s) => s.span = zero,
        Expr::VectorSelector(vs) => {
            vs.span = zero;
            vs.matchers
                .sort_by(|a, b| (&a.name, &a.value).cmp(&(&b.name, &b.value)));
            strip_dur_opt(&mut vs.offset);
        }
        Expr::MatrixSelector(m) => {
            m.span = zero;
            strip(&mut m.selector);
            strip_dur(&mut m.range);
        }
        Expr::Subquery(s) => {
            s.span = zero;
            strip(&mut s.expr);
            strip_dur(&mut s.range);
            strip_dur_opt(&mut s.step);
            strip_dur_opt(&mut s.offset);
        }
        Expr::Paren(p) => {
            p.span = zero;
            strip(&mut p.expr);
        }
        Expr::Unary(u) => {
            u.span = zero;
            strip(&mut u.expr);
        }
        Expr::Binary(b) => {
            b.span = zero;
            strip(&mut b.lhs);
            strip(&mut b.rhs);
        }
        Expr::Aggregate(a) => {
            a.span = zero;
            strip(&mut a.expr);
            if let Some(p) = a.param.as_mut() {
                strip(p);
            }
        }
        Expr::Call(c) => {
            c.span = zero;
            c.args.iter_mut().for_each(strip);
        }
    }
}

fn strip_dur_opt(d: &mut Option<crate::promql::ast::Duration>) {
    if let Some(d) = d.as_mut() {
        strip_dur(d);
    }
}

fn strip_dur(d: &mut crate::promql::ast::Duration) {
    use crate::promql::ast::{Duration, DurationExpr};
    fn go(e: &mut DurationExpr) {
        let zero = Span::default();
        match e {
            DurationExpr::Number { span, .. } => *span = zero,
            DurationExpr::Step(s) | DurationExpr::Range(s) => *s = zero,
            DurationExpr::Unary { expr, span, .. } => {
                *span = zero;
                go(expr);
            }
            DurationExpr::Binary { lhs, rhs, span, .. } => {
                *span = zero;
                go(lhs);
                go(rhs);
            }
            DurationExpr::MinOf(a, b, s) | DurationExpr::MaxOf(a, b, s) => {
                *s = zero;
                go(a);
                go(b);
            }
            DurationExpr::Paren(a, s) => {
                *s = zero;
                go(a);
            }
        }
    }
    if let Duration::Expr(e) = d {
        go(e);
    }
}

/// Adds `@ ts` to every selector and subquery not already under one, as promqltest's
/// automatic `@` check does before printing and re-parsing.
pub(super) fn add_at(e: &mut Expr, ts: i64) {
    match e {
        Expr::VectorSelector(vs) => {
            vs.at.get_or_insert(AtModifier::Timestamp(ts));
        }
        Expr::MatrixSelector(m) => add_at(&mut m.selector, ts),
        Expr::Subquery(s) => {
            if s.at.is_none() {
                s.at = Some(AtModifier::Timestamp(ts));
            }
        }
        Expr::Paren(p) => add_at(&mut p.expr, ts),
        Expr::Unary(u) => add_at(&mut u.expr, ts),
        Expr::Binary(b) => {
            add_at(&mut b.lhs, ts);
            add_at(&mut b.rhs, ts);
        }
        Expr::Aggregate(a) => {
            add_at(&mut a.expr, ts);
            if let Some(p) = a.param.as_mut() {
                add_at(p, ts);
            }
        }
        Expr::Call(c) => c.args.iter_mut().for_each(|a| add_at(a, ts)),
        Expr::Number(_) | Expr::String(_) => {}
    }
}

#[test]
fn every_corpus_expression_parses_and_round_trips() {
    let Some(cases) = corpus_cases() else {
        return;
    };
    assert!(cases.len() > 2000, "only {} eval lines found", cases.len());
    let started = Instant::now();
    let mut failures = Vec::new();
    for c in &cases {
        let at = format!("{}:{}: {}", c.file, c.line, c.expr);
        let parsed = match parse_expr(&c.expr) {
            Ok(e) => e,
            Err(err) => {
                let msg = err.render(&c.expr);
                let expected = c
                    .expect_fail
                    .as_deref()
                    .and_then(|f| f.split_once("msg:").map(|(_, m)| m.trim().to_string()));
                if expected.as_deref() != Some(err.message.as_str()) {
                    failures.push(format!("{at}\n    does not parse: {msg}"));
                }
                continue;
            }
        };
        let printed = parsed.to_string();
        match parse_expr(&printed) {
            Ok(again) if normalized(&again) == normalized(&parsed) => {}
            Ok(_) => failures.push(format!("{at}\n    printed {printed} parses differently")),
            Err(err) => failures.push(format!(
                "{at}\n    printed {printed} does not parse: {}",
                err.render(&printed)
            )),
        }
        let mut with_at = parsed.clone();
        add_at(&mut with_at, 3_000_000);
        let printed_at = with_at.to_string();
        match parse_expr(&printed_at) {
            Ok(again) if normalized(&again) == normalized(&with_at) => {}
            Ok(_) => failures.push(format!("{at}\n    {printed_at} parses differently")),
            Err(err) => failures.push(format!(
                "{at}\n    {printed_at} does not parse: {}",
                err.render(&printed_at)
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus expressions failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // Each expression was parsed three times; keep parsing cheap.
    let per_parse = started.elapsed() / (cases.len() as u32 * 3);
    assert!(
        per_parse.as_millis() < 5,
        "parsing is slow: {per_parse:?} per expression"
    );
}
