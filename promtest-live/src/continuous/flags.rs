//! The continuous test's command line, with Mimir's flag names and defaults: Go `flag` syntax
//! (`-name=value`, `-name value`, a bare `-name` for booleans; one dash or two), a `--help`
//! grouped by what the flags configure, and our few additions (the write path, a CA file,
//! secrets from files, the metrics listen address), each marked as such.

use std::collections::HashMap;
use std::fmt::Write;
use std::time::Duration;

use crate::go_duration;

/// What a flag's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    Int,
    Duration,
    Text,
    /// Text never echoed: no default shown, never in an error.
    Secret,
}

impl Kind {
    fn type_name(self) -> &'static str {
        match self {
            Kind::Bool => "",
            Kind::Int => "int",
            Kind::Duration => "duration",
            Kind::Text | Kind::Secret => "string",
        }
    }
}

/// One flag.
pub(crate) struct Spec {
    pub name: &'static str,
    pub kind: Kind,
    pub default: &'static str,
    pub help: &'static str,
    pub group: &'static str,
}

const CLIENT: &str = "Backend and client";
const MANAGER: &str = "Runs";
const WRITE_READ: &str = "The write-read-series test";
const SERVER: &str = "Metrics and logs";

const fn flag(
    group: &'static str,
    name: &'static str,
    kind: Kind,
    default: &'static str,
    help: &'static str,
) -> Spec {
    Spec {
        name,
        kind,
        default,
        help,
        group,
    }
}

/// Every flag, in `--help` order.
pub(crate) const SPECS: &[Spec] = &[
    flag(CLIENT, "tests.write-endpoint", Kind::Text, "", "The base endpoint on the write path. The URL should have no trailing slash. The specific API path is appended by the tool to the URL, for example /api/v1/push for the remote write API endpoint, so the configured URL must not include it."),
    flag(CLIENT, "tests.write-path", Kind::Text, "", "(promtest) The API path appended to -tests.write-endpoint. Default: /api/v1/push (Mimir), or /otlp/v1/metrics with -tests.write-protocol=otlp-http. Prometheus's receiver and VictoriaMetrics take /api/v1/write."),
    flag(CLIENT, "tests.write-protocol", Kind::Text, "prometheus", "The protocol to use to write series data. Supported values are: prometheus, otlp-http"),
    flag(CLIENT, "tests.write-batch-size", Kind::Int, "1000", "The maximum number of series to write in a single request."),
    flag(CLIENT, "tests.write-timeout", Kind::Duration, "5s", "The timeout for a single write request."),
    flag(CLIENT, "tests.read-endpoint", Kind::Text, "", "The base endpoint on the read path. The URL should have no trailing slash. The specific API path is appended by the tool to the URL, for example /api/v1/query_range for range query API, so the configured URL must not include it."),
    flag(CLIENT, "tests.read-timeout", Kind::Duration, "1m0s", "The timeout for a single read request."),
    flag(CLIENT, "tests.tenant-id", Kind::Text, "anonymous", "The tenant ID to use to write and read metrics in tests."),
    flag(CLIENT, "tests.basic-auth-user", Kind::Text, "", "The username to use for HTTP basic authentication. (mutually exclusive with bearer-token flag)"),
    flag(CLIENT, "tests.basic-auth-password", Kind::Secret, "", "The password to use for HTTP basic authentication. (mutually exclusive with bearer-token flag) Prefer -tests.basic-auth-password-file or $PROMTEST_BASIC_AUTH_PASSWORD: a flag's value is visible in the process list."),
    flag(CLIENT, "tests.basic-auth-password-file", Kind::Text, "", "(promtest) A file holding the basic-auth password (a trailing newline is ignored)."),
    flag(CLIENT, "tests.bearer-token", Kind::Secret, "", "The bearer token to use for HTTP bearer authentication. (mutually exclusive with basic-auth flags) Prefer -tests.bearer-token-file or $PROMTEST_BEARER_TOKEN: a flag's value is visible in the process list."),
    flag(CLIENT, "tests.bearer-token-file", Kind::Text, "", "(promtest) A file holding the bearer token (a trailing newline is ignored)."),
    flag(CLIENT, "tests.tls-ca-path", Kind::Text, "", "(promtest) A PEM file of CA certificates to trust for https:// endpoints instead of the system's roots."),
    flag(CLIENT, "tests.client.user-agent", Kind::Text, "mimir-continuous-test", "The value the Mimir client should send in the User-Agent header."),
    flag(CLIENT, "tests.send-chunks-debugging-header", Kind::Bool, "false", "Request debugging on the server side via header."),
    flag(MANAGER, "tests.smoke-test", Kind::Bool, "false", "Run a smoke test, i.e. run all tests once and exit."),
    flag(MANAGER, "tests.run-interval", Kind::Duration, "5m0s", "How frequently tests should run."),
    flag(WRITE_READ, "tests.write-read-series-test.read-delay", Kind::Duration, "0s", "(promtest) How long to wait after writing before querying, for backends that make writes searchable only after a flush (VictoriaMetrics: about a second)."),
    flag(WRITE_READ, "tests.write-read-series-test.num-series", Kind::Int, "10000", "Number of series used for the test."),
    flag(WRITE_READ, "tests.write-read-series-test.max-query-age", Kind::Duration, "168h0m0s", "How back in the past metrics can be queried at most."),
    flag(WRITE_READ, "tests.write-read-series-test.float-samples-enabled", Kind::Bool, "true", "Set to true to use float samples"),
    flag(WRITE_READ, "tests.write-read-series-test.histogram-samples-enabled", Kind::Bool, "false", "Set to true to use native histogram samples"),
    flag(SERVER, "server.metrics-port", Kind::Int, "9900", "The port where metrics are exposed."),
    flag(SERVER, "server.metrics-listen-address", Kind::Text, "", "(promtest) The address the metrics server listens on (default: all interfaces, as Mimir)."),
    flag(SERVER, "log.level", Kind::Text, "info", "Only log messages with the given severity or above. Valid levels: [debug, info, warn, error]"),
];

