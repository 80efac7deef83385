//! The template lexer: splits text into literal text and the tokens inside `{{ }}` actions,
//! handling `{{-`/`-}}` trim markers and `{{/* */}}` comments as Go's `text/template/parse` does.

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// Literal text outside actions.
    Text,
    /// `{{` (with any trim marker).
    LeftDelim,
    /// `}}` (with any trim marker).
    RightDelim,
    /// Run of spaces inside an action.
    Space,
    /// A function name or keyword-like identifier.
    Identifier,
    /// One of the keywords `block break continue define else end if range nil template with`.
    Keyword,
    /// `true` or `false`.
    Bool,
    /// `.name` (one field).
    Field,
    /// `$` or `$name`.
    Variable,
    /// `.` alone.
    Dot,
    /// A quoted string, raw text kept.
    String,
    /// A back-quoted string, raw text kept.
    RawString,
    /// A character constant, raw text kept.
    CharConstant,
    /// A number, raw text kept.
    Number,
    /// `|`.
    Pipe,
    /// `(`.
    LeftParen,
    /// `)`.
    RightParen,
    /// `:=`.
    Declare,
    /// `=`.
    Assign,
    /// `,`.
    Comma,
    /// End of input.
    Eof,
    /// A lexing error; the value is the message.
    Error,
}

/// One token with its text and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Its text (the message for errors).
    pub val: String,
    /// Byte offset in the template text.
    pub pos: usize,
    /// 1-based line.
    pub line: usize,
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            TokenKind::Eof => f.write_str("EOF"),
            TokenKind::Error => f.write_str(&self.val),
            TokenKind::Keyword => write!(f, "<{}>", self.val),
            _ if self.val.chars().count() > 10 => {
                let short: String = self.val.chars().take(10).collect();
                write!(f, "{}...", crate::literals::go_quote(&short))
            }
            _ => f.write_str(&crate::literals::go_quote(&self.val)),
        }
    }
}

const KEYWORDS: [&str; 11] = [
    "block", "break", "continue", "define", "else", "end", "if", "range", "nil", "template", "with",
];

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Lexes a whole template. The last token is `Eof` or `Error`.
pub fn lex(input: &str) -> Vec<Token> {
    let mut lx = Lexer {
        input,
        pos: 0,
        line: 1,
        tokens: Vec::new(),
        paren_depth: 0,
    };
    lx.run();
    lx.tokens
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    line: usize,
    tokens: Vec<Token>,
    paren_depth: usize,
}

