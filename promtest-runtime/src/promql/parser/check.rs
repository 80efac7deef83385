//! Prometheus's parse-time type checks (`checkAST`): operand and argument types, argument counts,
//! modifier rules of binary operations, selectors that would select everything.
//!
//! Also normalises vector matching as Prometheus does: set operators become many-to-many, and
//! matching is dropped unless both operands are instant vectors.

use super::{perr, PResult};
use crate::literals::go_quote;
use crate::promql::ast::{
    AggregateOp, BinaryExpr, Call, Cardinality, Expr, Span, ValueType, VectorSelector,
};

/// Go's raw `ValueType` names ("matrix", "vector", …), used by a few messages.
fn raw_type_name(t: ValueType) -> &'static str {
    match t {
        ValueType::Scalar => "scalar",
        ValueType::String => "string",
        ValueType::Vector => "vector",
        ValueType::Matrix => "matrix",
    }
}

/// Checks `expr` (and normalises its vector matching); the first problem found is the error.
pub(super) fn check(expr: &mut Expr, input: &str) -> PResult<()> {
    Checker { input }.check(expr).map(|_| ())
}

struct Checker<'i> {
    input: &'i str,
}

impl Checker<'_> {
    fn check(&self, expr: &mut Expr) -> PResult<ValueType> {
        match expr {
            Expr::Number(_) | Expr::String(_) => {}
            Expr::Aggregate(a) => {
                self.expect(&mut a.expr, ValueType::Vector, "aggregation expression")?;
                let param_type = match a.op {
                    AggregateOp::Topk
                    | AggregateOp::Bottomk
                    | AggregateOp::Quantile
                    | AggregateOp::Limitk
                    | AggregateOp::LimitRatio => Some(ValueType::Scalar),
                    AggregateOp::CountValues => Some(ValueType::String),
                    _ => None,
                };
                if let (Some(want), Some(param)) = (param_type, a.param.as_mut()) {
                    self.expect(param, want, "aggregation parameter")?;
                }
            }
            Expr::Binary(b) => self.binary(b)?,
            Expr::Call(c) => self.call(c)?,
            Expr::Paren(p) => {
                self.check(&mut p.expr)?;
            }
            Expr::Unary(u) => {
                let t = self.check(&mut u.expr)?;
                if t != ValueType::Scalar && t != ValueType::Vector {
                    return Err(perr(
                        u.span,
                        format!(
                            "unary expression only allowed on expressions of type scalar or instant vector, got {}",
                            go_quote(t.name())
                        ),
                    ));
                }
            }
            Expr::Subquery(s) => {
                let t = self.check(&mut s.expr)?;
                if t != ValueType::Vector {
                    return Err(perr(
                        s.span,
                        format!(
                            "subquery is only allowed on instant vector, got {} instead",
                            raw_type_name(t)
                        ),
                    ));
                }
            }
            Expr::MatrixSelector(m) => {
                self.check(&mut m.selector)?;
            }
            Expr::VectorSelector(vs) => self.selector(vs, false)?,
        }
        Ok(expr.value_type())
    }

    fn expect(&self, expr: &mut Expr, want: ValueType, context: &str) -> PResult<()> {
        let t = self.check(expr)?;
        if t != want {
            return Err(perr(
                expr.span(),
                format!(
                    "expected type {} in {context}, got {}",
                    want.name(),
                    t.name()
                ),
            ));
        }
        Ok(())
    }

    fn selector(&self, vs: &VectorSelector, bypass_empty_check: bool) -> PResult<()> {
        if let Some(name) = &vs.name {
            let earlier = &vs.matchers[..vs.matchers.len().saturating_sub(1)];
            if let Some(m) = earlier.iter().find(|m| m.name == "__name__") {
                return Err(perr(
                    vs.span,
                    format!(
                        "metric name must not be set twice: {} or {}",
                        go_quote(name),
                        go_quote(&m.value)
                    ),
                ));
            }
            return Ok(());
        }
        if !bypass_empty_check && vs.matchers.iter().all(|m| m.matches_empty()) {
            return Err(perr(
                vs.span,
                "vector selector must contain at least one non-empty matcher",
            ));
        }
        Ok(())
    }

    /// The operator's position: from the end of the left operand to the start of the right one,
    /// without surrounding whitespace.
    fn op_span(&self, b: &BinaryExpr) -> Span {
        let bytes = self.input.as_bytes();
        let mut start = b.lhs.span().end;
        while start < bytes.len() && bytes[start].is_ascii_whitespace() {
            start += 1;
        }
        let mut end = b.rhs.span().start.max(start);
        while end > start && bytes[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        Span::new(start, end)
    }

    fn binary(&self, b: &mut BinaryExpr) -> PResult<()> {
        let lt = self.check(&mut b.lhs)?;
        let rt = self.check(&mut b.rhs)?;
        let op = b.op;
        if b.return_bool && !op.is_comparison() {
            return Err(perr(
                self.op_span(b),
                "bool modifier can only be used on comparison operators",
            ));
        }
        if op.is_comparison()
            && !b.return_bool
            && lt == ValueType::Scalar
            && rt == ValueType::Scalar
        {
            return Err(perr(
                self.op_span(b),
                "comparisons between scalars must use BOOL modifier",
            ));
        }
        let mut vm = b.matching.take().unwrap_or_default();
        if op.is_set() && vm.card == Cardinality::OneToOne {
            vm.card = Cardinality::ManyToMany;
        }
        if vm.on {
            if let Some(l) = vm.matching_labels.iter().find(|l| vm.include.contains(l)) {
                return Err(perr(
                    self.op_span(b),
                    format!(
                        "label {} must not occur in ON and GROUP clause at once",
                        go_quote(l)
                    ),
                ));
            }
        }
        let operand_ok = |t: ValueType| t == ValueType::Scalar || t == ValueType::Vector;
        if !operand_ok(lt) {
            return Err(perr(
                b.lhs.span(),
                "binary expression must contain only scalar and instant vector types",
            ));
        }
        if !operand_ok(rt) {
            return Err(perr(
                b.rhs.span(),
                "binary expression must contain only scalar and instant vector types",
            ));
        }
        let has_fill = vm.fill_lhs.is_some() || vm.fill_rhs.is_some();
        if lt != ValueType::Vector || rt != ValueType::Vector {
            if !vm.matching_labels.is_empty() {
                return Err(perr(
                    b.span,
                    "vector matching only allowed between instant vectors",
                ));
            }
            if has_fill {
                return Err(perr(
                    b.span,
                    "filling in missing series only allowed between instant vectors",
                ));
            }
            if op.is_set() {
                return Err(perr(
                    b.span,
                    format!(
                        "set operator {} not allowed in binary scalar expression",
                        go_quote(op.as_str())
                    ),
                ));
            }
            b.matching = None;
            return Ok(());
        }
        if op.is_set() {
            if matches!(vm.card, Cardinality::OneToMany | Cardinality::ManyToOne) {
                return Err(perr(
                    b.span,
                    format!(
                        "no grouping allowed for {} operation",
                        go_quote(op.as_str())
                    ),
                ));
            }
            if has_fill {
                return Err(perr(
                    b.span,
                    "filling in missing series not allowed for set operators",
                ));
            }
        }
        b.matching = Some(vm);
        Ok(())
    }

    fn call(&self, c: &mut Call) -> PResult<()> {
        let func = c.func;
        let nargs = func.arg_types.len();
        let got = c.args.len();
        if func.variadic == 0 {
            if nargs != got {
                return Err(perr(
                    c.span,
                    format!(
                        "expected {nargs} argument(s) in call to {}, got {got}",
                        go_quote(func.name)
                    ),
                ));
            }
        } else {
            let min = nargs.saturating_sub(1);
            if min > got {
                return Err(perr(
                    c.span,
                    format!(
                        "expected at least {min} argument(s) in call to {}, got {got}",
                        go_quote(func.name)
                    ),
                ));
            }
            let max = min + func.variadic.max(0) as usize;
            if func.variadic > 0 && max < got {
                return Err(perr(
                    c.span,
                    format!(
                        "expected at most {max} argument(s) in call to {}, got {got}",
                        go_quote(func.name)
                    ),
                ));
            }
        }
        let mut bypass_second = false;
        if func.name == "info" && got > 1 {
            let second = &c.args[1];
            if second.value_type() != ValueType::Vector {
                return Err(perr(
                    c.span,
                    format!(
                        "expected type instant vector in call to function \"info\", got {}",
                        second.value_type().name()
                    ),
                ));
            }
            match second {
                Expr::VectorSelector(vs) if vs.name.is_some() => {
                    return Err(perr(
                        vs.span,
                        "expected label selectors only, got vector selector instead",
                    ))
                }
                Expr::VectorSelector(_) => bypass_second = true,
                other => return Err(perr(other.span(), "expected label selectors only")),
            }
        }
        for (i, arg) in c.args.iter_mut().enumerate() {
            let idx = if i >= nargs {
                if func.variadic == 0 || nargs == 0 {
                    break;
                }
                nargs - 1
            } else {
                i
            };
            let t = match &mut *arg {
                Expr::VectorSelector(vs) if i == 1 && bypass_second => {
                    self.selector(vs, true)?;
                    ValueType::Vector
                }
                other => self.check(other)?,
            };
            let want = func.arg_types[idx];
            if t != want {
                return Err(perr(
                    arg.span(),
                    format!(
                        "expected type {} in call to function {}, got {}",
                        want.name(),
                        go_quote(func.name),
                        t.name()
                    ),
                ));
            }
        }
        Ok(())
    }
}