/// The outcome of parsing.
pub(crate) enum Parsed {
    /// `-h`, `-help` or `--help`.
    Help,
    /// The flags' values.
    Values(Flags),
}

/// Parsed values, defaults filled in.
pub(crate) struct Flags {
    values: HashMap<&'static str, String>,
    given: Vec<&'static str>,
}

fn spec(name: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.name == name)
}

fn invalid(spec: &Spec, value: &str, why: &str) -> String {
    let shown = if spec.kind == Kind::Secret {
        "<redacted>"
    } else {
        value
    };
    format!("invalid value {shown:?} for flag -{}: {why}", spec.name)
}

fn check(spec: &Spec, value: &str) -> Result<(), String> {
    match spec.kind {
        Kind::Bool => parse_bool(value)
            .map(|_| ())
            .ok_or_else(|| invalid(spec, value, "parse error")),
        Kind::Int => value
            .parse::<i64>()
            .map(|_| ())
            .map_err(|_| invalid(spec, value, "parse error")),
        Kind::Duration => go_duration::parse(value)
            .map(|_| ())
            .map_err(|e| invalid(spec, value, &e)),
        Kind::Text | Kind::Secret => Ok(()),
    }
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Parses `args` (without the program and subcommand names).
pub(crate) fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut values: HashMap<&'static str, String> = SPECS
        .iter()
        .map(|s| (s.name, s.default.to_string()))
        .collect();
    let mut given = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        let Some(body) = arg
            .strip_prefix("--")
            .or_else(|| arg.strip_prefix('-'))
            .filter(|b| !b.is_empty() && !b.starts_with('-'))
        else {
            return Err(format!(
                "the command does not support any argument, but some were provided: {arg:?}"
            ));
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        if matches!(name, "h" | "help") {
            return Ok(Parsed::Help);
        }
        let spec = spec(name).ok_or_else(|| format!("flag provided but not defined: -{name}"))?;
        let value = match (inline, spec.kind) {
            (Some(v), _) => v,
            (None, Kind::Bool) => "true".to_string(),
            (None, _) => {
                let v = args
                    .get(i)
                    .ok_or_else(|| format!("flag needs an argument: -{name}"))?;
                i += 1;
                v.clone()
            }
        };
        check(spec, &value)?;
        values.insert(spec.name, value);
        given.push(spec.name);
    }
    Ok(Parsed::Values(Flags { values, given }))
}

