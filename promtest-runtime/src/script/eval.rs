//! `eval instant at <t> <expr>` / `eval range from <t> to <t> step <d> <expr>` (and the
//! deprecated `eval_fail`, `eval_warn`, `eval_info`, `eval_ordered`) with their blocks of
//! expectation lines, expected series and scalars.

use std::sync::OnceLock;

use regex::Regex;

use super::expect::{
    apply_expect_line, parse_expect_string, parse_range_vector, parse_window, RANGE_VECTOR_PREFIX,
    STRING_PREFIX,
};
use super::lines::{Ctx, Line};
use super::series::parse_series_desc;
use super::{Error, Eval, EvalTime, Expectations, ExpectedSeries, MessageMatch};
use crate::literals::number::parse_go_number;
use crate::literals::parse_duration;

/// Go's `\s`.
const S: &str = r"[\t\n\x0C\r ]";

fn instant_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"^(?i:eval)(?:_((?i:fail|warn|ordered|info)))?{S}+instant{S}+(?:at{S}+(.+?))?{S}+(.+)$"
        ))
        .expect("valid regex")
    })
}

fn range_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"^(?i:eval)(?:_((?i:fail|warn|info)))?{S}+range{S}+from{S}+(.+){S}+to{S}+(.+){S}+step{S}+(.+?){S}+(.+)$"
        ))
        .expect("valid regex")
    })
}

