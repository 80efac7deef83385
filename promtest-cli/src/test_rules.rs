//! `promtest test rules`: promtool's rule unit tests, with its flags, output and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use promtest_runtime::rule_tests::{run_file, RunOptions};

/// Options of `promtest test`, shared by its subcommands.
#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// File to store JUnit XML test results in.
    #[arg(long, global = true)]
    pub junit: Option<PathBuf>,
    /// What to test.
    #[command(subcommand)]
    pub what: TestCmd,
}

/// The subcommands of `promtest test`.
#[derive(clap::Subcommand, Debug)]
pub enum TestCmd {
    /// Unit tests for rules (promtool's `test rules`).
    Rules(Args),
}

/// Options of `promtest test rules` (promtool's flags).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only run test groups whose names match the regular expression (repeatable).
    #[arg(long)]
    pub run: Vec<String>,
    /// Print a differential output between expected and received output.
    #[arg(long)]
    pub diff: bool,
    /// Enable unit test debugging.
    #[arg(long)]
    pub debug: bool,
    /// Ignore unknown fields in the rule files.
    #[arg(long)]
    pub ignore_unknown_fields: bool,
    /// Experimental features to enable (`promql-delayed-name-removal`; others accepted for
    /// promtool compatibility).
    #[arg(long = "enable-feature")]
    pub enable_feature: Vec<String>,
    /// Engine features to disable: `promql-at-modifier`, `promql-negative-offset`.
    #[arg(long = "disable-feature")]
    pub disable_feature: Vec<String>,
    /// Evaluate every rule group at each tick in turn, as promtool does, instead of rule by
    /// rule where that gives the same results (for cross-checking the two orders).
    #[arg(
        long,
        env = "PROMTEST_TICK_BY_TICK",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub tick_by_tick: bool,
    /// The rule test files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Runs `promtest test …`.
pub fn main(args: &TestArgs) -> ExitCode {
    match &args.what {
        TestCmd::Rules(rules) => test_rules(rules, args.junit.as_deref()),
    }
}

/// Runs the rule tests and returns promtool's exit code (0 all passed, 1 a failure).
fn test_rules(o: &Args, junit_path: Option<&Path>) -> ExitCode {
    let run = if o.run.is_empty() {
        None
    } else {
        match regex::Regex::new(&o.run.join("|")) {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("promtest: invalid --run pattern: {e}");
                return ExitCode::from(1);
            }
        }
    };
    let disabled = |f: &str| o.disable_feature.iter().any(|d| d == f);
    let mut opts = RunOptions::default();
    opts.enable_at_modifier = !disabled("promql-at-modifier");
    opts.enable_negative_offset = !disabled("promql-negative-offset");
    opts.ignore_unknown_fields = o.ignore_unknown_fields;
    opts.run = run;
    opts.debug = o.debug;
    opts.tick_by_tick = o.tick_by_tick;
    opts.diff = o.diff;
    // Of promtool's `--enable-feature` values only this one changes rule tests; the others
    // are accepted for compatibility.
    opts.delayed_name_removal = o
        .enable_feature
        .iter()
        .flat_map(|f| f.split(','))
        .any(|f| f == "promql-delayed-name-removal");
    let mut failed = false;
    let mut junit = Vec::new();
    let stdout = std::io::stdout();
    for f in &o.files {
        println!("Unit Testing:  {}", f.display());
        let report = run_file(f, &opts);
        for w in &report.warnings {
            eprintln!("{w}");
        }
        for d in &report.debug {
            eprintln!("{d}");
        }
        if report.errors.is_empty() {
            println!("  SUCCESS");
        } else {
            failed = true;
            eprintln!("  FAILED:");
            for e in &report.errors {
                eprintln!("{e}");
                println!();
            }
        }
        println!();
        let _ = stdout.lock().flush();
        junit.push((f.display().to_string(), report));
    }
    if let Some(path) = junit_path {
        if let Err(e) = std::fs::write(path, crate::junit::render(&junit)) {
            eprintln!("failed to write JUnit XML: {e}");
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