impl Flags {
    fn raw(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    /// A text or secret flag.
    pub(crate) fn text(&self, name: &str) -> String {
        self.raw(name).to_string()
    }

    /// Whether the flag was on the command line.
    pub(crate) fn given(&self, name: &str) -> bool {
        self.given.contains(&name)
    }

    /// A boolean flag (validated at parse time).
    pub(crate) fn bool(&self, name: &str) -> bool {
        parse_bool(self.raw(name)).unwrap_or(false)
    }

    /// An integer flag (validated at parse time).
    pub(crate) fn int(&self, name: &str) -> i64 {
        self.raw(name).parse().unwrap_or(0)
    }

    /// A duration flag (validated at parse time).
    pub(crate) fn duration(&self, name: &str) -> Duration {
        go_duration::parse(self.raw(name)).unwrap_or_default()
    }
}

/// `--help`: the flags grouped, each as Go's `flag.PrintDefaults` prints it.
pub(crate) fn help() -> String {
    let mut out = String::from(
        "Usage: promtest continuous-test [flags]\n\n\
         Writes test series to a Prometheus-compatible backend, reads them back, checks them and\n\
         exports the outcome as metrics: Grafana Mimir's continuous test, with its flags.\n\
         Flags take one dash or two: -tests.smoke-test, --tests.run-interval=1m.\n\
         Flags marked (promtest) are additions to Mimir's.\n",
    );
    let mut group = "";
    for s in SPECS {
        if s.group != group {
            group = s.group;
            let _ = write!(out, "\n{group}:\n");
        }
        let type_name = s.kind.type_name();
        if type_name.is_empty() {
            let _ = writeln!(out, "  -{}", s.name);
        } else {
            let _ = writeln!(out, "  -{} {type_name}", s.name);
        }
        let _ = write!(out, "    \t{}", s.help);
        let shows_default = s.kind != Kind::Secret && !matches!(s.default, "" | "false" | "0s");
        if shows_default {
            if matches!(s.kind, Kind::Text) {
                let _ = write!(out, " (default {:?})", s.default);
            } else {
                let _ = write!(out, " (default {})", s.default);
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    fn values(a: &[&str]) -> Flags {
        match parse(&args(a)) {
            Ok(Parsed::Values(v)) => v,
            Ok(Parsed::Help) => panic!("help"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn go_flag_syntax_with_one_or_two_dashes() {
        let f = values(&[
            "-tests.smoke-test",
            "--tests.run-interval=1m",
            "-tests.write-read-series-test.num-series",
            "5",
            "--tests.write-read-series-test.float-samples-enabled=false",
        ]);
        assert!(f.bool("tests.smoke-test"));
        assert_eq!(f.duration("tests.run-interval"), Duration::from_secs(60));
        assert_eq!(f.int("tests.write-read-series-test.num-series"), 5);
        assert!(!f.bool("tests.write-read-series-test.float-samples-enabled"));
        assert!(f.given("tests.smoke-test"));
        assert!(!f.given("tests.read-endpoint"));
    }

    #[test]
    fn defaults_are_mimirs() {
        let f = values(&[]);
        assert_eq!(f.text("tests.tenant-id"), "anonymous");
        assert_eq!(f.int("tests.write-batch-size"), 1000);
        assert_eq!(f.duration("tests.write-timeout"), Duration::from_secs(5));
        assert_eq!(f.duration("tests.read-timeout"), Duration::from_secs(60));
        assert_eq!(f.duration("tests.run-interval"), Duration::from_secs(300));
        assert_eq!(f.int("tests.write-read-series-test.num-series"), 10000);
        assert_eq!(
            f.duration("tests.write-read-series-test.max-query-age"),
            Duration::from_secs(7 * 24 * 3600)
        );
        assert!(f.bool("tests.write-read-series-test.float-samples-enabled"));
        assert!(!f.bool("tests.write-read-series-test.histogram-samples-enabled"));
        assert_eq!(f.int("server.metrics-port"), 9900);
        assert_eq!(f.text("tests.client.user-agent"), "mimir-continuous-test");
    }

    #[test]
    fn errors_name_the_flag_but_never_a_secret() {
        let err = |a: &[&str]| match parse(&args(a)) {
            Err(e) => e,
            Ok(_) => panic!("expected an error for {a:?}"),
        };
        assert_eq!(err(&["-nope"]), "flag provided but not defined: -nope");
        assert_eq!(
            err(&["-tests.run-interval=5"]),
            "invalid value \"5\" for flag -tests.run-interval: time: missing unit in duration \"5\""
        );
        assert_eq!(
            err(&["-tests.write-timeout"]),
            "flag needs an argument: -tests.write-timeout"
        );
        assert!(err(&["stray"]).contains("does not support any argument"));
        assert!(err(&["-tests.smoke-test=maybe"]).contains("parse error"));
    }

    #[test]
    fn help_lists_every_flag_grouped_without_secret_values() {
        assert!(matches!(parse(&args(&["--help"])), Ok(Parsed::Help)));
        let h = help();
        for s in SPECS {
            assert!(h.contains(&format!("  -{}", s.name)), "{}", s.name);
        }
        assert!(h.contains("Backend and client:\n"));
        assert!(h.contains("(default 5m0s)"));
        assert!(h.contains("(default \"anonymous\")"));
    }
}
