//! Which Prometheus release's semantics to follow: every behaviour that differs between the
//! supported releases is one named switch of [`Semantics`], derived from a
//! [`PrometheusVersion`] in [`Semantics::of`]. This file is the list of differences; each
//! switch has a test in `tests.rs`. The engine reads the switches from
//! [`crate::EngineOptions::semantics`], the parser's version check from [`syntax`], and
//! promtool's rule-test differences from `unittest` (through the same struct).

mod lex_2x;
mod syntax;
mod version;

#[allow(unused_imports)] // the rule-test path uses it
pub(crate) use syntax::{check_available, parse_for};
pub use version::{PrometheusVersion, UnknownVersion};

/// The behaviours of one Prometheus release that promtest reproduces. Start from
/// [`Semantics::of`]; every field is one difference between releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Semantics {
    /// The release these switches were derived from.
    pub version: PrometheusVersion,
    /// Range selectors and the lookback window include their left edge: `[t-r, t]` (2.x)
    /// instead of `(t-r, t]` (3.0 on). Also subquery steps (a step at exactly `t-r` is kept).
    pub left_closed_windows: bool,
    /// `atan2` keeps the left operand's metric name (2.42); 2.53 and 3.x drop it like other
    /// arithmetic.
    pub atan2_keeps_name: bool,
    /// Comparison operators filter their result before the many-to-one/one-to-one
    /// duplicate check, so a duplicate whose comparison is false is no error (2.x).
    pub comparison_filters_before_match_check: bool,
    /// `sort_by_label`/`sort_by_label_desc` sort by value first (as `sort`/`sort_desc`) and
    /// keep that order among equal label values (2.x); 3.x breaks ties by the full label set.
    pub sort_by_label_ties_by_value: bool,
    /// `stddev`/`stdvar` of a group whose first value is ±Inf or NaN is 0 (2.x), not NaN.
    pub stddev_nonfinite_first_is_zero: bool,
    /// `sum` and `avg` aggregate with Kahan compensation (3.x; 2.55 on); 2.x adds plainly for
    /// `sum` and keeps a plain running mean for `avg` (`sum(-vector(0))` is `-0`).
    pub kahan_aggregation: bool,
    /// `avg_over_time` is a compensated running mean (2.x) instead of a compensated sum
    /// divided by the count (3.x).
    pub avg_over_time_running_mean: bool,
    /// `rate`/`increase` clamp the extrapolation to the counter's zero point before the
    /// 1.1× threshold (2.42), instead of after it (2.53 on).
    pub rate_zero_clamp_before_threshold: bool,
    /// Metric and label names may be any UTF-8 quoted string (3.0 on).
    pub utf8_names: bool,
    /// `.` in a label-matcher regex and in `label_replace`'s regex matches a newline (3.0
    /// on: `^(?s:…)$`); 2.x compiles `^(?:…)$`, where it does not.
    pub regex_dot_matches_newline: bool,
    /// Delayed `__name__` removal exists (3.0 on), so promqltest's engine turns it on; 2.x
    /// drops the name in each operation.
    pub delayed_name_removal_available: bool,
    /// `histogram_quantile`/`histogram_fraction` interpolate linearly inside the exponential
    /// buckets of native histograms (2.x); 3.0 interpolates exponentially there.
    pub native_histogram_linear_interpolation: bool,
    /// promqltest compares `expect warn/info msg:` with the annotation's bare message (3.5 and
    /// before); HEAD compares it with the rendered text, which ends in ` (line:col)`.
    pub annotation_msg_without_position: bool,
    /// `sum`/`avg`, `+`/`-`, `sum_over_time`/`avg_over_time`, `rate`/`increase`/`delta` and
    /// `irate`/`idelta` of custom-bucket (NHCB) histograms whose bounds differ: 3.5 and before
    /// find them incompatible (a warning, no result); HEAD reconciles them to the common
    /// bounds with an info.
    pub nhcb_mismatch_incompatible: bool,
    /// Counter-reset detection (`resets`, `rate`, `irate`, ...) counts any change of a
    /// custom-bucket histogram's bounds as a reset (3.5 and before); HEAD compares the counts
    /// rolled up to the bounds both share.
    pub nhcb_bounds_change_is_reset: bool,
    /// `rate`/`increase` of native histograms stop extrapolating to the left at the counter's
    /// zero point, estimated from the first histogram's count (HEAD); 3.5 and before
    /// extrapolate histograms as if they had no zero point.
    pub histogram_rate_zero_clamp: bool,
    /// Kahan–Neumaier summation leaves its compensation NaN once the sum becomes infinite
    /// (2.x), so an unguarded compensated sum reaching ±Inf ends as NaN
    /// (`histogram_stddev`/`histogram_stdvar` of a histogram with an infinite sum); 2.54 on
    /// resets the compensation to 0 and the sum stays ±Inf.
    pub kahan_nan_compensation_at_inf: bool,
    /// `holt_winters` exists (2.x); 3.0 renamed it `double_exponential_smoothing`.
    pub holt_winters: bool,
    /// Functions and syntax added after 2.42 (`sort_by_label`, `histogram_avg`,
    /// `histogram_stddev`, `histogram_stdvar`, `mad_over_time`) exist.
    pub post_2_42_functions: bool,
    /// Functions, aggregations and syntax added in 3.x (`limitk`, `limit_ratio`, `info`,
    /// duration expressions, `1_000` and durations as numbers) exist.
    pub v3_syntax: bool,
    /// promtool: a test group without `interval` loads its series at interval 0, every value
    /// at time 0 (2.42); from 2.49 on it defaults to `evaluation_interval`.
    pub rule_test_interval_defaults_to_zero: bool,
    /// promtool: the rule-test file field `fuzzy_compare` exists (3.x; an unknown field
    /// before).
    pub rule_test_fuzzy_compare: bool,
    /// promtool: expected samples may be native histograms (`histogram:`; 2.53 on), an unknown
    /// field in 2.42.
    pub rule_test_histogram_samples: bool,
    /// promtool prints (and compares) a histogram's counter-reset hint in its test expression
    /// (3.x); 2.x leaves it out.
    pub rule_test_histogram_hint: bool,
    /// promtool: the test-group field `start_timestamp` exists (HEAD, past 3.5).
    pub rule_test_start_timestamp: bool,
    /// promtool `check rules` prints a blank line after a file's errors too (2.42); from
    /// 2.53 on it goes on to the next file without one.
    pub check_rules_blank_line_after_errors: bool,
    /// What exists only at HEAD, past 3.5 (`first_over_time`, `ts_of_*`, `fill`,
    /// `anchored`/`smoothed`, `start_timestamp`, `histogram_quantiles`).
    pub head_syntax: bool,
}

