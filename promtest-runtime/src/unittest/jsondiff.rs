//! The structural JSON difference promtool prints for a failing alert case under `--diff`
//! (the console format of the `jsondiff` package promtool uses: the whole document pretty-printed
//! with four-space indents, changed values as `old => new` in yellow, values only in the expected
//! side in red, values only in the received side in green).

use std::collections::BTreeMap;

use crate::literals::quote::go_quote;
use crate::model::Labels;

/// A JSON value, enough to describe promtool's alert lists (and any other JSON document).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(test), allow(dead_code))] // promtool's alerts use objects and strings only
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, kept as its literal text (numbers compare by their text, as in `jsondiff`).
    Number(String),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Json>),
    /// An object; keys print sorted.
    Object(BTreeMap<String, Json>),
}

impl Json {
    /// A label set as Go's `json.Marshal(labels.Labels)` writes it: an object of strings.
    pub fn from_labels(l: &Labels) -> Json {
        Json::Object(
            l.iter()
                .map(|x| (x.name.to_string(), Json::Str(x.value.to_string())))
                .collect(),
        )
    }

    /// promtool's alert list (`[{"Labels":{..},"Annotations":{..}}, ..]`); an empty list becomes
    /// one alert with empty labels and annotations, as promtool substitutes before diffing.
    pub fn from_alerts(alerts: &[(Labels, Labels)]) -> Json {
        let one = |l: &Labels, a: &Labels| {
            Json::Object(BTreeMap::from([
                ("Labels".to_string(), Json::from_labels(l)),
                ("Annotations".to_string(), Json::from_labels(a)),
            ]))
        };
        if alerts.is_empty() {
            return Json::Array(vec![one(&Labels::empty(), &Labels::empty())]);
        }
        Json::Array(alerts.iter().map(|(l, a)| one(l, a)).collect())
    }
}

/// How two documents relate (`jsondiff.Difference`, the valid-JSON cases, with its names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
pub enum Difference {
    /// Deeply equal.
    FullMatch,
    /// The first document is a superset of the second.
    SupersetMatch,
    /// Anything else.
    NoMatch,
}

/// Begin and end markers around a highlighted stretch of output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    /// Written where the stretch starts (and again after every line break inside it).
    pub begin: &'static str,
    /// Written where the stretch ends (and before every line break inside it).
    pub end: &'static str,
}

/// The markers and layout of a difference (`jsondiff.Options`, without skipping of matches).
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Around unchanged parts.
    pub normal: Tag,
    /// Around values only in the second document.
    pub added: Tag,
    /// Around values only in the first document.
    pub removed: Tag,
    /// Around changed values.
    pub changed: Tag,
    /// Between the old and the new value of a change.
    pub changed_separator: &'static str,
    /// One level of indentation.
    pub indent: &'static str,
}

impl Options {
    /// `jsondiff.DefaultConsoleOptions()`: ANSI colours, ` => `, four-space indents.
    pub fn console() -> Options {
        Options {
            normal: Tag { begin: "", end: "" },
            added: Tag {
                begin: "\x1b[0;32m",
                end: "\x1b[0m",
            },
            removed: Tag {
                begin: "\x1b[0;31m",
                end: "\x1b[0m",
            },
            changed: Tag {
                begin: "\x1b[0;33m",
                end: "\x1b[0m",
            },
            changed_separator: " => ",
            indent: "    ",
        }
    }
}

/// Which tag of the options is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    Added,
    Removed,
    Changed,
}

/// Compares `a` (expected) with `b` (received) and renders the difference.
pub fn compare(a: &Json, b: &Json, opts: &Options) -> (Difference, String) {
    let mut ctx = Ctx {
        opts,
        level: 0,
        open: None,
        diff: Difference::FullMatch,
    };
    let text = ctx.diff_values(a, b);
    (ctx.diff, text)
}

/// The rendering state: indentation level, the tag currently open, the verdict so far.
struct Ctx<'a> {
    opts: &'a Options,
    level: usize,
    open: Option<Kind>,
    diff: Difference,
}

