//! The function table: every PromQL function Prometheus HEAD knows, in one entry each, the
//! single place a function is registered. An entry holds the signature the parser checks,
//! the implementation the engine calls ([`Evaluation`]) and the flags that make the engine
//! treat the function specially (Prometheus's `AtModifierUnsafeFunctions`,
//! `AnchoredSafeFunctions`, `SmoothedSafeFunctions`, …).
//!
//! Adding a function: one entry here (in name order) and its implementation in the family file
//! it belongs to (see [`super`] for the interface), plus a test.

use crate::promql::ast::ValueType;

use super::{
    arithmetic, changes, conversion, histogram_quantile, histogram_stats, instant_rate, labels,
    math, over_time, over_time_pick, over_time_stats, rate, regression, smoothing, sort, time,
    trig, FunctionImpl,
};
use Evaluation::{Engine, Impl};
use ValueType::{Matrix, Scalar, String as Str, Vector};

/// How the engine evaluates a function.
#[derive(Clone, Copy)]
pub enum Evaluation {
    /// Its implementation, called per step (and per series of a range-vector argument).
    Impl(FunctionImpl),
    /// The engine itself: `start()`, `end()`, `range()`, `step()` (folded to the query's
    /// constants), `info()` and `start_timestamp()`.
    Engine,
}

impl std::fmt::Debug for Evaluation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Impl(_) => "Impl",
            Engine => "Engine",
        })
    }
}

/// How the engine treats a function besides calling it; all off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// Needs the experimental-functions flag.
    pub experimental: bool,
    /// Folds to a constant of the query (`start()`, `end()`, `range()`, `step()`).
    pub query_constant: bool,
    /// Its result changes with the evaluation time even when its arguments do not, or it
    /// uses their timestamps (`AtModifierUnsafeFunctions`).
    pub at_modifier_unsafe: bool,
    /// Accepts an `anchored` range selector (`AnchoredSafeFunctions`).
    pub anchored_safe: bool,
    /// Accepts a `smoothed` range selector (`SmoothedSafeFunctions`).
    pub smoothed_safe: bool,
    /// Is given the start timestamps of its window's samples (`UseStartTimestamps`).
    pub start_timestamps: bool,
    /// Keeps the metric name of its range-vector argument.
    pub keeps_name: bool,
    /// Sorts its result (ineffective, with a warning, in range queries).
    pub sorts: bool,
    /// Adds the "might not be a counter" info for badly named float metrics.
    pub counter_info: bool,
    /// Has an output at every step where its argument has none (`absent_over_time`).
    pub fills_absent_steps: bool,
}

/// A function's entry in the table.
#[derive(Debug)]
pub struct FunctionSig {
    /// The function name.
    pub name: &'static str,
    /// Argument types, in order.
    pub arg_types: &'static [ValueType],
    /// Variadic arity: 0 = fixed; -1 = the last argument repeats without limit;
    /// n > 0 = up to n optional trailing arguments (of the last listed type(s)).
    pub variadic: i32,
    /// The type of the result.
    pub return_type: ValueType,
    /// How the engine evaluates it.
    pub(crate) evaluation: Evaluation,
    /// How the engine treats it.
    pub(crate) flags: Flags,
}

