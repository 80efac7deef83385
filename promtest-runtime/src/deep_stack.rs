//! Recursion as deep as Go's limits allow without overflowing the native stack.
//!
//! Go's `text/template` lets parenthesized pipelines nest 10,000 deep and templates call
//! templates 100,000 deep, and it does not limit nested `if`/`range`/`with` at all; a PromQL
//! query may nest 1,500 operators: goroutine stacks grow on demand. The template parser and
//! executor, the trees' printing and dropping, and the PromQL evaluator recurse as Go's do,
//! which can be far more than the 2 MiB of a test thread holds, so each recursive step goes
//! through [`deep`]: when less than [`RED_ZONE`] of the current stack is left, it continues on
//! a fresh [`SEGMENT`] allocated on the heap (the `stacker` crate, which pest already depends
//! on) and returns to the old stack afterwards. Memory then grows with the depth actually
//! reached, as in Go.

/// Stack that must be left before a recursive step runs on the current stack: more than the
/// largest stretch used between two [`deep`] calls.
const RED_ZONE: usize = 128 * 1024;

/// Size of each extra stack segment.
const SEGMENT: usize = 4 * 1024 * 1024;

/// Stack a template function gets at least (`query` runs a PromQL query, which recurses on
/// its own): as much as a fresh test thread has.
#[cfg(feature = "rule-tests")]
const CALL_RED_ZONE: usize = 1024 * 1024;

/// Runs one recursive step of parsing, executing, printing or dropping a template tree.
#[inline]
pub(crate) fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// Runs a template function, with at least [`CALL_RED_ZONE`] of stack.
#[cfg(feature = "rule-tests")]
#[inline]
pub(crate) fn roomy<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(CALL_RED_ZONE, SEGMENT, f)
}
