//! pest pairs → AST: operands, operators and modifiers, with the checks Prometheus's grammar
//! actions make while parsing (function names, argument counts of aggregations, modifiers).

use pest::iterators::Pair;

use super::grammar::{expr_pratt, Rule};
use super::regex_text::regex_error_message;
use super::{perr, span_of, Builder, PResult};
use crate::literals::duration::nanos_to_seconds;
use crate::literals::{go_quote, parse_duration_nanos, parse_number, unquote, unquote_bytes};
use crate::model::{MatchOp, Matcher};
use crate::promql::ast::{
    AggregateExpr, AggregateOp, AtModifier, BinaryExpr, BinaryOp, Call, Cardinality, Expr,
    MatrixSelector, NumberLiteral, ParenExpr, Span, StringLiteral, SubqueryExpr, UnaryExpr,
    UnaryOp, VectorMatching, VectorSelector,
};
use crate::promql::functions::table::lookup;

/// The message for modifiers applied to something other than a selector or subquery.
const AT_TARGET: &str =
    "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery";
const OFFSET_TARGET: &str =
    "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery";

impl Builder {
    /// An `expr` pair → expression, folding operators by precedence.
    pub(super) fn expr(&self, pair: Pair<'_, Rule>) -> PResult<Expr> {
        expr_pratt()
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, rhs| self.unary(op, rhs?))
            .map_postfix(|lhs, op| self.postfix(lhs?, op))
            .map_infix(|lhs, op, rhs| self.binary(lhs?, op, rhs?))
            .parse(pair.into_inner())
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> PResult<Expr> {
        let span = span_of(&pair);
        match pair.as_rule() {
            Rule::number_lit => {
                let (val, duration) = self.number_value(pair)?;
                Ok(Expr::Number(NumberLiteral {
                    val,
                    duration,
                    span,
                }))
            }
            Rule::string_lit => {
                let bytes = unquote_bytes(pair.as_str()).map_err(|e| perr(span, e.message))?;
                let (val, invalid_utf8) = match String::from_utf8(bytes) {
                    Ok(val) => (val, None),
                    Err(e) => (
                        String::from_utf8_lossy(e.as_bytes()).into_owned(),
                        Some(e.into_bytes()),
                    ),
                };
                Ok(Expr::String(StringLiteral {
                    val,
                    invalid_utf8,
                    span,
                }))
            }
            Rule::paren_expr => {
                let inner = first_inner(pair)?;
                Ok(Expr::Paren(ParenExpr {
                    expr: Box::new(self.expr(inner)?),
                    span,
                }))
            }
            Rule::aggregate => self.aggregate(pair),
            Rule::function_call => self.call(pair),
            Rule::vector_selector => self.vector_selector(pair),
            _ => Err(perr(span, format!("unexpected {}", pair.as_str()))),
        }
    }

    /// A `number_lit` pair → (value, written as a duration).
    pub(super) fn number_value(&self, pair: Pair<'_, Rule>) -> PResult<(f64, bool)> {
        let span = span_of(&pair);
        let inner = first_inner(pair)?;
        let text = inner.as_str();
        if inner.as_rule() == Rule::duration_lit {
            let ns = parse_duration_nanos(text).map_err(|m| perr(span, m))?;
            Ok((nanos_to_seconds(ns), true))
        } else {
            let v =
                parse_number(text).map_err(|m| perr(span, format!("error parsing number: {m}")))?;
            Ok((v, false))
        }
    }

    /// A `string_lit` pair → its unescaped value.
    pub(super) fn string_value(&self, pair: &Pair<'_, Rule>) -> PResult<String> {
        unquote(pair.as_str()).map_err(|e| perr(span_of(pair), e.message))
    }