/// Parses the eval at `lines[i]` and its block; returns it and the index of the
/// next line to read as a command.
pub(crate) fn parse_eval(
    ctx: &Ctx<'_>,
    lines: &[Line<'_>],
    i: usize,
) -> Result<(Eval, usize), Error> {
    let head = &lines[i];
    let text = head.text;
    let (modifier, expr_m, time) = if let Some(c) = instant_re().captures(text) {
        let expr = c.get(3).expect("expr group");
        let at = c.get(2).map_or("", |m| m.as_str());
        let at_pos = c.get(2).map_or(expr.start(), |m| m.start());
        let t = parse_duration(at).map_err(|e| {
            ctx.err(
                head,
                at_pos,
                format!(
                    "error in eval {} (line {}): invalid timestamp definition {at:?}: {e}",
                    expr.as_str(),
                    head.no
                ),
            )
        })?;
        (c.get(1), expr, EvalTime::Instant(t))
    } else if let Some(c) = range_re().captures(text) {
        let expr = c.get(5).expect("expr group");
        let (start, end, step) = parse_window(&c[2], &c[3], &c[4]).map_err(|e| {
            ctx.err(
                head,
                c.get(2).map_or(0, |m| m.start()),
                format!("error in eval {} (line {}): {e}", expr.as_str(), head.no),
            )
        })?;
        (c.get(1), expr, EvalTime::Range { start, end, step })
    } else {
        return Err(ctx.err(
            head,
            0,
            "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'",
        ));
    };
    let expr = expr_m.as_str().to_string();
    let is_instant = matches!(time, EvalTime::Instant(_));
    let mut expect = Expectations::default();
    let modifier = modifier.map(|m| m.as_str().to_ascii_lowercase());
    let old_fail = modifier.as_deref() == Some("fail");
    match modifier.as_deref() {
        Some("fail") => expect.fail = Some(MessageMatch::Any),
        Some("ordered") => expect.ordered = true,
        _ => {}
    }
    let in_eval = |msg: String| format!("error in eval {expr} (line {}): {msg}", head.no);

    let mut fail_lines = 0usize;
    let mut j = i + 1;
    while j < lines.len() && !lines[j].text.is_empty() {
        let line = &lines[j];
        let t = line.text;
        j += 1;
        if old_fail {
            if let Some(rest) = t.strip_prefix("expected_fail_message") {
                let msg = rest.trim();
                if !msg.is_empty() {
                    expect.fail = Some(MessageMatch::Exact(msg.to_string()));
                }
                break;
            }
            if let Some(rest) = t.strip_prefix("expected_fail_regexp") {
                let pattern = rest.trim();
                let re = Regex::new(pattern).map_err(|e| {
                    ctx.err(
                        line,
                        t.len() - rest.trim_start().len(),
                        in_eval(format!(
                            "invalid regexp '{pattern}' for expected_fail_regexp: {}",
                            e.to_string().lines().last().unwrap_or("").trim()
                        )),
                    )
                })?;
                expect.fail = Some(MessageMatch::Regex(re));
                break;
            }
        }
        if t.starts_with(RANGE_VECTOR_PREFIX) {
            let window = parse_range_vector(t).map_err(|e| ctx.err(line, 0, in_eval(e)))?;
            expect.range_vector = Some(window);
            continue;
        }
        if t.starts_with(STRING_PREFIX) {
            let s = parse_expect_string(t).map_err(|e| ctx.err(line, 0, in_eval(e)))?;
            expect.string = Some(s);
            continue;
        }
        if t.split(' ').next() == Some("expect") {
            apply_expect_line(t, &mut expect, &mut fail_lines)
                .map_err(|e| ctx.err(line, 0, in_eval(e)))?;
            continue;
        }
        if let Some(v) = parse_go_number(t) {
            expect.series.push(ExpectedSeries {
                line: line.no,
                labels: None,
                values: vec![super::SequenceValue::Float(v)],
            });
            break;
        }
        let (labels, values) = parse_series_desc(t).map_err(|e| ctx.pos_err(line, e))?;
        if values.len() > 1 && is_instant && expect.range_vector.is_none() {
            return Err(ctx.err(
                line,
                0,
                in_eval("expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query".to_string()),
            ));
        }
        let entry = ExpectedSeries {
            line: line.no,
            labels: Some(labels),
            values,
        };
        match expect.series.iter_mut().find(|s| s.labels == entry.labels) {
            Some(existing) => *existing = entry,
            None => expect.series.push(entry),
        }
    }
    // `eval_warn`/`eval_info` require at least one annotation of the kind, which
    // `expect warn|info` lines already do; alone they accept any.
    match modifier.as_deref() {
        Some("warn") if expect.warn.is_empty() => expect.warn.push(MessageMatch::Any),
        Some("info") if expect.info.is_empty() => expect.info.push(MessageMatch::Any),
        _ => {}
    }
    let expr_col = ctx.loc(head, expr_m.start()).col;
    Ok((
        Eval {
            line: head.no,
            text: text.to_string(),
            expr,
            expr_col,
            time,
            expect,
        },
        j,
    ))
}

#[cfg(test)]
mod tests {
    use crate::model::Labels;
    use crate::script::{parse_script, Command, Eval, EvalTime, MessageMatch, SequenceValue};

    fn evals(src: &str) -> Vec<Eval> {
        parse_script("t.test", src)
            .unwrap()
            .commands
            .into_iter()
            .filter_map(|c| match c {
                Command::Eval(e) => Some(e),
                _ => None,
            })
            .collect()
    }

    fn err(src: &str) -> String {
        parse_script("t.test", src).unwrap_err().to_string()
    }

    #[test]
    fn instant_eval_with_series_and_scalar() {
        let e = evals(
            "eval instant at 50m sum(x)\n  {} 3\n  x{a=\"b\"} 1\n\neval instant at 0 1+1\n  2\n",
        );
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].time, EvalTime::Instant(3_000_000));
        assert_eq!(
            (e[0].expr.as_str(), e[0].expr_col, e[0].line),
            ("sum(x)", 21, 1)
        );
        assert_eq!(e[0].text, "eval instant at 50m sum(x)");
        assert_eq!(e[0].expect.series[0].labels, Some(Labels::empty()));
        assert_eq!(e[1].expect.series[0].labels, None);
        assert_eq!(
            e[1].expect.series[0].values,
            vec![SequenceValue::Float(2.0)]
        );
        assert_eq!(e[1].expr_col, 19);
    }

    #[test]
    fn range_eval() {
        let e = evals("eval range from 0 to 10m step 5m rate(x[5m])\n  {} 1 2 _\n");
        assert_eq!(
            e[0].time,
            EvalTime::Range {
                start: 0,
                end: 600_000,
                step: 300_000
            }
        );
        assert_eq!(e[0].expr, "rate(x[5m])");
        assert_eq!(e[0].expect.series[0].values.len(), 3);
    }

    #[test]
    fn deprecated_forms_and_case() {
        let e = evals("EVAL_FAIL instant at 0 foo(\n  expected_fail_message bad thing\n\neval_warn range from 0 to 1m step 1m x\n\neval_ordered instant at 1m x\n  x{a=\"1\"} 1\n  x{a=\"0\"} 2\n\neval_info instant at 0 y\n");
        assert_eq!(
            e[0].expect.fail,
            Some(MessageMatch::Exact("bad thing".into()))
        );
        assert_eq!(e[1].expect.warn, vec![MessageMatch::Any]);
        assert!(e[2].expect.ordered);
        assert_eq!(e[2].expect.series.len(), 2);
        assert_eq!(e[3].expect.info, vec![MessageMatch::Any]);
        // With explicit expectations, eval_warn adds nothing; with no_warn it is no parse error.
        let w = evals("eval_warn instant at 0 x\n  expect warn msg: w1\n\neval_warn instant at 0 x\n  expect no_warn\n");
        assert_eq!(w[0].expect.warn, vec![MessageMatch::Exact("w1".into())]);
        assert!(w[1].expect.no_warn && w[1].expect.warn == vec![MessageMatch::Any]);
        let r = evals("eval_fail instant at 0 x\n expected_fail_regexp bad.*\n");
        assert!(
            matches!(&r[0].expect.fail, Some(MessageMatch::Regex(re)) if re.as_str() == "bad.*")
        );
    }

    #[test]
    fn expect_lines_in_block() {
        let e = evals("eval instant at 1m x\n  expect fail msg: boom\n  expect warn regex: w.*\n  expect no_info\n  expect range vector from 0 to 1m step 30s\n  x 1 2 3\n\neval instant at 0 \"a\"\n  expect string \"a\"\n");
        let x = &e[0].expect;
        assert_eq!(x.fail, Some(MessageMatch::Exact("boom".into())));
        assert_eq!(x.warn.len(), 1);
        assert!(x.no_info);
        assert_eq!(x.range_vector, Some((0, 60_000, 30_000)));
        assert_eq!(x.series[0].values.len(), 3);
        assert_eq!(e[1].expect.string.as_deref(), Some("a"));
    }

    #[test]
    fn duplicate_expected_series_keep_the_last() {
        let e = evals("eval instant at 0 x\n  x 1\n  x 2\n");
        assert_eq!(e[0].expect.series.len(), 1);
        assert_eq!(
            e[0].expect.series[0].values,
            vec![SequenceValue::Float(2.0)]
        );
        assert_eq!(e[0].expect.series[0].line, 3);
    }

    #[test]
    fn eval_errors() {
        assert_eq!(
            err("eval instant at 0 x\n  x 1 2\n"),
            "t.test:2:3: error in eval x (line 1): expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query"
        );
        assert!(err("eval instant  x\n").starts_with(
            "t.test:1:15: error in eval x (line 1): invalid timestamp definition \"\""
        ));
        assert!(err("eval instant x\n").starts_with("t.test:1:1: invalid evaluation command."));
        assert!(err("eval instant at 5 x\n").starts_with(
            "t.test:1:17: error in eval x (line 1): invalid timestamp definition \"5\""
        ));
        assert!(err("eval range from 1m to 0 step 1m x\n")
            .contains("end timestamp (0) is before start timestamp (1m)"));
        assert!(err("eval_ordered range from 0 to 1m step 1m x\n")
            .starts_with("t.test:1:1: invalid evaluation command."));
        assert!(err("eval sometime x\n").starts_with("t.test:1:1: invalid evaluation command."));
        assert!(err("eval instant at 0 x\n  expect maybe\n")
            .starts_with("t.test:2:3: error in eval x (line 1): invalid expect statement"));
        assert_eq!(
            err("eval instant at 0 x\n  x{a=\"b} 1\n"),
            "t.test:2:7: unterminated quoted string"
        );
        // A scalar ends the eval: a following line is read as a command.
        assert!(
            err("eval instant at 0 1\n  1\n  2\n").starts_with("t.test:3:3: invalid command \"2\"")
        );
        let re_err = err("eval_fail instant at 0 x\n expected_fail_regexp (\n");
        assert!(re_err.starts_with(
            "t.test:2:23: error in eval x (line 1): invalid regexp '(' for expected_fail_regexp: "
        ));
        assert!(!re_err.contains('\n'), "{re_err}");
    }
}
