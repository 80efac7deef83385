//! Errors at a byte offset inside one line, before the line is placed in its file.

/// A problem found at byte offset `at` of the text being parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PosError {
    /// Byte offset into the parsed text.
    pub at: usize,
    /// What was wrong or expected.
    pub msg: String,
}

impl PosError {
    /// A problem at byte offset `at`.
    pub(crate) fn new(at: usize, msg: impl Into<String>) -> Self {
        PosError {
            at,
            msg: msg.into(),
        }
    }
}

/// Skips spaces and tabs (and the other characters PromQL's lexer treats as space) from `i`.
pub(crate) fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    i
}

/// PromQL's `isSpace`: space, tab, newline, carriage return.
pub(crate) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// PromQL's `isAlpha`: ASCII letter or underscore.
pub(crate) fn is_alpha(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

/// PromQL's `isAlphaNumeric`.
pub(crate) fn is_alnum(c: u8) -> bool {
    is_alpha(c) || c.is_ascii_digit()
}

/// The end of a number token starting at `i`, as PromQL's lexer scans numbers in
/// series descriptions (decimal only, `_` separators, exponents; may be followed
/// by `x` for repetitions but by no other letter or digit). `None` when malformed.
pub(crate) fn scan_number(b: &[u8], start: usize) -> Option<usize> {
    scan_number_go(b, start).ok()
}

/// [`scan_number`] with the lexer's stopping point on failure: `Err(end)` where the scan
/// gave up, so that `b[start..end]` is the text Prometheus quotes in `bad number syntax`.
pub(crate) fn scan_number_go(b: &[u8], start: usize) -> Result<usize, usize> {
    let mut i = start;
    let at = |i: usize| b.get(i).copied();
    let is_digit = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_digit());
    if at(i) == Some(b'.') {
        i += 1;
    }
    if is_digit(at(i)) {
        i += 1;
    }
    let (mut dot, mut exp) = (false, false);
    while let Some(c) = at(i) {
        match c {
            b'.' => {
                i += 1;
                if dot {
                    return Err(i);
                }
                dot = true;
                if matches!(at(i), Some(b'_' | b'.')) {
                    return Err(i + 1);
                }
            }
            b'e' | b'E' => {
                i += 1;
                if exp {
                    return Err(i);
                }
                exp = true;
                if matches!(at(i), Some(b'+' | b'-')) {
                    i += 1;
                }
                match at(i) {
                    None => return Err(i),
                    Some(b'.' | b'_' | b'e' | b'E') => return Err(i + 1),
                    _ => {}
                }
            }
            b'_' => {
                i += 1;
                match at(i) {
                    None => return Err(i),
                    Some(b'.' | b'_' | b'e' | b'E') => return Err(i + 1),
                    _ => {}
                }
            }
            c if c.is_ascii_digit() => i += 1,
            _ => break,
        }
    }
    if i == start {
        return Err(i);
    }
    match at(i) {
        Some(b'x') => Ok(i),
        Some(c) if is_alnum(c) => Err(i),
        _ => Ok(i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<&str> {
        scan_number(s.as_bytes(), 0).map(|e| &s[..e])
    }

    #[test]
    fn numbers_as_the_series_lexer_scans_them() {
        assert_eq!(num("12 3"), Some("12"));
        assert_eq!(num("1.5e-3x4"), Some("1.5e-3"));
        assert_eq!(num(".5"), Some(".5"));
        assert_eq!(num("1_000"), Some("1_000"));
        assert_eq!(num("1x3"), Some("1"));
        assert_eq!(num("1e"), None);
        assert_eq!(num("1..2"), None);
        assert_eq!(num("0x1f"), Some("0"));
        assert_eq!(num("5m"), None);
        assert_eq!(num("1_"), None);
        assert_eq!(num("+1"), None);
        fn stop(s: &str) -> Result<&str, &str> {
            scan_number_go(s.as_bytes(), 0)
                .map(|e| &s[..e])
                .map_err(|e| &s[..e])
        }
        assert_eq!(stop("1..2"), Err("1.."));
        assert_eq!(stop("1e"), Err("1e"));
        assert_eq!(stop("1e5e"), Err("1e5e"));
        assert_eq!(stop("0b101"), Err("0"));
        assert_eq!(stop("1_."), Err("1_."));
        assert_eq!(stop("2.5x3"), Ok("2.5"));
    }
}