impl Semantics {
    /// The switches of a release.
    pub const fn of(version: PrometheusVersion) -> Semantics {
        use PrometheusVersion::*;
        let v2 = matches!(version, V2_42 | V2_53);
        Semantics {
            version,
            left_closed_windows: v2,
            atan2_keeps_name: matches!(version, V2_42),
            sort_by_label_ties_by_value: v2,
            comparison_filters_before_match_check: v2,
            // v2.53.5's engine.go and functions.go: the same float aggregation as 2.42
            // (Kahan `sum`/`avg` came in 2.55, the stddev fix in 3.0).
            stddev_nonfinite_first_is_zero: v2,
            kahan_aggregation: !v2,
            avg_over_time_running_mean: v2,
            rate_zero_clamp_before_threshold: matches!(version, V2_42),
            utf8_names: !v2,
            regex_dot_matches_newline: !v2,
            delayed_name_removal_available: !v2,
            holt_winters: v2,
            nhcb_mismatch_incompatible: !matches!(version, Latest),
            nhcb_bounds_change_is_reset: !matches!(version, Latest),
            histogram_rate_zero_clamp: matches!(version, Latest),
            kahan_nan_compensation_at_inf: v2,
            annotation_msg_without_position: !matches!(version, Latest),
            native_histogram_linear_interpolation: v2,
            post_2_42_functions: !matches!(version, V2_42),
            v3_syntax: !v2,
            head_syntax: matches!(version, Latest),
            rule_test_interval_defaults_to_zero: matches!(version, V2_42),
            rule_test_fuzzy_compare: !v2,
            rule_test_histogram_hint: !v2,
            rule_test_histogram_samples: !matches!(version, V2_42),
            rule_test_start_timestamp: matches!(version, Latest),
            check_rules_blank_line_after_errors: matches!(version, V2_42),
        }
    }

    /// The exclusive lower bound of a window of length `range` ending at `end` (inclusive):
    /// a sample at `t` is in the window when `bound < t <= end`. The one place window
    /// closedness is decided, for lookback, range selectors and subquery steps alike.
    pub(crate) const fn window_start(&self, end: i64, range: i64) -> i64 {
        if self.left_closed_windows {
            end - range - 1
        } else {
            end - range
        }
    }
}