    fn unary(&self, op: Pair<'_, Rule>, rhs: Expr) -> PResult<Expr> {
        let op_span = span_of(&op);
        let neg = op.as_rule() == Rule::neg;
        match rhs {
            Expr::Number(mut n) => {
                if neg {
                    n.val = -n.val;
                }
                n.span.start = op_span.start;
                Ok(Expr::Number(n))
            }
            rhs => {
                let span = Span::new(op_span.start, rhs.span().end);
                Ok(Expr::Unary(UnaryExpr {
                    op: if neg { UnaryOp::Neg } else { UnaryOp::Plus },
                    expr: Box::new(rhs),
                    span,
                }))
            }
        }
    }

    fn binary(&self, lhs: Expr, op: Pair<'_, Rule>, rhs: Expr) -> PResult<Expr> {
        let bop = match op.as_rule() {
            Rule::op_pow => BinaryOp::Pow,
            Rule::op_mul => BinaryOp::Mul,
            Rule::op_div => BinaryOp::Div,
            Rule::op_mod => BinaryOp::Mod,
            Rule::op_atan2 => BinaryOp::Atan2,
            Rule::op_add => BinaryOp::Add,
            Rule::op_sub => BinaryOp::Sub,
            Rule::op_eql => BinaryOp::Eql,
            Rule::op_neq => BinaryOp::Neq,
            Rule::op_lte => BinaryOp::Lte,
            Rule::op_lss => BinaryOp::Lss,
            Rule::op_gte => BinaryOp::Gte,
            Rule::op_gtr => BinaryOp::Gtr,
            Rule::op_trim_upper => BinaryOp::TrimUpper,
            Rule::op_trim_lower => BinaryOp::TrimLower,
            Rule::op_and => BinaryOp::And,
            Rule::op_or => BinaryOp::Or,
            _ => BinaryOp::Unless,
        };
        let mut vm = VectorMatching::default();
        let mut return_bool = false;
        for m in op.into_inner() {
            match m.as_rule() {
                Rule::bool_modifier => return_bool = true,
                Rule::matching => {
                    for part in m.into_inner() {
                        match part.as_rule() {
                            Rule::kw_on => vm.on = true,
                            Rule::grouping_labels => {
                                vm.matching_labels = self.grouping_labels(part)?
                            }
                            Rule::group_side => {
                                for g in part.into_inner() {
                                    match g.as_rule() {
                                        Rule::kw_group_left => vm.card = Cardinality::ManyToOne,
                                        Rule::kw_group_right => vm.card = Cardinality::OneToMany,
                                        Rule::grouping_labels => {
                                            vm.include = self.grouping_labels(g)?
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Rule::fill_both | Rule::fill_left | Rule::fill_right => {
                    let rule = m.as_rule();
                    let value = self.fill_value(m)?;
                    if rule != Rule::fill_right {
                        vm.fill_lhs = Some(value);
                    }
                    if rule != Rule::fill_left {
                        vm.fill_rhs = Some(value);
                    }
                }
                _ => {}
            }
        }
        let span = Span::new(lhs.span().start, rhs.span().end);
        Ok(Expr::Binary(BinaryExpr {
            op: bop,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
            matching: Some(vm),
            return_bool,
            span,
        }))
    }

    /// `fill(v)`-style modifier → v.
    fn fill_value(&self, pair: Pair<'_, Rule>) -> PResult<f64> {
        let mut neg = false;
        let mut value = 0.0;
        for p in pair.into_inner().flat_map(|p| p.into_inner()) {
            match p.as_rule() {
                Rule::sign => neg = p.as_str() == "-",
                Rule::number_lit => value = self.number_value(p)?.0,
                _ => {}
            }
        }
        Ok(if neg { -value } else { value })
    }

    /// `( a, "b", c )` in `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`.
    pub(super) fn grouping_labels(&self, pair: Pair<'_, Rule>) -> PResult<Vec<String>> {
        let mut out = Vec::new();
        for label in pair.into_inner() {
            if label.as_rule() != Rule::grouping_label {
                continue;
            }
            let span = span_of(&label);
            let Some(inner) = label.into_inner().next() else {
                continue;
            };
            let name = match inner.as_rule() {
                Rule::string_lit => self.string_value(&inner)?,
                _ => inner.as_str().to_string(),
            };
            if name.is_empty() {
                return Err(perr(
                    span,
                    format!("invalid label name for grouping: {}", go_quote(&name)),
                ));
            }
            out.push(name);
        }
        Ok(out)
    }

    /// `( args )` of a call or an aggregation; a trailing comma is an error.
    fn call_args(&self, pair: Pair<'_, Rule>) -> PResult<Vec<Expr>> {
        let mut args = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::expr => args.push(self.expr(p)?),
                Rule::trailing_comma => {
                    return Err(perr(
                        span_of(&p),
                        "trailing commas not allowed in function call args",
                    ))
                }
                _ => {}
            }
        }
        Ok(args)
    }

    fn call(&self, pair: Pair<'_, Rule>) -> PResult<Expr> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let name = inner
            .next()
            .ok_or_else(|| perr(span, "expected function name"))?;
        let args = match inner.next() {
            Some(a) => self.call_args(a)?,
            None => Vec::new(),
        };
        let Some(func) = lookup(name.as_str()) else {
            return Err(perr(
                span_of(&name),
                format!("unknown function with name {}", go_quote(name.as_str())),
            ));
        };
        Ok(Expr::Call(Call { func, args, span }))
    }

    fn aggregate(&self, pair: Pair<'_, Rule>) -> PResult<Expr> {
        let span = span_of(&pair);
        let mut op = None;
        let mut args = Vec::new();
        let mut grouping = Vec::new();
        let mut without = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::agg_op => op = AggregateOp::from_name(p.as_str()),
                Rule::call_args => args = self.call_args(p)?,
                Rule::agg_modifier => {
                    for m in p.into_inner() {
                        match m.as_rule() {
                            Rule::kw_without => without = true,
                            Rule::grouping_labels => grouping = self.grouping_labels(m)?,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let op = op.ok_or_else(|| perr(span, "aggregation operator expected"))?;
        if args.is_empty() {
            return Err(perr(span, "no arguments for aggregate expression provided"));
        }
        let desired = if op.takes_param() { 2 } else { 1 };
        if args.len() != desired {
            return Err(perr(
                span,
                format!(
                    "wrong number of arguments for aggregate expression provided, expected {desired}, got {}",
                    args.len()
                ),
            ));
        }
        let expr = args
            .pop()
            .map(Box::new)
            .ok_or_else(|| perr(span, "no arguments for aggregate expression provided"))?;
        let param = args.pop().map(Box::new);
        Ok(Expr::Aggregate(AggregateExpr {
            op,
            expr,
            param,
            grouping,
            without,
            span,
        }))
    }

    fn vector_selector(&self, pair: Pair<'_, Rule>) -> PResult<Expr> {
        let span = span_of(&pair);
        let mut name = None;
        let mut matchers = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::metric_name => name = Some(p.as_str().to_string()),
                Rule::label_matchers => {
                    for m in p.into_inner() {
                        if m.as_rule() == Rule::label_matcher {
                            matchers.push(self.label_matcher(m)?);
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some(n) = &name {
            matchers.push(Matcher::equal("__name__", n.clone()));
        }
        Ok(Expr::VectorSelector(VectorSelector {
            name,
            matchers,
            offset: None,
            at: None,
            anchored: false,
            smoothed: false,
            span,
        }))
    }

    fn label_matcher(&self, pair: Pair<'_, Rule>) -> PResult<Matcher> {
        let span = span_of(&pair);
        let parts: Vec<_> = pair.into_inner().collect();
        match parts.as_slice() {
            [value] => Ok(Matcher::equal("__name__", self.string_value(value)?)),
            [label, op, value] => {
                let label_name = match label.as_rule() {
                    Rule::string_lit => self.string_value(label)?,
                    _ => label.as_str().to_string(),
                };
                let op = match op.as_str() {
                    "=" => MatchOp::Equal,
                    "!=" => MatchOp::NotEqual,
                    "=~" => MatchOp::Regex,
                    _ => MatchOp::NotRegex,
                };
                let value = self.string_value(value)?;
                Matcher::new_in(
                    op,
                    label_name,
                    value.clone(),
                    self.regex_dot_matches_newline,
                )
                .map_err(|_| perr(span, regex_error_message(&value)))
            }
            _ => Err(perr(span, "malformed label matcher")),
        }
    }

    fn postfix(&self, lhs: Expr, op: Pair<'_, Rule>) -> PResult<Expr> {
        let op_span = span_of(&op);
        let span = Span::new(lhs.span().start, op_span.end);
        match op.as_rule() {
            Rule::matrix_range => {
                let range = self.positive_duration(first_inner(op)?)?;
                let problem = match &lhs {
                    Expr::VectorSelector(vs) if vs.offset.is_some() => {
                        Some("no offset modifiers allowed before range")
                    }
                    Expr::VectorSelector(vs) if vs.at.is_some() => {
                        Some("no @ modifiers allowed before range")
                    }
                    Expr::VectorSelector(_) => None,
                    _ => Some("ranges only allowed for vector selectors"),
                };
                if let Some(msg) = problem {
                    return Err(perr(op_span, msg));
                }
                Ok(Expr::MatrixSelector(MatrixSelector {
                    selector: Box::new(lhs),
                    range,
                    span,
                }))
            }
            Rule::subquery_range => {
                let mut parts = op.into_inner();
                let range_pair = parts
                    .next()
                    .ok_or_else(|| perr(op_span, "expected subquery range"))?;
                let range = self.positive_duration(range_pair)?;
                let step = match parts.next() {
                    Some(s) => Some(self.positive_duration(s)?),
                    None => None,
                };
                Ok(Expr::Subquery(SubqueryExpr {
                    expr: Box::new(lhs),
                    range,
                    step,
                    offset: None,
                    at: None,
                    span,
                }))
            }
            Rule::offset_modifier => {
                let dur_pair = op
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::offset_dur)
                    .ok_or_else(|| perr(op_span, "expected offset"))?;
                let offset = self.offset_duration(dur_pair)?;
                self.set_offset(lhs, offset, span)
            }
            Rule::at_modifier => {
                let at = self.at_value(op, &lhs)?;
                self.set_at(lhs, at, span)
            }
            rule => self.set_range_modifier(lhs, rule == Rule::kw_anchored, span),
        }
    }

    fn at_value(&self, op: Pair<'_, Rule>, lhs: &Expr) -> PResult<AtModifier> {
        let inner = first_inner(op)?;
        match inner.as_rule() {
            Rule::at_start => Ok(AtModifier::Start),
            Rule::at_end => Ok(AtModifier::End),
            _ => {
                let mut neg = false;
                let mut ts = 0.0;
                for p in inner.into_inner() {
                    match p.as_rule() {
                        Rule::sign => neg = p.as_str() == "-",
                        _ => ts = self.number_value(p)?.0,
                    }
                }
                if neg {
                    ts = -ts;
                }
                if !ts.is_finite() || ts >= i64::MAX as f64 || ts <= i64::MIN as f64 {
                    return Err(perr(
                        lhs.span(),
                        format!(
                            "timestamp out of bounds for @ modifier: {}",
                            go_percent_f(ts)
                        ),
                    ));
                }
                let ms = (ts * 1000.0).round();
                let ms = if ms >= i64::MAX as f64 {
                    i64::MAX
                } else if ms <= i64::MIN as f64 {
                    i64::MIN
                } else {
                    ms as i64
                };
                Ok(AtModifier::Timestamp(ms))
            }
        }
    }

    fn set_offset(
        &self,
        lhs: Expr,
        offset: Option<crate::promql::ast::Duration>,
        span: Span,
    ) -> PResult<Expr> {
        let twice = || perr(span, "offset may not be set multiple times");
        match lhs {
            Expr::VectorSelector(mut vs) => {
                if vs.offset.is_some() {
                    return Err(twice());
                }
                vs.offset = offset;
                vs.span.end = span.end;
                Ok(Expr::VectorSelector(vs))
            }
            Expr::MatrixSelector(mut ms) => {
                if let Expr::VectorSelector(vs) = ms.selector.as_mut() {
                    if vs.offset.is_some() {
                        return Err(twice());
                    }
                    vs.offset = offset;
                }
                ms.span.end = span.end;
                Ok(Expr::MatrixSelector(ms))
            }
            Expr::Subquery(mut sq) => {
                if sq.offset.is_some() {
                    return Err(twice());
                }
                sq.offset = offset;
                sq.span.end = span.end;
                Ok(Expr::Subquery(sq))
            }
            other => Err(perr(other.span(), OFFSET_TARGET)),
        }
    }

    fn set_at(&self, lhs: Expr, at: AtModifier, span: Span) -> PResult<Expr> {
        let twice = || perr(span, "@ <timestamp> may not be set multiple times");
        match lhs {
            Expr::VectorSelector(mut vs) => {
                if vs.at.is_some() {
                    return Err(twice());
                }
                vs.at = Some(at);
                vs.span.end = span.end;
                Ok(Expr::VectorSelector(vs))
            }
            Expr::MatrixSelector(mut ms) => {
                if let Expr::VectorSelector(vs) = ms.selector.as_mut() {
                    if vs.at.is_some() {
                        return Err(twice());
                    }
                    vs.at = Some(at);
                }
                ms.span.end = span.end;
                Ok(Expr::MatrixSelector(ms))
            }
            Expr::Subquery(mut sq) => {
                if sq.at.is_some() {
                    return Err(twice());
                }
                sq.at = Some(at);
                sq.span.end = span.end;
                Ok(Expr::Subquery(sq))
            }
            other => Err(perr(other.span(), AT_TARGET)),
        }
    }

    fn set_range_modifier(&self, lhs: Expr, anchored: bool, span: Span) -> PResult<Expr> {
        let name = if anchored { "anchored" } else { "smoothed" };
        let both = || {
            perr(
                span,
                "anchored and smoothed modifiers cannot be used together",
            )
        };
        let apply = |vs: &mut VectorSelector| {
            if anchored {
                vs.anchored = true;
                !vs.smoothed
            } else {
                vs.smoothed = true;
                !vs.anchored
            }
        };
        match lhs {
            Expr::VectorSelector(mut vs) => {
                if !apply(&mut vs) {
                    return Err(both());
                }
                vs.span.end = span.end;
                Ok(Expr::VectorSelector(vs))
            }
            Expr::MatrixSelector(mut ms) => {
                if let Expr::VectorSelector(vs) = ms.selector.as_mut() {
                    if !apply(vs) {
                        return Err(both());
                    }
                }
                ms.span.end = span.end;
                Ok(Expr::MatrixSelector(ms))
            }
            Expr::Subquery(sq) => Err(perr(
                sq.span,
                format!("{name} modifier is not supported for subqueries"),
            )),
            other => Err(perr(
                other.span(),
                format!("{name} modifier not implemented"),
            )),
        }
    }
}

/// The single inner pair of `pair`.
fn first_inner(pair: Pair<'_, Rule>) -> PResult<Pair<'_, Rule>> {
    let span = span_of(&pair);
    pair.into_inner()
        .next()
        .ok_or_else(|| perr(span, "unexpected empty expression"))
}

/// Go's `%f` (six decimals; `+Inf`, `-Inf`, `NaN` spelled out).
fn go_percent_f(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else {
        format!("{v:.6}")
    }
}
