//! A re-implementation of Prometheus's lexer states, used only to word syntax errors: it finds
//! lexical errors (unclosed parentheses, unterminated strings, bad characters, bad numbers)
//! and classifies the token where the grammar failed.

use crate::literals::{go_quote, unquote_bytes};

/// Token kinds of Prometheus's lexer, as far as error messages distinguish them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Eof,
    Error,
    Identifier,
    MetricIdentifier,
    Number,
    Duration,
    Str,
    Keyword,
    Op,
    Aggregator,
    Punct,
}

/// One token, or the lexical error that ends the token stream.
#[derive(Clone, Debug)]
pub(super) struct Token {
    /// The kind of token.
    pub(super) kind: Kind,
    /// First byte.
    pub(super) start: usize,
    /// One past the last byte.
    pub(super) end: usize,
    /// The token's text (for errors, the message).
    pub(super) text: String,
}

const AGGREGATORS: &[&str] = &[
    "sum",
    "avg",
    "count",
    "min",
    "max",
    "group",
    "stddev",
    "stdvar",
    "topk",
    "bottomk",
    "count_values",
    "quantile",
    "limitk",
    "limit_ratio",
];
const KEYWORDS: &[&str] = &[
    "offset",
    "smoothed",
    "anchored",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "fill",
    "fill_left",
    "fill_right",
    "bool",
    "start",
    "end",
    "step",
    "range",
    "max_of",
    "min_of",
];
const WORD_OPS: &[&str] = &["and", "or", "unless", "atan2"];
const DURATION_KEYWORDS: &[&str] = &["step", "range", "max_of", "min_of"];

fn is_alpha(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_alnum(c: char) -> bool {
    is_alpha(c) || c.is_ascii_digit()
}

/// Prometheus's lexer, reduced to what error messages need: tokens up to the first error.
struct Lexer<'i> {
    input: &'i str,
    pos: usize,
    paren_depth: i32,
    brace_open: bool,
    bracket_open: bool,
    got_colon: bool,
    got_duration: bool,
    /// In the duration-expression state (right after `[`, until the first number).
    duration_state: bool,
    tokens: Vec<Token>,
}