impl Ctx<'_> {
    fn tag_of(&self, k: Kind) -> Tag {
        match k {
            Kind::Normal => self.opts.normal,
            Kind::Added => self.opts.added,
            Kind::Removed => self.opts.removed,
            Kind::Changed => self.opts.changed,
        }
    }

    /// Opens tag `k` unless it is already open, closing the open one first.
    fn tag(&mut self, buf: &mut String, k: Kind) {
        if self.open == Some(k) {
            return;
        }
        if let Some(o) = self.open {
            buf.push_str(self.tag_of(o).end);
        }
        buf.push_str(self.tag_of(k).begin);
        self.open = Some(k);
    }

    /// Writes `s` and a line break, keeping the open tag around each line.
    fn newline(&self, buf: &mut String, s: &str) {
        buf.push_str(s);
        let open = self.open.map(|o| self.tag_of(o));
        if let Some(t) = open {
            buf.push_str(t.end);
        }
        buf.push('\n');
        for _ in 0..self.level {
            buf.push_str(self.opts.indent);
        }
        if let Some(t) = open {
            buf.push_str(t.begin);
        }
    }

    fn finalize(&mut self, mut buf: String) -> String {
        if let Some(o) = self.open.take() {
            buf.push_str(self.tag_of(o).end);
        }
        buf
    }

    fn result(&mut self, d: Difference) {
        self.diff = match (d, self.diff) {
            (Difference::NoMatch, _) | (_, Difference::NoMatch) => Difference::NoMatch,
            (Difference::SupersetMatch, _) | (_, Difference::SupersetMatch) => {
                Difference::SupersetMatch
            }
            _ => Difference::FullMatch,
        };
    }

    /// A value; collections in full only when `full` (else `[]` / `{}`).
    fn write_value(&mut self, buf: &mut String, v: &Json, full: bool) {
        match v {
            Json::Null => buf.push_str("null"),
            Json::Bool(b) => buf.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => buf.push_str(n),
            Json::Str(s) => buf.push_str(&go_quote(s)),
            Json::Array(items) if full => {
                let items: Vec<(Option<&str>, &Json)> = items.iter().map(|v| (None, v)).collect();
                self.write_items(buf, "[", "]", &items);
            }
            Json::Object(map) if full => {
                let items: Vec<(Option<&str>, &Json)> =
                    map.iter().map(|(k, v)| (Some(k.as_str()), v)).collect();
                self.write_items(buf, "{", "}", &items);
            }
            Json::Array(_) => buf.push_str("[]"),
            Json::Object(_) => buf.push_str("{}"),
        }
    }

    fn write_items(
        &mut self,
        buf: &mut String,
        open: &str,
        close: &str,
        items: &[(Option<&str>, &Json)],
    ) {
        if items.is_empty() {
            buf.push_str(open);
        } else {
            self.level += 1;
            self.newline(buf, open);
        }
        for (i, (k, v)) in items.iter().enumerate() {
            if let Some(k) = k {
                buf.push_str(&go_quote(k));
                buf.push_str(": ");
            }
            self.write_value(buf, v, true);
            if i + 1 != items.len() {
                self.newline(buf, ",");
            } else {
                self.level -= 1;
                self.newline(buf, "");
            }
        }
        buf.push_str(close);
    }

    fn mismatch(&mut self, a: &Json, b: &Json) -> String {
        let mut buf = String::new();
        self.tag(&mut buf, Kind::Changed);
        self.write_value(&mut buf, a, false);
        buf.push_str(self.opts.changed_separator);
        self.write_value(&mut buf, b, false);
        self.result(Difference::NoMatch);
        self.finalize(buf)
    }

    fn diff_values(&mut self, a: &Json, b: &Json) -> String {
        match (a, b) {
            (Json::Array(x), Json::Array(y)) => {
                let n = x.len().max(y.len());
                let items: Vec<_> = (0..n).map(|i| (None, x.get(i), y.get(i))).collect();
                self.diff_collection("[", "]", &items)
            }
            (Json::Object(x), Json::Object(y)) => {
                let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
                let items: Vec<_> = keys
                    .into_iter()
                    .map(|k| (Some(k.as_str()), x.get(k), y.get(k)))
                    .collect();
                self.diff_collection("{", "}", &items)
            }
            _ if a == b => {
                let mut buf = String::new();
                self.tag(&mut buf, Kind::Normal);
                self.write_value(&mut buf, a, true);
                self.result(Difference::FullMatch);
                self.finalize(buf)
            }
            _ => self.mismatch(a, b),
        }
    }

    /// Two collections side by side: `items` are (key, value in a, value in b).
    fn diff_collection(
        &mut self,
        open: &str,
        close: &str,
        items: &[(Option<&str>, Option<&Json>, Option<&Json>)],
    ) -> String {
        // The differences of the elements present on both sides, one level deeper.
        self.level += 1;
        let diffs: Vec<String> = items
            .iter()
            .map(|(_, a, b)| match (a, b) {
                (Some(a), Some(b)) => self.diff_values(a, b),
                _ => String::new(),
            })
            .collect();
        self.level -= 1;

        let mut buf = String::new();
        self.tag(&mut buf, Kind::Normal);
        if items.is_empty() {
            buf.push_str(open);
            buf.push_str(close);
            return self.finalize(buf);
        }
        self.level += 1;
        self.newline(&mut buf, open);
        let write_key = |buf: &mut String, k: &Option<&str>| {
            if let Some(k) = k {
                buf.push_str(&go_quote(k));
                buf.push_str(": ");
            }
        };
        for (i, ((k, a, b), diff)) in items.iter().zip(&diffs).enumerate() {
            match (a, b) {
                (Some(_), Some(_)) => {
                    write_key(&mut buf, k);
                    buf.push_str(diff);
                }
                (Some(a), None) => {
                    self.tag(&mut buf, Kind::Removed);
                    write_key(&mut buf, k);
                    self.write_value(&mut buf, a, true);
                    self.result(Difference::SupersetMatch);
                }
                (None, Some(b)) => {
                    self.tag(&mut buf, Kind::Added);
                    write_key(&mut buf, k);
                    self.write_value(&mut buf, b, true);
                    self.result(Difference::NoMatch);
                }
                (None, None) => {}
            }
            if i + 1 < items.len() {
                self.tag(&mut buf, Kind::Normal);
                self.newline(&mut buf, ",");
            } else {
                self.level -= 1;
                self.tag(&mut buf, Kind::Normal);
                self.newline(&mut buf, "");
            }
        }
        buf.push_str(close);
        self.finalize(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Readable markers instead of colours.
    fn marked() -> Options {
        Options {
            normal: Tag { begin: "", end: "" },
            added: Tag {
                begin: "<+",
                end: "+>",
            },
            removed: Tag {
                begin: "<-",
                end: "->",
            },
            changed: Tag {
                begin: "<~",
                end: "~>",
            },
            changed_separator: " => ",
            indent: "  ",
        }
    }

    fn s(v: &str) -> Json {
        Json::Str(v.into())
    }

    fn obj(pairs: &[(&str, Json)]) -> Json {
        Json::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn equal_documents_print_in_full() {
        let a = obj(&[("z", s("1")), ("a", Json::Array(vec![s("x"), Json::Null]))]);
        let (d, text) = compare(&a, &a.clone(), &marked());
        assert_eq!(d, Difference::FullMatch);
        assert_eq!(
            text,
            "{\n  \"a\": [\n    \"x\",\n    null\n  ],\n  \"z\": \"1\"\n}"
        );
    }

    #[test]
    fn changes_additions_and_removals_are_marked() {
        let a = obj(&[("keep", s("k")), ("gone", s("g")), ("chg", s("old"))]);
        let b = obj(&[
            ("keep", s("k")),
            ("new", Json::Bool(true)),
            ("chg", s("new")),
        ]);
        let (d, text) = compare(&a, &b, &marked());
        assert_eq!(d, Difference::NoMatch);
        assert_eq!(
            text,
            "{\n  \"chg\": <~\"old\" => \"new\"~>,\n  <-\"gone\": \"g\"->,\n  \"keep\": \"k\",\n  <+\"new\": true+>\n}"
        );
    }

    #[test]
    fn a_removed_collection_is_marked_on_every_line() {
        let a = Json::Array(vec![s("x"), obj(&[("l", s("v")), ("m", s("w"))])]);
        let b = Json::Array(vec![s("x")]);
        let (d, text) = compare(&a, &b, &marked());
        assert_eq!(d, Difference::SupersetMatch);
        assert_eq!(
            text,
            "[\n  \"x\",\n  <-{->\n    <-\"l\": \"v\",->\n    <-\"m\": \"w\"->\n  <-}->\n]"
        );
    }

    #[test]
    fn type_changes_show_collections_abbreviated() {
        let a = obj(&[("v", Json::Array(vec![s("x")]))]);
        let b = obj(&[("v", Json::Number("3".into()))]);
        let (d, text) = compare(&a, &b, &marked());
        assert_eq!(d, Difference::NoMatch);
        assert_eq!(text, "{\n  \"v\": <~[] => 3~>\n}");
        let (d, text) = compare(&obj(&[]), &obj(&[]), &marked());
        assert_eq!((d, text.as_str()), (Difference::FullMatch, "{}"));
    }

    #[test]
    fn alert_lists_as_promtool_marshals_them() {
        let l = Labels::from_pairs([("alertname", "A"), ("sev", "page")]);
        let j = Json::from_alerts(&[(l, Labels::empty())]);
        let (_, text) = compare(&j, &j, &marked());
        assert_eq!(
            text,
            "[\n  {\n    \"Annotations\": {},\n    \"Labels\": {\n      \"alertname\": \"A\",\n      \"sev\": \"page\"\n    }\n  }\n]"
        );
        assert_eq!(
            Json::from_alerts(&[]),
            Json::Array(vec![obj(&[
                ("Annotations", obj(&[])),
                ("Labels", obj(&[]))
            ])])
        );
    }
}