impl Lexer<'_> {
    fn emit(&mut self, kind: TokenKind, start: usize, end: usize, line: usize) {
        let val = self.input[start..end].to_string();
        self.tokens.push(Token {
            kind,
            val,
            pos: start,
            line,
        });
    }

    fn error(&mut self, msg: String) {
        self.tokens.push(Token {
            kind: TokenKind::Error,
            val: msg,
            pos: self.pos,
            line: self.line,
        });
    }

    fn advance_to(&mut self, end: usize) {
        self.line += self.input[self.pos..end].matches('\n').count();
        self.pos = end;
    }

    fn rest(&self) -> &str {
        &self.input[self.pos..]
    }

    /// Lexes text and actions until the end; returns after pushing `Eof` or `Error`.
    fn run(&mut self) {
        loop {
            let rest = self.rest();
            let Some(idx) = rest.find("{{") else {
                if !rest.is_empty() {
                    let (s, l) = (self.pos, self.line);
                    self.advance_to(self.input.len());
                    self.emit(TokenKind::Text, s, self.pos, l);
                }
                let (p, l) = (self.pos, self.line);
                self.tokens.push(Token {
                    kind: TokenKind::Eof,
                    val: String::new(),
                    pos: p,
                    line: l,
                });
                return;
            };
            let delim = self.pos + idx;
            let after = &self.input[delim + 2..];
            let trim =
                after.len() >= 2 && after.as_bytes()[0] == b'-' && is_space(after.as_bytes()[1]);
            let mut text_end = delim;
            if trim {
                text_end = self.pos
                    + self.input[self.pos..delim]
                        .trim_end_matches([' ', '\t', '\r', '\n'])
                        .len();
            }
            if text_end > self.pos {
                let (s, l) = (self.pos, self.line);
                self.emit(TokenKind::Text, s, text_end, l);
            }
            self.advance_to(delim);
            if !self.left_delim(trim) {
                return;
            }
        }
    }

    /// After `{{`: a comment or an action. Returns false when an error or EOF ended lexing.
    fn left_delim(&mut self, trim: bool) -> bool {
        let mut p = self.pos + 2;
        if trim {
            p += 2;
        }
        if self.input[p..].starts_with("/*") {
            self.advance_to(p);
            let Some(end) = self.rest().find("*/") else {
                self.error("unclosed comment".into());
                return false;
            };
            self.advance_to(self.pos + end + 2);
            let rest = self.rest();
            let (right_trim, skip) = if rest.starts_with(" -}}")
                || rest.starts_with("\t-}}")
                || rest.starts_with("\n-}}")
                || rest.starts_with("\r-}}")
            {
                (true, 4)
            } else if rest.starts_with("}}") {
                (false, 2)
            } else {
                self.error("comment ends before closing delimiter".into());
                return false;
            };
            self.advance_to(self.pos + skip);
            if right_trim {
                self.skip_leading_space();
            }
            return true;
        }
        let (s, l) = (self.pos, self.line);
        self.advance_to(p);
        self.emit(TokenKind::LeftDelim, s, p, l);
        self.paren_depth = 0;
        self.inside_action()
    }

    fn skip_leading_space(&mut self) {
        let n = self.rest().len()
            - self
                .rest()
                .trim_start_matches([' ', '\t', '\r', '\n'])
                .len();
        self.advance_to(self.pos + n);
    }

    /// Checks for a right delimiter (with optional trim marker) at the current position.
    fn at_right_delim(&self) -> Option<(bool, usize)> {
        let r = self.rest().as_bytes();
        if r.len() >= 4 && is_space(r[0]) && r[1] == b'-' && &r[2..4] == b"}}" {
            return Some((true, 4));
        }
        if r.starts_with(b"}}") {
            return Some((false, 2));
        }
        None
    }

    fn inside_action(&mut self) -> bool {
        loop {
            if let Some((trim, len)) = self.at_right_delim() {
                if self.paren_depth > 0 {
                    self.error("unclosed left paren".into());
                    return false;
                }
                let (s, l) = (self.pos, self.line);
                self.advance_to(self.pos + len);
                self.emit(TokenKind::RightDelim, s, self.pos, l);
                if trim {
                    self.skip_leading_space();
                }
                return true;
            }
            let (start, line) = (self.pos, self.line);
            let Some(c) = self.rest().chars().next() else {
                self.error("unclosed action".into());
                return false;
            };
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    let n = self.rest().len()
                        - self
                            .rest()
                            .trim_start_matches([' ', '\t', '\r', '\n'])
                            .len();
                    // A space that begins a right trim marker is not part of the run.
                    let mut end = self.pos + n;
                    if self.input[end - 1..].starts_with(|c: char| c.is_whitespace())
                        && self.input[end..].starts_with("-}}")
                    {
                        end -= 1;
                    }
                    if end == self.pos {
                        end += 1;
                    }
                    self.advance_to(end);
                    self.emit(TokenKind::Space, start, end, line);
                }
                '=' => self.single(TokenKind::Assign, 1),
                ':' => {
                    if self.rest().starts_with(":=") {
                        self.single(TokenKind::Declare, 2);
                    } else {
                        self.error("expected :=".into());
                        return false;
                    }
                }
                '|' => self.single(TokenKind::Pipe, 1),
                ',' => self.single(TokenKind::Comma, 1),
                '"' => {
                    if !self.quoted('"', TokenKind::String, "unterminated quoted string") {
                        return false;
                    }
                }
                '`' => {
                    let Some(end) = self.rest()[1..].find('`') else {
                        self.error("unterminated raw quoted string".into());
                        return false;
                    };
                    let stop = self.pos + end + 2;
                    self.advance_to(stop);
                    self.emit(TokenKind::RawString, start, stop, line);
                }
                '\'' => {
                    if !self.quoted(
                        '\'',
                        TokenKind::CharConstant,
                        "unterminated character constant",
                    ) {
                        return false;
                    }
                }
                '$' => self.field_or_variable(TokenKind::Variable),
                '.' => {
                    let next = self.rest()[1..].chars().next();
                    if next.is_some_and(|c| c.is_ascii_digit()) {
                        if !self.number() {
                            return false;
                        }
                    } else {
                        self.field_or_variable(TokenKind::Field);
                    }
                }
                '+' | '-' | '0'..='9' => {
                    if !self.number() {
                        return false;
                    }
                }
                '(' => {
                    self.paren_depth += 1;
                    self.single(TokenKind::LeftParen, 1);
                }
                ')' => {
                    if self.paren_depth == 0 {
                        self.error("unexpected right paren".into());
                        return false;
                    }
                    self.paren_depth -= 1;
                    self.single(TokenKind::RightParen, 1);
                }
                c if is_alnum(c) => {
                    let n: usize = self
                        .rest()
                        .chars()
                        .take_while(|c| is_alnum(*c))
                        .map(char::len_utf8)
                        .sum();
                    let word = &self.rest()[..n];
                    if !self.at_terminator(n) {
                        let bad = self.rest()[n..].chars().next().unwrap_or(' ');
                        self.advance_to(self.pos + n);
                        self.error(format!("bad character {}", char_repr(bad)));
                        return false;
                    }
                    let kind = if KEYWORDS.contains(&word) {
                        TokenKind::Keyword
                    } else if word == "true" || word == "false" {
                        TokenKind::Bool
                    } else {
                        TokenKind::Identifier
                    };
                    self.advance_to(self.pos + n);
                    self.emit(kind, start, self.pos, line);
                }
                c => {
                    self.error(format!(
                        "unrecognized character in action: {}",
                        char_repr(c)
                    ));
                    return false;
                }
            }
        }
    }

    fn single(&mut self, kind: TokenKind, len: usize) {
        let (s, l) = (self.pos, self.line);
        self.advance_to(self.pos + len);
        self.emit(kind, s, self.pos, l);
    }

    /// Whether the character `n` bytes ahead can end a word.
    fn at_terminator(&self, n: usize) -> bool {
        let r = &self.rest()[n..];
        match r.chars().next() {
            None => true,
            Some(c) => {
                matches!(
                    c,
                    ' ' | '\t' | '\r' | '\n' | '.' | ',' | '|' | ':' | ')' | '(' | '='
                ) || r.starts_with("}}")
            }
        }
    }

    fn field_or_variable(&mut self, kind: TokenKind) {
        let (s, l) = (self.pos, self.line);
        let n: usize = self.rest()[1..]
            .chars()
            .take_while(|c| is_alnum(*c))
            .map(char::len_utf8)
            .sum();
        if kind == TokenKind::Field && n == 0 {
            self.advance_to(self.pos + 1);
            self.emit(TokenKind::Dot, s, self.pos, l);
            return;
        }
        self.advance_to(self.pos + 1 + n);
        self.emit(kind, s, self.pos, l);
    }

    fn quoted(&mut self, q: char, kind: TokenKind, msg: &str) -> bool {
        let (s, l) = (self.pos, self.line);
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some((_, '\n')) | None => break,
                    _ => continue,
                }
            }
            if c == '\n' {
                break;
            }
            if c == q {
                self.advance_to(self.pos + i + 1);
                self.emit(kind, s, self.pos, l);
                return true;
            }
        }
        self.error(msg.into());
        false
    }

    fn number(&mut self) -> bool {
        let (s, l) = (self.pos, self.line);
        let r = self.rest();
        let b = r.as_bytes();
        let mut i = 0;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let mut digits: &[u8] = b"0123456789_";
        let mut exp: &[u8] = b"eE";
        if b.len() > i + 1 && b[i] == b'0' {
            match b[i + 1] {
                b'x' | b'X' => {
                    i += 2;
                    digits = b"0123456789abcdefABCDEF_";
                    exp = b"pP";
                }
                b'o' | b'O' => {
                    i += 2;
                    digits = b"01234567_";
                    exp = b"";
                }
                b'b' | b'B' => {
                    i += 2;
                    digits = b"01_";
                    exp = b"";
                }
                _ => {}
            }
        }
        while i < b.len() && digits.contains(&b[i]) {
            i += 1;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            while i < b.len() && digits.contains(&b[i]) {
                i += 1;
            }
        }
        if !exp.is_empty() && i < b.len() && exp.contains(&b[i]) {
            i += 1;
            if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                i += 1;
            }
            while i < b.len() && b"0123456789_".contains(&b[i]) {
                i += 1;
            }
        }
        if i < b.len() && b[i] == b'i' {
            i += 1;
        }
        let next = r[i..].chars().next();
        if next.is_some_and(is_alnum) || i == 0 || (i == 1 && !b[0].is_ascii_digit()) {
            let end = i + next.filter(|c| is_alnum(*c)).map_or(0, char::len_utf8);
            let bad = r[..end.max(1).min(r.len())].to_string();
            self.error(format!(
                "bad number syntax: {}",
                crate::literals::go_quote(&bad)
            ));
            return false;
        }
        self.advance_to(self.pos + i);
        self.emit(TokenKind::Number, s, self.pos, l);
        true
    }
}

