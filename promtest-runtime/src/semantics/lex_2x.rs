//! What the 2.x lexer and grammar refuse in a query HEAD parses, with 2.x's messages and
//! positions: duration expressions (`[1m+1m]`, `[(1m)]`, `offset (1m)`), durations written
//! as numbers (`[5]`, `offset 5`), `1_000` numbers and durations where 2.x expects an
//! expression. 2.x lexes a duration right after `[` (`missing unit character in duration`,
//! `bad duration syntax`), then wants `:` or `]`; its parser stops at the first error, so the
//! first one in the text is the answer (before any unknown function, which 2.x reports when
//! it reduces the call).
//!
//! Checked against promtool 2.42 (`check rules`); 2.53's lexer and grammar are the same here.

use crate::promql::ast::Span;
use crate::promql::parser::ParseError;

/// The first error 2.x's lexer or grammar raises in `input`, if any, among those this module
/// knows (the rest of 2.x's errors are HEAD's too).
pub(super) fn first_error(input: &str) -> Option<ParseError> {
    Scanner {
        s: input.as_bytes(),
        pos: 0,
    }
    .run()
    .err()
}

struct Scanner<'a> {
    s: &'a [u8],
    pos: usize,
}

/// A token as 2.x's parser describes it in `unexpected …` (Go's `Item.desc`).
enum Token {
    Duration(usize, usize),
    Number(usize, usize),
    Identifier(usize, usize),
    Other(usize, usize),
    End,
}

