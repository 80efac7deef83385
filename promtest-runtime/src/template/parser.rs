//! The template parser: tokens to a set of named trees (the main template plus every
//! `{{define}}`/`{{block}}`), with Go's parse-time checks and error texts
//! (`template: <name>:<line>: ...`).

use std::collections::HashMap;

use super::ast::{Arg, Branch, Command, Node, Pipe};
use super::lexer::{lex, Token, TokenKind};
use super::literal::{parse_number, unquote};
use crate::deep_stack::deep;

/// How deeply parenthesized pipelines may nest: Go's `maxStackDepth`. Nested `if`/`range`/
/// `with`/`block` are not limited, as in Go; the parser recurses through [`deep`], so neither
/// overflows the native stack.
pub const MAX_PAREN_DEPTH: usize = 10_000;

/// How many commands one pipeline may have: Go's `maxPipelineCmds` (since Go 1.26).
pub const MAX_PIPELINE_CMDS: usize = 100_000;
/// Nested `{{if}}`/`{{range}}`/`{{with}}`/`{{block}}` actions and `{{else if}}`/`{{else with}}`
/// links: promtest's limit (Go has none). Each level costs about 1.5 KB of parser stack, so a
/// 2 MiB template of nested controls would need 370 MB; at 10,000 it stays near 20 MB.
pub const MAX_CONTROL_DEPTH: usize = 10_000;

/// The parsed templates of one source text, by name.
#[derive(Clone, Debug, Default)]
pub struct TemplateSet {
    /// Bodies by template name.
    pub trees: HashMap<String, Vec<Node>>,
}

enum Ending {
    End,
    Else(usize),
}

struct Parser<'a> {
    name: &'a str,
    tokens: Vec<Token>,
    idx: usize,
    vars: Vec<String>,
    range_depth: usize,
    paren_depth: usize,
    control_depth: usize,
    line: usize,
    action_line: usize,
    has_func: &'a dyn Fn(&str) -> bool,
    set: &'a mut TemplateSet,
}

type PResult<T> = Result<T, String>;

/// Parses `text` as template `name`, adding its trees to `set`. `has_func` says which
/// function names exist.
pub fn parse(
    name: &str,
    text: &str,
    has_func: &dyn Fn(&str) -> bool,
    set: &mut TemplateSet,
) -> PResult<()> {
    let mut p = Parser {
        name,
        tokens: lex(text),
        idx: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        paren_depth: 0,
        control_depth: 0,
        line: 1,
        action_line: 0,
        has_func,
        set,
    };
    let body = p.top_level()?;
    // Go reports a clash of the main template with a definition at the end of the text.
    p.line = p.peek().line;
    p.add(name.to_string(), body)
}

/// Whether a template body is empty of everything but space (Go's `IsEmptyTree`).
fn is_empty_tree(body: &[Node]) -> bool {
    body.iter()
        .all(|n| matches!(n, Node::Text(t) if t.trim().is_empty()))
}

