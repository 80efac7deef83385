//! Log lines in logfmt, as Mimir's continuous test writes them through go-kit:
//! `level=warn ts=2022-06-01T10:00:20.5Z caller=write_read_series.rs:120 test=write-read-series
//! msg="Range query result check failed" err="…"`, to standard error, filtered by `-log.level`.

use std::fmt::{self, Display};
use std::io::Write;
use std::str::FromStr;
use std::sync::Arc;

use crate::clock;

/// A log level, as `-log.level` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// `debug`
    Debug,
    /// `info` (the default)
    Info,
    /// `warn`
    Warn,
    /// `error`
    Error,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "debug" => Ok(Level::Debug),
            "info" => Ok(Level::Info),
            "warn" => Ok(Level::Warn),
            "error" => Ok(Level::Error),
            _ => Err(format!("unrecognized log level {s:?}")),
        }
    }
}

/// Where lines go: standard error, or a sink a test reads.
type Sink = Arc<dyn Fn(&str) + Send + Sync>;

/// A logger with a minimum level and context fields that start every line it writes.
#[derive(Clone)]
pub struct Logger {
    min: Level,
    context: Vec<(String, String)>,
    sink: Sink,
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Logger").field("min", &self.min).finish()
    }
}

impl Logger {
    /// A logger writing lines of `min` and above to standard error.
    pub fn stderr(min: Level) -> Self {
        Logger {
            min,
            context: Vec::new(),
            sink: Arc::new(|line: &str| {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "{line}");
            }),
        }
    }

    /// A logger handing each line to `sink` (tests capture lines with it).
    pub fn to_sink(min: Level, sink: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Logger {
            min,
            context: Vec::new(),
            sink: Arc::new(sink),
        }
    }

    /// This logger with `key=value` added to the context of every line.
    pub fn with(&self, key: &str, value: impl Display) -> Logger {
        let mut l = self.clone();
        l.context.push((key.to_string(), value.to_string()));
        l
    }

    /// Whether lines of `level` are written.
    pub fn enabled(&self, level: Level) -> bool {
        level >= self.min
    }

    /// Writes one line at `level` with `msg` and the `fields` after it.
    #[track_caller]
    pub fn log(&self, level: Level, msg: &str, fields: &[(&str, &dyn Display)]) {
        if !self.enabled(level) {
            return;
        }
        let caller = std::panic::Location::caller();
        let file = caller.file().rsplit(['/', '\\']).next().unwrap_or("");
        let mut line = String::new();
        push_pair(&mut line, "level", level.name());
        push_pair(&mut line, "ts", &clock::rfc3339_nano(clock::now_ms()));
        push_pair(&mut line, "caller", &format!("{file}:{}", caller.line()));
        for (k, v) in &self.context {
            push_pair(&mut line, k, v);
        }
        push_pair(&mut line, "msg", msg);
        for (k, v) in fields {
            push_pair(&mut line, k, &v.to_string());
        }
        (self.sink)(&line);
    }

    /// [`Logger::log`] at debug.
    #[track_caller]
    pub fn debug(&self, msg: &str, fields: &[(&str, &dyn Display)]) {
        self.log(Level::Debug, msg, fields);
    }

    /// [`Logger::log`] at info.
    #[track_caller]
    pub fn info(&self, msg: &str, fields: &[(&str, &dyn Display)]) {
        self.log(Level::Info, msg, fields);
    }

    /// [`Logger::log`] at warn.
    #[track_caller]
    pub fn warn(&self, msg: &str, fields: &[(&str, &dyn Display)]) {
        self.log(Level::Warn, msg, fields);
    }

    /// [`Logger::log`] at error.
    #[track_caller]
    pub fn error(&self, msg: &str, fields: &[(&str, &dyn Display)]) {
        self.log(Level::Error, msg, fields);
    }
}

fn push_pair(line: &mut String, key: &str, value: &str) {
    if !line.is_empty() {
        line.push(' ');
    }
    line.push_str(key);
    line.push('=');
    push_value(line, value);
}

/// go-logfmt's value rule: quoted (with Go escapes) when it holds a space, `=`, `"` or a control
/// character; `null` is quoted so it reads as a string.
fn push_value(line: &mut String, value: &str) {
    let needs_quotes = value == "null"
        || value
            .chars()
            .any(|c| c <= ' ' || c == '=' || c == '"' || c == '\u{7f}');
    if !needs_quotes {
        line.push_str(value);
        return;
    }
    line.push('"');
    for c in value.chars() {
        match c {
            '"' => line.push_str("\\\""),
            '\\' => line.push_str("\\\\"),
            '\n' => line.push_str("\\n"),
            '\r' => line.push_str("\\r"),
            '\t' => line.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                line.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => line.push(c),
        }
    }
    line.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn writes_logfmt_lines_with_context_and_quoting() {
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let captured = Arc::clone(&lines);
        let log = Logger::to_sink(Level::Info, move |l| {
            captured.lock().unwrap().push(l.into())
        })
        .with("test", "write-read-series");
        log.debug("hidden", &[]);
        log.warn(
            "Range query result check failed",
            &[("err", &"a \"b\"\nc"), ("step", &"20s"), ("empty", &"")],
        );
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert!(line.starts_with("level=warn ts="), "{line}");
        assert!(line.contains(" caller=logfmt.rs:"), "{line}");
        assert!(
            line.ends_with(
                " test=write-read-series msg=\"Range query result check failed\" \
                 err=\"a \\\"b\\\"\\nc\" step=20s empty="
            ),
            "{line}"
        );
    }

    #[test]
    fn parses_levels() {
        assert_eq!("warn".parse::<Level>(), Ok(Level::Warn));
        assert!("verbose".parse::<Level>().is_err());
    }
}
