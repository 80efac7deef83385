//! The PromQL syntax tree, with byte spans into the query text.
//!
//! Printing (`Display`, canonical PromQL as Prometheus's `String()`) lives in `printer.rs`.

use crate::gomath;
use crate::model::Matcher;
pub use crate::promql::functions::table::FunctionSig;
use crate::promql::functions::table::{names_with, Flags};

/// A byte range `[start, end)` in the query text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// The type of a PromQL value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// A single number.
    Scalar,
    /// A string.
    String,
    /// An instant vector.
    Vector,
    /// A range vector.
    Matrix,
}

impl ValueType {
    /// The name Prometheus uses in messages ("scalar", "string", "instant vector", "range vector").
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Scalar => "scalar",
            ValueType::String => "string",
            ValueType::Vector => "instant vector",
            ValueType::Matrix => "range vector",
        }
    }
}

/// A PromQL expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A number: `1`, `1e3`, `0x1f`, `Inf`, or a duration used as a number (`5m` is 300).
    Number(NumberLiteral),
    /// A string literal.
    String(StringLiteral),
    /// An instant vector selector.
    VectorSelector(VectorSelector),
    /// A range vector selector `sel[5m]`.
    MatrixSelector(MatrixSelector),
    /// A subquery `expr[5m:1m]`.
    Subquery(SubqueryExpr),
    /// `( expr )`.
    Paren(ParenExpr),
    /// `-expr` or `+expr`.
    Unary(UnaryExpr),
    /// `lhs op rhs`.
    Binary(BinaryExpr),
    /// `sum by (x) (expr)` etc.
    Aggregate(AggregateExpr),
    /// A function call.
    Call(Call),
}

impl Expr {
    /// The span of this expression in the query text.
    pub fn span(&self) -> Span {
        match self {
            Expr::Number(n) => n.span,
            Expr::String(s) => s.span,
            Expr::VectorSelector(v) => v.span,
            Expr::MatrixSelector(m) => m.span,
            Expr::Subquery(s) => s.span,
            Expr::Paren(p) => p.span,
            Expr::Unary(u) => u.span,
            Expr::Binary(b) => b.span,
            Expr::Aggregate(a) => a.span,
            Expr::Call(c) => c.span,
        }
    }

    /// The static type of the value this expression yields.
    pub fn value_type(&self) -> ValueType {
        match self {
            Expr::Number(_) => ValueType::Scalar,
            Expr::String(_) => ValueType::String,
            Expr::VectorSelector(_) | Expr::Aggregate(_) => ValueType::Vector,
            Expr::MatrixSelector(_) | Expr::Subquery(_) => ValueType::Matrix,
            Expr::Paren(p) => crate::deep_stack::deep(|| p.expr.value_type()),
            Expr::Unary(u) => crate::deep_stack::deep(|| u.expr.value_type()),
            Expr::Binary(b) => crate::deep_stack::deep(|| {
                if b.lhs.value_type() == ValueType::Scalar
                    && b.rhs.value_type() == ValueType::Scalar
                {
                    ValueType::Scalar
                } else {
                    ValueType::Vector
                }
            }),
            Expr::Call(c) => c.func.return_type,
        }
    }

    /// This expression with any enclosing parentheses removed.
    pub fn unparen(&self) -> &Expr {
        match self {
            Expr::Paren(p) => p.expr.unparen(),
            e => e,
        }
    }

    /// Calls `f` on this expression and every expression below it, parents first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match self {
            Expr::Number(_) | Expr::String(_) | Expr::VectorSelector(_) => {}
            Expr::MatrixSelector(m) => m.selector_expr().walk(f),
            Expr::Subquery(s) => s.expr.walk(f),
            Expr::Paren(p) => p.expr.walk(f),
            Expr::Unary(u) => u.expr.walk(f),
            Expr::Binary(b) => {
                b.lhs.walk(f);
                b.rhs.walk(f);
            }
            Expr::Aggregate(a) => {
                if let Some(p) = &a.param {
                    p.walk(f);
                }
                a.expr.walk(f);
            }
            Expr::Call(c) => c.args.iter().for_each(|a| a.walk(f)),
        }
    }
    /// Calls `f` with the `@` modifier and offset of every selector and subquery in `self`.
    #[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
    pub(crate) fn walk_time_modifiers(
        &self,
        f: &mut impl FnMut(&Option<AtModifier>, &Option<Duration>),
    ) {
        self.walk(&mut |e| match e {
            Expr::VectorSelector(v) => f(&v.at, &v.offset),
            Expr::Subquery(s) => f(&s.at, &s.offset),
            _ => {}
        });
    }
}

