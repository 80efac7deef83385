//! Unit tests of the parser: precedence, literals, selectors, modifiers, type checks and
//! the wording of errors.

use super::parse_expr;
use crate::model::MatchOp;
use crate::promql::ast::{
    AggregateOp, AtModifier, BinaryOp, Cardinality, Duration, DurationExpr, Expr, UnaryOp,
};

fn parse(q: &str) -> Expr {
    parse_expr(q).unwrap_or_else(|e| panic!("{q}: {}", e.render(q)))
}

/// The error message (without position) for an input that must not parse.
fn error(q: &str) -> String {
    match parse_expr(q) {
        Ok(e) => panic!("{q} parsed as {e}"),
        Err(e) => e.message,
    }
}

fn number(e: &Expr) -> f64 {
    match e {
        Expr::Number(n) => n.val,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn precedence_and_associativity() {
    // `-2^2` is -(2^2); `^` is right-associative.
    match parse("-2^2") {
        Expr::Unary(u) => {
            assert_eq!(u.op, UnaryOp::Neg);
            assert!(matches!(*u.expr, Expr::Binary(ref b) if b.op == BinaryOp::Pow));
        }
        other => panic!("{other:?}"),
    }
    match parse("2 ^ 3 ^ 2") {
        Expr::Binary(b) => {
            assert_eq!(number(&b.lhs), 2.0);
            assert!(matches!(*b.rhs, Expr::Binary(ref r) if r.op == BinaryOp::Pow));
        }
        other => panic!("{other:?}"),
    }
    // `-a * b` is (-a) * b; `1 + 2 * 3` is 1 + (2 * 3); `a or b and c` is a or (b and c).
    match parse("-a * b") {
        Expr::Binary(b) => {
            assert_eq!(b.op, BinaryOp::Mul);
            assert!(matches!(*b.lhs, Expr::Unary(_)));
        }
        other => panic!("{other:?}"),
    }
    match parse("1 + 2 * 3") {
        Expr::Binary(b) => {
            assert_eq!(b.op, BinaryOp::Add);
            assert!(matches!(*b.rhs, Expr::Binary(ref r) if r.op == BinaryOp::Mul));
        }
        other => panic!("{other:?}"),
    }
    match parse("a or b and c") {
        Expr::Binary(b) => {
            assert_eq!(b.op, BinaryOp::Or);
            assert!(matches!(*b.rhs, Expr::Binary(ref r) if r.op == BinaryOp::And));
        }
        other => panic!("{other:?}"),
    }
    match parse("a - b - c") {
        Expr::Binary(b) => assert!(matches!(*b.lhs, Expr::Binary(_))),
        other => panic!("{other:?}"),
    }
    match parse("a > b atan2 c") {
        Expr::Binary(b) => {
            assert_eq!(b.op, BinaryOp::Gtr);
            assert!(matches!(*b.rhs, Expr::Binary(ref r) if r.op == BinaryOp::Atan2));
        }
        other => panic!("{other:?}"),
    }
    match parse("a </ 2 >/ 1") {
        Expr::Binary(b) => {
            assert_eq!(b.op, BinaryOp::TrimLower);
            assert!(matches!(*b.lhs, Expr::Binary(ref l) if l.op == BinaryOp::TrimUpper));
        }
        other => panic!("{other:?}"),
    }
    // Offsets bind tighter than operators: `x offset 100 + 2` is (x offset 100) + 2.
    match parse("x offset 100 + 2") {
        Expr::Binary(b) => assert!(matches!(*b.lhs, Expr::VectorSelector(_))),
        other => panic!("{other:?}"),
    }
    assert_eq!(parse("2 - -1").to_string(), "2 - -1");
    assert_eq!(number(&parse("- -1")), 1.0);
}

#[test]
fn number_literals() {
    assert_eq!(number(&parse("1_000")), 1000.0);
    assert_eq!(number(&parse("0x1f")), 31.0);
    assert_eq!(number(&parse("1e3")), 1000.0);
    assert_eq!(number(&parse(".5")), 0.5);
    assert_eq!(number(&parse("-1.5e-3")), -0.0015);
    assert!(number(&parse("Inf")).is_infinite());
    assert!(number(&parse("-iNf")).is_sign_negative());
    assert!(number(&parse("NaN")).is_nan());
    match parse("1h30m") {
        Expr::Number(n) => {
            assert_eq!(n.val, 5400.0);
            assert!(n.duration);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(number(&parse("500ms")), 0.5);
}

#[test]
fn string_literals() {
    let s = |q: &str| match parse(q) {
        Expr::String(s) => s.val,
        other => panic!("{other:?}"),
    };
    assert_eq!(s(r#""a\tb""#), "a\tb");
    assert_eq!(s(r"'a\'b'"), "a'b");
    assert_eq!(s("`a\\nb`"), "a\\nb");
    assert_eq!(s(r#""\u00e9""#), "é");
    assert_eq!(error(r#""\c""#), "unknown escape sequence U+0063 'c'");
    assert_eq!(error("\"abc"), "unterminated quoted string");
    assert_eq!(error("`abc"), "unterminated raw string");
}

#[test]
fn selectors_and_matchers() {
    match parse(r#"foo{a="b", c!="d", e=~"f.*", g!~'h',}"#) {
        Expr::VectorSelector(vs) => {
            assert_eq!(vs.name.as_deref(), Some("foo"));
            let ops: Vec<_> = vs.matchers.iter().map(|m| m.op).collect();
            assert_eq!(
                ops,
                [
                    MatchOp::Equal,
                    MatchOp::NotEqual,
                    MatchOp::Regex,
                    MatchOp::NotRegex,
                    MatchOp::Equal
                ]
            );
            assert_eq!(vs.matchers[4].name, "__name__");
        }
        other => panic!("{other:?}"),
    }
    match parse(r#"{"my.metric", "a.b"="c"}"#) {
        Expr::VectorSelector(vs) => {
            assert_eq!(vs.name, None);
            assert_eq!(vs.matchers[0].name, "__name__");
            assert_eq!(vs.matchers[0].value, "my.metric");
            assert_eq!(vs.matchers[1].name, "a.b");
        }
        other => panic!("{other:?}"),
    }
    // Keywords are metric names where Prometheus allows them.
    assert!(matches!(parse("sum"), Expr::VectorSelector(_)));
    assert!(matches!(parse("offset"), Expr::VectorSelector(_)));
    assert!(matches!(parse("fill + fill"), Expr::Binary(_)));
    assert!(matches!(parse("a:b:c"), Expr::VectorSelector(_)));
    assert_eq!(
        error("{}"),
        "vector selector must contain at least one non-empty matcher"
    );
    assert_eq!(
        error(r#"{a=~".*"}"#),
        "vector selector must contain at least one non-empty matcher"
    );
    assert_eq!(
        error(r#"foo{__name__="bar"}"#),
        "metric name must not be set twice: \"foo\" or \"bar\""
    );
    assert_eq!(
        error(r#"foo{a=~"("}"#),
        "error parsing regexp: missing closing ): `(`"
    );
}

#[test]
fn ranges_offsets_and_at() {
    match parse("foo[5m] offset -1m @ 10.5") {
        Expr::MatrixSelector(m) => {
            assert_eq!(m.range, Duration::Fixed(300_000));
            let vs = m.vector_selector();
            assert_eq!(vs.offset, Some(Duration::Fixed(-60_000)));
            assert_eq!(vs.at, Some(AtModifier::Timestamp(10_500)));
        }
        other => panic!("{other:?}"),
    }
    match parse("foo @ end() offset 1m") {
        Expr::VectorSelector(vs) => {
            assert_eq!(vs.at, Some(AtModifier::End));
            assert_eq!(vs.offset, Some(Duration::Fixed(60_000)));
        }
        other => panic!("{other:?}"),
    }
    match parse("rate(foo[5m])[1h:] @ start()") {
        Expr::Subquery(s) => {
            assert_eq!(s.range, Duration::Fixed(3_600_000));
            assert_eq!(s.step, None);
            assert_eq!(s.at, Some(AtModifier::Start));
        }
        other => panic!("{other:?}"),
    }
    match parse("foo[5m] anchored") {
        Expr::MatrixSelector(m) => assert!(m.vector_selector().anchored),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error("foo offset 1m offset 2m"),
        "offset may not be set multiple times"
    );
    assert_eq!(
        error("foo @ 1 @ 2"),
        "@ <timestamp> may not be set multiple times"
    );
    assert_eq!(
        error("foo offset 1m [5m]"),
        "no offset modifiers allowed before range"
    );
    assert_eq!(error("foo @ 1 [5m]"), "no @ modifiers allowed before range");
    assert_eq!(
        error("(foo)[5m]"),
        "ranges only allowed for vector selectors"
    );
    assert_eq!(error("foo[0s]"), "duration must be greater than 0");
    assert_eq!(
        error("foo[5m] anchored smoothed"),
        "anchored and smoothed modifiers cannot be used together"
    );
    assert_eq!(
        error("foo[5m:1m] anchored"),
        "anchored modifier is not supported for subqueries"
    );
    assert_eq!(
        error("sum(foo) offset 1m"),
        "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"
    );
}

#[test]
fn duration_expressions() {
    match parse("foo[5m*2]") {
        Expr::MatrixSelector(m) => match m.range {
            Duration::Expr(e) => {
                assert!(matches!(
                    *e,
                    DurationExpr::Binary {
                        op: BinaryOp::Mul,
                        ..
                    }
                ))
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    match parse("foo offset -(1m + step())") {
        Expr::VectorSelector(vs) => match vs.offset {
            Some(Duration::Expr(e)) => assert!(matches!(
                *e,
                DurationExpr::Unary {
                    op: BinaryOp::Sub,
                    ..
                }
            )),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    // `offset -2 ^ 2` is (offset -2) ^ 2.
    assert!(matches!(parse("foo offset -2 ^ 2"), Expr::Binary(_)));
    match parse("foo offset (-2 ^ 2)") {
        Expr::VectorSelector(vs) => assert!(matches!(vs.offset, Some(Duration::Expr(_)))),
        other => panic!("{other:?}"),
    }
    assert!(matches!(parse("foo[STep()]"), Expr::MatrixSelector(_)));
    assert_eq!(error("foo[1h/0]"), "division by zero");
    assert_eq!(error("foo[1h%0]"), "modulo by zero");
}

#[test]
fn aggregations_and_calls() {
    match parse("sum without (a, \"b.c\") (rate(x[5m]))") {
        Expr::Aggregate(a) => {
            assert_eq!(a.op, AggregateOp::Sum);
            assert!(a.without);
            assert_eq!(a.grouping, ["a", "b.c"]);
        }
        other => panic!("{other:?}"),
    }
    match parse("TOPK(3, x) BY (job)") {
        Expr::Aggregate(a) => {
            assert_eq!(a.op, AggregateOp::Topk);
            assert_eq!(number(a.param.as_deref().unwrap()), 3.0);
            assert_eq!(a.grouping, ["job"]);
        }
        other => panic!("{other:?}"),
    }
    match parse("label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\")") {
        Expr::Call(c) => assert_eq!(c.args.len(), 5),
        other => panic!("{other:?}"),
    }
    assert!(matches!(parse("time()"), Expr::Call(_)));
    assert!(matches!(parse("step()"), Expr::Call(_)));
    assert_eq!(error("Rate(x[5m])"), "unknown function with name \"Rate\"");
    assert_eq!(
        error("rate(x)"),
        "expected type range vector in call to function \"rate\", got instant vector"
    );
    assert_eq!(
        error("rate(x[5m], 1)"),
        "expected 1 argument(s) in call to \"rate\", got 2"
    );
    assert_eq!(
        error("round()"),
        "expected at least 1 argument(s) in call to \"round\", got 0"
    );
    assert_eq!(
        error("round(x, 1, 2)"),
        "expected at most 2 argument(s) in call to \"round\", got 3"
    );
    assert_eq!(
        error("rate(x[5m],)"),
        "trailing commas not allowed in function call args"
    );
    assert_eq!(
        error("sum()"),
        "no arguments for aggregate expression provided"
    );
    assert_eq!(
        error("topk(x)"),
        "wrong number of arguments for aggregate expression provided, expected 2, got 1"
    );
    assert_eq!(
        error("sum(1)"),
        "expected type instant vector in aggregation expression, got scalar"
    );
    assert_eq!(
        error("count_values(1, x)"),
        "expected type string in aggregation parameter, got scalar"
    );
    assert_eq!(
        error("info(x, y)"),
        "expected label selectors only, got vector selector instead"
    );
    assert!(parse_expr("info(x, {a=~\".*\"})").is_ok());
}

#[test]
fn binary_checks() {
    match parse("a * on(b) group_left(c) fill_left(1) d") {
        Expr::Binary(b) => {
            let vm = b.matching.unwrap();
            assert!(vm.on);
            assert_eq!(vm.card, Cardinality::ManyToOne);
            assert_eq!(vm.matching_labels, ["b"]);
            assert_eq!(vm.include, ["c"]);
            assert_eq!(vm.fill_lhs, Some(1.0));
            assert_eq!(vm.fill_rhs, None);
        }
        other => panic!("{other:?}"),
    }
    match parse("a and b") {
        Expr::Binary(b) => assert_eq!(b.matching.unwrap().card, Cardinality::ManyToMany),
        other => panic!("{other:?}"),
    }
    match parse("a + 1") {
        Expr::Binary(b) => assert!(b.matching.is_none()),
        other => panic!("{other:?}"),
    }
    assert!(parse("1 == bool 1").value_type() == crate::promql::ast::ValueType::Scalar);
    assert_eq!(
        error("a + bool b"),
        "bool modifier can only be used on comparison operators"
    );
    assert_eq!(
        error("1 == 1"),
        "comparisons between scalars must use BOOL modifier"
    );
    assert_eq!(
        error("1 and a"),
        "set operator \"and\" not allowed in binary scalar expression"
    );
    assert_eq!(
        error("a and on(b) group_left c"),
        "no grouping allowed for \"and\" operation"
    );
    assert_eq!(
        error("a + on(b) 1"),
        "vector matching only allowed between instant vectors"
    );
    assert_eq!(
        error("a * on(b) group_left(b) c"),
        "label \"b\" must not occur in ON and GROUP clause at once"
    );
    assert_eq!(
        error("a[5m] + 1"),
        "binary expression must contain only scalar and instant vector types"
    );
    assert_eq!(
        error("-\"a\""),
        "unary expression only allowed on expressions of type scalar or instant vector, got \"string\""
    );
    assert_eq!(
        error("x[5m][10m:]"),
        "subquery is only allowed on instant vector, got matrix instead"
    );
}

#[test]
fn syntax_errors_are_worded_like_prometheus() {
    assert_eq!(error(""), "no expression found in input");
    assert_eq!(error("  # only a comment"), "no expression found in input");
    assert_eq!(error("foo +"), "unexpected end of input");
    assert_eq!(error("sum(foo"), "unclosed left parenthesis");
    assert_eq!(error("foo)"), "unexpected right parenthesis ')'");
    assert_eq!(
        error("foo{a=\"b\""),
        "unexpected end of input inside braces"
    );
    assert_eq!(error("foo}"), "unexpected character: '}'");
    assert_eq!(error("foo $"), "unexpected character: '$'");
    assert_eq!(error("foo * * bar"), "unexpected <op:*>");
    assert_eq!(
        error("foo{a}"),
        "unexpected \"}\" in label matching, expected label matching operator"
    );
    assert_eq!(
        error("foo{a=}"),
        "unexpected \"}\" in label matching, expected string"
    );
    assert_eq!(
        error("foo offset"),
        "unexpected end of input in offset, expected number, duration, step(), or range()"
    );
    assert_eq!(
        error("foo @"),
        "unexpected end of input in @, expected timestamp"
    );
    assert_eq!(
        error("sum by test (x)"),
        "unexpected identifier \"test\" in grouping opts, expected \"(\""
    );
    assert_eq!(
        error("foo[]"),
        "unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()"
    );
    assert_eq!(error("foo[5m"), "unclosed left bracket");
    assert_eq!(error("foo[5x]"), "bad number or duration syntax: \"5\"");
    assert_eq!(
        error("foo[bar]"),
        "unexpected character in duration expression: 'b'"
    );
    assert_eq!(error("2.5."), "bad number or duration syntax: \"2.5.\"");
    assert_eq!(
        error("0x"),
        "error parsing number: strconv.ParseFloat: parsing \"0x\": invalid syntax"
    );
    assert_eq!(
        error("1e400"),
        "error parsing number: strconv.ParseFloat: parsing \"1e400\": value out of range"
    );
    assert_eq!(
        error("foo[5y1hs]"),
        "unknown unit \"hs\" in duration \"5y1hs\""
    );
}

#[test]
fn malformed_inputs_never_panic() {
    let inputs = [
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "@",
        "offset",
        "-",
        "+",
        "^",
        "foo[",
        "foo[5m:",
        "foo[5m:1m",
        "sum by",
        "sum by (",
        "a and on(",
        "x offset -",
        "rate(",
        "{\"",
        "'",
        "`",
        "\\",
        "0x",
        "1e",
        "1_",
        "foo @ start(",
        "min_of(",
        "x[min_of(1m,",
        "x[1m] anchored anchored",
        "fill(1)",
        "a + fill(",
        "a + fill_left(1) fill_left(2) b",
        "\u{1F600}",
        "foo{a=\"\u{0}\"}",
        "count_values",
        "x[1ms:1ms] @ 1e300",
        "x @ NaN",
        "x offset 1e300",
        "--",
        "((((((((",
        "a # comment\n + b",
    ];
    for q in inputs {
        let _ = parse_expr(q);
    }
    assert!(parse_expr("a # comment\n + b").is_ok());
    assert_eq!(
        error("x @ NaN"),
        "timestamp out of bounds for @ modifier: NaN"
    );
    assert_eq!(error("x offset 1e300"), "duration out of range");
}

#[test]
fn spans_point_into_the_query() {
    let q = "sum(rate(foo[5m])) + bar";
    match parse(q) {
        Expr::Binary(b) => {
            assert_eq!(
                &q[b.lhs.span().start..b.lhs.span().end],
                "sum(rate(foo[5m]))"
            );
            assert_eq!(&q[b.rhs.span().start..b.rhs.span().end], "bar");
        }
        other => panic!("{other:?}"),
    }
    let err = parse_expr("foo +\n  * bar").unwrap_err();
    assert_eq!(
        err.render("foo +\n  * bar"),
        "2:3: parse error: unexpected <op:*>"
    );
}

#[test]
fn invalid_utf8_strings_keep_their_bytes() {
    match parse(r#"count_values("a\xc5z", x)"#) {
        Expr::Aggregate(a) => match a.param.as_deref() {
            Some(Expr::String(s)) => {
                assert_eq!(s.bytes(), b"a\xc5z");
                assert_eq!(s.val, "a\u{FFFD}z");
                assert_eq!(s.go_quoted(), r#""a\xc5z""#);
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(
        parse(r#"label_replace(x, "\xff", "", "src", "(.*)")"#).to_string(),
        r#"label_replace(x, "\xff", "", "src", "(.*)")"#
    );
    match parse(r#""é""#) {
        Expr::String(s) => assert_eq!(s.invalid_utf8, None),
        other => panic!("{other:?}"),
    }
}

#[test]
fn range_modifier_errors_match_the_engine() {
    let err = |q: &str| match parse(q) {
        Expr::Call(c) => c.range_modifier_error(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        err("deriv(foo[3m] smoothed)").as_deref(),
        Some("smoothed modifier can only be used with: delta, increase, rate - not with deriv")
    );
    assert_eq!(
        err("predict_linear(foo[3m] anchored, 4)").as_deref(),
        Some("anchored modifier can only be used with: changes, delta, increase, rate, resets - not with predict_linear")
    );
    assert_eq!(err("resets(foo[3m] anchored)"), None);
    assert_eq!(err("rate(foo[3m] smoothed)"), None);
    assert_eq!(err("deriv(foo[3m])"), None);
}

#[test]
fn deeply_nested_queries_are_rejected_not_overflowing() {
    let n = 10_000;
    let deep_parens = format!("{}x{}", "(".repeat(n), ")".repeat(n));
    assert_eq!(
        error(&deep_parens),
        "query too complex: more than 256 nested parentheses or brackets"
    );
    for q in [
        format!("{}x", "-".repeat(n)),
        format!("x{}", "+x".repeat(n)),
        format!("x{}", "^x".repeat(n)),
        format!("x{}", "[1m:]".repeat(n)),
        format!("x{}", " and x".repeat(n)),
    ] {
        assert_eq!(error(&q), "query too complex: more than 1500 operators");
    }
    // Within the limits, deep queries parse and print.
    let ok = format!("{}x{}", "abs(".repeat(200), ")".repeat(200));
    assert_eq!(parse(&ok).to_string(), ok);
    let long = format!("x{}", " + x".repeat(1000));
    assert_eq!(parse(&long).to_string(), long);
    // A long selector is not an operator chain.
    let many = (0..2000)
        .map(|i| format!("l{i}=\"v\""))
        .collect::<Vec<_>>()
        .join(",");
    assert!(parse_expr(&format!("x{{{many}}}")).is_ok());
}

#[test]
fn duration_expressions_resolve_like_the_engine() {
    let range_of = |q: &str| match parse(q) {
        Expr::MatrixSelector(m) => m.range,
        Expr::Call(c) => match &c.args[0] {
            Expr::MatrixSelector(m) => m.range.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert_eq!(range_of("x[5m]").resolve(0, 0, false), Ok(300_000));
    assert_eq!(range_of("x[2m*(10+5)]").resolve(0, 0, false), Ok(1_800_000));
    assert_eq!(
        range_of("x[30m1s-30m1s % 1m]").resolve(0, 0, false),
        Ok(1_800_000)
    );
    assert_eq!(
        range_of("x[step()+1ms]").resolve(10_000, 0, false),
        Ok(10_001)
    );
    assert_eq!(
        range_of("x[max_of(min_of(step()+1,1h),1ms)]").resolve(5_000, 0, false),
        Ok(6_000)
    );
    assert_eq!(
        range_of("x[range()]").resolve(5_000, 10_000, false),
        Ok(10_000)
    );
    assert_eq!(
        range_of("x[step()]").resolve(0, 0, false),
        Err("2:8: duration must be greater than 0".to_string())
    );
    assert_eq!(
        // Prometheus: the wrapped step() keeps its own span (6..12); the division spans 2..12.
        range_of("x[1h/(step())]").resolve(0, 0, false),
        Err("2:12: division by zero".to_string())
    );
    match parse("x offset -(step() * 2)") {
        Expr::VectorSelector(vs) => {
            assert_eq!(vs.offset.unwrap().resolve(5_000, 0, true), Ok(-10_000))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn syntax_errors_are_the_same_when_parsed_in_parallel() {
    let bad = [
        "sum(",
        "rate(x[5m]",
        "x{a=}",
        "1 +",
        "foo ignoring(",
        "x[5m:1m",
        "sum by (a (x)",
    ];
    let alone: Vec<String> = bad
        .iter()
        .map(|q| parse_expr(q).unwrap_err().render(q))
        .collect();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                (0..50)
                    .flat_map(|_| bad.iter().map(|q| parse_expr(q).unwrap_err().render(q)))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for t in threads {
        let got = t.join().expect("no panic");
        for (i, text) in got.iter().enumerate() {
            assert_eq!(text, &alone[i % bad.len()]);
        }
    }
}

#[test]
fn error_positions_past_list_punctuation_without_pest_error_detail() {
    // Where pest's process-wide detail switch used to be needed: a missing `,`/`)`/`}` or `(`
    // in a list, and a number's dangling exponent (texts as the detailed parse gave them).
    assert_eq!(error("sum by (a"), "unclosed left parenthesis");
    assert_eq!(
        error("sum by (a(b) (x)"),
        "unexpected \"(\" in grouping opts, expected \",\" or \")\""
    );
    assert_eq!(error("a + fill(0"), "unclosed left parenthesis");
    assert_eq!(error("x offset range"), "unexpected end of input");
    assert_eq!(error("x @ end[5m]"), "unexpected \"[\"");
    assert_eq!(error("12.34e,6"), "unexpected \",\"");
    assert_eq!(
        error("foo{a=\"b\"(}"),
        "unexpected character inside braces: '('"
    );
}
