//! Panics are promtest bugs, and never reach a user as a crash: the code handling one file (or
//! one case of it) runs under [`catch_internal`], and a panic becomes that file's failure saying
//! it is a promtest bug, with the file and line, while the other files go on.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

/// The environment variable that makes [`catch_internal`] panic for the file it names (the
/// name as given in trial names or on the command line): a debugging aid to check, end to end,
/// that a panic is reported as an internal error. Unset, nothing changes.
pub const INJECT_PANIC_ENV: &str = "PROMTEST_INTERNAL_INJECT_PANIC";

/// The file named by [`INJECT_PANIC_ENV`], read once.
fn injected_file() -> Option<&'static str> {
    static FILE: OnceLock<Option<String>> = OnceLock::new();
    FILE.get_or_init(|| {
        std::env::var(INJECT_PANIC_ENV)
            .ok()
            .filter(|f| !f.is_empty())
    })
    .as_deref()
}

/// Runs `f`, the handling of `file` (at `line`, 0 for the whole file); a panic inside becomes
/// `Err` with one line saying it is a promtest bug.
pub fn catch_internal<T>(file: &str, line: usize, f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(|| {
        if injected_file() == Some(file) {
            panic!("panic injected by {INJECT_PANIC_ENV}");
        }
        f()
    }))
    .map_err(|payload| {
        let what = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("a panic without a message");
        let at = if line == 0 {
            file.to_string()
        } else {
            format!("{file}:{line}")
        };
        format!(
            "internal error: promtest panicked on {at}: {what} (this is a promtest bug, \
             not a problem with the file: please report it with the file)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_naming_the_file_and_line() {
        assert_eq!(catch_internal("a.test", 3, || 7), Ok(7));
        let e = catch_internal("a.test", 3, || -> u8 { panic!("boom") }).unwrap_err();
        assert_eq!(
            e,
            "internal error: promtest panicked on a.test:3: boom (this is a promtest bug, \
             not a problem with the file: please report it with the file)"
        );
        let e = catch_internal("r.yml", 0, || -> u8 { panic!("{}", 1 + 1) }).unwrap_err();
        assert!(e.starts_with("internal error: promtest panicked on r.yml: 2 ("));
    }
}
