//! Binary operators on scalars and on vector elements: arithmetic, comparisons (with and
//! without `bool`), `atan2`, and the dispatch of binary expressions by operand types.

use crate::semantics::Semantics;
use std::sync::Arc;

use crate::gomath::{atan2, modulo as go_mod, pow as go_pow};
use crate::model::histogram_math as hops;
use crate::model::{CounterResetHint, FloatHistogram};
use crate::promql::annotations::Annotations;
use crate::promql::ast::{BinaryExpr, BinaryOp, Span, ValueType};
use crate::promql::engine::errors::{go_quote, EvalError, EvalResult};
use crate::promql::engine::label_memo::{LabelMemo, PairMemo};
use crate::promql::engine::step_loop::Evaluator;
use crate::promql::engine::vector_match::{vector_and, vector_binop, vector_or, vector_unless};
use crate::promql::value::{Series, VectorSample};

fn btos(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// A binary operation between two scalars.
pub(crate) fn scalar_binop(op: BinaryOp, l: f64, r: f64) -> EvalResult<f64> {
    Ok(match op {
        BinaryOp::Add => l + r,
        BinaryOp::Sub => l - r,
        BinaryOp::Mul => l * r,
        BinaryOp::Div => l / r,
        BinaryOp::Pow => go_pow(l, r),
        BinaryOp::Mod => go_mod(l, r),
        BinaryOp::Eql => btos(l == r),
        BinaryOp::Neq => btos(l != r),
        BinaryOp::Gtr => btos(l > r),
        BinaryOp::Lss => btos(l < r),
        BinaryOp::Gte => btos(l >= r),
        BinaryOp::Lte => btos(l <= r),
        BinaryOp::Atan2 => atan2(l, r),
        other => {
            return Err(EvalError::engine(format!(
                "operator {} not allowed for Scalar operations",
                go_quote(other.as_str())
            )))
        }
    })
}

/// Whether the operator changes what the metric means (its name is dropped); `atan2` does
/// not in 2.x ([`Semantics::atan2_keeps_name`]).
pub(crate) fn changes_metric_schema(op: BinaryOp, sem: &Semantics) -> bool {
    match op {
        BinaryOp::Add
        | BinaryOp::Sub
        | BinaryOp::Div
        | BinaryOp::Mul
        | BinaryOp::Pow
        | BinaryOp::Mod => true,
        BinaryOp::Atan2 => !sem.atan2_keeps_name,
        _ => false,
    }
}

/// The outcome of an operation on two vector elements.
pub(crate) struct ElemResult {
    pub f: f64,
    pub h: Option<Arc<FloatHistogram>>,
    pub keep: bool,
    /// An annotation to add while keeping the result.
    pub note: Option<ElemNote>,
}

/// An annotation (info or warning) raised by an element operation instead of a value.
pub(crate) enum ElemNote {
    Info(String),
    Warning(String),
}

fn incompatible(l: &str, op: BinaryOp, r: &str) -> ElemNote {
    let o = op.as_str();
    ElemNote::Info(format!(
        "PromQL info: incompatible sample types encountered for binary operator {}: {l} {o} {r}",
        go_quote(o)
    ))
}

/// An operation on two vector elements (Prometheus's `vectorElemBinop`).
pub(crate) fn elem_binop(
    op: BinaryOp,
    l: f64,
    r: f64,
    hl: Option<&Arc<FloatHistogram>>,
    hr: Option<&Arc<FloatHistogram>>,
    sem: &Semantics,
) -> EvalResult<Result<ElemResult, ElemNote>> {
    let val = |f: f64, keep: bool| {
        Ok(Ok(ElemResult {
            f,
            h: None,
            keep,
            note: None,
        }))
    };
    match (hl, hr) {
        (None, None) => match op {
            BinaryOp::Add => val(l + r, true),
            BinaryOp::Sub => val(l - r, true),
            BinaryOp::Mul => val(l * r, true),
            BinaryOp::Div => val(l / r, true),
            BinaryOp::Pow => val(go_pow(l, r), true),
            BinaryOp::Mod => val(go_mod(l, r), true),
            BinaryOp::Eql => val(l, l == r),
            BinaryOp::Neq => val(l, l != r),
            BinaryOp::Gtr => val(l, l > r),
            BinaryOp::Lss => val(l, l < r),
            BinaryOp::Gte => val(l, l >= r),
            BinaryOp::Lte => val(l, l <= r),
            BinaryOp::Atan2 => val(atan2(l, r), true),
            BinaryOp::TrimLower | BinaryOp::TrimUpper => {
                Ok(Err(incompatible("float", op, "float")))
            }
            _ => Err(EvalError::engine(format!(
                "operator {} not allowed for operations between Vectors",
                go_quote(op.as_str())
            ))),
        },
        (None, Some(h)) => match op {
            BinaryOp::Mul => Ok(Ok(scaled(hops::mul(h, l)))),
            _ => Ok(Err(incompatible("float", op, "histogram"))),
        },
        (Some(h), None) => match op {
            BinaryOp::Mul => Ok(Ok(scaled(hops::mul(h, r)))),
            BinaryOp::Div => Ok(Ok(scaled(hops::div(h, r)))),
            BinaryOp::TrimUpper => Ok(Ok(plain(crate::promql::engine::histogram_trim::trim(
                h, r, true,
            )))),
            BinaryOp::TrimLower => Ok(Ok(plain(crate::promql::engine::histogram_trim::trim(
                h, r, false,
            )))),
            _ => Ok(Err(incompatible("histogram", op, "float"))),
        },
        (Some(a), Some(b)) => match op {
            BinaryOp::Add | BinaryOp::Sub => {
                let sub = op == BinaryOp::Sub;
                let bounds_differ = a.uses_custom_buckets()
                    && b.uses_custom_buckets()
                    && a.custom_values != b.custom_values;
                let combined = if sem.nhcb_mismatch_incompatible && bounds_differ {
                    Err(hops::HistogramError::IncompatibleSchema)
                } else {
                    hops::combine(a, b, sub)
                };
                match combined {
                    Ok(c) if c.counter_reset_collision => Ok(Err(ElemNote::Warning(format!(
                        "PromQL warning: conflicting counter resets during histogram {}",
                        if sub { "subtraction" } else { "addition" }
                    )))),
                    Ok(mut c) => Ok(Ok(ElemResult {
                        f: 0.0,
                        h: Some(Arc::new({
                            if sub {
                                // As in Prometheus, a difference is a gauge histogram.
                                c.h.counter_reset_hint = CounterResetHint::Gauge;
                            }
                            c.h
                        })),
                        keep: true,
                        note: c.nhcb_reconciled.then(|| {
                            ElemNote::Info(format!(
                                "PromQL info: mismatched custom buckets were reconciled during {}",
                                if sub { "subtraction" } else { "addition" }
                            ))
                        }),
                    })),
                    Err(hops::HistogramError::IncompatibleSchema) => {
                        Ok(Err(ElemNote::Warning(format!(
                            "PromQL warning: incompatible bucket layout encountered for binary operator {}",
                            op.as_str()
                        ))))
                    }
                }
            }
            BinaryOp::Eql => Ok(Ok(ElemResult {
                f: 0.0,
                h: Some(a.clone()),
                keep: hops::equals(a, b),
                note: None,
            })),
            BinaryOp::Neq => Ok(Ok(ElemResult {
                f: 0.0,
                h: Some(a.clone()),
                keep: !hops::equals(a, b),
                note: None,
            })),
            _ => Ok(Err(incompatible("histogram", op, "histogram"))),
        },
    }
}

/// A histogram result as is.
fn plain(h: FloatHistogram) -> ElemResult {
    ElemResult {
        f: 0.0,
        h: Some(Arc::new(h)),
        keep: true,
        note: None,
    }
}

/// A scaled histogram result, compacted.
fn scaled(mut h: FloatHistogram) -> ElemResult {
    hops::compact(&mut h);
    ElemResult {
        f: 0.0,
        h: Some(Arc::new(h)),
        keep: true,
        note: None,
    }
}

/// Adds an element note as an annotation at `span`.
pub(crate) fn add_note(annos: &mut Annotations, note: ElemNote, span: Span) {
    match note {
        ElemNote::Info(m) => annos.info(m, Some(span)),
        ElemNote::Warning(m) => annos.warn(m, Some(span)),
    }
}

/// A vector/scalar operation (Prometheus's `VectorscalarBinop`); `swap` when the scalar is on
/// the left.
#[allow(clippy::too_many_arguments)]
pub(crate) fn vector_scalar_binop(
    op: BinaryOp,
    lhs: &[VectorSample],
    scalar: f64,
    swap: bool,
    return_bool: bool,
    delayed: bool,
    sem: &Semantics,
    span: Span,
    annos: &mut Annotations,
    memo: &mut LabelMemo,
) -> EvalResult<Vec<VectorSample>> {
    let mut out = Vec::with_capacity(lhs.len());
    let mut last_note = None;
    for s in lhs {
        let (mut lf, mut rf) = (s.f, scalar);
        let (mut lh, mut rh) = (s.h.as_ref(), None);
        if swap {
            std::mem::swap(&mut lf, &mut rf);
            std::mem::swap(&mut lh, &mut rh);
        }
        let r = match elem_binop(op, lf, rf, lh, rh, sem)? {
            Ok(r) => r,
            Err(note) => {
                last_note = Some(note);
                continue;
            }
        };
        let (mut f, mut h, mut keep) = (r.f, r.h, r.keep);
        if op.is_comparison() && swap {
            f = rf;
            h = rh.cloned();
        }
        if return_bool {
            f = btos(keep);
            h = None;
            keep = true;
        }
        if keep {
            let mut out_s = VectorSample {
                metric: s.metric.clone(),
                t: s.t,
                f,
                h,
                drop_name: s.drop_name,
            };
            if changes_metric_schema(op, sem) || return_bool {
                if !delayed {
                    out_s.metric = memo.get(
                        &s.metric,
                        crate::promql::engine::names::drop_metadata_labels,
                    );
                }
                out_s.drop_name = true;
            }
            out.push(out_s);
        }
    }
    if let Some(n) = last_note {
        add_note(annos, n, span);
    }
    Ok(out)
}

impl<'a> Evaluator<'a> {
    /// Evaluates a binary expression.
    pub(crate) fn eval_binary(&mut self, b: &BinaryExpr) -> EvalResult<Vec<Series>> {
        let (lt, rt) = (b.lhs.value_type(), b.rhs.value_type());
        let op = b.op;
        let span = b.span;
        let delayed = self.opts.delayed_name_removal;
        let sem = self.opts.semantics;
        let exprs = [&*b.lhs, &*b.rhs];
        match (lt, rt) {
            (ValueType::Scalar, ValueType::Scalar) => self.range_eval(&exprs, None, |inp, _| {
                let l = inp.vectors[0].first().map_or(f64::NAN, |s| s.f);
                let r = inp.vectors[1].first().map_or(f64::NAN, |s| s.f);
                Ok(vec![VectorSample {
                    metric: crate::model::Labels::empty(),
                    t: inp.ts,
                    f: scalar_binop(op, l, r)?,
                    h: None,
                    drop_name: false,
                }])
            }),
            (ValueType::Vector, ValueType::Vector) => {
                let default_matching = crate::promql::ast::VectorMatching {
                    card: if op.is_set() {
                        crate::promql::ast::Cardinality::ManyToMany
                    } else {
                        crate::promql::ast::Cardinality::OneToOne
                    },
                    ..Default::default()
                };
                let matching = b.matching.as_ref().unwrap_or(&default_matching);
                let return_bool = b.return_bool;
                let mut memo = PairMemo::default();
                self.range_eval(&exprs, Some(matching), |inp, annos| {
                    let (l, r) = (&inp.vectors[0], &inp.vectors[1]);
                    let (ls, rs) = (&inp.sigs[0], &inp.sigs[1]);
                    match op {
                        BinaryOp::And => Ok(vector_and(l, r, ls, rs, inp.num_sigs)),
                        BinaryOp::Or => Ok(vector_or(l, r, ls, rs, inp.num_sigs)),
                        BinaryOp::Unless => Ok(vector_unless(l, r, ls, rs, inp.num_sigs)),
                        _ => vector_binop(
                            op,
                            l,
                            r,
                            ls,
                            rs,
                            inp.num_sigs,
                            matching,
                            return_bool,
                            delayed,
                            sem,
                            span,
                            annos,
                            &mut memo,
                        ),
                    }
                })
            }
            (ValueType::Vector, ValueType::Scalar) | (ValueType::Scalar, ValueType::Vector) => {
                let swap = lt == ValueType::Scalar;
                let return_bool = b.return_bool;
                let mut memo = LabelMemo::default();
                self.range_eval(&exprs, None, |inp, annos| {
                    let (v, s) = if swap { (1, 0) } else { (0, 1) };
                    let scalar = inp.vectors[s].first().map_or(f64::NAN, |x| x.f);
                    vector_scalar_binop(
                        op,
                        &inp.vectors[v],
                        scalar,
                        swap,
                        return_bool,
                        delayed,
                        &sem,
                        span,
                        annos,
                        &mut memo,
                    )
                })
            }
            _ => Err(EvalError::engine(format!(
                "binary expression must contain only scalar and instant vector types, got {} and {}",
                lt.name(),
                rt.name()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_ops() {
        assert_eq!(scalar_binop(BinaryOp::Mod, -7.0, 3.0).unwrap(), -1.0);
        assert_eq!(scalar_binop(BinaryOp::Pow, 2.0, 10.0).unwrap(), 1024.0);
        assert_eq!(scalar_binop(BinaryOp::Gte, 1.0, 1.0).unwrap(), 1.0);
        assert!(scalar_binop(BinaryOp::Div, 0.0, 0.0).unwrap().is_nan());
        assert!(scalar_binop(BinaryOp::And, 0.0, 0.0).is_err());
    }

    #[test]
    fn comparison_keeps_lhs_value() {
        let r = elem_binop(BinaryOp::Gtr, 3.0, 2.0, None, None, &Semantics::default())
            .unwrap()
            .ok()
            .unwrap();
        assert_eq!((r.f, r.keep), (3.0, true));
        let r = elem_binop(BinaryOp::Lss, 3.0, 2.0, None, None, &Semantics::default())
            .unwrap()
            .ok()
            .unwrap();
        assert!(!r.keep);
    }
}