/// A number literal.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberLiteral {
    /// The value.
    pub val: f64,
    /// Written as a duration (`5m`): printed back as one.
    pub duration: bool,
    /// Where it stands.
    pub span: Span,
}

/// A string literal (already unescaped).
#[derive(Clone, Debug, PartialEq)]
pub struct StringLiteral {
    /// The value.
    pub val: String,
    /// The exact bytes, only when escapes (`"\xff"`) made them invalid UTF-8; `val` then holds
    /// them with each invalid sequence replaced by U+FFFD. Prometheus keeps such bytes (Go
    /// strings are bytes) and rejects them where a label name is needed.
    pub invalid_utf8: Option<Vec<u8>>,
    /// Where it stands.
    pub span: Span,
}

impl StringLiteral {
    /// The value's bytes, exactly as the escapes wrote them.
    pub fn bytes(&self) -> &[u8] {
        self.invalid_utf8.as_deref().unwrap_or(self.val.as_bytes())
    }

    /// The value quoted as Go's `%q` prints it (`"a\xc5z"` for invalid UTF-8), as Prometheus's
    /// messages quote it.
    pub(crate) fn go_quoted(&self) -> String {
        crate::literals::go_quote_bytes(self.bytes())
    }
}

/// The `@` modifier.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AtModifier {
    /// `@ <timestamp>`, in milliseconds.
    Timestamp(i64),
    /// `@ start()`.
    Start,
    /// `@ end()`.
    End,
}

/// A duration that is either fixed at parse time or a duration expression
/// (`[5m*2]`, `offset (1m+step())`) resolved per query.
#[derive(Clone, Debug, PartialEq)]
pub enum Duration {
    /// A fixed duration in milliseconds (may be negative for offsets).
    Fixed(i64),
    /// An expression resolved against the query's step and range.
    Expr(Box<DurationExpr>),
}

impl Duration {
    /// The fixed value in milliseconds, if not an expression.
    pub fn fixed(&self) -> Option<i64> {
        match self {
            Duration::Fixed(ms) => Some(*ms),
            Duration::Expr(_) => None,
        }
    }

    /// The value in milliseconds for a query with this `step` and `range` (end - start, both
    /// ms), as Prometheus's engine resolves duration expressions before evaluating; offsets pass
    /// `allow_negative`. Errors carry Prometheus's text (`0:9: duration must be greater than 0`).
    pub(crate) fn resolve(
        &self,
        step_ms: i64,
        range_ms: i64,
        allow_negative: bool,
    ) -> Result<i64, String> {
        let e = match self {
            Duration::Fixed(ms) => return Ok(*ms),
            Duration::Expr(e) => e,
        };
        let span = e.span();
        let at = |msg: &str| format!("{}:{}: {msg}", span.start, span.end);
        let secs = e.evaluate(step_ms as f64 / 1000.0, range_ms as f64 / 1000.0)?;
        if !secs.is_finite() {
            return Err(at("duration is NaN or infinite"));
        }
        if secs <= 0.0 && !allow_negative {
            return Err(at("duration must be greater than 0"));
        }
        const LIMIT: f64 = 9_223_372_036.854_776; // 2^63 ns in seconds
        if !(-LIMIT..=LIMIT).contains(&secs) {
            return Err(at("duration is out of range"));
        }
        Ok((secs * 1000.0) as i64)
    }
}

