//! Go's `math` package, bit for bit as Prometheus computes it on linux/amd64.
//!
//! Rule tests compare floats exactly, so a PromQL function must return the very bits Go
//! returns, not merely a close value. Rust's `f64` methods call the platform's libm, whose
//! algorithms differ from Go's; this module implements Go's with the same floating-point
//! operations in the same order. The reference is Go 1.19, which Debian's Prometheus 2.42
//! is built with; later Go releases changed `Sinh` and `Cosh` (`Exp(-x)` for `1/Exp(x)`)
//! and `Pow` (a repeated-multiplication path for integer exponents in [-128, 127]), so a
//! Prometheus built with those can differ there in the last bit.
//!
//! - on amd64 Go runs assembly for `Exp` and `Log` (in [`exp`] and [`log`]); `Exp` takes
//!   its fused multiply-add path when the CPU has AVX2 and FMA, as every x86-64 server since
//!   2013 does, and this module follows that path;
//! - everything else is Go's pure-Go code, compiled without FMA contraction (GOAMD64=v1);
//! - `Sqrt`, `Floor`, `Ceil`, `Trunc` and `Abs` are exact IEEE operations, so Rust's own
//!   methods give Go's bits and are used directly.
//!
//! `tests/data/gomath/` holds Go's outputs for thousands of inputs per function, generated
//! by `scripts/oracle/gomath_reference.py` from Prometheus 2.42 itself.

// The constants are written with the digits of Go's sources; they round to the same bits.
#![allow(clippy::excessive_precision)]

mod bits;
mod exp;
mod hyperbolic;
mod inverse_trig;
mod log;
mod minmax;
mod pow;
mod remainder;
mod trig;
mod trig_reduce;

#[cfg(test)]
mod reference_tests;

pub use bits::ldexp;
pub use exp::{exp, exp2};
pub use hyperbolic::{acosh, asinh, atanh, cosh, sinh, tanh};
pub use inverse_trig::{acos, asin, atan, atan2};
pub use log::{log, log10, log1p, log2};
pub use minmax::{max, min};
pub use pow::pow;
pub use remainder::modulo;
pub use trig::{cos, sin, tan};

/// Go's `int64(x)` on amd64 (`CVTTSD2SQ`): truncation toward zero, and the "integer
/// indefinite" value `i64::MIN` for NaN and anything outside the range of `i64`.
pub(crate) fn go_int64(x: f64) -> i64 {
    // 2^63 is exactly representable; every float in [-2^63, 2^63) truncates into range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if (-LIMIT..LIMIT).contains(&x) {
        x as i64
    } else {
        i64::MIN
    }
}
