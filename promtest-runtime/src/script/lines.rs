//! Splitting a script into lines and commands, and placing errors in the file.
//!
//! As upstream: every line is trimmed, a line starting with `#` becomes empty,
//! and an empty line ends the current `load` or `eval` block.

use super::eval::parse_eval;
use super::load::parse_load;
use super::position::PosError;
use super::{Command, Error, ErrorKind, Location, Script};

/// One line of the script.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// 1-based line number.
    pub no: usize,
    /// The line as written (without its `\n`).
    pub raw: &'a str,
    /// The trimmed line; empty for blank and comment lines.
    pub text: &'a str,
    /// Byte offset of `text` within `raw`.
    pub lead: usize,
}

/// Where errors are reported: the file name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    /// The file, as given to the parser.
    pub file: &'a str,
}

impl Ctx<'_> {
    /// An error at byte `at` of `line.text`.
    pub(crate) fn err(&self, line: &Line<'_>, at: usize, msg: impl Into<String>) -> Error {
        ErrorKind::test_file(msg).at(self.loc(line, at))
    }

    /// A positioned error found inside `line.text`.
    pub(crate) fn pos_err(&self, line: &Line<'_>, e: PosError) -> Error {
        self.err(line, e.at, e.msg)
    }

    /// The location of byte `at` of `line.text`: its 1-based character column in the file.
    pub(crate) fn loc(&self, line: &Line<'_>, at: usize) -> Location {
        let byte = (line.lead + at).min(line.raw.len());
        let byte = (0..=byte)
            .rev()
            .find(|&b| line.raw.is_char_boundary(b))
            .unwrap_or(0);
        Location {
            file: self.file.to_string(),
            line: line.no,
            col: line.raw[..byte].chars().count() + 1,
        }
    }
}

/// Splits `src` into trimmed lines, blanking comments.
pub(crate) fn split_lines(src: &str) -> Vec<Line<'_>> {
    src.split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let trimmed = raw.trim();
            let lead = if trimmed.is_empty() {
                0
            } else {
                raw.len() - raw.trim_start().len()
            };
            let text = if trimmed.starts_with('#') {
                ""
            } else {
                trimmed
            };
            Line {
                no: i + 1,
                raw,
                text,
                lead,
            }
        })
        .collect()
}

/// The first word of a line (up to a space or tab), lowercased.
pub(crate) fn command_word(text: &str) -> String {
    text.split([' ', '\t'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Parses a whole script: `load`, `clear` and `eval` commands with their blocks.
pub(crate) fn parse_lines(file: &str, src: &str) -> Result<Script, Error> {
    let ctx = Ctx { file };
    let lines = split_lines(src);
    let mut commands = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.text.is_empty() {
            i += 1;
            continue;
        }
        let word = command_word(line.text);
        if word == "clear" {
            commands.push(Command::Clear { line: line.no });
            i += 1;
        } else if word.starts_with("load") {
            let (load, next) = parse_load(&ctx, &lines, i)?;
            commands.push(Command::Load(load));
            i = next;
        } else if word.starts_with("eval") {
            let (eval, next) = parse_eval(&ctx, &lines, i)?;
            commands.push(Command::Eval(eval));
            i = next;
        } else {
            return Err(ctx.err(
                line,
                0,
                format!(
                    "invalid command {:?} (expected load, load_with_nhcb, clear or eval)",
                    line.text
                ),
            ));
        }
    }
    Ok(Script { commands })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_and_comments_blanked() {
        let l = split_lines("  load 5m\n# note\n\t  m 1 \r\n");
        assert_eq!(l.len(), 4);
        assert_eq!((l[0].no, l[0].text, l[0].lead), (1, "load 5m", 2));
        assert_eq!(l[1].text, "");
        assert_eq!((l[2].text, l[2].lead), ("m 1", 3));
        assert_eq!(l[3].text, "");
    }

    #[test]
    fn columns_count_characters() {
        let lines = split_lines("  é x");
        let ctx = Ctx { file: "f.test" };
        let loc = ctx.loc(&lines[0], 3);
        assert_eq!((loc.line, loc.col), (1, 5));
        assert_eq!(command_word("EVAL\tinstant"), "eval");
    }

    #[test]
    fn commands_in_order() {
        let src = "# header\nLOAD 1m\n  m 1\n\nClear\nclear extra words\neval instant at 0 m\n  m 1\n# ends the block\n\teval instant at 1m 0x10\n  16\n";
        let s = parse_lines("s.test", src).unwrap();
        let kinds: Vec<String> = s
            .commands
            .iter()
            .map(|c| match c {
                Command::Load(l) => format!("load@{}", l.line),
                Command::Clear { line } => format!("clear@{line}"),
                Command::Eval(e) => format!("eval@{}:{}", e.line, e.expr_col),
            })
            .collect();
        assert_eq!(
            kinds,
            vec!["load@2", "clear@5", "clear@6", "eval@7:19", "eval@10:21"]
        );
        match &s.commands[4] {
            Command::Eval(e) => {
                assert_eq!(e.expr, "0x10");
                assert_eq!(e.text, "eval instant at 1m 0x10");
                assert_eq!(
                    e.expect.series[0].values,
                    vec![crate::script::SequenceValue::Float(16.0)]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_comment_ends_an_eval_block() {
        let e = parse_lines("s.test", "eval instant at 0 m\n  m 1\n  # note\n  m 2\n").unwrap_err();
        assert_eq!(e.loc.line, 4);
        assert_eq!(e.loc.col, 3);
    }

    #[test]
    fn unknown_command_is_an_error() {
        let e = parse_lines("x.test", "\n\n  frobnicate 5m\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"x.test:3:3: invalid command "frobnicate 5m" (expected load, load_with_nhcb, clear or eval)"#
        );
    }
}