impl DurationExpr {
    /// The value in seconds given the query's step and range in seconds (Prometheus's
    /// `evaluateDurationExpr`); division or modulo by zero is an error.
    pub(crate) fn evaluate(&self, step: f64, range: f64) -> Result<f64, String> {
        Ok(match self {
            DurationExpr::Number { seconds, .. } => *seconds,
            DurationExpr::Step(_) => step,
            DurationExpr::Range(_) => range,
            DurationExpr::Paren(e, _) => e.evaluate(step, range)?,
            DurationExpr::MinOf(a, b, _) => {
                let (a, b) = (a.evaluate(step, range)?, b.evaluate(step, range)?);
                gomath::min(a, b)
            }
            DurationExpr::MaxOf(a, b, _) => {
                let (a, b) = (a.evaluate(step, range)?, b.evaluate(step, range)?);
                gomath::max(a, b)
            }
            DurationExpr::Unary { op, expr, .. } => {
                let v = expr.evaluate(step, range)?;
                if *op == BinaryOp::Sub {
                    -v
                } else {
                    v
                }
            }
            DurationExpr::Binary { op, lhs, rhs, span } => {
                let (l, r) = (lhs.evaluate(step, range)?, rhs.evaluate(step, range)?);
                let at = |msg: &str| format!("{}:{}: {msg}", span.start, span.end);
                match op {
                    BinaryOp::Add => l + r,
                    BinaryOp::Sub => l - r,
                    BinaryOp::Mul => l * r,
                    BinaryOp::Div if r == 0.0 => return Err(at("division by zero")),
                    BinaryOp::Div => l / r,
                    BinaryOp::Mod if r == 0.0 => return Err(at("modulo by zero")),
                    BinaryOp::Mod => gomath::modulo(l, r),
                    BinaryOp::Pow => gomath::pow(l, r),
                    other => {
                        return Err(format!(
                            "unexpected duration expression operator {:?}",
                            other.as_str()
                        ))
                    }
                }
            }
        })
    }
}

/// A duration expression.
#[derive(Clone, Debug, PartialEq)]
pub enum DurationExpr {
    /// A number of seconds (from `5m`, `300`, `1.5`), with whether it was written as a duration.
    Number {
        /// Seconds.
        seconds: f64,
        /// Written as a duration literal (`5m`) rather than a number.
        duration: bool,
        /// Where it stands.
        span: Span,
    },
    /// `step()`: the query step.
    Step(Span),
    /// `range()`: the query range (end - start).
    Range(Span),
    /// `-d` or `+d`.
    Unary {
        /// The operator (`Sub` or `Add`).
        op: BinaryOp,
        /// The operand.
        expr: Box<DurationExpr>,
        /// Where it stands.
        span: Span,
    },
    /// `a op b` with `op` one of `+ - * / % ^`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<DurationExpr>,
        /// Right operand.
        rhs: Box<DurationExpr>,
        /// Where it stands.
        span: Span,
    },
    /// `min_of(a, b)`.
    MinOf(Box<DurationExpr>, Box<DurationExpr>, Span),
    /// `max_of(a, b)`.
    MaxOf(Box<DurationExpr>, Box<DurationExpr>, Span),
    /// `( d )`.
    Paren(Box<DurationExpr>, Span),
}

impl DurationExpr {
    /// The span of this duration expression.
    pub fn span(&self) -> Span {
        match self {
            DurationExpr::Number { span, .. }
            | DurationExpr::Unary { span, .. }
            | DurationExpr::Binary { span, .. } => *span,
            DurationExpr::Step(s)
            | DurationExpr::Range(s)
            | DurationExpr::MinOf(_, _, s)
            | DurationExpr::MaxOf(_, _, s) => *s,
            // As Prometheus: parentheses get no node of their own; a parenthesised number
            // spans from `(` to the number's end, anything else keeps its own span.
            DurationExpr::Paren(inner, s) => match inner.as_ref() {
                DurationExpr::Number { span, .. } => Span::new(s.start, span.end),
                other => other.span(),
            },
        }
    }
}

/// An instant vector selector.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorSelector {
    /// The metric name written before the braces, if any. A quoted name inside the braces
    /// (`{"my.metric"}`) is only a `__name__` matcher, as in Prometheus (`VectorSelector.Name`).
    pub name: Option<String>,
    /// All matchers, including the `__name__` matcher derived from `name`.
    pub matchers: Vec<Matcher>,
    /// `offset` (positive looks back in time), if written.
    pub offset: Option<Duration>,
    /// `@` modifier, if written.
    pub at: Option<AtModifier>,
    /// The `anchored` range modifier (only on range selectors).
    pub anchored: bool,
    /// The `smoothed` range modifier (only on range selectors).
    pub smoothed: bool,
    /// Where it stands.
    pub span: Span,
}

/// A range vector selector.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixSelector {
    /// The selector (always an `Expr::VectorSelector`).
    pub selector: Box<Expr>,
    /// The range.
    pub range: Duration,
    /// Where it stands.
    pub span: Span,
}

impl MatrixSelector {
    /// The inner selector as an expression.
    pub fn selector_expr(&self) -> &Expr {
        &self.selector
    }

