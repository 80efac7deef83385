//! Duration expressions in ranges, subquery steps and offsets: `[5m*2]`, `offset (1m+step())`,
//! `min_of(a, b)`, with Prometheus's parse-time checks (range, division by zero, positivity).

use pest::iterators::Pair;

use super::grammar::{duration_pratt, Rule};
use super::{perr, span_of, Builder, PResult};
use crate::literals::duration::{duration_out_of_range, seconds_to_millis};
use crate::promql::ast::{BinaryOp, Duration, DurationExpr, Span};

impl Builder {
    /// A `dur_expr` pair → duration expression (a bare number literal stays a `Number`).
    pub(super) fn duration_expr(&self, pair: Pair<'_, Rule>) -> PResult<DurationExpr> {
        self.duration_sequence(pair.into_inner())
    }

    fn duration_sequence<'i>(
        &self,
        pairs: impl Iterator<Item = Pair<'i, Rule>>,
    ) -> PResult<DurationExpr> {
        duration_pratt()
            .map_primary(|p| self.duration_atom(p))
            .map_prefix(|op, rhs| {
                let neg = op.as_rule() == Rule::neg;
                self.unary_duration(span_of(&op), neg, rhs?)
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let bop = match op.as_rule() {
                    Rule::dur_add => BinaryOp::Add,
                    Rule::dur_sub => BinaryOp::Sub,
                    Rule::dur_mul => BinaryOp::Mul,
                    Rule::dur_div => BinaryOp::Div,
                    Rule::dur_mod => BinaryOp::Mod,
                    _ => BinaryOp::Pow,
                };
                if let DurationExpr::Number { seconds, .. } = rhs {
                    if seconds == 0.0 && bop == BinaryOp::Div {
                        return Err(perr(span_of(&op), "division by zero"));
                    }
                    if seconds == 0.0 && bop == BinaryOp::Mod {
                        return Err(perr(span_of(&op), "modulo by zero"));
                    }
                }
                let span = Span::new(lhs.span().start, rhs.span().end);
                Ok(DurationExpr::Binary {
                    op: bop,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                    span,
                })
            })
            .parse(pairs)
    }

    /// One operand of a duration expression.
    fn duration_atom(&self, pair: Pair<'_, Rule>) -> PResult<DurationExpr> {
        let span = span_of(&pair);
        match pair.as_rule() {
            Rule::number_lit => {
                let (seconds, duration) = self.number_value(pair)?;
                if duration_out_of_range(seconds) {
                    return Err(perr(span, "duration out of range"));
                }
                Ok(DurationExpr::Number {
                    seconds,
                    duration,
                    span,
                })
            }
            Rule::dur_step => Ok(DurationExpr::Step(span)),
            Rule::dur_range => Ok(DurationExpr::Range(span)),
            Rule::dur_min_of | Rule::dur_max_of => {
                let min = pair.as_rule() == Rule::dur_min_of;
                let mut args = pair.into_inner().filter(|p| p.as_rule() == Rule::dur_expr);
                let (Some(a), Some(b)) = (args.next(), args.next()) else {
                    return Err(perr(span, "expected two duration expressions"));
                };
                let (a, b) = (
                    Box::new(self.duration_expr(a)?),
                    Box::new(self.duration_expr(b)?),
                );
                Ok(if min {
                    DurationExpr::MinOf(a, b, span)
                } else {
                    DurationExpr::MaxOf(a, b, span)
                })
            }
            Rule::dur_paren => {
                let inner = pair
                    .into_inner()
                    .next()
                    .ok_or_else(|| perr(span, "expected duration expression"))?;
                Ok(DurationExpr::Paren(
                    Box::new(self.duration_expr(inner)?),
                    span,
                ))
            }
            _ => Err(perr(span, "unexpected token in duration expression")),
        }
    }

    /// Applies a unary sign: literals fold (`-5m` is a negative literal), `+` disappears.
    fn unary_duration(&self, op: Span, neg: bool, expr: DurationExpr) -> PResult<DurationExpr> {
        match expr {
            DurationExpr::Number {
                seconds,
                duration,
                span,
            } => {
                let seconds = if neg { -seconds } else { seconds };
                if duration_out_of_range(seconds) {
                    return Err(perr(op, "duration out of range"));
                }
                Ok(DurationExpr::Number {
                    seconds,
                    duration,
                    span: Span::new(op.start, span.end),
                })
            }
            e if neg => {
                let span = Span::new(op.start, e.span().end);
                Ok(DurationExpr::Unary {
                    op: BinaryOp::Sub,
                    expr: Box::new(e),
                    span,
                })
            }
            e => Ok(e),
        }
    }

    /// A range or subquery step: must be positive when it is a literal.
    pub(super) fn positive_duration(&self, pair: Pair<'_, Rule>) -> PResult<Duration> {
        match self.duration_expr(pair)? {
            DurationExpr::Number { seconds, span, .. } => {
                if seconds <= 0.0 {
                    return Err(perr(span, "duration must be greater than 0"));
                }
                Ok(Duration::Fixed(seconds_to_millis(seconds)))
            }
            e => Ok(Duration::Expr(Box::new(e))),
        }
    }

    /// The duration after `offset`; `None` for a zero literal (Prometheus treats it as unset).
    pub(super) fn offset_duration(&self, pair: Pair<'_, Rule>) -> PResult<Option<Duration>> {
        let inner = pair
            .into_inner()
            .next()
            .ok_or_else(|| perr(Span::default(), "expected offset"))?;
        let expr = match inner.as_rule() {
            Rule::offset_paren_tail => self.duration_sequence(inner.into_inner())?,
            _ => {
                let mut parts = inner.into_inner();
                let first = parts
                    .next()
                    .ok_or_else(|| perr(Span::default(), "expected offset"))?;
                if first.as_rule() == Rule::sign {
                    let neg = first.as_str() == "-";
                    let atom = parts
                        .next()
                        .ok_or_else(|| perr(span_of(&first), "expected offset"))?;
                    let atom = self.duration_atom(atom)?;
                    self.unary_duration(span_of(&first), neg, atom)?
                } else {
                    self.duration_atom(first)?
                }
            }
        };
        Ok(match expr {
            DurationExpr::Number { seconds, .. } => {
                let ms = seconds_to_millis(seconds);
                (ms != 0).then_some(Duration::Fixed(ms))
            }
            e => Some(Duration::Expr(Box::new(e))),
        })
    }
}