/// One switch of [`Semantics`] by name, for reports that explain a difference between two
/// releases by the switch that causes it (the rule tests' upgrade report).
#[cfg_attr(not(feature = "rule-tests"), allow(dead_code))]
pub(crate) struct Switch {
    /// The field's name.
    #[allow(dead_code)] // read by tests
    pub name: &'static str,
    /// What differs, in words for an upgrade report.
    pub reason: &'static str,
    /// Reads the switch.
    pub get: fn(&Semantics) -> bool,
    /// Sets the switch.
    pub set: fn(&mut Semantics, bool),
}

/// Every switch of [`Semantics`] (a test checks that none is missing).
#[cfg_attr(not(feature = "rule-tests"), allow(dead_code))]
pub(crate) const SWITCHES: &[Switch] = &[
    Switch {
        name: "left_closed_windows",
        reason: "a sample on a window's left edge: inside [t-r, t] (2.x), outside (t-r, t] (3.x), for the lookback (5m), range selectors and subqueries",
        get: |s| s.left_closed_windows,
        set: |s, v| s.left_closed_windows = v,
    },
    Switch {
        name: "atan2_keeps_name",
        reason: "`atan2` keeps the metric name in 2.42, drops it from 2.53 on",
        get: |s| s.atan2_keeps_name,
        set: |s, v| s.atan2_keeps_name = v,
    },
    Switch {
        name: "comparison_filters_before_match_check",
        reason: "2.x filters comparison results before the one-to-one/many-to-one duplicate check",
        get: |s| s.comparison_filters_before_match_check,
        set: |s, v| s.comparison_filters_before_match_check = v,
    },
    Switch {
        name: "sort_by_label_ties_by_value",
        reason: "`sort_by_label` keeps value order among equal labels in 2.x, full label order in 3.x",
        get: |s| s.sort_by_label_ties_by_value,
        set: |s, v| s.sort_by_label_ties_by_value = v,
    },
    Switch {
        name: "stddev_nonfinite_first_is_zero",
        reason: "`stddev`/`stdvar` of a group starting with Inf/NaN is 0 in 2.x, NaN in 3.x",
        get: |s| s.stddev_nonfinite_first_is_zero,
        set: |s, v| s.stddev_nonfinite_first_is_zero = v,
    },
    Switch {
        name: "kahan_aggregation",
        reason: "`sum`/`avg` add without compensation in 2.x (last-bit rounding, `-0`)",
        get: |s| s.kahan_aggregation,
        set: |s, v| s.kahan_aggregation = v,
    },
    Switch {
        name: "avg_over_time_running_mean",
        reason: "`avg_over_time` is a running mean in 2.x (last-bit rounding)",
        get: |s| s.avg_over_time_running_mean,
        set: |s, v| s.avg_over_time_running_mean = v,
    },
    Switch {
        name: "rate_zero_clamp_before_threshold",
        reason: "rate/increase extrapolation near a counter's zero point: 2.42 limits it to the zero point before the 1.1-interval threshold",
        get: |s| s.rate_zero_clamp_before_threshold,
        set: |s, v| s.rate_zero_clamp_before_threshold = v,
    },
    Switch {
        name: "utf8_names",
        reason: "UTF-8 metric and label names (3.x); 2.x accepts only legacy names",
        get: |s| s.utf8_names,
        set: |s, v| s.utf8_names = v,
    },
    Switch {
        name: "regex_dot_matches_newline",
        reason: "`.` in regex matchers and `label_replace` matches a newline in 3.x, not in 2.x",
        get: |s| s.regex_dot_matches_newline,
        set: |s, v| s.regex_dot_matches_newline = v,
    },
    Switch {
        name: "delayed_name_removal_available",
        reason: "delayed `__name__` removal exists from 3.0 on",
        get: |s| s.delayed_name_removal_available,
        set: |s, v| s.delayed_name_removal_available = v,
    },
    Switch {
        name: "native_histogram_linear_interpolation",
        reason: "native-histogram quantiles and fractions interpolate linearly inside exponential buckets in 2.x",
        get: |s| s.native_histogram_linear_interpolation,
        set: |s, v| s.native_histogram_linear_interpolation = v,
    },
    Switch {
        name: "annotation_msg_without_position",
        reason: "promqltest's `expect warn/info msg:` matches the message without its ` (line:col)` position up to 3.5",
        get: |s| s.annotation_msg_without_position,
        set: |s, v| s.annotation_msg_without_position = v,
    },
    Switch {
        name: "nhcb_mismatch_incompatible",
        reason: "`sum`/`avg`/`+`/`-`/`sum_over_time`/`avg_over_time`/`rate`/`increase`/`delta`/`irate`/`idelta` of custom-bucket histograms with different bounds: dropped with a warning up to 3.5, reconciled to the common bounds at HEAD",
        get: |s| s.nhcb_mismatch_incompatible,
        set: |s, v| s.nhcb_mismatch_incompatible = v,
    },
    Switch {
        name: "nhcb_bounds_change_is_reset",
        reason: "a custom-bucket histogram whose bounds change is a counter reset up to 3.5; HEAD compares the counts at the bounds both share",
        get: |s| s.nhcb_bounds_change_is_reset,
        set: |s, v| s.nhcb_bounds_change_is_reset = v,
    },
    Switch {
        name: "histogram_rate_zero_clamp",
        reason: "`rate`/`increase` of native histograms stop extrapolating at the counter's zero point at HEAD, not up to 3.5",
        get: |s| s.histogram_rate_zero_clamp,
        set: |s, v| s.histogram_rate_zero_clamp = v,
    },
    Switch {
        name: "kahan_nan_compensation_at_inf",
        reason: "a compensated sum reaching ±Inf ends as NaN in 2.x (`histogram_stddev`/`histogram_stdvar` of a histogram with an infinite sum), ±Inf from 2.54 on",
        get: |s| s.kahan_nan_compensation_at_inf,
        set: |s, v| s.kahan_nan_compensation_at_inf = v,
    },
    Switch {
        name: "holt_winters",
        reason: "`holt_winters` (2.x) is `double_exponential_smoothing` in 3.x",
        get: |s| s.holt_winters,
        set: |s, v| s.holt_winters = v,
    },
    Switch {
        name: "post_2_42_functions",
        reason: "a function added after 2.42 (`sort_by_label`, `histogram_avg`, `mad_over_time`, ...)",
        get: |s| s.post_2_42_functions,
        set: |s, v| s.post_2_42_functions = v,
    },
    Switch {
        name: "v3_syntax",
        reason: "a function or syntax added in 3.x (`limitk`, `info`, duration expressions, ...)",
        get: |s| s.v3_syntax,
        set: |s, v| s.v3_syntax = v,
    },
    Switch {
        name: "rule_test_interval_defaults_to_zero",
        reason: "a test group without `interval`: every value at 0s in 2.42, `evaluation_interval` apart from 2.49 on",
        get: |s| s.rule_test_interval_defaults_to_zero,
        set: |s, v| s.rule_test_interval_defaults_to_zero = v,
    },
    Switch {
        name: "rule_test_fuzzy_compare",
        reason: "the rule-test field `fuzzy_compare` exists from 3.x on",
        get: |s| s.rule_test_fuzzy_compare,
        set: |s, v| s.rule_test_fuzzy_compare = v,
    },
    Switch {
        name: "rule_test_histogram_hint",
        reason: "promtool 3.x prints and compares histograms' counter-reset hints",
        get: |s| s.rule_test_histogram_hint,
        set: |s, v| s.rule_test_histogram_hint = v,
    },
    Switch {
        name: "rule_test_histogram_samples",
        reason: "expected samples may be native histograms (`histogram:`) from 2.53 on",
        get: |s| s.rule_test_histogram_samples,
        set: |s, v| s.rule_test_histogram_samples = v,
    },
    Switch {
        name: "rule_test_start_timestamp",
        reason: "the test-group field `start_timestamp` exists at HEAD only",
        get: |s| s.rule_test_start_timestamp,
        set: |s, v| s.rule_test_start_timestamp = v,
    },
    Switch {
        name: "check_rules_blank_line_after_errors",
        reason: "promtool 2.42's `check rules` prints a blank line after a file's errors",
        get: |s| s.check_rules_blank_line_after_errors,
        set: |s, v| s.check_rules_blank_line_after_errors = v,
    },
    Switch {
        name: "head_syntax",
        reason: "a function or syntax only HEAD has (`first_over_time`, `fill`, `anchored`, ...)",
        get: |s| s.head_syntax,
        set: |s, v| s.head_syntax = v,
    },
];

impl Default for Semantics {
    fn default() -> Self {
        Semantics::of(PrometheusVersion::Latest)
    }
}

#[cfg(test)]
mod tests;
