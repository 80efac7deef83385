//! Floats printed as Go prints them: `strconv.FormatFloat` with shortest precision in the
//! `'f'`, `'g'` (also `%v`) and `'E'` forms, with Go's `NaN`, `+Inf`, `-Inf`.

/// The special spellings of a non-finite float, or `None` for a finite one.
fn non_finite(v: f64) -> Option<&'static str> {
    if v.is_nan() {
        Some("NaN")
    } else if v.is_infinite() {
        Some(if v > 0.0 { "+Inf" } else { "-Inf" })
    } else {
        None
    }
}

/// The shortest round-trip digits of finite `v` as (mantissa `d[.ddd]` with sign, decimal exponent).
fn shortest_sci(v: f64, upper: bool) -> (String, i32) {
    let e = if upper {
        format!("{v:E}")
    } else {
        format!("{v:e}")
    };
    let (mantissa, exp) = e.split_once(['e', 'E']).unwrap_or((e.as_str(), "0"));
    (mantissa.to_string(), exp.parse().unwrap_or(0))
}

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, never an exponent.
pub fn format_f(v: f64) -> String {
    match non_finite(v) {
        Some(s) => s.to_string(),
        None => format!("{v}"),
    }
}

/// Go's `strconv.FormatFloat(v, 'g', -1, 64)`, also `%g` and `%v`: shortest digits, in exponent
/// form when the decimal exponent is below -4 or at least 6: `1e+06`, `123456`,
/// `1.234567e+06`, `1.5e-07`, `0.0001`.
pub fn format_g(v: f64) -> String {
    if let Some(s) = non_finite(v) {
        return s.to_string();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let (mantissa, exp) = shortest_sci(v, false);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{v}")
    }
}

/// Go's `strconv.FormatFloat(v, 'E', -1, 64)`: `1E+00`, `1.5E-07`, as promtool prints values.
#[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
pub fn format_e_upper(v: f64) -> String {
    if let Some(s) = non_finite(v) {
        return s.to_string();
    }
    let (mantissa, exp) = shortest_sci(v, true);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}E{sign}{:02}", exp.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f_form() {
        assert_eq!(format_f(1.5), "1.5");
        assert_eq!(format_f(1e21), "1000000000000000000000");
        assert_eq!(format_f(f64::INFINITY), "+Inf");
        assert_eq!(format_f(f64::NAN), "NaN");
    }

    #[test]
    fn g_form() {
        assert_eq!(format_g(1.5), "1.5");
        assert_eq!(format_g(100000.0), "100000");
        assert_eq!(format_g(1e6), "1e+06");
        assert_eq!(format_g(1.5e-7), "1.5e-07");
        assert_eq!(format_g(0.0001), "0.0001");
        assert_eq!(format_g(-2.0), "-2");
        assert_eq!(format_g(123456.0), "123456");
        assert_eq!(format_g(1234567.0), "1.234567e+06");
        assert_eq!(format_g(-0.0), "-0");
        assert_eq!(format_g(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_g(f64::NAN), "NaN");
        assert_eq!(format_g(9.223372036854776e18), "9.223372036854776e+18");
    }

    #[test]
    fn upper_e_form() {
        assert_eq!(format_e_upper(1.0), "1E+00");
        assert_eq!(format_e_upper(1.5e-7), "1.5E-07");
        assert_eq!(format_e_upper(-250.0), "-2.5E+02");
        assert_eq!(format_e_upper(f64::INFINITY), "+Inf");
    }
}
