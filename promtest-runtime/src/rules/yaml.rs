//! A small YAML node tree with positions (built from `yaml-rust2` events), and the strict
//! field access the rule and rule-test formats need (unknown fields are errors with their line).

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A YAML node and where it starts (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What the node holds.
    pub kind: NodeKind,
}

/// The kinds of YAML node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar; `plain` when unquoted (so `~`/`null` mean null).
    Scalar {
        /// The text.
        text: String,
        /// Whether the scalar was written without quotes or block style.
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// Whether this is a null (`~`, `null`, or empty plain scalar).
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { text, plain: true }
            if text.is_empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }

    /// The scalar's text (null gives "").
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { .. } if self.is_null() => Some(""),
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The YAML tag name Go's yaml.v2 reports for this node in type errors.
    pub fn tag(&self) -> &'static str {
        match &self.kind {
            NodeKind::Seq(_) => "!!seq",
            NodeKind::Map(_) => "!!map",
            NodeKind::Scalar { .. } if self.is_null() => "!!null",
            NodeKind::Scalar { text, plain } => {
                let int = text.chars().filter(|&c| c != '_').collect::<String>();
                if *plain && parse_go_int(&int).is_some() {
                    "!!int"
                } else if *plain && parse_yaml_float(text).is_some() {
                    "!!float"
                } else if *plain && matches!(text.as_str(), "true" | "false") {
                    "!!bool"
                } else {
                    "!!str"
                }
            }
        }
    }

    /// A "cannot unmarshal" error for this node into Go type `ty`.
    pub fn type_error(&self, ty: &str) -> String {
        let shown = match &self.kind {
            NodeKind::Scalar { text, .. } => format!(" `{text}`"),
            _ => String::new(),
        };
        format!(
            "line {}: cannot unmarshal {}{} into {ty}",
            self.line,
            self.tag(),
            shown
        )
    }

    /// The scalar text, or a type error naming `ty`.
    pub fn string(&self, ty: &str) -> Result<String, String> {
        self.as_str()
            .map(str::to_string)
            .ok_or_else(|| self.type_error(ty))
    }

    /// The sequence's items (null gives none), or a type error.
    pub fn seq(&self, ty: &str) -> Result<&[Node], String> {
        match &self.kind {
            NodeKind::Seq(items) => Ok(items),
            _ if self.is_null() => Ok(&[]),
            _ => Err(self.type_error(ty)),
        }
    }

    /// A mapping of strings to strings (labels, annotations) in document order.
    pub fn string_map(&self, ty: &str) -> Result<Vec<(String, String)>, String> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .map(|(k, v)| Ok((k.string("string")?, v.string("string")?)))
                .collect(),
            _ if self.is_null() => Ok(Vec::new()),
            _ => Err(self.type_error(ty)),
        }
    }

    /// The fields of a mapping node decoded into Go struct `ty` with the allowed keys `known`.
    /// Unknown keys are errors (as yaml.v2's `UnmarshalStrict`) unless `ignore_unknown`;
    /// repeated keys are errors.
    pub fn fields<'a>(
        &'a self,
        ty: &str,
        known: &[&str],
        ignore_unknown: bool,
    ) -> Result<Fields<'a>, Vec<String>> {
        let entries = match &self.kind {
            NodeKind::Map(entries) => entries,
            _ if self.is_null() => return Ok(Fields::default()),
            _ => return Err(vec![self.type_error(ty)]),
        };
        let mut map = HashMap::new();
        let mut errs = Vec::new();
        for (k, v) in entries {
            let key = k.as_str().unwrap_or_default();
            if !known.contains(&key) {
                if !ignore_unknown {
                    errs.push(format!(
                        "line {}: field {key} not found in type {ty}",
                        k.line
                    ));
                }
                continue;
            }
            if map.insert(key.to_string(), v).is_some() {
                errs.push(format!(
                    "line {}: field {key} already set in type {ty}",
                    k.line
                ));
            }
        }
        if errs.is_empty() {
            Ok(Fields { map })
        } else {
            Err(errs)
        }
    }
}

/// The known fields of one mapping node.
#[derive(Debug, Default)]
pub struct Fields<'a> {
    map: HashMap<String, &'a Node>,
}

impl<'a> Fields<'a> {
    /// The node of field `name`, when present and not null.
    pub fn get(&self, name: &str) -> Option<&'a Node> {
        self.map.get(name).copied().filter(|n| !n.is_null())
    }
}

/// Renders field errors as yaml.v2 does: `yaml: unmarshal errors:\n  line N: …`.
pub fn unmarshal_errors(errs: &[String]) -> String {
    let mut s = String::from("yaml: unmarshal errors:");
    for e in errs {
        s.push_str("\n  ");
        s.push_str(e);
    }
    s
}