/// Functions are equal when their names are (there is one entry per name).
impl PartialEq for FunctionSig {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// An entry with no flags set.
const fn f(
    name: &'static str,
    arg_types: &'static [ValueType],
    return_type: ValueType,
    evaluation: Evaluation,
) -> FunctionSig {
    FunctionSig {
        name,
        arg_types,
        variadic: 0,
        return_type,
        evaluation,
        flags: Flags {
            experimental: false,
            query_constant: false,
            at_modifier_unsafe: false,
            anchored_safe: false,
            smoothed_safe: false,
            start_timestamps: false,
            keeps_name: false,
            sorts: false,
            counter_info: false,
            fills_absent_steps: false,
        },
    }
}

/// Builders for the flags of an entry.
impl FunctionSig {
    const fn variadic(mut self, n: i32) -> Self {
        self.variadic = n;
        self
    }
    const fn experimental(mut self) -> Self {
        self.flags.experimental = true;
        self
    }
    const fn query_constant(mut self) -> Self {
        self.flags.query_constant = true;
        self
    }
    const fn at_modifier_unsafe(mut self) -> Self {
        self.flags.at_modifier_unsafe = true;
        self
    }
    const fn anchored_safe(mut self) -> Self {
        self.flags.anchored_safe = true;
        self
    }
    const fn smoothed_safe(mut self) -> Self {
        self.flags.smoothed_safe = true;
        self
    }
    const fn start_timestamps(mut self) -> Self {
        self.flags.start_timestamps = true;
        self
    }
    const fn keeps_name(mut self) -> Self {
        self.flags.keeps_name = true;
        self
    }
    const fn sorts(mut self) -> Self {
        self.flags.sorts = true;
        self
    }
    const fn counter_info(mut self) -> Self {
        self.flags.counter_info = true;
        self
    }
    const fn fills_absent_steps(mut self) -> Self {
        self.flags.fills_absent_steps = true;
        self
    }
}

/// Every PromQL function known to Prometheus HEAD, sorted by name.
#[rustfmt::skip]
pub static FUNCTIONS: &[FunctionSig] = &[
    f("abs", &[Vector], Vector, Impl(math::abs)),
    f("absent", &[Vector], Vector, Impl(conversion::absent)),
    f("absent_over_time", &[Matrix], Vector, Impl(over_time::absent_over_time)).fills_absent_steps(),
    f("acos", &[Vector], Vector, Impl(trig::acos)),
    f("acosh", &[Vector], Vector, Impl(trig::acosh)),
    f("asin", &[Vector], Vector, Impl(trig::asin)),
    f("asinh", &[Vector], Vector, Impl(trig::asinh)),
    f("atan", &[Vector], Vector, Impl(trig::atan)),
    f("atanh", &[Vector], Vector, Impl(trig::atanh)),
    f("avg_over_time", &[Matrix], Vector, Impl(over_time::avg_over_time)),
    f("ceil", &[Vector], Vector, Impl(arithmetic::ceil)),
    f("changes", &[Matrix], Vector, Impl(changes::changes)).anchored_safe(),
    f("clamp", &[Vector, Scalar, Scalar], Vector, Impl(arithmetic::clamp)),
    f("clamp_max", &[Vector, Scalar], Vector, Impl(arithmetic::clamp_max)),
    f("clamp_min", &[Vector, Scalar], Vector, Impl(arithmetic::clamp_min)),
    f("cos", &[Vector], Vector, Impl(trig::cos)),
    f("cosh", &[Vector], Vector, Impl(trig::cosh)),
    f("count_over_time", &[Matrix], Vector, Impl(over_time::count_over_time)),
    f("day_of_month", &[Vector], Vector, Impl(time::day_of_month)).variadic(1).at_modifier_unsafe(),
    f("day_of_week", &[Vector], Vector, Impl(time::day_of_week)).variadic(1).at_modifier_unsafe(),
    f("day_of_year", &[Vector], Vector, Impl(time::day_of_year)).variadic(1).at_modifier_unsafe(),
    f("days_in_month", &[Vector], Vector, Impl(time::days_in_month_fn)).variadic(1).at_modifier_unsafe(),
    f("deg", &[Vector], Vector, Impl(trig::deg)),
    f("delta", &[Matrix], Vector, Impl(rate::delta)).anchored_safe().smoothed_safe(),
    f("deriv", &[Matrix], Vector, Impl(regression::deriv)),
    f("double_exponential_smoothing", &[Matrix, Scalar, Scalar], Vector, Impl(smoothing::double_exponential_smoothing)).experimental(),
    f("end", &[], Scalar, Engine).experimental().query_constant().at_modifier_unsafe(),
    f("exp", &[Vector], Vector, Impl(arithmetic::exp)),
    f("first_over_time", &[Matrix], Vector, Impl(over_time_pick::first_over_time)).keeps_name(),
    f("floor", &[Vector], Vector, Impl(arithmetic::floor)),
    f("histogram_avg", &[Vector], Vector, Impl(histogram_stats::histogram_avg)),
    f("histogram_count", &[Vector], Vector, Impl(histogram_stats::histogram_count)),
    f("histogram_fraction", &[Scalar, Scalar, Vector], Vector, Impl(histogram_quantile::histogram_fraction)),
    f("histogram_quantile", &[Scalar, Vector], Vector, Impl(histogram_quantile::histogram_quantile)),
    f("histogram_quantiles", &[Vector, Str, Scalar, Scalar], Vector, Impl(histogram_quantile::histogram_quantiles)).variadic(9).experimental(),
    f("histogram_stddev", &[Vector], Vector, Impl(histogram_stats::histogram_stddev)),
    f("histogram_stdvar", &[Vector], Vector, Impl(histogram_stats::histogram_stdvar)),
    f("histogram_sum", &[Vector], Vector, Impl(histogram_stats::histogram_sum)),
    // 2.x's name of double_exponential_smoothing; the parser accepts it only in 2.x mode
    // (`Semantics::holt_winters`).
    f("holt_winters", &[Matrix, Scalar, Scalar], Vector, Impl(smoothing::double_exponential_smoothing)),
    f("hour", &[Vector], Vector, Impl(time::hour)).variadic(1).at_modifier_unsafe(),
    f("idelta", &[Matrix], Vector, Impl(instant_rate::idelta)),
    f("increase", &[Matrix], Vector, Impl(rate::increase)).anchored_safe().smoothed_safe().start_timestamps().counter_info(),
    f("info", &[Vector, Vector], Vector, Engine).variadic(1).experimental(),
    f("irate", &[Matrix], Vector, Impl(instant_rate::irate)).start_timestamps(),
    f("label_join", &[Vector, Str, Str, Str], Vector, Impl(labels::label_join)).variadic(-1),
    f("label_replace", &[Vector, Str, Str, Str, Str], Vector, Impl(labels::label_replace)),
    f("last_over_time", &[Matrix], Vector, Impl(over_time_pick::last_over_time)).keeps_name(),
    f("ln", &[Vector], Vector, Impl(arithmetic::ln)),
    f("log10", &[Vector], Vector, Impl(arithmetic::log10)),
    f("log2", &[Vector], Vector, Impl(arithmetic::log2)),
    f("mad_over_time", &[Matrix], Vector, Impl(over_time_stats::mad_over_time)).experimental(),
    f("max_of", &[Scalar, Scalar], Scalar, Impl(arithmetic::max_of)).experimental(),
    f("max_over_time", &[Matrix], Vector, Impl(over_time::max_over_time)),
    f("min_of", &[Scalar, Scalar], Scalar, Impl(arithmetic::min_of)).experimental(),
    f("min_over_time", &[Matrix], Vector, Impl(over_time::min_over_time)),
    f("minute", &[Vector], Vector, Impl(time::minute)).variadic(1).at_modifier_unsafe(),
    f("month", &[Vector], Vector, Impl(time::month)).variadic(1).at_modifier_unsafe(),
    f("pi", &[], Scalar, Impl(trig::pi)),
    f("predict_linear", &[Matrix, Scalar], Vector, Impl(regression::predict_linear)).at_modifier_unsafe(),
    f("present_over_time", &[Matrix], Vector, Impl(over_time::present_over_time)),
    f("quantile_over_time", &[Scalar, Matrix], Vector, Impl(over_time_stats::quantile_over_time)),
    f("rad", &[Vector], Vector, Impl(trig::rad)),
    f("range", &[], Scalar, Engine).experimental().query_constant().at_modifier_unsafe(),
    f("rate", &[Matrix], Vector, Impl(rate::rate)).anchored_safe().smoothed_safe().start_timestamps().counter_info(),
    f("resets", &[Matrix], Vector, Impl(changes::resets)).anchored_safe().start_timestamps(),
    f("round", &[Vector, Scalar], Vector, Impl(arithmetic::round)).variadic(1),
    f("scalar", &[Vector], Scalar, Impl(conversion::scalar)),
    f("sgn", &[Vector], Vector, Impl(arithmetic::sgn)),
    f("sin", &[Vector], Vector, Impl(trig::sin)),
    f("sinh", &[Vector], Vector, Impl(trig::sinh)),
    f("sort", &[Vector], Vector, Impl(sort::sort)).sorts(),
    f("sort_by_label", &[Vector, Str], Vector, Impl(sort::sort_by_label)).variadic(-1).experimental().sorts(),
    f("sort_by_label_desc", &[Vector, Str], Vector, Impl(sort::sort_by_label_desc)).variadic(-1).experimental().sorts(),
    f("sort_desc", &[Vector], Vector, Impl(sort::sort_desc)).sorts(),
    f("sqrt", &[Vector], Vector, Impl(arithmetic::sqrt)),
    f("start", &[], Scalar, Engine).experimental().query_constant().at_modifier_unsafe(),
    f("start_timestamp", &[Vector], Vector, Engine).experimental(),
    f("stddev_over_time", &[Matrix], Vector, Impl(over_time_stats::stddev_over_time)),
    f("stdvar_over_time", &[Matrix], Vector, Impl(over_time_stats::stdvar_over_time)),
    f("step", &[], Scalar, Engine).experimental().query_constant().at_modifier_unsafe(),
    f("sum_over_time", &[Matrix], Vector, Impl(over_time::sum_over_time)),
    f("tan", &[Vector], Vector, Impl(trig::tan)),
    f("tanh", &[Vector], Vector, Impl(trig::tanh)),
    f("time", &[], Scalar, Impl(time::time)).at_modifier_unsafe(),
    f("timestamp", &[Vector], Vector, Impl(time::timestamp)).at_modifier_unsafe(),
    f("ts_of_first_over_time", &[Matrix], Vector, Impl(over_time_pick::ts_of_first_over_time)).experimental(),
    f("ts_of_last_over_time", &[Matrix], Vector, Impl(over_time_pick::ts_of_last_over_time)).experimental(),
    f("ts_of_max_over_time", &[Matrix], Vector, Impl(over_time_pick::ts_of_max_over_time)).experimental(),
    f("ts_of_min_over_time", &[Matrix], Vector, Impl(over_time_pick::ts_of_min_over_time)).experimental(),
    f("vector", &[Scalar], Vector, Impl(conversion::vector)),
    f("year", &[Vector], Vector, Impl(time::year)).variadic(1).at_modifier_unsafe(),
];

/// Looks a function up by its exact name.
pub fn lookup(name: &str) -> Option<&'static FunctionSig> {
    FUNCTIONS
        .binary_search_by(|f| f.name.cmp(name))
        .ok()
        .map(|i| &FUNCTIONS[i])
}