    /// The inner vector selector.
    pub fn vector_selector(&self) -> &VectorSelector {
        match &*self.selector {
            Expr::VectorSelector(v) => v,
            _ => unreachable!("a matrix selector always wraps a vector selector"),
        }
    }
}

/// A subquery.
#[derive(Clone, Debug, PartialEq)]
pub struct SubqueryExpr {
    /// The inner expression.
    pub expr: Box<Expr>,
    /// The range.
    pub range: Duration,
    /// The step; `None` means the default step (the evaluation interval).
    pub step: Option<Duration>,
    /// `offset`, if written.
    pub offset: Option<Duration>,
    /// `@` modifier, if written.
    pub at: Option<AtModifier>,
    /// Where it stands.
    pub span: Span,
}

/// Parenthesised expression.
#[derive(Clone, Debug, PartialEq)]
pub struct ParenExpr {
    /// The inner expression.
    pub expr: Box<Expr>,
    /// Where it stands.
    pub span: Span,
}

/// Unary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-`
    Neg,
    /// `+`
    Plus,
}

/// A unary expression.
#[derive(Clone, Debug, PartialEq)]
pub struct UnaryExpr {
    /// The operator.
    pub op: UnaryOp,
    /// The operand.
    pub expr: Box<Expr>,
    /// Where it stands.
    pub span: Span,
}

/// Binary operators, including comparison, set and histogram-trim operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
    /// `atan2`
    Atan2,
    /// `==`
    Eql,
    /// `!=`
    Neq,
    /// `>`
    Gtr,
    /// `<`
    Lss,
    /// `>=`
    Gte,
    /// `<=`
    Lte,
    /// `and`
    And,
    /// `or`
    Or,
    /// `unless`
    Unless,
    /// `</`: trim histogram buckets above the scalar.
    TrimUpper,
    /// `>/`: trim histogram buckets below the scalar.
    TrimLower,
}

impl BinaryOp {
    /// The operator as written in PromQL.
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Pow => "^",
            BinaryOp::Atan2 => "atan2",
            BinaryOp::Eql => "==",
            BinaryOp::Neq => "!=",
            BinaryOp::Gtr => ">",
            BinaryOp::Lss => "<",
            BinaryOp::Gte => ">=",
            BinaryOp::Lte => "<=",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::Unless => "unless",
            BinaryOp::TrimUpper => "</",
            BinaryOp::TrimLower => ">/",
        }
    }

    /// Whether this is a comparison operator (`== != > < >= <=`).
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eql
                | BinaryOp::Neq
                | BinaryOp::Gtr
                | BinaryOp::Lss
                | BinaryOp::Gte
                | BinaryOp::Lte
        )
    }

    /// Whether this is a set operator (`and or unless`).
    pub fn is_set(self) -> bool {
        matches!(self, BinaryOp::And | BinaryOp::Or | BinaryOp::Unless)
    }
}

/// How the two sides of a binary operation between vectors are matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Cardinality {
    /// one-to-one
    #[default]
    OneToOne,
    /// many-to-one (`group_left`)
    ManyToOne,
    /// one-to-many (`group_right`)
    OneToMany,
    /// many-to-many (set operators)
    ManyToMany,
}

/// Vector matching of a binary operation.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct VectorMatching {
    /// The cardinality.
    pub card: Cardinality,
    /// Labels named in `on(...)` or `ignoring(...)`.
    pub matching_labels: Vec<String>,
    /// `on` (true) or `ignoring` (false).
    pub on: bool,
    /// Labels named in `group_left(...)`/`group_right(...)`.
    pub include: Vec<String>,
    /// `fill(v)`/`fill_left(v)`: value used when the left side has no match.
    pub fill_lhs: Option<f64>,
    /// `fill(v)`/`fill_right(v)`: value used when the right side has no match.
    pub fill_rhs: Option<f64>,
}

/// A binary expression.
#[derive(Clone, Debug, PartialEq)]
pub struct BinaryExpr {
    /// The operator.
    pub op: BinaryOp,
    /// Left operand.
    pub lhs: Box<Expr>,
    /// Right operand.
    pub rhs: Box<Expr>,
    /// Vector matching, present when both sides are vectors (and set for set operators).
    pub matching: Option<VectorMatching>,
    /// The `bool` modifier on a comparison.
    pub return_bool: bool,
    /// Where it stands.
    pub span: Span,
}