/// Parses a plain scalar as yaml.v2 resolves numbers: `.inf`/`.nan`, then (underscores
/// dropped) an integer as Go's `strconv.ParseInt(s, 0, 64)` reads it (`0x1f`, `0o17`, `0b101`,
/// and a leading `0` meaning octal: `017` is 15), then a YAML-style decimal float.
pub fn parse_yaml_float(s: &str) -> Option<f64> {
    let t = s.trim();
    match t {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let plain: String = t.chars().filter(|&c| c != '_').collect();
    if let Some(v) = parse_go_int(&plain) {
        return Some(v);
    }
    is_yaml_style_float(&plain)
        .then(|| plain.parse::<f64>().ok())
        .flatten()
}

/// Go's `strconv.ParseInt(s, 0, 64)` (or `ParseUint` for larger values) as a float.
fn parse_go_int(s: &str) -> Option<f64> {
    match crate::literals::number::parse_go_integer_parts(s)? {
        (true, v) => (v <= 1u64 << 63).then(|| -(v as f64)),
        (false, v) => Some(v as f64),
    }
}

/// yaml.v2's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// A YAML syntax error, worded like yaml.v2's `yaml: line N: …`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("yaml: line {line}: {message}")]
pub struct YamlError {
    /// 1-based line.
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

/// Parses the first YAML document of `src` into a node tree (`None` for an empty document).
///
/// Go's YAML (a libyaml port) does not check how far the continuation lines of a quoted
/// scalar are indented, `yaml-rust2` does; since a continuation line's leading blanks are
/// folded away, such a scalar is re-indented and the text parsed again.
pub fn parse(src: &str) -> Result<Option<Node>, YamlError> {
    let mut text = std::borrow::Cow::Borrowed(src);
    loop {
        match load_first_document(&text) {
            Ok(root) => return Ok(root),
            Err(Failure::Scan(e)) => {
                if e.info() == "invalid indentation in quoted scalar" {
                    let m = e.marker();
                    if let Some(fixed) = reindent_quoted(&text, m.index(), m.col() + 1) {
                        text = std::borrow::Cow::Owned(fixed);
                        continue;
                    }
                }
                return Err(YamlError {
                    line: e.marker().line(),
                    message: e.info().to_string(),
                });
            }
            Err(Failure::Limit(e)) => return Err(e),
        }
    }
}

/// Why loading stopped: the YAML is malformed, or it passes one of the [`limits`].
enum Failure {
    Scan(yaml_rust2::ScanError),
    Limit(YamlError),
}

/// The bounds on what a YAML document may expand to, so that a hostile file fails fast with
/// bounded memory.
pub mod limits {
    /// Deepest nesting of sequences and mappings, and its error text (yaml.v2's).
    pub const MAX_DEPTH: usize = 10_000;
    /// Most nodes a document may hold once its aliases are expanded (promtest's own bound:
    /// about 100 bytes each, so the tree stays well under 256 MB).
    pub const MAX_NODES: usize = 1_000_000;

    /// yaml.v2's `allowedAliasRatio`: the share of decoded nodes that may come from alias
    /// expansion, 99% for small documents down to 10% for very large ones.
    pub fn allowed_alias_ratio(nodes: usize) -> f64 {
        const LOW: usize = 400_000;
        const HIGH: usize = 4_000_000;
        if nodes <= LOW {
            0.99
        } else if nodes >= HIGH {
            0.10
        } else {
            0.99 - 0.89 * ((nodes - LOW) as f64 / (HIGH - LOW) as f64)
        }
    }

    /// yaml.v2's check: more than 100 aliased nodes among more than 1000, above the ratio.
    pub fn excessive_aliasing(aliased: usize, nodes: usize) -> bool {
        aliased > 100 && nodes > 1000 && aliased as f64 / nodes as f64 > allowed_alias_ratio(nodes)
    }
}

/// Feeds the events of the first document of `text` to a [`Builder`], without recursion (so
/// depth costs no stack) and within the [`limits`].
fn load_first_document(text: &str) -> Result<Option<Node>, Failure> {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder::default();
    let mut next = || parser.next_token().map_err(Failure::Scan);
    let (ev, _) = next()?;
    if ev != Event::StreamStart {
        return Ok(None);
    }
    let (ev, _) = next()?;
    if ev != Event::DocumentStart {
        return Ok(None);
    }
    loop {
        let (ev, mark) = next()?;
        match ev {
            Event::DocumentEnd | Event::StreamEnd => break,
            ev => b.on_event(ev, mark),
        }
        if let Some(e) = b.limit.take() {
            return Err(Failure::Limit(e));
        }
        if b.stack.is_empty() && b.root.is_some() {
            // The document's end, so that a scan error right after the root is still reported.
            next()?;
            break;
        }
    }
    Ok(b.root)
}

/// `src` with every continuation line of the quoted scalar starting at char `start` indented
/// by `by` more blanks; `None` when no quoted scalar with a continuation line starts there.
fn reindent_quoted(src: &str, start: usize, by: usize) -> Option<String> {
    let chars: Vec<char> = src.chars().collect();
    let quote = *chars.get(start).filter(|c| matches!(c, '\'' | '"'))?;
    let mut out: String = chars[..=start].iter().collect();
    let mut i = start + 1;
    let mut changed = false;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        match c {
            '\\' if quote == '"' => {
                if let Some(&n) = chars.get(i) {
                    if n != '\n' {
                        out.push(n);
                        i += 1;
                        continue;
                    }
                }
            }
            '\'' if quote == '\'' && chars.get(i) == Some(&'\'') => {
                out.push('\'');
                i += 1;
                continue;
            }
            c if c == quote => break,
            _ => {}
        }
        if c == '\n' || (c == '\\' && chars.get(i) == Some(&'\n')) {
            if c == '\\' {
                out.push('\n');
                i += 1;
            }
            out.extend(std::iter::repeat_n(' ', by));
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    out.extend(&chars[i..]);
    Some(out)
}

enum Open {
    Seq(Node, Vec<Node>, usize),
    Map(Node, Vec<(Node, Node)>, Option<Node>, usize),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    /// Anchored nodes with their node counts.
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    /// Nodes in the tree so far, aliases expanded.
    nodes: usize,
    /// Of those, the nodes that came from alias expansion.
    aliased: usize,
    /// The node count of each open collection (its own node included).
    counts: Vec<usize>,
    /// The limit this document passed, if any (loading stops at the next event).
    limit: Option<YamlError>,
}

impl Builder {
    fn push_value(&mut self, node: Node, anchor: usize, size: usize) {
        if let Some(parent) = self.counts.last_mut() {
            *parent += size;
        }
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Open::Seq(_, items, _)) => items.push(node),
            Some(Open::Map(_, entries, key, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
}

impl Builder {
    /// Records that the document passed a limit, at `line`.
    fn fail(&mut self, line: usize, message: impl Into<String>) {
        self.limit.get_or_insert(YamlError {
            line,
            message: message.into(),
        });
    }

    /// Opens a collection, within the depth limit.
    fn open(&mut self, open: Open, line: usize) {
        if self.stack.len() >= limits::MAX_DEPTH {
            self.fail(line, format!("exceeded max depth of {}", limits::MAX_DEPTH));
            return;
        }
        self.nodes += 1;
        self.counts.push(1);
        self.stack.push(open);
    }

    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = |kind| Node {
            line: mark.line(),
            col: mark.col() + 1,
            kind,
        };
        match ev {
            Event::Scalar(text, style, anchor, _) => {
                let node = at(NodeKind::Scalar {
                    text,
                    plain: style == TScalarStyle::Plain,
                });
                self.nodes += 1;
                self.push_value(node, anchor, 1);
            }
            Event::SequenceStart(anchor, _) => self.open(
                Open::Seq(at(NodeKind::Seq(Vec::new())), Vec::new(), anchor),
                mark.line(),
            ),
            Event::MappingStart(anchor, _) => self.open(
                Open::Map(at(NodeKind::Map(Vec::new())), Vec::new(), None, anchor),
                mark.line(),
            ),
            Event::SequenceEnd => {
                if let Some(Open::Seq(mut n, items, anchor)) = self.stack.pop() {
                    let size = self.counts.pop().unwrap_or(1);
                    n.kind = NodeKind::Seq(items);
                    self.push_value(n, anchor, size);
                }
            }
            Event::MappingEnd => {
                if let Some(Open::Map(mut n, entries, _, anchor)) = self.stack.pop() {
                    let size = self.counts.pop().unwrap_or(1);
                    n.kind = NodeKind::Map(apply_merge_keys(entries));
                    self.push_value(n, anchor, size);
                }
            }
            Event::Alias(id) => {
                let size = self.anchors.get(&id).map_or(1, |(_, size)| *size);
                self.nodes += size;
                self.aliased += size;
                if limits::excessive_aliasing(self.aliased, self.nodes) {
                    self.fail(mark.line(), "document contains excessive aliasing");
                    return;
                }
                if self.nodes > limits::MAX_NODES {
                    return;
                }
                let node = self.anchors.get(&id).map(|(n, _)| n.clone());
                let node = node.unwrap_or_else(|| {
                    at(NodeKind::Scalar {
                        text: String::new(),
                        plain: true,
                    })
                });
                self.push_value(node, 0, size);
            }
            _ => {}
        }
        if self.nodes > limits::MAX_NODES {
            self.fail(
                mark.line(),
                format!(
                    "document has more than {} nodes (promtest's limit)",
                    limits::MAX_NODES
                ),
            );
        }
    }
}

/// Whether a mapping key is YAML's merge key (a plain `<<`).
fn is_merge_key(k: &Node) -> bool {
    matches!(&k.kind, NodeKind::Scalar { text, plain: true } if text == "<<")
}

/// Expands merge keys (`<<: *anchor` or `<<: [*a, *b]`) into the mapping's entries, at the
/// place of the `<<`. As the YAML merge-key spec and yaml.v3 have it, a key written in the
/// mapping itself always wins over a merged one, and in a list of merged mappings the earlier
/// ones win. Repeated explicit keys stay repeated, so they are still reported as "already
/// set". A `<<` whose value is not a mapping (or a list of mappings) is kept as an ordinary
/// key (and so reported as an unknown field).
fn apply_merge_keys(entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    if !entries.iter().any(|(k, _)| is_merge_key(k)) {
        return entries;
    }
    let explicit: Vec<String> = entries
        .iter()
        .filter(|(k, _)| !is_merge_key(k))
        .filter_map(|(k, _)| k.as_str().map(str::to_string))
        .collect();
    let mut merged: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        if !is_merge_key(&k) {
            out.push((k, v));
            continue;
        }
        let sources: Vec<&Node> = match &v.kind {
            NodeKind::Map(_) => vec![&v],
            NodeKind::Seq(items) if items.iter().all(|i| matches!(i.kind, NodeKind::Map(_))) => {
                items.iter().collect()
            }
            _ => {
                out.push((k, v));
                continue;
            }
        };
        for src in sources {
            let NodeKind::Map(m) = &src.kind else {
                continue;
            };
            for (mk, mv) in m {
                let name = mk.as_str().unwrap_or_default().to_string();
                if explicit.contains(&name) || merged.contains(&name) {
                    continue;
                }
                merged.push(name);
                out.push((mk.clone(), mv.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tree_with_positions() {
        let n = parse("a: 1\nb:\n  - x: 'q'\n    y: ~\n").unwrap().unwrap();
        let f = n.fields("T", &["a", "b"], false).unwrap();
        assert_eq!(f.get("a").unwrap().as_str(), Some("1"));
        let items = f.get("b").unwrap().seq("[]T").unwrap();
        assert_eq!(items[0].line, 3);
        let inner = items[0].fields("U", &["x", "y"], false).unwrap();
        assert!(inner.get("y").is_none());
        assert_eq!(inner.get("x").unwrap().as_str(), Some("q"));
    }

    #[test]
    fn unknown_field_is_error_with_line() {
        let n = parse("a: 1\nzz: 2\n").unwrap().unwrap();
        let e = n.fields("main.T", &["a"], false).unwrap_err();
        assert_eq!(e, vec!["line 2: field zz not found in type main.T"]);
        assert!(n.fields("main.T", &["a"], true).is_ok());
    }

    #[test]
    fn floats_as_yaml() {
        assert_eq!(parse_yaml_float("1e3"), Some(1000.0));
        assert_eq!(parse_yaml_float("-.inf"), Some(f64::NEG_INFINITY));
        assert!(parse_yaml_float(".nan").unwrap().is_nan());
        assert_eq!(parse_yaml_float("0x10"), Some(16.0));
        assert_eq!(parse_yaml_float("abc"), None);
        assert_eq!(parse_yaml_float("0b110"), Some(6.0));
        assert_eq!(parse_yaml_float("-0B11"), Some(-3.0));
        assert_eq!(parse_yaml_float("0o17"), Some(15.0));
        assert_eq!(parse_yaml_float("017"), Some(15.0));
        assert_eq!(parse_yaml_float("019"), Some(19.0));
        assert_eq!(parse_yaml_float("1_000"), Some(1000.0));
        assert_eq!(parse_yaml_float(".5"), Some(0.5));
        assert_eq!(parse_yaml_float("5."), Some(5.0));
        assert_eq!(parse_yaml_float("1e"), None);
        assert_eq!(parse_yaml_float("0x"), None);
        assert_eq!(parse_yaml_float("Infinity"), None);
    }

    #[test]
    fn syntax_error_has_line() {
        let e = parse("a: [1,\nb: }").unwrap_err();
        assert!(e.line >= 1);
    }

    #[test]
    fn merge_keys_expand_with_explicit_override() {
        let src = "base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  y: 3\n  z: 4\n";
        let n = parse(src).unwrap().unwrap();
        let f = n.fields("T", &["base", "use"], false).unwrap();
        let u = f
            .get("use")
            .unwrap()
            .fields("U", &["x", "y", "z"], false)
            .unwrap();
        assert_eq!(u.get("x").unwrap().as_str(), Some("1"));
        assert_eq!(u.get("y").unwrap().as_str(), Some("3"));
        assert_eq!(u.get("z").unwrap().as_str(), Some("4"));
    }

    #[test]
    fn merge_key_list_earlier_wins_and_unknown_merged_field_is_reported() {
        let src = "a: &a {k: 1, bad: 0}\nb: &b {k: 2, m: 5}\nc:\n  <<: [*a, *b]\n";
        let n = parse(src).unwrap().unwrap();
        let f = n.fields("T", &["a", "b", "c"], false).unwrap();
        let c = f.get("c").unwrap();
        let e = c.fields("C", &["k", "m"], false).unwrap_err();
        assert_eq!(e, vec!["line 1: field bad not found in type C"]);
        let ok = c.fields("C", &["k", "m"], true).unwrap();
        assert_eq!(ok.get("k").unwrap().as_str(), Some("1"));
        assert_eq!(ok.get("m").unwrap().as_str(), Some("5"));
    }

    #[test]
    fn repeated_explicit_key_still_reported_next_to_merge() {
        let n = parse("a: &a {k: 1}\nc:\n  <<: *a\n  j: 1\n  j: 2\n")
            .unwrap()
            .unwrap();
        let c = n.fields("T", &["a", "c"], false).unwrap().get("c").unwrap();
        let e = c.fields("C", &["k", "j"], false).unwrap_err();
        assert_eq!(e, vec!["line 5: field j already set in type C"]);
    }

    #[test]
    fn quoted_scalars_with_shallow_continuation_lines_parse_as_go_does() {
        let src = "a:\n  - s: 'x{\n      y,\n    }'\n    d: \"one\n  two \\\n three\"\n    v: 1\n";
        let n = parse(src).unwrap().unwrap();
        let a = n.fields("T", &["a"], false).unwrap();
        let item = &a.get("a").unwrap().seq("[]U").unwrap()[0];
        let f = item.fields("U", &["s", "d", "v"], false).unwrap();
        assert_eq!(f.get("s").unwrap().as_str(), Some("x{ y, }"));
        assert_eq!(f.get("d").unwrap().as_str(), Some("one two three"));
        assert_eq!(f.get("v").unwrap().line, 8);
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    /// The classic "billion laughs": nine levels of nine aliases, 9^9 strings once expanded.
    pub(crate) fn billion_laughs() -> String {
        let mut s = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let refs = vec![format!("*{prev}"); 9].join(",");
            s.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        s
    }

    #[test]
    fn alias_expansion_is_bounded_as_yaml_v2_bounds_it() {
        let e = parse(&billion_laughs()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "yaml: line 4: document contains excessive aliasing"
        );
        // Moderate reuse of anchors stays allowed.
        let ok = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n";
        assert!(parse(ok).is_ok());
    }

    #[test]
    fn nesting_past_yaml_v2_depth_fails_without_overflowing_the_stack() {
        // Block sequences nested on one line: `- - - 1` is [[[1]]].
        let nested = |n: usize| format!("{}1\n", "- ".repeat(n));
        let e = parse(&nested(limits::MAX_DEPTH + 5)).unwrap_err();
        assert_eq!(e.to_string(), "yaml: line 1: exceeded max depth of 10000");
        // yaml-rust2's scanner stops flow collections at 255 levels, with its own text.
        let flow = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
        assert_eq!(
            parse(&flow).unwrap_err().to_string(),
            "yaml: line 1: recursion limit exceeded"
        );
        let deep = nested(limits::MAX_DEPTH - 1);
        // Run where a test thread's stack is small: building and dropping are not recursive
        // beyond what the limit allows.
        std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || assert!(parse(&deep).unwrap().is_some()))
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn more_nodes_than_the_limit_fail_with_their_line() {
        let n = limits::MAX_NODES + 1;
        let mut s = String::with_capacity(n * 3);
        s.push('[');
        s.push_str(&"1,".repeat(n));
        s.push(']');
        let e = parse(&s).unwrap_err();
        assert!(e
            .to_string()
            .ends_with("document has more than 1000000 nodes (promtest's limit)"));
    }
}
