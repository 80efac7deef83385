//! The executor: walks a parsed template against data, with Go's variable scoping,
//! truthiness, `range`/`with`/`template` semantics, `missingkey=zero` map lookups, and
//! error texts (`template: <name>:<line>:<col>: executing "<name>" at <...>: ...`).

use super::ast::{Arg, Branch, Command, Node, Pipe};
use super::functions::{lookup, CallCtx, FnError};
use super::parser::TemplateSet;
use super::printf::display;
use super::timefmt::format_time;
use super::value::Value;
use crate::deep_stack::{deep, roomy};

/// How many `{{template}}` invocations may be nested: Go's `maxExecDepth`. Nested `if`,
/// `range` and `with` do not count (Go leaves them to the parse tree's own depth); every
/// recursive step runs through [`deep`], so neither overflows the native stack.
pub const MAX_EXEC_DEPTH: usize = 100_000;

/// How many nodes and range iterations one execution may walk: promtest's limit (Go has none,
/// and a `{{range 1000000000000}}` hangs Prometheus's rule evaluation).
pub const MAX_EXEC_STEPS: usize = 10_000_000;

/// How many bytes one execution may print, pass to functions as string arguments and get back
/// as string results: promtest's limit (Go has none; `printf` doubling a variable in a loop
/// exhausts memory).
pub const MAX_EXEC_BYTES: usize = 16 << 20;

/// What a range iterates over: pairs of key and element, or the integers below a count.
enum RangeItems {
    Pairs(Vec<(Value, Value)>),
    Count(i64),
}

/// Which node an error refers to.
#[derive(Clone, Copy)]
enum At<'a> {
    Arg(&'a Arg),
    Cmd(&'a Command),
    Pipe(&'a Pipe),
    Node(&'a Node),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::Arg(a) => a.pos(),
            At::Cmd(c) => c.pos,
            At::Pipe(p) => p.pos,
            At::Node(n) => match n {
                Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
                Node::Template { pos, .. } | Node::Break(pos) | Node::Continue(pos) => *pos,
                Node::Action(p) => p.pos,
                Node::Text(_) => 0,
            },
        }
    }

    fn text(&self) -> String {
        match self {
            At::Arg(a) => a.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Node(n) => n.to_string(),
        }
    }
}

enum Flow {
    Normal,
    Break,
    Continue,
}

type EResult<T> = Result<T, String>;

/// Executes templates from one parsed set.
pub struct Executor<'a> {
    set: &'a TemplateSet,
    parse_name: &'a str,
    text: &'a str,
    ctx: &'a CallCtx<'a>,
    tmpl_name: String,
    vars: Vec<(String, Value)>,
    depth: usize,
    steps: usize,
    bytes: usize,
    at: Option<At<'a>>,
    out: String,
}

impl<'a> Executor<'a> {
    /// An executor for `set`, parsed from `text` under the name `parse_name`.
    pub fn new(
        set: &'a TemplateSet,
        parse_name: &'a str,
        text: &'a str,
        ctx: &'a CallCtx<'a>,
    ) -> Self {
        Executor {
            set,
            parse_name,
            text,
            ctx,
            tmpl_name: parse_name.to_string(),
            vars: Vec::new(),
            depth: 0,
            steps: 0,
            bytes: 0,
            at: None,
            out: String::new(),
        }
    }

    /// Runs template `name` with `data` as dot and `$`; returns the output.
    pub fn run(mut self, name: &str, data: Value) -> EResult<String> {
        let Some(tree) = self.set.trees.get(name) else {
            return Err(format!(
                "template: {}: \"{}\" is an incomplete or empty template",
                self.parse_name, name
            ));
        };
        self.tmpl_name = name.to_string();
        self.vars.push(("$".into(), data.clone()));
        self.walk_list(&data, tree)?;
        Ok(self.out)
    }