/// Aggregation operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AggregateOp {
    /// `sum`
    Sum,
    /// `avg`
    Avg,
    /// `count`
    Count,
    /// `min`
    Min,
    /// `max`
    Max,
    /// `group`
    Group,
    /// `stddev`
    Stddev,
    /// `stdvar`
    Stdvar,
    /// `topk`
    Topk,
    /// `bottomk`
    Bottomk,
    /// `quantile`
    Quantile,
    /// `count_values`
    CountValues,
    /// `limitk` (experimental)
    Limitk,
    /// `limit_ratio` (experimental)
    LimitRatio,
}

impl AggregateOp {
    /// The operator's name as written.
    pub fn as_str(self) -> &'static str {
        match self {
            AggregateOp::Sum => "sum",
            AggregateOp::Avg => "avg",
            AggregateOp::Count => "count",
            AggregateOp::Min => "min",
            AggregateOp::Max => "max",
            AggregateOp::Group => "group",
            AggregateOp::Stddev => "stddev",
            AggregateOp::Stdvar => "stdvar",
            AggregateOp::Topk => "topk",
            AggregateOp::Bottomk => "bottomk",
            AggregateOp::Quantile => "quantile",
            AggregateOp::CountValues => "count_values",
            AggregateOp::Limitk => "limitk",
            AggregateOp::LimitRatio => "limit_ratio",
        }
    }

    /// Looks an operator up by name (case-insensitive, as Prometheus's lexer).
    pub fn from_name(name: &str) -> Option<Self> {
        const ALL: [AggregateOp; 14] = [
            AggregateOp::Sum,
            AggregateOp::Avg,
            AggregateOp::Count,
            AggregateOp::Min,
            AggregateOp::Max,
            AggregateOp::Group,
            AggregateOp::Stddev,
            AggregateOp::Stdvar,
            AggregateOp::Topk,
            AggregateOp::Bottomk,
            AggregateOp::Quantile,
            AggregateOp::CountValues,
            AggregateOp::Limitk,
            AggregateOp::LimitRatio,
        ];
        ALL.into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(name))
    }

    /// Whether the operator takes a parameter (`topk(k, ...)`).
    pub fn takes_param(self) -> bool {
        matches!(
            self,
            AggregateOp::Topk
                | AggregateOp::Bottomk
                | AggregateOp::Quantile
                | AggregateOp::CountValues
                | AggregateOp::Limitk
                | AggregateOp::LimitRatio
        )
    }
}

/// An aggregation.
#[derive(Clone, Debug, PartialEq)]
pub struct AggregateExpr {
    /// The operator.
    pub op: AggregateOp,
    /// The aggregated expression.
    pub expr: Box<Expr>,
    /// The parameter, for operators that take one.
    pub param: Option<Box<Expr>>,
    /// Labels in `by (...)` / `without (...)`.
    pub grouping: Vec<String>,
    /// `without` (true) or `by` (false).
    pub without: bool,
    /// Where it stands.
    pub span: Span,
}

/// A function call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The function, from the function table.
    pub func: &'static FunctionSig,
    /// The arguments.
    pub args: Vec<Expr>,
    /// Where it stands.
    pub span: Span,
}

impl Call {
    /// Prometheus's evaluation-time check of an `anchored`/`smoothed` range selector argument:
    /// the error message when this function may not take it (e.g. `smoothed modifier can only
    /// be used with: delta, increase, rate - not with deriv`), else `None`. Prometheus raises it
    /// when it evaluates the call, not when parsing.
    pub(crate) fn range_modifier_error(&self) -> Option<String> {
        let vs = self.args.iter().find_map(|a| match a.unparen() {
            Expr::MatrixSelector(m) => Some(m.vector_selector()),
            _ => None,
        })?;
        let (name, flags) = (self.func.name, &self.func.flags);
        let (modifier, allowed): (&str, fn(&Flags) -> bool) = if vs.anchored && !flags.anchored_safe
        {
            ("anchored", |f| f.anchored_safe)
        } else if vs.smoothed && !flags.smoothed_safe {
            ("smoothed", |f| f.smoothed_safe)
        } else {
            return None;
        };
        Some(format!(
            "{modifier} modifier can only be used with: {} - not with {name}",
            names_with(allowed).join(", ")
        ))
    }
}
