//! Query results: scalars, strings, instant vectors and matrices.

use std::sync::Arc;

use crate::model::{FloatHistogram, Labels, Timestamp};

/// A float point of a series in a matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FPoint {
    /// Timestamp.
    pub t: Timestamp,
    /// Value.
    pub f: f64,
}

/// A histogram point of a series in a matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct HPoint {
    /// Timestamp.
    pub t: Timestamp,
    /// Value.
    pub h: Arc<FloatHistogram>,
}

/// One element of an instant vector: a float or a histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorSample {
    /// The series' labels.
    pub metric: Labels,
    /// Evaluation timestamp.
    pub t: Timestamp,
    /// The float value (ignored when `h` is set).
    pub f: f64,
    /// The histogram value, if this is a histogram sample.
    pub h: Option<Arc<FloatHistogram>>,
    /// Whether `__name__` must be dropped from `metric` once evaluation ends (delayed name removal).
    pub drop_name: bool,
}

/// A series of a range result.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Series {
    /// The series' labels.
    pub metric: Labels,
    /// Float points, time-ordered.
    pub floats: Vec<FPoint>,
    /// Histogram points, time-ordered.
    pub histograms: Vec<HPoint>,
    /// Whether `__name__` must be dropped once evaluation ends (delayed name removal).
    pub drop_name: bool,
}

/// A query's result value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar at a timestamp.
    Scalar {
        /// Timestamp.
        t: Timestamp,
        /// Value.
        v: f64,
    },
    /// A string at a timestamp.
    String {
        /// Timestamp.
        t: Timestamp,
        /// Value.
        v: String,
    },
    /// An instant vector.
    Vector(Vec<VectorSample>),
    /// A range vector / range query result.
    Matrix(Vec<Series>),
}

/// Formats `f` as Go's `strconv.FormatFloat(f, 'g', -1, 64)` (also `%g` and `%v`):
/// the shortest representation, in exponent form when the decimal exponent is below -4 or at
/// least 6 (`1e+06`, `100000`, `1.5e-07`, `NaN`, `+Inf`).
pub fn format_go_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-tripping digits: `d.ddde[-]x`.
    let e = format!("{f:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        // Exponent form: d[.ddd]e±XX with at least two exponent digits.
        let mut m = String::from(&digits[..1]);
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{esign}{:02}", exp.abs());
    }
    // Plain form.
    if exp >= 0 {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            format!("{sign}{digits}{}", "0".repeat(int_len - digits.len()))
        } else {
            format!("{sign}{}.{}", &digits[..int_len], &digits[int_len..])
        }
    } else {
        format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_g_format() {
        assert_eq!(format_go_g(1.5), "1.5");
        assert_eq!(format_go_g(100000.0), "100000");
        assert_eq!(format_go_g(1e6), "1e+06");
        assert_eq!(format_go_g(1.5e-7), "1.5e-07");
        assert_eq!(format_go_g(0.0001), "0.0001");
        assert_eq!(format_go_g(-2.0), "-2");
        assert_eq!(format_go_g(123456.0), "123456");
        assert_eq!(format_go_g(1234567.0), "1.234567e+06");
        assert_eq!(format_go_g(f64::NAN), "NaN");
        assert_eq!(format_go_g(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_go_g(9.223372036854776e18), "9.223372036854776e+18");
    }
}