/// The names of the functions with a flag, in name order (for Prometheus's messages that
/// list them, e.g. `anchored modifier can only be used with: changes, delta, …`).
pub fn names_with(flag: impl Fn(&Flags) -> bool) -> Vec<&'static str> {
    FUNCTIONS
        .iter()
        .filter(|f| flag(&f.flags))
        .map(|f| f.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(FUNCTIONS.windows(2).all(|w| w[0].name < w[1].name));
        // HEAD's 90 and 2.x's `holt_winters`.
        assert_eq!(FUNCTIONS.len(), 91);
        assert_eq!(lookup("rate").unwrap().arg_types, &[Matrix]);
        assert!(lookup("nope").is_none());
    }

    #[test]
    fn only_engine_features_lack_an_implementation() {
        let engine: Vec<&str> = FUNCTIONS
            .iter()
            .filter(|f| matches!(f.evaluation, Engine))
            .map(|f| f.name)
            .collect();
        assert_eq!(
            engine,
            ["end", "info", "range", "start", "start_timestamp", "step"]
        );
    }

    #[test]
    fn flag_lists_are_prometheus_lists() {
        assert_eq!(
            names_with(|f| f.anchored_safe),
            ["changes", "delta", "increase", "rate", "resets"]
        );
        assert_eq!(
            names_with(|f| f.smoothed_safe),
            ["delta", "increase", "rate"]
        );
        assert_eq!(
            names_with(|f| f.start_timestamps),
            ["increase", "irate", "rate", "resets"]
        );
        assert_eq!(names_with(|f| f.at_modifier_unsafe).len(), 15);
        assert!(lookup("predict_linear").unwrap().flags.at_modifier_unsafe);
        assert!(!lookup("rate").unwrap().flags.at_modifier_unsafe);
    }
}