impl Parser<'_> {
    fn err<T>(&self, msg: impl AsRef<str>) -> PResult<T> {
        Err(format!(
            "template: {}:{}: {}",
            self.name,
            self.line,
            msg.as_ref()
        ))
    }

    fn next(&mut self) -> Token {
        let t = self.tokens[self.idx.min(self.tokens.len() - 1)].clone();
        self.idx += 1;
        self.line = t.line;
        t
    }

    fn backup(&mut self) {
        self.idx = self.idx.saturating_sub(1);
    }

    fn peek(&self) -> &Token {
        &self.tokens[self.idx.min(self.tokens.len() - 1)]
    }

    fn next_non_space(&mut self) -> Token {
        loop {
            let t = self.next();
            if t.kind != TokenKind::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Token {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn unexpected<T>(&self, tok: &Token, context: &str) -> PResult<T> {
        if tok.kind == TokenKind::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != tok.line {
                extra = format!(" in action started at {}:{}", self.name, self.action_line);
                if tok.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.err(format!("{tok}{extra}"));
        }
        self.err(format!("unexpected {tok} in {context}"))
    }

    fn expect(&mut self, kind: TokenKind, context: &str) -> PResult<Token> {
        let t = self.next_non_space();
        if t.kind != kind {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    /// Adds a parsed template to the set as Go's `Tree.add` does: it replaces an empty one of
    /// the same name, an empty one does not replace, and two non-empty ones clash.
    fn add(&mut self, name: String, body: Vec<Node>) -> PResult<()> {
        match self.set.trees.get(&name) {
            Some(old) if !is_empty_tree(old) => {
                if is_empty_tree(&body) {
                    return Ok(());
                }
                self.err(format!(
                    "template: multiple definition of template {}",
                    crate::literals::go_quote(&name)
                ))
            }
            _ => {
                self.set.trees.insert(name, body);
                Ok(())
            }
        }
    }

    fn top_level(&mut self) -> PResult<Vec<Node>> {
        let mut list = Vec::new();
        loop {
            let t = self.peek().clone();
            match t.kind {
                TokenKind::Eof => return Ok(list),
                TokenKind::LeftDelim => {
                    let save = self.idx;
                    self.next();
                    let k = self.next_non_space();
                    if k.kind == TokenKind::Keyword && k.val == "define" {
                        self.action_line = t.line;
                        self.definition()?;
                        self.action_line = 0;
                        continue;
                    }
                    self.idx = save;
                }
                _ => {}
            }
            match self.text_or_action()? {
                Item::Node(n) => list.push(n),
                Item::End => return self.err("unexpected {{end}}"),
                Item::Else(_) => return self.err("unexpected {{else}}"),
            }
        }
    }

    fn definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let t = self.next_non_space();
        if !matches!(t.kind, TokenKind::String | TokenKind::RawString) {
            return self.unexpected(&t, context);
        }
        let name = unquote(&t.val).map_or_else(|| self.err("invalid syntax"), Ok)?;
        self.expect(TokenKind::RightDelim, context)?;
        let saved = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (body, end) = self.item_list()?;
        self.vars = saved;
        if let Ending::Else(_) = end {
            return self.err(format!("unexpected {{{{else}}}} in {context}"));
        }
        self.add(name, body)
    }

    fn text_or_action(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        match t.kind {
            TokenKind::Text => Ok(Item::Node(Node::Text(t.val))),
            TokenKind::LeftDelim => {
                self.action_line = t.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => self.unexpected(&t, "input"),
        }
    }

    fn item_list(&mut self) -> PResult<(Vec<Node>, Ending)> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != TokenKind::Eof {
            match self.text_or_action()? {
                Item::Node(n) => list.push(n),
                Item::End => return Ok((list, Ending::End)),
                Item::Else(p) => return Ok((list, Ending::Else(p))),
            }
        }
        self.err("unexpected EOF")
    }

    fn action(&mut self) -> PResult<Item> {
        let t = self.peek_non_space();
        if t.kind == TokenKind::Keyword {
            match t.val.as_str() {
                "block" => {
                    self.next_non_space();
                    return self.nested(|p| p.block());
                }
                "break" | "continue" => {
                    self.next_non_space();
                    if self.range_depth == 0 {
                        return self.err(format!("{{{{{}}}}} outside {{{{range}}}}", t.val));
                    }
                    let tok = self.next_non_space();
                    if tok.kind != TokenKind::RightDelim {
                        return self.unexpected(&tok, &format!("{{{{{}}}}}", t.val));
                    }
                    return Ok(Item::Node(if t.val == "break" {
                        Node::Break(t.pos)
                    } else {
                        Node::Continue(t.pos)
                    }));
                }
                "else" => {
                    self.next_non_space();
                    let peek = self.peek_non_space();
                    if peek.kind == TokenKind::Keyword && (peek.val == "if" || peek.val == "with") {
                        return Ok(Item::Else(t.pos));
                    }
                    self.expect(TokenKind::RightDelim, "else")?;
                    return Ok(Item::Else(t.pos));
                }
                "end" => {
                    self.next_non_space();
                    self.expect(TokenKind::RightDelim, "end")?;
                    return Ok(Item::End);
                }
                "if" | "range" | "with" => {
                    self.next_non_space();
                    return self.nested(|p| p.control(&t.val, t.pos)).map(Item::Node);
                }
                "template" => {
                    self.next_non_space();
                    return self.template("template clause");
                }
                _ => {}
            }
        }
        let pipe = self.pipeline("command", TokenKind::RightDelim)?;
        Ok(Item::Node(Node::Action(pipe)))
    }

    /// Parses one nested control (`f`) on a stack with room, within [`MAX_CONTROL_DEPTH`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.control_depth >= MAX_CONTROL_DEPTH {
            return self.err(format!(
                "more than promtest's limit of {MAX_CONTROL_DEPTH} nested control actions"
            ));
        }
        self.control_depth += 1;
        let got = deep(|| f(self));
        self.control_depth -= 1;
        got
    }

    fn control(&mut self, context: &str, pos: usize) -> PResult<Node> {
        let nvars = self.vars.len();
        let pipe = self.pipeline(context, TokenKind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, end) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let else_list = match end {
            Ending::End => None,
            Ending::Else(epos) => {
                let peek = self.peek_non_space();
                if peek.kind == TokenKind::Keyword && peek.val == context && context != "range" {
                    // `{{else if ...}}` / `{{else with ...}}`: a nested control that shares our {{end}}.
                    self.next_non_space();
                    Some(vec![self.nested(|p| p.control(context, epos))?])
                } else {
                    let (l, end) = self.item_list()?;
                    if let Ending::Else(_) = end {
                        return self.err("expected end; found {{else}}");
                    }
                    Some(l)
                }
            }
        };
        self.vars.truncate(nvars);
        let b = Branch {
            pos,
            pipe,
            list,
            else_list,
        };
        Ok(match context {
            "if" => Node::If(b),
            "range" => Node::Range(b),
            _ => Node::With(b),
        })
    }

    fn template_name(&mut self, context: &str) -> PResult<String> {
        let t = self.next_non_space();
        match t.kind {
            TokenKind::String | TokenKind::RawString => {
                unquote(&t.val).map_or_else(|| self.err("invalid syntax"), Ok)
            }
            _ => self.unexpected(&t, context),
        }
    }

    fn template(&mut self, context: &str) -> PResult<Item> {
        // Go positions the node at the name token.
        let pos = self.peek_non_space().pos;
        let name = self.template_name(context)?;
        let pipe = if self.next_non_space().kind != TokenKind::RightDelim {
            self.backup();
            Some(self.pipeline(context, TokenKind::RightDelim)?)
        } else {
            None
        };
        Ok(Item::Node(Node::Template { pos, name, pipe }))
    }

    fn block(&mut self) -> PResult<Item> {
        let context = "block clause";
        let pos = self.peek_non_space().pos;
        let name = self.template_name(context)?;
        let pipe = if self.next_non_space().kind != TokenKind::RightDelim {
            self.backup();
            Some(self.pipeline(context, TokenKind::RightDelim)?)
        } else {
            None
        };
        let saved = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (body, end) = self.item_list()?;
        self.vars = saved;
        self.range_depth = saved_range;
        if let Ending::Else(_) = end {
            return self.err(format!("unexpected {{{{else}}}} in {context}"));
        }
        self.add(name.clone(), body)?;
        Ok(Item::Node(Node::Template { pos, name, pipe }))
    }

    fn pipeline(&mut self, context: &str, end: TokenKind) -> PResult<Pipe> {
        let start = self.peek_non_space();
        let mut pipe = Pipe {
            pos: start.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        // Declarations: `$x :=`, `$x =`, `$i, $v :=` (range only).
        loop {
            let v = self.peek_non_space();
            if v.kind != TokenKind::Variable {
                break;
            }
            let save = self.idx;
            self.next_non_space();
            let next = self.peek_non_space();
            match next.kind {
                TokenKind::Declare | TokenKind::Assign => {
                    self.next_non_space();
                    pipe.is_assign = next.kind == TokenKind::Assign;
                    if pipe.is_assign && !self.vars.contains(&v.val) {
                        return self.err(format!(
                            "undefined variable {}",
                            crate::literals::go_quote(&v.val)
                        ));
                    }
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    break;
                }
                TokenKind::Comma => {
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    if context == "range" && pipe.decl.len() < 2 {
                        let k = self.peek_non_space().kind;
                        if matches!(
                            k,
                            TokenKind::Variable | TokenKind::RightDelim | TokenKind::RightParen
                        ) {
                            continue;
                        }
                        return self.err("range can only initialize variables");
                    }
                    return self.err(format!("too many declarations in {context}"));
                }
                _ => {
                    self.idx = save;
                    break;
                }
            }
        }
        loop {
            let t = self.next_non_space();
            if t.kind == end {
                if pipe.cmds.is_empty() {
                    return self.err(format!("missing value for {context}"));
                }
                for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
                    if matches!(
                        c.args[0],
                        Arg::Bool(..)
                            | Arg::Dot(_)
                            | Arg::Nil(_)
                            | Arg::Number(..)
                            | Arg::String(..)
                    ) {
                        return self.err(format!(
                            "non executable command in pipeline stage {}",
                            i + 1
                        ));
                    }
                }
                return Ok(pipe);
            }
            match t.kind {
                TokenKind::Bool
                | TokenKind::CharConstant
                | TokenKind::Dot
                | TokenKind::Field
                | TokenKind::Identifier
                | TokenKind::Number
                | TokenKind::RawString
                | TokenKind::String
                | TokenKind::Variable
                | TokenKind::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                    if pipe.cmds.len() > MAX_PIPELINE_CMDS {
                        return self.err("pipeline too long");
                    }
                }
                TokenKind::Keyword if t.val == "nil" => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                    if pipe.cmds.len() > MAX_PIPELINE_CMDS {
                        return self.err("pipeline too long");
                    }
                }
                _ => return self.unexpected(&t, context),
            }
        }
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let t = self.next();
            match t.kind {
                TokenKind::Space => continue,
                TokenKind::RightDelim | TokenKind::RightParen => self.backup(),
                TokenKind::Pipe => {}
                _ => return self.unexpected(&t, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.err("empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != TokenKind::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().kind == TokenKind::Field {
            fields.push(self.next().val[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field(p, mut idents) => {
                idents.extend(fields);
                Arg::Field(p, idents)
            }
            Arg::Variable(p, mut idents) => {
                idents.extend(fields);
                Arg::Variable(p, idents)
            }
            Arg::Bool(..) | Arg::String(..) | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                return self.err(format!(
                    "unexpected . after term {}",
                    crate::literals::go_quote(&node.to_string())
                ));
            }
            other => Arg::Chain(pos, Box::new(other), fields),
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        Ok(Some(match t.kind {
            TokenKind::Identifier => {
                if !(self.has_func)(&t.val) {
                    return self.err(format!(
                        "function {} not defined",
                        crate::literals::go_quote(&t.val)
                    ));
                }
                Arg::Identifier(t.pos, t.val)
            }
            TokenKind::Dot => Arg::Dot(t.pos),
            TokenKind::Keyword if t.val == "nil" => Arg::Nil(t.pos),
            TokenKind::Variable => {
                if !self.vars.contains(&t.val) {
                    return self.err(format!(
                        "undefined variable {}",
                        crate::literals::go_quote(&t.val)
                    ));
                }
                Arg::Variable(t.pos, vec![t.val])
            }
            TokenKind::Field => Arg::Field(t.pos, vec![t.val[1..].to_string()]),
            TokenKind::Bool => Arg::Bool(t.pos, t.val == "true"),
            TokenKind::CharConstant | TokenKind::Number => match parse_number(&t.val) {
                Ok(n) => Arg::Number(t.pos, n),
                Err(e) => return self.err(e),
            },
            TokenKind::LeftParen => {
                if self.paren_depth >= MAX_PAREN_DEPTH {
                    return self.err("max expression depth exceeded");
                }
                self.paren_depth += 1;
                let p = deep(|| self.pipeline("parenthesized pipeline", TokenKind::RightParen))?;
                self.paren_depth -= 1;
                Arg::Pipe(Box::new(p))
            }
            TokenKind::String | TokenKind::RawString => match unquote(&t.val) {
                Some(s) => Arg::String(t.pos, t.val, s),
                None => return self.err("invalid syntax"),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

enum Item {
    Node(Node),
    End,
    Else(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<TemplateSet, String> {
        let mut set = TemplateSet::default();
        parse("t", text, &|f| f == "printf" || f == "len", &mut set)?;
        Ok(set)
    }

    #[test]
    fn parses_controls_and_defines() {
        let set = p(
            "{{define \"x\"}}X{{end}}{{if .a}}1{{else if .b}}2{{else}}3{{end}}{{template \"x\" .}}",
        )
        .unwrap();
        assert!(set.trees.contains_key("x"));
        let main = &set.trees["t"];
        assert_eq!(main.len(), 2);
        match &main[0] {
            Node::If(b) => assert!(matches!(b.else_list.as_deref(), Some([Node::If(_)]))),
            other => panic!("expected if, got {other:?}"),
        }
    }

    #[test]
    fn pipeline_display_round_trips() {
        let set = p("{{ $x := printf \"%d\" (len .a.b) | printf \"%s\" }}").unwrap();
        match &set.trees["t"][0] {
            Node::Action(pipe) => assert_eq!(
                pipe.to_string(),
                "$x := printf \"%d\" (len .a.b) | printf \"%s\""
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_have_go_texts() {
        assert_eq!(p("{{").unwrap_err(), "template: t:1: unclosed action");
        assert_eq!(
            p("{{end}}").unwrap_err(),
            "template: t:1: unexpected {{end}}"
        );
        assert_eq!(p("{{if 1}}").unwrap_err(), "template: t:1: unexpected EOF");
        assert_eq!(
            p("{{ nope 1 }}").unwrap_err(),
            "template: t:1: function \"nope\" not defined"
        );
        assert_eq!(
            p("\n{{ $x }}").unwrap_err(),
            "template: t:2: undefined variable \"$x\""
        );
        assert_eq!(
            p("{{break}}").unwrap_err(),
            "template: t:1: {{break}} outside {{range}}"
        );
        assert_eq!(
            p("{{if}}{{end}}").unwrap_err(),
            "template: t:1: missing value for if"
        );
        assert_eq!(
            p("{{ 1 | 2 }}").unwrap_err(),
            "template: t:1: non executable command in pipeline stage 2"
        );
        assert_eq!(
            p("{{define \"x\"}}1{{end}}\n{{define \"x\"}}2{{end}}").unwrap_err(),
            "template: t:2: template: multiple definition of template \"x\""
        );
        assert_eq!(
            p("{{block \"y\" 1}}1{{end}}{{block \"y\" 1}}\n2{{end}}").unwrap_err(),
            "template: t:2: template: multiple definition of template \"y\""
        );
        assert_eq!(
            p("{{define \"t\"}}1{{end}}x\n").unwrap_err(),
            "template: t:2: template: multiple definition of template \"t\""
        );
        // An empty definition neither replaces nor clashes; a later one replaces an empty one.
        let set = p("{{define \"x\"}}1{{end}}{{define \"x\"}} {{end}}").unwrap();
        assert_eq!(set.trees["x"], vec![Node::Text("1".into())]);
        let set = p("{{define \"x\"}} {{end}}{{define \"x\"}}2{{end}}").unwrap();
        assert_eq!(set.trees["x"], vec![Node::Text("2".into())]);
        assert_eq!(
            p("{{ .a\"x\" }}").unwrap_err(),
            r#"template: t:1: unexpected "\"x\"" in operand"#
        );
    }

    #[test]
    fn variable_scopes_end_with_control() {
        assert!(p("{{if 1}}{{$x := 1}}{{$x}}{{end}}").is_ok());
        assert!(p("{{if 1}}{{$x := 1}}{{end}}{{$x}}").is_err());
        assert!(p("{{range $i, $v := .}}{{$i}}{{$v}}{{end}}").is_ok());
    }

    #[test]
    fn deep_parentheses_are_an_error_not_a_crash() {
        let text = "{{".to_string() + &"(".repeat(20_000) + "1" + &")".repeat(20_000) + "}}";
        assert_eq!(
            p(&text).err().as_deref(),
            Some("template: t:1: max expression depth exceeded")
        );
        let text = "{{if 1}}".repeat(20_000) + &"{{end}}".repeat(20_000);
        assert_eq!(
            p(&text).err().as_deref(),
            Some("template: t:1: more than promtest's limit of 10000 nested control actions")
        );
    }
}
