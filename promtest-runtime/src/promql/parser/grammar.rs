//! The pest grammar binding (`promql.pest`) and the Pratt tables that give PromQL's
//! operator precedence to the flat operator sequences the grammar produces.

use std::sync::OnceLock;

use pest::pratt_parser::{Assoc, Op, PrattParser};

pub use generated::{PromQlGrammar, Rule};

#[allow(missing_docs)]
mod generated {
    /// The generated pest parser for `promql.pest`.
    #[derive(pest_derive::Parser)]
    #[grammar = "promql/promql.pest"]
    pub struct PromQlGrammar;
}

/// Precedence of expression operators, lowest first, as in Prometheus's yacc grammar:
/// `or` < `and unless` < comparisons and trims < `+ -` < `* / % atan2` < unary `+ -`
/// < `^` (right-associative) < postfix modifiers (ranges, subqueries, offset, `@`, anchored, smoothed).
pub fn expr_pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::op_or, Assoc::Left))
            .op(Op::infix(Rule::op_and, Assoc::Left) | Op::infix(Rule::op_unless, Assoc::Left))
            .op(Op::infix(Rule::op_eql, Assoc::Left)
                | Op::infix(Rule::op_neq, Assoc::Left)
                | Op::infix(Rule::op_lte, Assoc::Left)
                | Op::infix(Rule::op_lss, Assoc::Left)
                | Op::infix(Rule::op_gte, Assoc::Left)
                | Op::infix(Rule::op_gtr, Assoc::Left)
                | Op::infix(Rule::op_trim_upper, Assoc::Left)
                | Op::infix(Rule::op_trim_lower, Assoc::Left))
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left)
                | Op::infix(Rule::op_div, Assoc::Left)
                | Op::infix(Rule::op_mod, Assoc::Left)
                | Op::infix(Rule::op_atan2, Assoc::Left))
            .op(Op::prefix(Rule::neg) | Op::prefix(Rule::pos))
            .op(Op::infix(Rule::op_pow, Assoc::Right))
            .op(Op::postfix(Rule::matrix_range)
                | Op::postfix(Rule::subquery_range)
                | Op::postfix(Rule::offset_modifier)
                | Op::postfix(Rule::at_modifier)
                | Op::postfix(Rule::kw_anchored)
                | Op::postfix(Rule::kw_smoothed))
    })
}

/// Precedence of duration-expression operators: `+ -` < `* / %` < unary `+ -` < `^`.
pub fn duration_pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::dur_add, Assoc::Left) | Op::infix(Rule::dur_sub, Assoc::Left))
            .op(Op::infix(Rule::dur_mul, Assoc::Left)
                | Op::infix(Rule::dur_div, Assoc::Left)
                | Op::infix(Rule::dur_mod, Assoc::Left))
            .op(Op::prefix(Rule::neg) | Op::prefix(Rule::pos))
            .op(Op::infix(Rule::dur_pow, Assoc::Right))
    })
}