/// The tokens of `input` up to and including the first error (or the end of input).
pub(super) fn lex(input: &str) -> Vec<Token> {
    let mut l = Lexer {
        input,
        pos: 0,
        paren_depth: 0,
        brace_open: false,
        bracket_open: false,
        got_colon: false,
        got_duration: false,
        duration_state: false,
        tokens: Vec::new(),
    };
    while l.step() {}
    l.tokens
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn peek_at(&self, pos: usize) -> Option<char> {
        self.input.get(pos..).and_then(|s| s.chars().next())
    }

    fn push(&mut self, kind: Kind, start: usize) {
        let text = self.input[start..self.pos].to_string();
        self.tokens.push(Token {
            kind,
            start,
            end: self.pos,
            text,
        });
    }

    fn error(&mut self, start: usize, msg: String) -> bool {
        self.tokens.push(Token {
            kind: Kind::Error,
            start,
            end: self.input.len(),
            text: msg,
        });
        false
    }

    /// Lexes one token (or skips blanks); false when done.
    fn step(&mut self) -> bool {
        let start = self.pos;
        let Some(c) = self.peek() else {
            if self.brace_open {
                return self.error(start, "unexpected end of input inside braces".into());
            }
            if self.duration_state {
                return self.error(
                    start,
                    "unexpected end of input in duration expression".into(),
                );
            }
            if self.paren_depth != 0 {
                return self.error(start, "unclosed left parenthesis".into());
            }
            if self.bracket_open {
                return self.error(start, "unclosed left bracket".into());
            }
            self.push(Kind::Eof, start);
            return false;
        };
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            self.pos += 1;
            return true;
        }
        if c == '#' && !self.duration_state {
            while let Some(ch) = self.peek() {
                if ch == '\n' || ch == '\r' {
                    break;
                }
                self.pos += ch.len_utf8();
            }
            return true;
        }
        if self.brace_open {
            return self.inside_braces(c, start);
        }
        if self.duration_state {
            return self.duration_expr(c, start);
        }
        self.statements(c, start)
    }

    fn single(&mut self, kind: Kind, len: usize, start: usize) -> bool {
        self.pos += len;
        self.push(kind, start);
        true
    }

    fn statements(&mut self, c: char, start: usize) -> bool {
        let next = self.peek_at(start + c.len_utf8());
        match c {
            ',' => self.single(Kind::Punct, 1, start),
            '*' | '/' | '%' | '+' | '-' | '^' | '@' => self.single(Kind::Op, 1, start),
            '=' => match next {
                Some('=') => self.single(Kind::Op, 2, start),
                Some('~') => self.error(start, "unexpected character after '=': '~'".into()),
                _ => self.single(Kind::Punct, 1, start),
            },
            '!' => match next {
                Some('=') => self.single(Kind::Op, 2, start),
                other => {
                    let desc = other.map_or("EOF".to_string(), char_quote);
                    self.error(start, format!("unexpected character after '!': {desc}"))
                }
            },
            '<' | '>' => match next {
                Some('=') | Some('/') => self.single(Kind::Op, 2, start),
                _ => self.single(Kind::Op, 1, start),
            },
            c if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit())) => {
                self.number_or_duration(start)
            }
            '"' | '\'' | '`' => self.string(c, start),
            c if is_alpha(c) || c == ':' => {
                if !self.bracket_open {
                    return self.keyword_or_identifier(start);
                }
                if c == ':' {
                    if self.got_colon {
                        return self.error(start, "unexpected colon ':'".into());
                    }
                    self.got_colon = true;
                    return self.single(Kind::Punct, 1, start);
                }
                if self.duration_keyword(start) {
                    return true;
                }
                self.error(
                    start,
                    format!("unexpected character: {}, expected ':'", char_quote(c)),
                )
            }
            '(' => {
                self.paren_depth += 1;
                self.single(Kind::Punct, 1, start)
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    // Prometheus's lexer has already emitted the `)` and reports after it.
                    return self.error(start + 1, "unexpected right parenthesis ')'".into());
                }
                self.single(Kind::Punct, 1, start)
            }
            '{' => {
                self.brace_open = true;
                self.single(Kind::Punct, 1, start)
            }
            '[' => {
                if self.bracket_open {
                    return self.error(start, "unexpected left bracket '['".into());
                }
                self.got_colon = false;
                self.got_duration = false;
                self.bracket_open = true;
                self.duration_state = true;
                self.single(Kind::Punct, 1, start)
            }
            ']' => {
                if !self.bracket_open {
                    return self.error(start, "unexpected right bracket ']'".into());
                }
                self.bracket_open = false;
                self.single(Kind::Punct, 1, start)
            }
            c => self.error(start, format!("unexpected character: {}", char_quote(c))),
        }
    }

    fn inside_braces(&mut self, c: char, start: usize) -> bool {
        let next = self.peek_at(start + c.len_utf8());
        match c {
            c if is_alpha(c) => {
                while self.peek().is_some_and(is_alnum) {
                    self.pos += 1;
                }
                self.push(Kind::Identifier, start);
                true
            }
            ',' => self.single(Kind::Punct, 1, start),
            '"' | '\'' | '`' => self.string(c, start),
            '=' => {
                if next == Some('~') {
                    self.single(Kind::Op, 2, start)
                } else {
                    self.single(Kind::Punct, 1, start)
                }
            }
            '!' => match next {
                Some('~') | Some('=') => self.single(Kind::Op, 2, start),
                other => {
                    let desc = other.map_or("EOF".to_string(), char_quote);
                    self.error(
                        start,
                        format!("unexpected character after '!' inside braces: {desc}"),
                    )
                }
            },
            '{' => self.error(start, "unexpected left brace '{'".into()),
            '}' => {
                self.brace_open = false;
                self.single(Kind::Punct, 1, start)
            }
            c => self.error(
                start,
                format!("unexpected character inside braces: {}", char_quote(c)),
            ),
        }
    }

    fn duration_expr(&mut self, c: char, start: usize) -> bool {
        let next = self.peek_at(start + c.len_utf8());
        match c {
            ']' => {
                self.bracket_open = false;
                self.got_colon = false;
                self.duration_state = false;
                self.single(Kind::Punct, 1, start)
            }
            ':' => {
                if !self.got_duration {
                    return self.error(
                        start,
                        "unexpected colon before duration in duration expression".into(),
                    );
                }
                if self.got_colon {
                    return self.error(
                        start,
                        "unexpected repeated colon in duration expression".into(),
                    );
                }
                self.got_colon = true;
                self.single(Kind::Punct, 1, start)
            }
            '(' => {
                self.paren_depth += 1;
                self.single(Kind::Punct, 1, start)
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    // Prometheus's lexer has already emitted the `)` and reports after it.
                    return self.error(start + 1, "unexpected right parenthesis ')'".into());
                }
                self.single(Kind::Punct, 1, start)
            }
            '+' | '-' | '*' | '/' | '%' | '^' => self.single(Kind::Op, 1, start),
            ',' => self.single(Kind::Punct, 1, start),
            c if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit())) => {
                self.got_duration = true;
                self.duration_state = false;
                self.number_or_duration(start)
            }
            c => {
                if is_alpha(c) && self.duration_keyword(start) {
                    return true;
                }
                self.error(
                    start,
                    format!(
                        "unexpected character in duration expression: {}",
                        char_quote(c)
                    ),
                )
            }
        }
    }

    fn duration_keyword(&mut self, start: usize) -> bool {
        let mut end = start;
        while self.peek_at(end).is_some_and(is_alpha) {
            end += 1;
        }
        let word = self.input[start..end].to_ascii_lowercase();
        if DURATION_KEYWORDS.contains(&word.as_str()) {
            self.pos = end;
            self.push(Kind::Keyword, start);
            return true;
        }
        false
    }

    fn keyword_or_identifier(&mut self, start: usize) -> bool {
        while self.peek().is_some_and(|c| is_alnum(c) || c == ':') {
            self.pos += 1;
        }
        let word = self.input[start..self.pos].to_ascii_lowercase();
        let kind = if word == "inf" || word == "nan" {
            Kind::Number
        } else if WORD_OPS.contains(&word.as_str()) {
            Kind::Op
        } else if AGGREGATORS.contains(&word.as_str()) {
            Kind::Aggregator
        } else if KEYWORDS.contains(&word.as_str()) {
            let fill = word.starts_with("fill");
            let followed_by_paren = self.input[self.pos..].trim_start().starts_with('(');
            if fill && !followed_by_paren {
                Kind::Identifier
            } else {
                Kind::Keyword
            }
        } else if word.contains(':') {
            Kind::MetricIdentifier
        } else {
            Kind::Identifier
        };
        self.push(kind, start);
        true
    }

    fn string(&mut self, quote: char, start: usize) -> bool {
        self.pos += 1;
        loop {
            let Some(c) = self.peek() else {
                return self.unterminated(start, quote);
            };
            self.pos += c.len_utf8();
            if c == quote {
                break;
            }
            if quote != '`' {
                if c == '\n' {
                    return self.unterminated(start, quote);
                }
                if c == '\\' {
                    match self.peek() {
                        Some(e) => self.pos += e.len_utf8(),
                        None => return self.error(start, "escape sequence not terminated".into()),
                    }
                }
            }
        }
        if let Err(e) = unquote_bytes(&self.input[start..self.pos]) {
            return self.error(start, e.message);
        }
        self.push(Kind::Str, start);
        true
    }

    /// An unterminated string: a bad escape before the end is reported first, as Prometheus's
    /// lexer meets it first.
    fn unterminated(&mut self, start: usize, quote: char) -> bool {
        if quote == '`' {
            return self.error(start, "unterminated raw string".into());
        }
        let body = self.input[start..self.pos].trim_end_matches('\n');
        let closed = format!("{body}{quote}");
        if let Err(e) = unquote_bytes(&closed) {
            return self.error(start, e.message);
        }
        self.error(start, "unterminated quoted string".into())
    }

    /// Go's `scanNumber` followed by the duration fallback of `lexNumberOrDuration`.
    fn number_or_duration(&mut self, start: usize) -> bool {
        if self.scan_number() {
            self.push(Kind::Number, start);
            return true;
        }
        if self.accept_remaining_duration() {
            self.push(Kind::Duration, start);
            return true;
        }
        let text = self.input[start..self.pos.min(self.input.len())].to_string();
        self.error(
            start,
            format!("bad number or duration syntax: {}", go_quote(&text)),
        )
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn scan_number(&mut self) -> bool {
        let initial = self.pos;
        let mut digits = "0123456789";
        if self.peek() == Some('0')
            && self
                .peek_at(self.pos + 1)
                .is_some_and(|c| c == 'x' || c == 'X')
        {
            self.pos += 2;
            self.accept("_");
            digits = "0123456789abcdefABCDEF";
        }
        self.accept(".");
        self.accept(digits);
        let (mut dot, mut exp) = (false, false);
        while let Some(c) = self.peek() {
            let in_set = digits.contains(c) || matches!(c, '.' | '_' | 'e' | 'E');
            if !in_set {
                break;
            }
            if c == '.' {
                if dot {
                    self.pos += 1;
                    return false;
                }
                self.pos += 1;
                dot = true;
                if self.accept("_.") || digits.len() > 10 {
                    return false;
                }
                continue;
            }
            if c == 'e' || c == 'E' {
                if exp {
                    self.pos += 1;
                    return false;
                }
                self.pos += 1;
                exp = true;
                self.accept("+-");
                if self.accept("._eE") || self.peek().is_none() {
                    return false;
                }
                continue;
            }
            if c == '_' {
                self.pos += 1;
                if self.accept("._eE") || self.peek().is_none() {
                    return false;
                }
                continue;
            }
            while self.peek().is_some_and(|c| digits.contains(c)) {
                self.pos += 1;
            }
        }
        if self.pos == initial {
            return false;
        }
        !self.peek().is_some_and(is_alnum)
    }

    fn accept_remaining_duration(&mut self) -> bool {
        if !self.accept("smhdwy") {
            return false;
        }
        self.accept("s");
        while self.accept("0123456789") {
            while self.accept("0123456789") {}
            if !self.accept("smhdw") {
                return false;
            }
            self.accept("s");
        }
        match self.peek() {
            Some(c) if is_alnum(c) => {
                self.pos += 1;
                false
            }
            _ => true,
        }
    }
}

