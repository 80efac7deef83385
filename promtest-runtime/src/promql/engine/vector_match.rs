//! Vector matching for binary operators: one-to-one, many-to-one (`group_left`), one-to-many
//! (`group_right`) with `on`/`ignoring`, `fill`/`fill_left`/`fill_right`, and the set
//! operators `and`, `or`, `unless` (Prometheus's `VectorBinop`, `VectorAnd/Or/Unless`).

use crate::semantics::Semantics;
use rustc_hash::FxHashSet as HashSet;

use crate::model::{Labels, METRIC_NAME};
use crate::promql::annotations::Annotations;
use crate::promql::ast::{BinaryOp, Cardinality, Span, VectorMatching};
use crate::promql::engine::binary::{add_note, changes_metric_schema, elem_binop};
use crate::promql::engine::errors::{EvalError, EvalResult};
use crate::promql::engine::label_memo::PairMemo;
use crate::promql::engine::names::drop_metadata_labels;
use crate::promql::value::VectorSample;

/// `lhs and rhs`: left samples whose signature is present on the right.
pub(crate) fn vector_and(
    lhs: &[VectorSample],
    rhs: &[VectorSample],
    lsig: &[usize],
    rsig: &[usize],
    num_sigs: usize,
) -> Vec<VectorSample> {
    if lhs.is_empty() || rhs.is_empty() {
        return Vec::new();
    }
    let present = presence(rsig, num_sigs);
    lhs.iter()
        .zip(lsig)
        .filter(|(_, &s)| present[s])
        .map(|(v, _)| v.clone())
        .collect()
}

/// `lhs or rhs`: all left samples, plus right samples whose signature is absent on the left.
pub(crate) fn vector_or(
    lhs: &[VectorSample],
    rhs: &[VectorSample],
    lsig: &[usize],
    rsig: &[usize],
    num_sigs: usize,
) -> Vec<VectorSample> {
    let present = presence(lsig, num_sigs);
    let mut out = lhs.to_vec();
    if lhs.is_empty() {
        out.extend_from_slice(rhs);
        return out;
    }
    out.extend(
        rhs.iter()
            .zip(rsig)
            .filter(|(_, &s)| !present[s])
            .map(|(v, _)| v.clone()),
    );
    out
}

/// `lhs unless rhs`: left samples whose signature is absent on the right.
pub(crate) fn vector_unless(
    lhs: &[VectorSample],
    rhs: &[VectorSample],
    lsig: &[usize],
    rsig: &[usize],
    num_sigs: usize,
) -> Vec<VectorSample> {
    if lhs.is_empty() || rhs.is_empty() {
        return lhs.to_vec();
    }
    let present = presence(rsig, num_sigs);
    lhs.iter()
        .zip(lsig)
        .filter(|(_, &s)| !present[s])
        .map(|(v, _)| v.clone())
        .collect()
}

fn presence(sigs: &[usize], num_sigs: usize) -> Vec<bool> {
    let mut p = vec![false; num_sigs];
    for &s in sigs {
        p[s] = true;
    }
    p
}

/// The labels a sample is matched on (`Labels.MatchLabels`).
pub(crate) fn match_labels(l: &Labels, m: &VectorMatching) -> Labels {
    let names: Vec<&str> = m.matching_labels.iter().map(String::as_str).collect();
    if m.on {
        l.keep_only(&names)
    } else {
        l.without(&names).without(&[METRIC_NAME])
    }
}

/// The result labels of a matched pair (Prometheus's `resultMetric`).
fn result_metric(
    lhs: &Labels,
    rhs: &Labels,
    op: BinaryOp,
    m: &VectorMatching,
    drop_metric_name: bool,
    sem: &Semantics,
) -> Labels {
    let mut out = if drop_metric_name || changes_metric_schema(op, sem) {
        drop_metadata_labels(lhs)
    } else {
        lhs.clone()
    };
    if m.card == Cardinality::OneToOne {
        let names: Vec<&str> = m.matching_labels.iter().map(String::as_str).collect();
        out = if m.on {
            out.keep_only(&names)
        } else {
            out.without(&names)
        };
    }
    for name in &m.include {
        out = out.with(name, rhs.get(name).unwrap_or(""));
    }
    out
}

