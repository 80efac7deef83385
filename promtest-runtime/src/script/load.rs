//! `load <step>` / `load_with_nhcb <step>` blocks: series lines and `@st` lines.

use std::sync::OnceLock;

use regex::Regex;

use super::lines::{Ctx, Line};
use super::series::parse_series_desc;
use super::start_timestamps::{is_st_line, parse_st_line};
use super::{Error, Load, LoadSeries};
use crate::literals::parse_duration;
use crate::model::Labels;

fn load_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?i:load)(?:_((?i:with_nhcb)))?[\t\n\x0C\r ]+(.+?)$").expect("valid regex")
    })
}

/// A pending `@st` line: its line, labels and offsets.
struct PendingSt<'a> {
    line: Line<'a>,
    labels: Labels,
    offsets: Vec<Option<i64>>,
}

/// Parses the `load` command at `lines[i]` and its block; returns it and the index
/// of the first line after the block.
pub(crate) fn parse_load(
    ctx: &Ctx<'_>,
    lines: &[Line<'_>],
    i: usize,
) -> Result<(Load, usize), Error> {
    let head = &lines[i];
    let caps = load_re().captures(head.text).ok_or_else(|| {
        ctx.err(
            head,
            0,
            "invalid load command. (load[_with_nhcb] <step:duration>)",
        )
    })?;
    let with_nhcb = caps.get(1).is_some();
    let step_m = caps.get(2).expect("group 2 always matches");
    let step = parse_duration(step_m.as_str()).map_err(|e| {
        ctx.err(
            head,
            step_m.start(),
            format!("invalid step definition {:?}: {e}", step_m.as_str()),
        )
    })?;
    let mut load = Load {
        line: head.no,
        step,
        with_nhcb,
        series: Vec::new(),
    };
    let mut pending: Option<PendingSt<'_>> = None;
    let mut j = i + 1;
    while j < lines.len() && !lines[j].text.is_empty() {
        let line = &lines[j];
        j += 1;
        if is_st_line(line.text) {
            if let Some(p) = &pending {
                return Err(ctx.err(&p.line, 0, "@st line has no following sample line"));
            }
            let (labels, offsets) = parse_st_line(line.text).map_err(|e| ctx.pos_err(line, e))?;
            pending = Some(PendingSt {
                line: *line,
                labels,
                offsets,
            });
            continue;
        }
        let (labels, values) = parse_series_desc(line.text).map_err(|e| ctx.pos_err(line, e))?;
        let start_offsets = match pending.take() {
            None => None,
            Some(p) => {
                if p.labels != labels {
                    return Err(ctx.err(
                        &p.line,
                        0,
                        "@st metric does not match the following sample line metric",
                    ));
                }
                if p.offsets.len() != values.len() {
                    return Err(ctx.err(
                        &p.line,
                        0,
                        format!(
                            "@st line has {} values but sample line has {}",
                            p.offsets.len(),
                            values.len()
                        ),
                    ));
                }
                Some(p.offsets)
            }
        };
        load.series.push(LoadSeries {
            line: line.no,
            labels,
            values,
            start_offsets,
        });
    }
    if let Some(p) = &pending {
        return Err(ctx.err(&p.line, 0, "@st line has no following sample line"));
    }
    Ok((load, j))
}

#[cfg(test)]
mod tests {
    use crate::script::{parse_script, Command, Load, SequenceValue};

    fn load(src: &str) -> Load {
        match parse_script("t.test", src).unwrap().commands.remove(0) {
            Command::Load(l) => l,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn load_block() {
        let l = load("load 5m\n  a{x=\"1\"} 1 2\n  b _ 3\n\neval instant at 0 a\n");
        assert_eq!((l.line, l.step, l.with_nhcb), (1, 300_000, false));
        assert_eq!(l.series.len(), 2);
        assert_eq!(l.series[1].line, 3);
        assert_eq!(l.series[1].values[0], SequenceValue::Omitted);
        let n = load("LOAD_WITH_NHCB 1m\n m_bucket{le=\"1\"} 1");
        assert!(n.with_nhcb);
        assert_eq!(n.step, 60_000);
    }

    #[test]
    fn start_timestamps_attach_to_the_next_series() {
        let l = load("load 1m\n m@st _ -30s\n m 1 2\n other 3\n");
        assert_eq!(l.series[0].start_offsets, Some(vec![None, Some(-30_000)]));
        assert_eq!(l.series[1].start_offsets, None);
    }

    #[test]
    fn load_errors() {
        let e = |src: &str| parse_script("t.test", src).unwrap_err().to_string();
        assert_eq!(
            e("load\n"),
            "t.test:1:1: invalid load command. (load[_with_nhcb] <step:duration>)"
        );
        assert_eq!(
            e("load 5\n"),
            "t.test:1:6: invalid step definition \"5\": not a valid duration string: \"5\""
        );
        assert_eq!(
            e("load 1m\n  m 1+\n"),
            "t.test:2:7: unexpected end of input in series values"
        );
        assert_eq!(
            e("load 1m\n m@st 0\n"),
            "t.test:2:2: @st line has no following sample line"
        );
        assert_eq!(
            e("load 1m\n m@st 0\n n 1\n"),
            "t.test:2:2: @st metric does not match the following sample line metric"
        );
        assert_eq!(
            e("load 1m\n m@st 0 0\n m 1\n"),
            "t.test:2:2: @st line has 2 values but sample line has 1"
        );
        assert_eq!(
            e("load 1m\n m@st 0\n m@st 0\n m 1\n"),
            "t.test:2:2: @st line has no following sample line"
        );
        // A comment ends the block, so the next series line is read as a command.
        assert!(e("load 1m\n m 1\n # c\n n 2\n").starts_with("t.test:4:2: invalid command \"n 2\""));
    }
}