fn is_alpha(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

fn is_alnum(c: u8) -> bool {
    is_alpha(c) || c.is_ascii_digit()
}

fn err(at: usize, message: String) -> ParseError {
    ParseError {
        message,
        span: Span { start: at, end: at },
    }
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn accept(&mut self, set: &[u8]) -> bool {
        match self.peek() {
            Some(c) if set.contains(&c) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, set: &[u8]) {
        while self.accept(set) {}
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn text(&self, from: usize, to: usize) -> &str {
        let to = to.min(self.s.len());
        std::str::from_utf8(&self.s[from.min(to)..to]).unwrap_or("")
    }

    /// Go's `scanNumber`: true when what follows the number is not alphanumeric.
    fn scan_number(&mut self) -> bool {
        let mut digits: &[u8] = b"0123456789";
        if self.accept(b"0") && self.accept(b"xX") {
            digits = b"0123456789abcdefABCDEF";
        }
        self.accept_run(digits);
        if self.accept(b".") {
            self.accept_run(digits);
        }
        if self.accept(b"eE") {
            self.accept(b"+-");
            self.accept_run(b"0123456789");
        }
        !self.peek().is_some_and(is_alnum)
    }

    /// Go's `acceptRemainingDuration` (on a trailing alphanumeric it fails with that character
    /// consumed, as Go's `l.next()` leaves it).
    fn accept_remaining_duration(&mut self) -> bool {
        if !self.accept(b"smhdwy") {
            return false;
        }
        self.accept(b"s");
        while self.accept(b"0123456789") {
            self.accept_run(b"0123456789");
            if !self.accept(b"smhdw") {
                return false;
            }
            self.accept(b"s");
        }
        match self.peek() {
            Some(c) if is_alnum(c) => {
                self.pos += 1;
                false
            }
            _ => true,
        }
    }

    /// Go's `lexNumberOrDuration` at a digit (or `.digit`).
    fn number_or_duration(&mut self) -> Result<Token, ParseError> {
        let start = self.pos;
        if self.scan_number() {
            return Ok(Token::Number(start, self.pos));
        }
        if self.accept_remaining_duration() {
            return Ok(Token::Duration(start, self.pos));
        }
        Err(err(
            start,
            format!(
                "bad number or duration syntax: {}",
                crate::literals::go_quote(self.text(start, self.pos))
            ),
        ))
    }

    /// Go's `lexDuration`, right after `[`.
    fn duration(&mut self) -> Result<(), ParseError> {
        let start = self.pos;
        if self.scan_number() {
            return Err(err(start, "missing unit character in duration".into()));
        }
        if !self.accept_remaining_duration() {
            return Err(err(
                start,
                format!(
                    "bad duration syntax: {}",
                    crate::literals::go_quote(self.text(start, self.pos))
                ),
            ));
        }
        Ok(())
    }

    fn skip_string(&mut self, quote: u8) {
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'\\' && quote != b'`' {
                self.pos += 1;
            } else if c == quote {
                return;
            }
        }
    }

    /// The next token in statement context (spaces and comments skipped; strings, braces and
    /// operators as `Other`).
    fn token(&mut self) -> Result<Token, ParseError> {
        loop {
            self.skip_spaces();
            if self.peek() == Some(b'#') {
                while !matches!(self.peek(), None | Some(b'\n')) {
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(Token::End);
        };
        let next_digit = self.s.get(self.pos + 1).is_some_and(u8::is_ascii_digit);
        if c.is_ascii_digit() || (c == b'.' && next_digit) {
            return self.number_or_duration();
        }
        if is_alpha(c) || c == b':' {
            while self.peek().is_some_and(|c| is_alnum(c) || c == b':') {
                self.pos += 1;
            }
            return Ok(Token::Identifier(start, self.pos));
        }
        match c {
            b'"' | b'\'' | b'`' => self.skip_string(c),
            b'=' | b'!' | b'<' | b'>' if self.s.get(self.pos + 1) == Some(&b'=') => self.pos += 2,
            _ => self.pos += 1,
        }
        Ok(Token::Other(start, self.pos))
    }

    /// `unexpected X[ in context][, expected E]` at the token.
    fn unexpected(&self, t: &Token, context: &str, expected: &str) -> ParseError {
        let (at, desc) = match *t {
            Token::Duration(a, b) => (a, format!("duration {}", self.quoted(a, b))),
            Token::Number(a, b) => (a, format!("number {}", self.quoted(a, b))),
            Token::Identifier(a, b) => (a, format!("identifier {}", self.quoted(a, b))),
            Token::Other(a, b) => {
                let text = self.text(a, b);
                let desc = if matches!(text, "+" | "-" | "*" | "/" | "%" | "^") {
                    format!("<op:{text}>")
                } else {
                    self.quoted(a, b)
                };
                (a, desc)
            }
            Token::End => (self.s.len(), "end of input".to_string()),
        };
        let mut m = format!("unexpected {desc}");
        if !context.is_empty() {
            m.push_str(&format!(" in {context}"));
        }
        if !expected.is_empty() {
            m.push_str(&format!(", expected {expected}"));
        }
        err(at, m)
    }

    fn quoted(&self, a: usize, b: usize) -> String {
        crate::literals::go_quote(self.text(a, b))
    }

    fn is(&self, t: &Token, text: &str) -> bool {
        matches!(*t, Token::Other(a, b) if self.text(a, b) == text)
    }

    fn run(&mut self) -> Result<(), ParseError> {
        loop {
            let t = self.token()?;
            match t {
                Token::End => return Ok(()),
                Token::Duration(..) => return Err(self.unexpected(&t, "", "")),
                Token::Identifier(a, b) if self.text(a, b).eq_ignore_ascii_case("offset") => {
                    self.offset()?
                }
                Token::Other(a, _) if self.s[a] == b'{' => self.skip_braces(),
                Token::Other(a, _) if self.s[a] == b'[' => self.brackets()?,
                _ => {}
            }
        }
    }

    fn skip_braces(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b'"' | b'\'' | b'`' => self.skip_string(c),
                b'}' => {
                    self.pos += 1;
                    return;
                }
                _ => self.pos += 1,
            }
        }
    }

    /// After `offset`: an optional `-`, then a duration. `offset` followed by `,` or `)` is a
    /// label name in a grouping (2.x allows keywords there).
    fn offset(&mut self) -> Result<(), ParseError> {
        let save = self.pos;
        let mut t = self.token()?;
        if self.is(&t, ",") || self.is(&t, ")") {
            self.pos = save;
            return Ok(());
        }
        if self.is(&t, "-") {
            t = self.token()?;
        }
        match t {
            Token::Duration(..) => Ok(()),
            _ => Err(self.unexpected(&t, "offset", "duration")),
        }
    }

    /// After `[`: a duration, then `]` or `:` with an optional duration step and `]`.
    fn brackets(&mut self) -> Result<(), ParseError> {
        self.skip_spaces();
        self.duration()?;
        self.skip_spaces();
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                return Ok(());
            }
            Some(c) if c == b':' || is_alpha(c) => self.pos += 1,
            _ => {
                let t = self.token()?;
                return Err(self.unexpected(&t, "subquery or range", "\":\" or \"]\""));
            }
        }
        self.skip_spaces();
        if let Some(c) = self.peek().filter(|&c| c == b':' || is_alpha(c)) {
            return Err(err(self.pos, format!("unexpected colon '{}'", c as char)));
        }
        let t = self.token()?;
        if self.is(&t, "]") {
            return Ok(());
        }
        if !matches!(t, Token::Duration(..)) {
            return Err(self.unexpected(&t, "subquery selector", "duration or \"]\""));
        }
        let t = self.token()?;
        if self.is(&t, "]") {
            Ok(())
        } else {
            Err(self.unexpected(&t, "subquery selector", "\"]\""))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// promtool 2.42's `check rules` messages (`col: message`) for each query.
    #[test]
    fn as_promtool_2_42_words_it() {
        let cases = [
            (
                "rate(x[1m+1m])",
                "1:10: unexpected <op:+> in subquery or range, expected \":\" or \"]\"",
            ),
            ("rate(x[(1m)])", "1:8: missing unit character in duration"),
            ("rate(x[5])", "1:8: missing unit character in duration"),
            ("rate(x[1.5])", "1:8: missing unit character in duration"),
            (
                "max_over_time(x[1m:(30s)])",
                "1:20: unexpected \"(\" in subquery selector, expected duration or \"]\"",
            ),
            (
                "max_over_time(x[1m:30s+1s])",
                "1:23: unexpected <op:+> in subquery selector, expected \"]\"",
            ),
            (
                "max_over_time(x[1m:5])",
                "1:20: unexpected number \"5\" in subquery selector, expected duration or \"]\"",
            ),
            (
                "max_over_time(x[1m:-1m])",
                "1:20: unexpected <op:-> in subquery selector, expected duration or \"]\"",
            ),
            ("rate(x[1m:s])", "1:11: unexpected colon 's'"),
            (
                "x offset (1m)",
                "1:10: unexpected \"(\" in offset, expected duration",
            ),
            (
                "x offset -(1m)",
                "1:11: unexpected \"(\" in offset, expected duration",
            ),
            (
                "x offset 5",
                "1:10: unexpected number \"5\" in offset, expected duration",
            ),
            (
                "x offset -5",
                "1:11: unexpected number \"5\" in offset, expected duration",
            ),
            (
                "x offset step()",
                "1:10: unexpected identifier \"step\" in offset, expected duration",
            ),
            (
                "x offset 1_0m",
                "1:10: bad number or duration syntax: \"1\"",
            ),
            ("rate(x[step()])", "1:8: bad duration syntax: \"st\""),
            (
                "max_over_time(x[(2m):1m])",
                "1:17: missing unit character in duration",
            ),
            (
                "vector(1_000) + vector(2_000)",
                "1:8: bad number or duration syntax: \"1\"",
            ),
            (
                "rate(x[ 1m + 1m ])",
                "1:12: unexpected <op:+> in subquery or range, expected \":\" or \"]\"",
            ),
            (
                "max_over_time(x[1m:1m] offset (1m))",
                "1:31: unexpected \"(\" in offset, expected duration",
            ),
            (
                "x[1m+1m:1m]",
                "1:5: unexpected <op:+> in subquery or range, expected \":\" or \"]\"",
            ),
            (
                "sum(x) [1m*2:1m]",
                "1:11: unexpected <op:*> in subquery or range, expected \":\" or \"]\"",
            ),
            (
                "sort_by_label(rate(x[1m+1m]))",
                "1:24: unexpected <op:+> in subquery or range, expected \":\" or \"]\"",
            ),
            ("x offset 1m+1m", "1:13: unexpected duration \"1m\""),
        ];
        for (q, want) in cases {
            let e = first_error(q).unwrap_or_else(|| panic!("{q}: no error"));
            let got = format!(
                "{}: {}",
                crate::promql::annotations::line_col(q, e.span.start),
                e.message
            );
            assert_eq!(got, want, "{q}");
        }
    }

    #[test]
    fn bad_input_never_panics() {
        for q in [
            "x[", "x[1m:", "\"\\", "x offset", "x[1m", "{a=\"\\", "x[é]", "1_", "[0x",
        ] {
            let _ = first_error(q);
        }
    }

    #[test]
    fn what_2x_parses_passes() {
        for q in [
            "rate(x[5m])",
            "max_over_time(rate(x[1m])[1h30m:1m] offset -1m)",
            "sum by (offset) (x{offset=\"[5]\"} offset 1ms)",
            "x[1y] # [(1m)] in a comment\n+ 0x1F + 1e3 + .5",
            "label_replace(x, \"a\", \"$1\", \"b\", \"[5]\")",
            "max_over_time(x[5m:])",
            "job:rate5m:sum",
        ] {
            assert!(first_error(q).is_none(), "{q}");
        }
    }
}
