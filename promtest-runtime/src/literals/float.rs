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

/// The shortest round-trip decimal digits of finite `v`'s magnitude: `(digits, exp)` with
/// `|v| = d.ddd × 10^exp`, no trailing zeros (`"0"` for zero).
///
/// Rust and Go agree on the shortest length, and on the digits whenever one candidate of that
/// length is nearest to `v`. When `v` lies exactly halfway between two candidates (it happens
/// only at 16 or 17 digits), Go's Ryū (`strconv`) takes the even one and Rust's formatter the
/// upper: `6.6849477590924425e14` is `6.684947759092442e+14` in Go.
fn shortest_digits(v: f64) -> (String, i32) {
    let rust = format!("{:e}", v.abs());
    let (mantissa, exp) = rust.split_once('e').unwrap_or((rust.as_str(), "0"));
    let mut digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut exp: i32 = exp.parse().unwrap_or(0);
    let odd = digits.bytes().last().is_some_and(|d| (d - b'0') % 2 == 1);
    if digits.len() >= 16 && odd {
        if let Some(lower) = halfway_neighbour(v.abs(), &digits, exp) {
            // The even candidate: one unit of the last digit away, on the side of the tie.
            let (d, e) = step_last_digit(&digits, exp, lower);
            digits = d;
            exp = e;
        }
    }
    (digits, exp)
}

/// Whether `v` is exactly halfway between `digits × 10^(exp+1-len)` and its lower (`Some(true)`)
/// or upper (`Some(false)`) neighbour at the same length; `None` when it is not a tie.
fn halfway_neighbour(v: f64, digits: &str, exp: i32) -> Option<bool> {
    let n = digits.len();
    // One more significant digit, correctly rounded: a tie shows as `D-1|5` or `D|5`.
    let longer = format!("{:.*e}", n, v);
    let (m, e) = longer.split_once('e')?;
    let m: String = m.chars().filter(|c| *c != '.').collect();
    let (head, last) = m.split_at(n);
    if last != "5" || e.parse::<i32>().ok()? != exp {
        return None;
    }
    // Exactly halfway only if no further digit is non-zero (a double has at most 767
    // significant digits).
    let exact = format!("{:.*e}", 800, v);
    let exact: String = exact
        .split_once('e')?
        .0
        .chars()
        .filter(|c| *c != '.')
        .collect();
    if exact[n + 1..].bytes().any(|d| d != b'0') {
        return None;
    }
    if head == digits {
        Some(false) // v = D + 1/2: the neighbour is above
    } else {
        Some(true) // head is D - 1: v = D - 1/2
    }
}

/// `digits` with one unit subtracted from (`down`) or added to its last digit, carrying, with
/// trailing zeros dropped and the exponent adjusted when the length changes.
fn step_last_digit(digits: &str, exp: i32, down: bool) -> (String, i32) {
    let mut d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    let mut exp = exp;
    let mut i = d.len();
    loop {
        i -= 1;
        if down {
            if d[i] > 0 {
                d[i] -= 1;
                break;
            }
            d[i] = 9;
        } else {
            if d[i] < 9 {
                d[i] += 1;
                break;
            }
            d[i] = 0;
            if i == 0 {
                d.insert(0, 1);
                exp += 1;
                break;
            }
        }
    }
    if d.len() > 1 && d[0] == 0 {
        d.remove(0);
        exp -= 1;
    }
    while d.len() > 1 && d.last() == Some(&0) {
        d.pop();
    }
    (d.iter().map(|x| char::from(b'0' + x)).collect(), exp)
}

/// The sign of `v` as Go prints it (also for `-0`).
fn sign(v: f64) -> &'static str {
    if v.is_sign_negative() {
        "-"
    } else {
        ""
    }
}

/// `d[.ddd]e±XX` with `e` (or `E`), Go's `%e` of the shortest digits.
fn exponent_form(v: f64, (digits, exp): (String, i32), e: char) -> String {
    let (first, rest) = digits.split_at(1);
    let point = if rest.is_empty() { "" } else { "." };
    let exp_sign = if exp < 0 { '-' } else { '+' };
    format!(
        "{}{first}{point}{rest}{e}{exp_sign}{:02}",
        sign(v),
        exp.abs()
    )
}

/// The shortest digits placed around a decimal point, never an exponent.
fn fixed_form(v: f64, (digits, exp): (String, i32)) -> String {
    let n = digits.len() as i32;
    let body = if exp >= n - 1 {
        digits + &"0".repeat((exp - n + 1) as usize)
    } else if exp >= 0 {
        let (int, frac) = digits.split_at(exp as usize + 1);
        format!("{int}.{frac}")
    } else {
        format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
    };
    format!("{}{body}", sign(v))
}

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, never an exponent.
pub fn format_f(v: f64) -> String {
    match non_finite(v) {
        Some(s) => s.to_string(),
        None => fixed_form(v, shortest_digits(v)),
    }
}

/// Go's `strconv.FormatFloat(v, 'g', -1, 64)`, also `%g` and `%v`: shortest digits, in exponent
/// form when the decimal exponent is below -4 or at least 6: `1e+06`, `123456`,
/// `1.234567e+06`, `1.5e-07`, `0.0001`.
pub fn format_g(v: f64) -> String {
    if let Some(s) = non_finite(v) {
        return s.to_string();
    }
    let shortest = shortest_digits(v);
    if v != 0.0 && !(-4..6).contains(&shortest.1) {
        exponent_form(v, shortest, 'e')
    } else {
        fixed_form(v, shortest)
    }
}

/// Go's `strconv.FormatFloat(v, 'E', -1, 64)`: `1E+00`, `1.5E-07`, as promtool prints values.
#[cfg_attr(not(feature = "rule-tests"), allow(dead_code))] // used by rule tests
pub fn format_e_upper(v: f64) -> String {
    match non_finite(v) {
        Some(s) => s.to_string(),
        None => exponent_form(v, shortest_digits(v), 'E'),
    }
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
        assert_eq!(format_e_upper(0.0), "0E+00");
    }

    #[test]
    fn exact_ties_go_to_the_even_digit_as_in_go() {
        // 1970^4.5 (Go's math.Pow) is exactly 668494775909244.25: promtool 2.42 prints
        // 6.684947759092442E+14, Rust's formatter alone ...443.
        let v = 668_494_775_909_244.0_f64 + 0.25; // exact: the ulp here is 0.125
        assert_eq!(format_e_upper(v), "6.684947759092442E+14");
        assert_eq!(format_g(v), "6.684947759092442e+14");
        assert_eq!(format_f(v), "668494775909244.2");
        assert_eq!(format_f(-v), "-668494775909244.2");
        // Not a tie (the exact value is above the midpoint): the nearest candidate stays.
        let above = f64::from_bits(v.to_bits() + 1);
        assert_eq!(format_e_upper(above), "6.684947759092444E+14");
        // Every printed form still reads back as the same float.
        let mut x = 1.0f64;
        for _ in 0..20_000 {
            x = x * 1.000_123_7 + 0.377;
            for form in [format_f(x), format_g(x), format_e_upper(x)] {
                assert_eq!(
                    form.parse::<f64>().unwrap().to_bits(),
                    x.to_bits(),
                    "{form}"
                );
            }
        }
    }
}