/// An arithmetic or comparison operation between two vectors.
#[allow(clippy::too_many_arguments)]
pub(crate) fn vector_binop(
    op: BinaryOp,
    lhs: &[VectorSample],
    rhs: &[VectorSample],
    lsig: &[usize],
    rsig: &[usize],
    num_sigs: usize,
    m: &VectorMatching,
    return_bool: bool,
    delayed: bool,
    sem: Semantics,
    span: Span,
    annos: &mut Annotations,
    memo: &mut PairMemo,
) -> EvalResult<Vec<VectorSample>> {
    if m.card == Cardinality::ManyToMany {
        return Err(EvalError::engine(
            "many-to-many only allowed for set operators",
        ));
    }
    if (lhs.is_empty() && rhs.is_empty())
        || ((lhs.is_empty() || rhs.is_empty()) && m.fill_lhs.is_none() && m.fill_rhs.is_none())
    {
        return Ok(Vec::new());
    }
    let swapped = m.card == Cardinality::OneToMany;
    let (lhs, rhs, lsig, rsig) = if swapped {
        (rhs, lhs, rsig, lsig)
    } else {
        (lhs, rhs, lsig, rsig)
    };
    // The "one" side, by signature.
    let mut right: Vec<Option<&VectorSample>> = vec![None; num_sigs];
    for (rs, &sig) in rhs.iter().zip(rsig) {
        if let Some(dup) = right[sig] {
            let one_side = if swapped { "left" } else { "right" };
            let matched = match_labels(&rs.metric, m);
            let (mut a, mut b) = (rs.metric.to_string(), dup.metric.to_string());
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            return Err(EvalError::engine(format!(
                "found duplicate series for the match group {matched} on the {one_side} hand-side of the operation: [{a}, {b}];many-to-many matching not allowed: matching labels must be unique on one side"
            )));
        }
        right[sig] = Some(rs);
    }
    let mut st = MatchState {
        matched_one: vec![false; num_sigs],
        matched_many: if m.card == Cardinality::OneToOne {
            Vec::new()
        } else {
            vec![HashSet::default(); num_sigs]
        },
        last_note: None,
        cache: memo,
        out: Vec::new(),
    };
    let ctx = OpCtx {
        op,
        m,
        swapped,
        return_bool,
        delayed,
        sem,
    };
    for (ls, &sig) in lhs.iter().zip(lsig) {
        match right[sig] {
            Some(rs) => st.apply(&ctx, ls, rs, sig)?,
            None => {
                let Some(fill) = m.fill_rhs else { continue };
                let rs = VectorSample {
                    metric: match_labels(&ls.metric, m),
                    t: ls.t,
                    f: fill,
                    h: None,
                    drop_name: false,
                };
                st.apply(&ctx, ls, &rs, sig)?;
            }
        }
    }
    if let Some(fill) = m.fill_lhs {
        for (rs, &sig) in rhs.iter().zip(rsig) {
            let matched = if m.card == Cardinality::OneToOne {
                st.matched_one[sig]
            } else {
                !st.matched_many[sig].is_empty()
            };
            if matched {
                continue;
            }
            let ls = VectorSample {
                metric: match_labels(&rs.metric, m),
                t: rs.t,
                f: fill,
                h: None,
                drop_name: false,
            };
            st.apply(&ctx, &ls, rs, sig)?;
        }
    }
    let MatchState { out, last_note, .. } = st;
    if let Some(n) = last_note {
        add_note(annos, n, span);
    }
    Ok(out)
}

/// The fixed parameters of one vector/vector operation.
struct OpCtx<'m> {
    op: BinaryOp,
    m: &'m VectorMatching,
    swapped: bool,
    return_bool: bool,
    delayed: bool,
    sem: Semantics,
}

/// What a vector/vector operation tracks while matching samples.
struct MatchState<'m> {
    matched_one: Vec<bool>,
    matched_many: Vec<HashSet<Labels>>,
    last_note: Option<crate::promql::engine::binary::ElemNote>,
    /// Result labels by input pair, kept across the steps of the query.
    cache: &'m mut PairMemo,
    out: Vec<VectorSample>,
}

impl MatchState<'_> {
    /// Applies the operation to a matched pair (`ls` from the "many" side).
    fn apply(
        &mut self,
        c: &OpCtx<'_>,
        ls: &VectorSample,
        rs: &VectorSample,
        sig: usize,
    ) -> EvalResult<()> {
        let (mut fl, mut fr) = (ls.f, rs.f);
        let (mut hl, mut hr) = (ls.h.as_ref(), rs.h.as_ref());
        if c.swapped {
            std::mem::swap(&mut fl, &mut fr);
            std::mem::swap(&mut hl, &mut hr);
        }
        let r = match elem_binop(c.op, fl, fr, hl, hr, &c.sem)? {
            Ok(mut r) => {
                if let Some(n) = r.note.take() {
                    self.last_note = Some(n);
                }
                r
            }
            Err(note) => {
                self.last_note = Some(note);
                return Ok(());
            }
        };
        let (mut f, mut h) = (r.f, r.h);
        if c.return_bool {
            h = None;
            f = if r.keep { 1.0 } else { 0.0 };
        }
        if !r.keep && !c.return_bool && c.sem.comparison_filters_before_match_check {
            return Ok(());
        }
        let drop_metric_name = !c.delayed && c.return_bool;
        let sem = c.sem;
        let metric = self.cache.get(&ls.metric, &rs.metric, |l, r| {
            result_metric(l, r, c.op, c.m, drop_metric_name, &sem)
        });
        if c.m.card == Cardinality::OneToOne {
            if self.matched_one[sig] {
                return Err(EvalError::engine(
                    "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
                ));
            }
            self.matched_one[sig] = true;
        } else if !self.matched_many[sig].insert(metric.clone()) {
            return Err(EvalError::engine(
                "multiple matches for labels: grouping labels must ensure unique matches",
            ));
        }
        if !r.keep && !c.return_bool {
            return Ok(());
        }
        self.out.push(VectorSample {
            metric,
            t: ls.t,
            f,
            h,
            drop_name: c.return_bool,
        });
        Ok(())
    }
}
