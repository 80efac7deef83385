//! The `promtest` command line: run `.test` scripts, and the conformance ratchet over the
//! Prometheus corpus.
#![forbid(unsafe_code)]

mod conformance;
mod junit;
mod known_failures;
mod test_rules;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use promtest_runtime::harness::runner::{self, Arguments};
use promtest_runtime::harness::{self, source, SourceFile};

/// Run Prometheus PromQL tests.
#[derive(Parser, Debug)]
#[command(name = "promtest", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Run promqltest `.test` files (files, or directories searched recursively).
    Run {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Arguments for the test runner after `--` (e.g. `-- --exact NAME`, `-- --list`, a filter).
        #[arg(last = true)]
        runner_args: Vec<String>,
    },
    /// promtool-compatible unit tests (`promtest test rules FILE...`).
    Test {
        /// File to store JUnit XML test results in.
        #[arg(long, global = true)]
        junit: Option<PathBuf>,
        #[command(subcommand)]
        what: TestCmd,
    },
    /// Run every eval of a corpus and compare the failures with a known-failures list.
    Conformance {
        /// The corpus directory.
        #[arg(default_value = "../shared/corpus/prometheus/promqltest")]
        dir: PathBuf,
        /// The known-failures list: `file.test:LINE  reason` per line, `#` comments.
        #[arg(long)]
        known_failures: PathBuf,
        /// Rewrite the known-failures list from the current failures (existing reasons kept).
        #[arg(long)]
        update: bool,
        /// Print the full failure text of unexpected failures.
        #[arg(long, short)]
        verbose: bool,
        /// Worker threads (default: available parallelism).
        #[arg(long, short)]
        jobs: Option<usize>,
    },
}

#[derive(Subcommand, Debug)]
enum TestCmd {
    /// Unit tests for rules (promtool's `test rules`).
    Rules {
        /// Only run test groups whose names match the regular expression (repeatable).
        #[arg(long)]
        run: Vec<String>,
        /// Print a differential output between expected and received output.
        #[arg(long)]
        diff: bool,
        /// Enable unit test debugging.
        #[arg(long)]
        debug: bool,
        /// Ignore unknown fields in the rule files.
        #[arg(long)]
        ignore_unknown_fields: bool,
        /// Experimental features to enable (`promql-delayed-name-removal`; others accepted for
        /// promtool compatibility).
        #[arg(long = "enable-feature")]
        enable_feature: Vec<String>,
        /// Engine features to disable: `promql-at-modifier`, `promql-negative-offset`.
        #[arg(long = "disable-feature")]
        disable_feature: Vec<String>,
        /// The rule test files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// The `.test` files named by `paths`: files as given, directories searched recursively and named
/// `dir/relative/path`.
fn sources(paths: &[PathBuf]) -> Result<Vec<SourceFile>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            for (rel, path) in source::scan_dir(p) {
                let name = format!("{}/{rel}", p.display().to_string().trim_end_matches('/'));
                out.push(source::read(name, &path));
            }
        } else if p.is_file() {
            out.push(source::read(p.display().to_string(), p));
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    Ok(out)
}

fn run(paths: &[PathBuf], runner_args: &[String]) -> ExitCode {
    let files = match sources(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("promtest: {e}");
            return ExitCode::from(2);
        }
    };
    if files.is_empty() {
        eprintln!("promtest: no .test files found");
        return ExitCode::from(2);
    }
    let args = Arguments::from_iter(
        std::iter::once("promtest".to_string()).chain(runner_args.iter().cloned()),
    );
    let color = runner::wants_color(&args);
    let cases = harness::plan_files(&files);
    if runner::run_trials(&args, runner::trials(cases, color)).has_failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Run { paths, runner_args } => run(&paths, &runner_args),
        Cmd::Test {
            junit,
            what:
                TestCmd::Rules {
                    run,
                    diff,
                    debug,
                    ignore_unknown_fields,
                    enable_feature,
                    disable_feature,
                    files,
                },
        } => test_rules::main(&test_rules::Options {
            run,
            diff,
            debug,
            ignore_unknown_fields,
            junit,
            features: enable_feature,
            disabled: disable_feature,
            files,
        }),
        Cmd::Conformance {
            dir,
            known_failures,
            update,
            verbose,
            jobs,
        } => conformance::main(&conformance::Options {
            dir,
            known_failures,
            update,
            verbose,
            jobs,
        }),
    }
}
