//! Every value in `tests/data/gomath/` (Go's own outputs, from Prometheus 2.42 on amd64)
//! reproduced bit for bit.

use std::path::PathBuf;

/// The records of one reference file: `arity` inputs then the output, as bit patterns.
fn records(name: &str, arity: usize) -> Vec<Vec<u64>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/gomath")
        .join(format!("{name}.bin"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let width = 8 * (arity + 1);
    assert_eq!(bytes.len() % width, 0, "{name}.bin: truncated");
    bytes
        .chunks(width)
        .map(|rec| {
            rec.chunks(8)
                .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
                .collect()
        })
        .collect()
}

/// Whether `got` is Go's `want` (any NaN for NaN: the JSON output keeps no payload).
fn same(got: f64, want: u64) -> bool {
    let want = f64::from_bits(want);
    if want.is_nan() {
        got.is_nan()
    } else {
        got.to_bits() == want.to_bits()
    }
}

fn check(name: &str, arity: usize, f: impl Fn(&[f64]) -> f64) {
    let recs = records(name, arity);
    assert!(recs.len() > 1000, "{name}: only {} points", recs.len());
    let mut bad = Vec::new();
    for rec in &recs {
        let args: Vec<f64> = rec[..arity].iter().map(|&b| f64::from_bits(b)).collect();
        let got = f(&args);
        if !same(got, rec[arity]) {
            bad.push(format!(
                "{name}{args:?} = {got:e} ({:#018x}), Go: {:e} ({:#018x})",
                got.to_bits(),
                f64::from_bits(rec[arity]),
                rec[arity]
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        recs.len(),
        bad.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}

macro_rules! unary {
    ($($test:ident: $file:literal => $f:expr;)*) => {$(
        #[test]
        fn $test() {
            check($file, 1, |a| $f(a[0]));
        }
    )*};
}

unary! {
    log: "log" => super::log;
    log2: "log2" => super::log2;
    log10: "log10" => super::log10;
    exp: "exp" => super::exp;
    exp_without_fma: "exp_nofma" => |x| super::exp::exp_amd64(x, false);
    sin: "sin" => super::sin;
    cos: "cos" => super::cos;
    tan: "tan" => super::tan;
    asin: "asin" => super::asin;
    acos: "acos" => super::acos;
    atan: "atan" => super::atan;
    sinh: "sinh" => super::sinh;
    cosh: "cosh" => super::cosh;
    tanh: "tanh" => super::tanh;
    asinh: "asinh" => super::asinh;
    acosh: "acosh" => super::acosh;
    atanh: "atanh" => super::atanh;
}

#[test]
fn pow() {
    check("pow", 2, |a| super::pow(a[0], a[1]));
}

#[test]
fn atan2() {
    check("atan2", 2, |a| super::atan2(a[0], a[1]));
}

#[test]
fn modulo() {
    check("mod", 2, |a| super::modulo(a[0], a[1]));
}

#[test]
fn max() {
    check("max", 2, |a| super::max(a[0], a[1]));
}

#[test]
fn min() {
    check("min", 2, |a| super::min(a[0], a[1]));
}
