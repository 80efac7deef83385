//! Canonical PromQL text of an AST, exactly as Prometheus's `String()` prints it
//! (`promql/parser/printer.go`): `sum by (a) (x)`, `x[5m] @ 100.000 offset 1m`, sorted matchers.

use std::fmt::{self, Display, Formatter, Write};

use crate::literals::{format_duration, go_quote};
use crate::model::labels::is_legacy_label_name;
use crate::model::{MatchOp, Matcher};
use crate::promql::ast::{
    AggregateExpr, AtModifier, BinaryExpr, BinaryOp, Cardinality, Duration, DurationExpr, Expr,
    MatrixSelector, SubqueryExpr, UnaryOp, VectorMatching, VectorSelector,
};

use crate::literals::float::{format_f, format_g};

/// A number literal: durations print as durations (`5m`, `-1h`), other numbers in full.
fn format_number(val: f64, duration: bool) -> String {
    if duration && val.is_finite() {
        let to_ms = |secs: f64| ((secs * 1e9) as i64) / 1_000_000;
        if val < 0.0 {
            return format_duration(-to_ms(-val));
        }
        return format_duration(to_ms(val));
    }
    format_f(val)
}

impl Display for Duration {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Duration::Fixed(ms) => f.write_str(&format_duration(*ms)),
            Duration::Expr(e) => e.fmt(f),
        }
    }
}

impl Display for DurationExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            DurationExpr::Number {
                seconds, duration, ..
            } => f.write_str(&format_number(*seconds, *duration)),
            DurationExpr::Step(_) => f.write_str("step()"),
            DurationExpr::Range(_) => f.write_str("range()"),
            DurationExpr::Unary { op, expr, .. } => {
                if *op == BinaryOp::Sub {
                    f.write_char('-')?;
                }
                expr.fmt(f)
            }
            DurationExpr::Binary { op, lhs, rhs, .. } => {
                write!(f, "{lhs} {} {rhs}", op.as_str())
            }
            DurationExpr::MinOf(a, b, _) => write!(f, "min_of({a}, {b})"),
            DurationExpr::MaxOf(a, b, _) => write!(f, "max_of({a}, {b})"),
            DurationExpr::Paren(e, _) => write!(f, "({e})"),
        }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Number(n) => f.write_str(&format_number(n.val, n.duration)),
            Expr::String(s) => f.write_str(&s.go_quoted()),
            Expr::VectorSelector(vs) => write_vector_selector(f, vs, true),
            Expr::MatrixSelector(m) => write_matrix(f, m),
            Expr::Subquery(s) => write_subquery(f, s),
            Expr::Paren(p) => write!(f, "({})", p.expr),
            Expr::Unary(u) => {
                let op = if u.op == UnaryOp::Neg { "-" } else { "+" };
                write!(f, "{op}{}", u.expr)
            }
            Expr::Binary(b) => write_binary(f, b),
            Expr::Aggregate(a) => write_aggregate(f, a),
            Expr::Call(c) => {
                write!(f, "{}(", c.func.name)?;
                for (i, a) in c.args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    a.fmt(f)?;
                }
                f.write_char(')')
            }
        }
    }
}

/// A label name as PromQL writes it: bare when legacy-valid, else quoted.
fn label_name(name: &str) -> String {
    if is_legacy_label_name(name) {
        name.to_string()
    } else {
        go_quote(name)
    }
}

fn matcher_text(m: &Matcher) -> String {
    format!(
        "{}{}{}",
        label_name(&m.name),
        m.op.as_str(),
        go_quote(&m.value)
    )
}

fn write_labels(f: &mut Formatter<'_>, labels: &[String]) -> fmt::Result {
    for (i, l) in labels.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        f.write_str(&label_name(l))?;
    }
    Ok(())
}

fn write_at(f: &mut Formatter<'_>, at: Option<AtModifier>) -> fmt::Result {
    match at {
        Some(AtModifier::Timestamp(ms)) => write!(f, " @ {:.3}", ms as f64 / 1000.0),
        Some(AtModifier::Start) => f.write_str(" @ start()"),
        Some(AtModifier::End) => f.write_str(" @ end()"),
        None => Ok(()),
    }
}