/// Go's `%#U` for a character: `U+0041 'A'`, or just `U+00A0` when not printable.
pub fn char_repr(c: char) -> String {
    let printable = !(c.is_control() || (c.is_whitespace() && c != ' '));
    if printable {
        format!("U+{:04X} '{c}'", c as u32)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<TokenKind> {
        lex(s).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn text_and_action() {
        use TokenKind::*;
        assert_eq!(
            kinds("a{{ .x | f 1 }}b"),
            vec![
                Text, LeftDelim, Space, Field, Space, Pipe, Space, Identifier, Space, Number,
                Space, RightDelim, Text, Eof
            ]
        );
    }

    #[test]
    fn trim_markers_and_comments() {
        let toks = lex("a  {{- 1 -}}  b{{/* c */}}c");
        let texts: Vec<&str> = toks
            .iter()
            .filter(|t| t.kind == TokenKind::Text)
            .map(|t| t.val.as_str())
            .collect();
        assert_eq!(texts, vec!["a", "b", "c"]);
    }

    #[test]
    fn errors() {
        assert_eq!(
            lex("{{").last().map(|t| t.val.clone()),
            Some("unclosed action".into())
        );
        assert_eq!(
            lex("{{\u{a0}}}").last().map(|t| t.val.clone()),
            Some("unrecognized character in action: U+00A0".into())
        );
        assert_eq!(
            lex("{{ \"abc }}").last().map(|t| t.val.clone()),
            Some("unterminated quoted string".into())
        );
        assert_eq!(
            lex("{{ 3x }}").last().map(|t| t.val.clone()),
            Some("bad number syntax: \"3x\"".into())
        );
        assert_eq!(
            lex("{{/* x }}").last().map(|t| t.val.clone()),
            Some("unclosed comment".into())
        );
        assert_eq!(
            lex("{{ ) }}").last().map(|t| t.val.clone()),
            Some("unexpected right paren".into())
        );
    }

    #[test]
    fn variables_and_keywords() {
        let toks = lex("{{ $x := .a.b }}{{end}}");
        let vals: Vec<(TokenKind, &str)> = toks
            .iter()
            .map(|t| (t.kind.clone(), t.val.as_str()))
            .collect();
        assert!(vals.contains(&(TokenKind::Variable, "$x")));
        assert!(vals.contains(&(TokenKind::Declare, ":=")));
        assert!(vals.contains(&(TokenKind::Field, ".a")));
        assert!(vals.contains(&(TokenKind::Field, ".b")));
        assert!(vals.contains(&(TokenKind::Keyword, "end")));
    }
}