/// Go's `%q` of a rune: `'x'`.
fn char_quote(c: char) -> String {
    match c {
        '\'' => "'\\''".to_string(),
        '\\' => "'\\\\'".to_string(),
        '\n' => "'\\n'".to_string(),
        '\t' => "'\\t'".to_string(),
        '\r' => "'\\r'".to_string(),
        c if c.is_control() => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(q: &str) -> Vec<(Kind, String)> {
        lex(q).into_iter().map(|t| (t.kind, t.text)).collect()
    }

    #[test]
    fn classifies_tokens_as_prometheus_does() {
        let toks = kinds("sum by (a) (rate(x:y{b=~\"c\"}[5m])) offset 1h and fill");
        let k: Vec<Kind> = toks.iter().map(|t| t.0).collect();
        use Kind::*;
        assert_eq!(
            k,
            [
                Aggregator,
                Keyword,
                Punct,
                Identifier,
                Punct,
                Punct,
                Identifier,
                Punct,
                MetricIdentifier,
                Punct,
                Identifier,
                Op,
                Str,
                Punct,
                Punct,
                Duration,
                Punct,
                Punct,
                Punct,
                Keyword,
                Duration,
                Op,
                Identifier,
                Eof
            ]
        );
    }

    #[test]
    fn reports_lexical_errors() {
        let last = |q: &str| lex(q).pop().map(|t| (t.kind, t.text));
        assert_eq!(
            last("foo[5m"),
            Some((Kind::Error, "unclosed left bracket".to_string()))
        );
        assert_eq!(
            last("a{b!c}"),
            Some((
                Kind::Error,
                "unexpected character after '!' inside braces: 'c'".to_string()
            ))
        );
        assert_eq!(
            last("x[1m::]"),
            Some((Kind::Error, "unexpected colon ':'".to_string()))
        );
        assert_eq!(
            last("\"a\\q"),
            Some((
                Kind::Error,
                "unknown escape sequence U+0071 'q'".to_string()
            ))
        );
    }
}