fn write_offset(f: &mut Formatter<'_>, offset: Option<&Duration>) -> fmt::Result {
    match offset {
        Some(Duration::Fixed(0)) | None => Ok(()),
        Some(d) => write!(f, " offset {d}"),
    }
}

fn write_range_modifier(f: &mut Formatter<'_>, vs: &VectorSelector) -> fmt::Result {
    if vs.anchored {
        f.write_str(" anchored")
    } else if vs.smoothed {
        f.write_str(" smoothed")
    } else {
        Ok(())
    }
}

fn write_vector_selector(
    f: &mut Formatter<'_>,
    vs: &VectorSelector,
    modifiers: bool,
) -> fmt::Result {
    let name = vs.name.as_deref().unwrap_or("");
    let mut labels: Vec<String> = vs
        .matchers
        .iter()
        .filter(|m| {
            !(m.name == "__name__" && m.op == MatchOp::Equal && m.value == name && !name.is_empty())
        })
        .map(matcher_text)
        .collect();
    f.write_str(name)?;
    if !labels.is_empty() {
        labels.sort();
        write!(f, "{{{}}}", labels.join(","))?;
    }
    if modifiers {
        write_at(f, vs.at)?;
        write_range_modifier(f, vs)?;
        write_offset(f, vs.offset.as_ref())?;
    }
    Ok(())
}

fn write_matrix(f: &mut Formatter<'_>, m: &MatrixSelector) -> fmt::Result {
    let Expr::VectorSelector(vs) = m.selector.as_ref() else {
        return write!(f, "{}[{}]", m.selector, m.range);
    };
    write_vector_selector(f, vs, false)?;
    write!(f, "[{}]", m.range)?;
    write_range_modifier(f, vs)?;
    write_at(f, vs.at)?;
    write_offset(f, vs.offset.as_ref())
}

fn write_subquery(f: &mut Formatter<'_>, s: &SubqueryExpr) -> fmt::Result {
    write!(f, "{}[{}:", s.expr, s.range)?;
    if let Some(step) = &s.step {
        if step.fixed() != Some(0) {
            step.fmt(f)?;
        }
    }
    f.write_char(']')?;
    write_at(f, s.at)?;
    write_offset(f, s.offset.as_ref())
}

fn write_aggregate(f: &mut Formatter<'_>, a: &AggregateExpr) -> fmt::Result {
    f.write_str(a.op.as_str())?;
    if a.without {
        f.write_str(" without (")?;
        write_labels(f, &a.grouping)?;
        f.write_str(") ")?;
    } else if !a.grouping.is_empty() {
        f.write_str(" by (")?;
        write_labels(f, &a.grouping)?;
        f.write_str(") ")?;
    }
    f.write_char('(')?;
    if let Some(p) = &a.param {
        write!(f, "{p}, ")?;
    }
    write!(f, "{})", a.expr)
}

fn write_binary(f: &mut Formatter<'_>, b: &BinaryExpr) -> fmt::Result {
    write!(f, "{} {}", b.lhs, b.op.as_str())?;
    if b.return_bool {
        f.write_str(" bool")?;
    }
    if let Some(vm) = &b.matching {
        write_matching(f, vm)?;
    }
    write!(f, " {}", b.rhs)
}

