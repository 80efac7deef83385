//! The parse tree of a template, printed back the way Go's `parse.Node.String` does
//! (used in `executing "name" at <...>` error contexts).

use std::fmt;

use crate::deep_stack::deep;

/// A node in a template's body.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Literal text.
    Text(String),
    /// `{{pipeline}}`: evaluate and print unless it declares variables.
    Action(Pipe),
    /// `{{if}}`.
    If(Branch),
    /// `{{range}}`.
    Range(Branch),
    /// `{{with}}`.
    With(Branch),
    /// `{{template "name" pipeline}}`.
    Template {
        /// Byte offset of the action.
        pos: usize,
        /// The invoked template.
        name: String,
        /// The data for it, if given.
        pipe: Option<Pipe>,
    },
    /// `{{break}}`.
    Break(usize),
    /// `{{continue}}`.
    Continue(usize),
}

/// The shared shape of `if`, `range` and `with`.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// Byte offset of the keyword.
    pub pos: usize,
    /// The condition / iterated value.
    pub pipe: Pipe,
    /// Body run when true / per element.
    pub list: Vec<Node>,
    /// `{{else}}` body.
    pub else_list: Option<Vec<Node>>,
}

/// A pipeline, possibly declaring or assigning variables.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipe {
    /// Byte offset.
    pub pos: usize,
    /// `=` rather than `:=`.
    pub is_assign: bool,
    /// Declared/assigned variables, `$` included.
    pub decl: Vec<String>,
    /// The commands joined by `|`.
    pub cmds: Vec<Command>,
}

/// One command of a pipeline: an operand or a function call with arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// Byte offset.
    pub pos: usize,
    /// The words.
    pub args: Vec<Arg>,
}

/// An operand.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `.` the cursor.
    Dot(usize),
    /// `nil`.
    Nil(usize),
    /// `true` / `false`.
    Bool(usize, bool),
    /// A number literal.
    Number(usize, Number),
    /// A string literal: the source text and the unquoted value.
    String(usize, String, String),
    /// `.A.B`.
    Field(usize, Vec<String>),
    /// `$x.A.B` (the first element is the variable name).
    Variable(usize, Vec<String>),
    /// A function name.
    Identifier(usize, String),
    /// `(pipeline)`.
    Pipe(Box<Pipe>),
    /// `(pipeline).A.B` or `$x.A` after a non-field term.
    Chain(usize, Box<Arg>, Vec<String>),
}

/// A number constant with the interpretations that fit it.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    /// Source text.
    pub text: String,
    /// Integer value, when the constant is an integer.
    pub int: Option<i64>,
    /// Unsigned value, when it fits a `uint64`.
    pub uint: Option<u64>,
    /// Float value, when it has one.
    pub float: Option<f64>,
    /// Whether it was written as a float (`.`, exponent) rather than an integer.
    pub is_float_syntax: bool,
}

impl Arg {
    /// The byte offset of this operand.
    pub fn pos(&self) -> usize {
        match self {
            Arg::Dot(p)
            | Arg::Nil(p)
            | Arg::Bool(p, _)
            | Arg::Number(p, _)
            | Arg::String(p, _, _) => *p,
            Arg::Field(p, _)
            | Arg::Variable(p, _)
            | Arg::Identifier(p, _)
            | Arg::Chain(p, _, _) => *p,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, n) => f.write_str(&n.text),
            Arg::String(_, src, _) => f.write_str(src),
            Arg::Field(_, idents) => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable(_, idents) => f.write_str(&idents.join(".")),
            Arg::Identifier(_, name) => f.write_str(name),
            Arg::Pipe(p) => deep(|| write!(f, "({p})")),
            Arg::Chain(_, node, fields) => {
                match node.as_ref() {
                    Arg::Pipe(p) => deep(|| write!(f, "({p})"))?,
                    other => write!(f, "{other}")?,
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text(t) => f.write_str(&crate::literals::go_quote(t)),
            Node::Action(p) => write!(f, "{{{{{p}}}}}"),
            Node::If(b) => write!(f, "{{{{if {}}}}}", b.pipe),
            Node::Range(b) => write!(f, "{{{{range {}}}}}", b.pipe),
            Node::With(b) => write!(f, "{{{{with {}}}}}", b.pipe),
            Node::Template { name, pipe, .. } => match pipe {
                Some(p) => write!(
                    f,
                    "{{{{template {} {p}}}}}",
                    crate::literals::go_quote(name)
                ),
                None => write!(f, "{{{{template {}}}}}", crate::literals::go_quote(name)),
            },
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
        }
    }
}

// Trees nest as deeply as the parser allows (nested controls without limit, parenthesized
// pipelines 10,000 deep): dropping one recurses through these two, each step on a stack with
// room (see `stack`).
impl Drop for Branch {
    fn drop(&mut self) {
        let (list, else_list) = (std::mem::take(&mut self.list), self.else_list.take());
        deep(|| drop((list, else_list)));
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        let cmds = std::mem::take(&mut self.cmds);
        deep(|| drop(cmds));
    }
}