    fn errorf<T>(&self, msg: impl AsRef<str>) -> EResult<T> {
        let Some(at) = self.at else {
            return Err(format!("template: {}: {}", self.tmpl_name, msg.as_ref()));
        };
        let pos = at.pos().min(self.text.len());
        let before = &self.text[..pos];
        let line = 1 + before.matches('\n').count();
        let col = match before.rfind('\n') {
            Some(nl) => pos - nl - 1,
            None => pos,
        };
        let context = at.text();
        Err(format!(
            "template: {}:{}:{}: executing {} at <{}>: {}",
            self.parse_name,
            line,
            col,
            crate::literals::go_quote(&self.tmpl_name),
            context,
            msg.as_ref()
        ))
    }

    /// Counts one step of [`MAX_EXEC_STEPS`].
    fn step(&mut self) -> EResult<()> {
        self.steps += 1;
        if self.steps > MAX_EXEC_STEPS {
            return self.errorf(format!(
                "exceeded promtest's limit of {MAX_EXEC_STEPS} template execution steps"
            ));
        }
        Ok(())
    }

    /// Counts `n` bytes printed or produced against [`MAX_EXEC_BYTES`].
    fn charge(&mut self, n: usize) -> EResult<()> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > MAX_EXEC_BYTES {
            return self.errorf(format!(
                "exceeded promtest's limit of {MAX_EXEC_BYTES} bytes of template output and function results"
            ));
        }
        Ok(())
    }

    fn walk_list(&mut self, dot: &Value, list: &'a [Node]) -> EResult<Flow> {
        for n in list {
            match self.walk(dot, n)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Value, node: &'a Node) -> EResult<Flow> {
        self.at = Some(At::Node(node));
        self.step()?;
        match node {
            Node::Text(t) => {
                self.charge(t.len())?;
                self.out.push_str(t)
            }
            Node::Action(pipe) => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.print_value(&v)?;
                }
            }
            Node::If(b) | Node::With(b) => {
                let is_with = matches!(node, Node::With(_));
                return deep(|| self.walk_if_with(dot, b, is_with));
            }
            Node::Range(b) => return deep(|| self.walk_range(dot, b)),
            Node::Template { name, pipe, .. } => {
                deep(|| self.walk_template(dot, name, pipe.as_ref()))?;
            }
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn walk_if_with(&mut self, dot: &Value, b: &'a Branch, is_with: bool) -> EResult<Flow> {
        let mark = self.vars.len();
        let v = self.eval_pipeline(dot, &b.pipe)?;
        let flow = if v.is_true() {
            let d = if is_with { v } else { dot.clone() };
            self.walk_list(&d, &b.list)?
        } else if let Some(e) = &b.else_list {
            self.walk_list(dot, e)?
        } else {
            Flow::Normal
        };
        self.vars.truncate(mark);
        Ok(flow)
    }

    /// `{{template "name" pipeline}}`, checked as Go does: the name, then the depth, then the
    /// pipeline.
    fn walk_template(&mut self, dot: &Value, name: &str, pipe: Option<&'a Pipe>) -> EResult<()> {
        let Some(tree) = self.set.trees.get(name) else {
            return self.errorf(format!(
                "template {} not defined",
                crate::literals::go_quote(name)
            ));
        };
        if self.depth == MAX_EXEC_DEPTH {
            return self.errorf(format!(
                "exceeded maximum template depth ({MAX_EXEC_DEPTH})"
            ));
        }
        let new_dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Value::Nil,
        };
        self.depth += 1;
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".into(), new_dot.clone())]);
        let saved_name = std::mem::replace(&mut self.tmpl_name, name.to_string());
        self.walk_list(&new_dot, tree)?;
        self.vars = saved_vars;
        self.tmpl_name = saved_name;
        self.depth -= 1;
        Ok(())
    }

    fn walk_range(&mut self, dot: &Value, b: &'a Branch) -> EResult<Flow> {
        let mark = self.vars.len();
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let items = match &val {
            Value::Slice(s) => RangeItems::Pairs(
                s.iter()
                    .enumerate()
                    .map(|(i, v)| (Value::Int(i as i64), v.clone()))
                    .collect(),
            ),
            Value::QueryResult(q) => RangeItems::Pairs(
                q.iter()
                    .enumerate()
                    .map(|(i, s)| (Value::Int(i as i64), Value::Sample(s.clone())))
                    .collect(),
            ),
            Value::StrMap(m) => RangeItems::Pairs(
                m.iter()
                    .map(|(k, v)| (Value::from(k.as_str()), Value::from(v.as_str())))
                    .collect(),
            ),
            Value::Map(m) => RangeItems::Pairs(
                m.iter()
                    .map(|(k, v)| (Value::from(k.as_str()), v.clone()))
                    .collect(),
            ),
            Value::Int(n) => {
                if b.pipe.decl.len() > 1 {
                    return self.errorf(format!(
                        "can't use {n} to iterate over more than one variable"
                    ));
                }
                RangeItems::Count((*n).max(0))
            }
            Value::Nil => RangeItems::Pairs(Vec::new()),
            other => return self.errorf(format!("range can't iterate over {}", display(other))),
        };
        let len = match &items {
            RangeItems::Pairs(p) => p.len() as i64,
            RangeItems::Count(n) => *n,
        };
        let mut flow = Flow::Normal;
        if len == 0 {
            if let Some(e) = &b.else_list {
                flow = self.walk_list(dot, e)?;
            }
        }
        let body_mark = self.vars.len();
        for i in 0..len {
            self.step()?;
            let (key, elem) = match &items {
                RangeItems::Pairs(p) => p[i as usize].clone(),
                RangeItems::Count(_) => (Value::Int(i), Value::Int(i)),
            };
            match b.pipe.decl.len() {
                0 => {}
                1 => self.set_decl(&b.pipe, 0, elem.clone(), body_mark),
                _ => {
                    self.set_decl(&b.pipe, 0, key, body_mark);
                    self.set_decl(&b.pipe, 1, elem.clone(), body_mark);
                }
            }
            let f = self.walk_list(&elem, &b.list)?;
            self.vars.truncate(body_mark);
            if matches!(f, Flow::Break) {
                break;
            }
        }
        self.vars.truncate(mark);
        if matches!(flow, Flow::Normal) {
            Ok(Flow::Normal)
        } else {
            Ok(flow)
        }
    }

    /// Sets the range variable `decl[i]`: assigns for `=`, else overwrites the declared slot.
    fn set_decl(&mut self, pipe: &Pipe, i: usize, v: Value, body_mark: usize) {
        let name = &pipe.decl[i];
        if pipe.is_assign {
            self.set_var(name, v);
            return;
        }
        let n = pipe.decl.len();
        let slot = body_mark - n + i;
        if let Some(entry) = self.vars.get_mut(slot) {
            entry.1 = v;
        }
    }

    fn set_var(&mut self, name: &str, v: Value) {
        if let Some(entry) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            entry.1 = v;
        }
    }

    fn var(&self, name: &str) -> EResult<Value> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => self.errorf(format!("undefined variable: {name}")),
        }
    }

    fn print_value(&mut self, v: &Value) -> EResult<()> {
        let text = match v {
            Value::Nil => "<no value>".to_string(),
            Value::Sample(s) => {
                let full = display(&Value::Sample(s.clone()));
                full.strip_prefix('&').map(str::to_string).unwrap_or(full)
            }
            other => display(other),
        };
        self.charge(text.len())?;
        self.out.push_str(&text);
        Ok(())
    }

    fn eval_pipeline(&mut self, dot: &Value, pipe: &'a Pipe) -> EResult<Value> {
        self.at = Some(At::Pipe(pipe));
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(dot, cmd, value)?);
        }
        let value = value.unwrap_or(Value::Nil);
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, value.clone());
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], final_: &Option<Value>) -> EResult<()> {
        if args.len() > 1 || final_.is_some() {
            return self.errorf(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn eval_command(
        &mut self,
        dot: &Value,
        cmd: &'a Command,
        final_: Option<Value>,
    ) -> EResult<Value> {
        let first = &cmd.args[0];
        match first {
            Arg::Field(_, idents) => {
                self.at = Some(At::Arg(first));
                return self.eval_field_chain(dot, dot.clone(), idents, &cmd.args, final_);
            }
            Arg::Chain(_, node, fields) => {
                return self.eval_chain(dot, node, fields, &cmd.args, final_)
            }
            Arg::Identifier(_, name) => {
                return self.eval_function(dot, first, name, cmd, &cmd.args, final_)
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &final_)?;
                return deep(|| self.eval_pipeline(dot, p));
            }
            Arg::Variable(_, idents) => {
                self.at = Some(At::Arg(first));
                let v = self.var(&idents[0])?;
                if idents.len() == 1 {
                    self.not_a_function(&cmd.args, &final_)?;
                    return Ok(v);
                }
                return self.eval_field_chain(dot, v, &idents[1..], &cmd.args, final_);
            }
            _ => {}
        }
        self.at = Some(At::Arg(first));
        self.not_a_function(&cmd.args, &final_)?;
        match first {
            Arg::Bool(_, b) => Ok(Value::Bool(*b)),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => self.errorf("nil is not a command"),
            Arg::Number(_, n) => Ok(ideal_constant(n)),
            Arg::String(_, _, s) => Ok(Value::String(s.clone())),
            _ => self.errorf(format!("can't evaluate command {first}")),
        }
    }

    fn eval_chain(
        &mut self,
        dot: &Value,
        node: &'a Arg,
        fields: &'a [String],
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> EResult<Value> {
        if let Arg::Nil(_) = node {
            self.at = Some(At::Arg(node));
            return self.errorf(format!("indirection through explicit nil in {}", args[0]));
        }
        let receiver = self.eval_arg(dot, node)?;
        self.eval_field_chain(dot, receiver, fields, args, final_)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Value,
        mut receiver: Value,
        idents: &'a [String],
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> EResult<Value> {
        let n = idents.len();
        for ident in &idents[..n - 1] {
            receiver = self.eval_field(dot, ident, &[], None, receiver)?;
        }
        self.eval_field(dot, &idents[n - 1], args, final_, receiver)
    }

    fn eval_field(
        &mut self,
        dot: &Value,
        name: &str,
        args: &'a [Arg],
        final_: Option<Value>,
        receiver: Value,
    ) -> EResult<Value> {
        let has_args = args.len() > 1 || final_.is_some();
        if let Some(result) = self.eval_method(dot, name, args, final_.clone(), &receiver)? {
            return Ok(result);
        }
        match &receiver {
            Value::Nil => Ok(Value::Nil),
            Value::StrMap(m) => {
                if has_args {
                    return self.errorf(format!("{name} is not a method but has arguments"));
                }
                Ok(Value::String(m.get(name).cloned().unwrap_or_default()))
            }
            Value::Map(m) => {
                if has_args {
                    return self.errorf(format!("{name} is not a method but has arguments"));
                }
                Ok(m.get(name).cloned().unwrap_or(Value::Nil))
            }
            Value::Struct(s) => match s.fields.iter().find(|(f, _)| f == name) {
                Some((_, v)) if has_args => {
                    let _ = v;
                    self.errorf(format!(
                        "{name} has arguments but cannot be invoked as function"
                    ))
                }
                Some((_, v)) => Ok(v.clone()),
                None => self.errorf(format!(
                    "can't evaluate field {name} in type {}",
                    s.type_name
                )),
            },
            Value::Sample(s) if name == "Labels" || name == "Value" => {
                if has_args {
                    return self.errorf(format!(
                        "{name} has arguments but cannot be invoked as function"
                    ));
                }
                Ok(if name == "Labels" {
                    Value::StrMap(s.labels.clone())
                } else {
                    s.value.clone()
                })
            }
            other => self.errorf(format!(
                "can't evaluate field {name} in type {}",
                other.type_name()
            )),
        }
    }

    /// Methods of `time.Time` and `time.Duration`; `None` when `name` is not a method.
    fn eval_method(
        &mut self,
        dot: &Value,
        name: &str,
        args: &'a [Arg],
        final_: Option<Value>,
        receiver: &Value,
    ) -> EResult<Option<Value>> {
        let arity = match (receiver, name) {
            (Value::Time(_), "Format" | "Add" | "Sub" | "After" | "Before" | "Equal") => 1,
            (
                Value::Time(_),
                "Unix" | "UnixMilli" | "UnixMicro" | "UnixNano" | "String" | "Year" | "Day"
                | "Hour" | "Minute" | "Second" | "Nanosecond" | "UTC" | "IsZero",
            ) => 0,
            (
                Value::Duration(_),
                "String" | "Seconds" | "Minutes" | "Hours" | "Milliseconds" | "Microseconds"
                | "Nanoseconds" | "Abs",
            ) => 0,
            _ => return Ok(None),
        };
        let mut vals = Vec::new();
        for a in args.iter().skip(1) {
            vals.push(self.eval_arg(dot, a)?);
        }
        if let Some(f) = final_ {
            vals.push(f);
        }
        if vals.len() != arity {
            return self.errorf(format!(
                "wrong number of args for {name}: want {arity} got {}",
                vals.len()
            ));
        }
        let got = |v: &Value, want: &str| {
            format!(
                "wrong type for value; expected {want}; got {}",
                v.type_name()
            )
        };
        let r = match receiver {
            Value::Time(t) => {
                let t = *t;
                let civil = |layout: &str| format_time(t, layout).parse::<i64>().unwrap_or(0);
                match name {
                    "Format" => match &vals[0] {
                        Value::String(l) => Value::String(format_time(t, l)),
                        v => return self.errorf(got(v, "string")),
                    },
                    "Add" => match &vals[0] {
                        Value::Duration(d) => Value::Time(t + *d as i128),
                        Value::Int(d) => Value::Time(t + *d as i128),
                        v => return self.errorf(got(v, "time.Duration")),
                    },
                    "Sub" => match &vals[0] {
                        Value::Time(u) => {
                            Value::Duration((t - u).clamp(i64::MIN as i128, i64::MAX as i128) as i64)
                        }
                        v => return self.errorf(got(v, "time.Time")),
                    },
                    "After" | "Before" | "Equal" => match &vals[0] {
                        Value::Time(u) => Value::Bool(match name {
                            "After" => t > *u,
                            "Before" => t < *u,
                            _ => t == *u,
                        }),
                        v => return self.errorf(got(v, "time.Time")),
                    },
                    "Unix" => Value::Int(t.div_euclid(1_000_000_000) as i64),
                    "UnixMilli" => Value::Int(t.div_euclid(1_000_000) as i64),
                    "UnixMicro" => Value::Int(t.div_euclid(1_000) as i64),
                    "UnixNano" => Value::Int(t as i64),
                    "String" => Value::String(super::timefmt::time_string(t)),
                    "Year" => Value::Int(civil("2006")),
                    "Day" => Value::Int(civil("2")),
                    "Hour" => Value::Int(civil("15")),
                    "Minute" => Value::Int(civil("4")),
                    "Second" => Value::Int(civil("5")),
                    "Nanosecond" => Value::Int(t.rem_euclid(1_000_000_000) as i64),
                    "IsZero" => Value::Bool(false),
                    _ => Value::Time(t),
                }
            }
            Value::Duration(d) => {
                let d = *d;
                match name {
                    "String" => Value::String(super::timefmt::duration_string(d)),
                    "Seconds" => Value::Float(d as f64 / 1e9),
                    "Minutes" => Value::Float(d as f64 / 6e10),
                    "Hours" => Value::Float(d as f64 / 3.6e12),
                    "Milliseconds" => Value::Int(d / 1_000_000),
                    "Microseconds" => Value::Int(d / 1_000),
                    "Nanoseconds" => Value::Int(d),
                    _ => Value::Duration(d.saturating_abs()),
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(r))
    }

    fn eval_arg(&mut self, dot: &Value, arg: &'a Arg) -> EResult<Value> {
        self.at = Some(At::Arg(arg));
        match arg {
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Ok(Value::Nil),
            Arg::Bool(_, b) => Ok(Value::Bool(*b)),
            Arg::Number(_, n) => Ok(ideal_constant(n)),
            Arg::String(_, _, s) => Ok(Value::String(s.clone())),
            Arg::Field(_, idents) => {
                self.eval_field_chain(dot, dot.clone(), idents, std::slice::from_ref(arg), None)
            }
            Arg::Variable(_, idents) => {
                let v = self.var(&idents[0])?;
                if idents.len() == 1 {
                    return Ok(v);
                }
                self.eval_field_chain(dot, v, &idents[1..], std::slice::from_ref(arg), None)
            }
            Arg::Pipe(p) => deep(|| self.eval_pipeline(dot, p)),
            Arg::Identifier(_, name) => {
                let cmd_args = std::slice::from_ref(arg);
                self.call_function(dot, At::Arg(arg), name, cmd_args, None)
            }
            Arg::Chain(_, node, fields) => {
                self.eval_chain(dot, node, fields, std::slice::from_ref(arg), None)
            }
        }
    }

    fn eval_function(
        &mut self,
        dot: &Value,
        ident: &'a Arg,
        name: &str,
        cmd: &'a Command,
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> EResult<Value> {
        self.at = Some(At::Arg(ident));
        self.call_function(dot, At::Cmd(cmd), name, args, final_)
    }

    /// Calls function `name` with `args[1..]` (plus the piped `final_` value).
    fn call_function(
        &mut self,
        dot: &Value,
        node: At<'a>,
        name: &str,
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> EResult<Value> {
        let Some(def) = lookup(name) else {
            return self.errorf(format!("{name:?} is not a defined function"));
        };
        let fixed = args.len() - 1;
        let num_in = fixed + usize::from(final_.is_some());
        if def.variadic {
            if num_in < def.params {
                return self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    def.params, fixed
                ));
            }
        } else if num_in != def.params {
            return self.errorf(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                def.params
            ));
        }
        if name == "and" || name == "or" {
            let mut v = Value::Nil;
            for a in &args[1..] {
                v = self.eval_arg(dot, a)?;
                if v.is_true() == (name == "or") {
                    return Ok(v);
                }
            }
            if let Some(f) = final_ {
                v = f;
            }
            return Ok(v);
        }
        let mut vals = Vec::with_capacity(num_in + 1);
        if name == "call" {
            vals.push(Value::String(
                args.get(1).map(|a| a.to_string()).unwrap_or_default(),
            ));
        }
        for a in &args[1..] {
            vals.push(self.eval_arg(dot, a)?);
        }
        if let Some(f) = final_ {
            vals.push(f);
        }
        // Arguments count too, so that no call multiplies a budget-sized string.
        let arg_bytes: usize = vals
            .iter()
            .map(|v| match v {
                Value::String(s) => s.len(),
                _ => 0,
            })
            .sum();
        self.charge(arg_bytes)?;
        let result = roomy(|| (def.f)(self.ctx, vals));
        self.at = Some(node);
        match result {
            Ok(v) => {
                if let Value::String(s) = &v {
                    self.charge(s.len())?;
                }
                Ok(v)
            }
            Err(FnError::Call(m)) => self.errorf(format!("error calling {name}: {m}")),
            Err(FnError::Type(m)) => self.errorf(m),
        }
    }
}

/// Go's `idealConstant`: a number literal as int or float64.
fn ideal_constant(n: &super::ast::Number) -> Value {
    let text = n.text.to_ascii_lowercase();
    let is_hex_int = text.trim_start_matches(['+', '-']).starts_with("0x") && !text.contains('p');
    if n.is_float_syntax && !is_hex_int && !text.starts_with('\'') {
        return Value::Float(n.float.unwrap_or(0.0));
    }
    if let Some(i) = n.int {
        return Value::Int(i);
    }
    if let Some(u) = n.uint {
        return Value::Uint(u);
    }
    Value::Float(n.float.unwrap_or(0.0))
}