fn write_matching(f: &mut Formatter<'_>, vm: &VectorMatching) -> fmt::Result {
    let grouped = matches!(vm.card, Cardinality::ManyToOne | Cardinality::OneToMany);
    if !vm.matching_labels.is_empty() || vm.on || grouped {
        f.write_str(if vm.on { " on (" } else { " ignoring (" })?;
        write_labels(f, &vm.matching_labels)?;
        f.write_char(')')?;
    }
    if grouped {
        let side = if vm.card == Cardinality::ManyToOne {
            "left"
        } else {
            "right"
        };
        write!(f, " group_{side} (")?;
        write_labels(f, &vm.include)?;
        f.write_char(')')?;
    }
    match (vm.fill_lhs, vm.fill_rhs) {
        (Some(l), Some(r)) if l == r || (l.is_nan() && r.is_nan()) => {
            write!(f, " fill ({})", format_g(l))
        }
        (l, r) => {
            if let Some(l) = l {
                write!(f, " fill_left ({})", format_g(l))?;
            }
            if let Some(r) = r {
                write!(f, " fill_right ({})", format_g(r))?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::parser::parse_expr;

    fn canon(q: &str) -> String {
        parse_expr(q)
            .unwrap_or_else(|e| panic!("{q}: {}", e.render(q)))
            .to_string()
    }

    #[test]
    fn durations_print_like_model_duration() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(90 * 60 * 1000), "1h30m");
        assert_eq!(format_duration(1500), "1s500ms");
        assert_eq!(format_duration(14 * 24 * 3600 * 1000), "2w");
        assert_eq!(format_duration(15 * 24 * 3600 * 1000), "15d");
        assert_eq!(format_duration(365 * 24 * 3600 * 1000), "1y");
    }

    #[test]
    fn floats_print_like_go() {
        assert_eq!(format_f(1e20), "100000000000000000000");
        assert_eq!(format_f(0.0000001), "0.0000001");
        assert_eq!(format_f(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_g(1e6), "1e+06");
        assert_eq!(format_g(123456.0), "123456");
        assert_eq!(format_g(0.00001), "1e-05");
        assert_eq!(format_g(1.5), "1.5");
    }

    #[test]
    fn selectors_print_canonically() {
        assert_eq!(canon("foo"), "foo");
        assert_eq!(canon(r#"foo{b="2", a=~'1'}"#), r#"foo{a=~"1",b="2"}"#);
        assert_eq!(
            canon(r#"{"my.metric", "a.b"="c"}"#),
            r#"{"a.b"="c",__name__="my.metric"}"#
        );
        assert_eq!(canon("foo offset 5m @ 100"), "foo @ 100.000 offset 5m");
        assert_eq!(canon("foo offset -1h30m"), "foo offset -1h30m");
        assert_eq!(canon("foo @ start()"), "foo @ start()");
        assert_eq!(
            canon("rate(foo[5m] anchored offset 1m)"),
            "rate(foo[5m] anchored offset 1m)"
        );
        assert_eq!(
            canon("foo[5m] @ end() offset 1m"),
            "foo[5m] @ end() offset 1m"
        );
        assert_eq!(canon("foo[90s]"), "foo[1m30s]");
    }

    #[test]
    fn expressions_print_canonically() {
        assert_eq!(canon("sum by(a,b)(x)"), "sum by (a, b) (x)");
        assert_eq!(canon("sum(x) without(a)"), "sum without (a) (x)");
        assert_eq!(canon("topk(3, x)"), "topk(3, x)");
        assert_eq!(canon("sum by () (x)"), "sum(x)");
        assert_eq!(
            canon("a * on(b) group_left(c) d"),
            "a * on (b) group_left (c) d"
        );
        assert_eq!(canon("a and ignoring(b) d"), "a and ignoring (b) d");
        assert_eq!(canon("a > bool 1"), "a > bool 1");
        assert_eq!(canon("a + fill(0) b"), "a + fill (0) b");
        assert_eq!(
            canon("a + fill_right(1) fill_left(2) b"),
            "a + fill_left (2) fill_right (1) b"
        );
        assert_eq!(canon("-2^2"), "-2 ^ 2");
        assert_eq!(canon("(1 + 2) * 3"), "(1 + 2) * 3");
        assert_eq!(canon("1h"), "1h");
        assert_eq!(canon("'a\\'b'"), r#""a'b""#);
        assert_eq!(canon("rate(x[5m])[30m:1m]"), "rate(x[5m])[30m:1m]");
        assert_eq!(canon("x[30m:]"), "x[30m:]");
        assert_eq!(canon("x[5m*2:step()]"), "x[5m * 2:step()]");
        assert_eq!(canon("x offset (1m + step())"), "x offset (1m + step())");
        assert_eq!(canon("x offset -step()"), "x offset -step()");
        assert_eq!(canon("x[min_of(5m,range())]"), "x[min_of(5m, range())]");
    }
}
