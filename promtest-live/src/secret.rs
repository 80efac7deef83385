//! Secrets (bearer tokens, passwords): held as text, never printed. `Debug` and `Display` show
//! `<redacted>` (or nothing when unset), so a secret cannot reach a log line, an error or `--help`.

use std::fmt;

/// A secret value. The only way to read it is [`Secret::expose`], used where it goes on the wire.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret's text, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether no secret was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            f.write_str("<redacted>")
        }
    }
}

/// `text` with the credentials of any `Authorization:` header it echoes replaced by
/// `<redacted>` (some gateways echo request headers in their error pages).
pub fn scrub_authorization(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let lower = line.to_ascii_lowercase();
        match lower.find("authorization:") {
            Some(at) => {
                out.push_str(&line[..at + "authorization:".len()]);
                out.push_str(" <redacted>");
            }
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_its_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?}"), "<redacted> <redacted>");
        assert_eq!(s.expose(), "hunter2");
        assert_eq!(format!("[{}]", Secret::default()), "[]");
    }

    #[test]
    fn echoed_authorization_headers_are_scrubbed() {
        assert_eq!(
            scrub_authorization("bad\nAuthorization: Bearer abc\nok"),
            "bad\nAuthorization: <redacted>\nok"
        );
    }
}
