//! `promtest test rules`: promtool's rule unit tests, with its flags, output and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use promtest_runtime::rule_tests::{run_file_observed, Coverage, GroupRun, RunOptions};
use promtest_runtime::update_files;

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
    /// Print each file and test group as it runs, with its time, and each failing assertion
    /// as `file:line` with its test group, on standard error; promtool's output is unchanged
    /// (promtest).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Fail on every warning (a `rule_files` pattern matching nothing, rule groups left out of
    /// `group_eval_order`, an annotation raised by a rule's query, an input series nothing
    /// reads), reporting it as the file's error (promtest).
    #[arg(long)]
    pub warn_as_error: bool,
    /// After the tests, print which rules of the loaded rule files the tests assert (firing
    /// alerts, "no alert" only, recording rules read by an expression test or feeding a tested
    /// rule) and which nothing tests (promtest).
    #[arg(long)]
    pub coverage: bool,
    /// Write the rule coverage report as JSON to this file (promtest).
    #[arg(long, value_name = "FILE")]
    pub coverage_json: Option<PathBuf>,
    /// Fail (exit 1) when less than this percentage of the rules is tested (promtest).
    #[arg(long, value_name = "PCT")]
    pub coverage_min: Option<f64>,
    /// `--update`.
    #[command(flatten)]
    pub update: crate::update_flag::UpdateFlag,
    /// `--prometheus-version`.
    #[command(flatten)]
    pub version: crate::version_flag::VersionFlag,
    /// Instead of testing, run every case under releases A and B (e.g. `2.42,latest`) and
    /// list the cases whose verdict or output changes, with the reason; exit 1 when any does
    /// (promtest).
    #[arg(long, value_name = "A,B", value_parser = crate::compare_versions::parse_pair)]
    pub compare_versions: Option<(
        promtest_runtime::PrometheusVersion,
        promtest_runtime::PrometheusVersion,
    )>,
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
    opts.semantics = promtest_runtime::Semantics::of(o.version.version);
    // Of promtool's `--enable-feature` values only this one changes rule tests; the others
    // are accepted for compatibility.
    opts.delayed_name_removal = o
        .enable_feature
        .iter()
        .flat_map(|f| f.split(','))
        .any(|f| f == "promql-delayed-name-removal");
    if let Some(pair) = o.compare_versions {
        return crate::compare_versions::run(&o.files, &opts, pair);
    }
    if o.update.update {
        let files: Vec<(String, PathBuf)> = o
            .files
            .iter()
            .map(|f| (f.display().to_string(), f.clone()))
            .collect();
        for line in update_files(&files) {
            eprintln!("{line}");
        }
    }
    let mut failed = false;
    let mut junit = Vec::new();
    let stdout = std::io::stdout();
    for f in &o.files {
        println!("Unit Testing:  {}", f.display());
        let name = f.display().to_string();
        let started = std::time::Instant::now();
        let mut groups = 0;
        let mut observe = |g: &GroupRun| {
            groups += 1;
            if o.verbose {
                verbose_group(&name, g);
            }
        };
        if o.verbose {
            eprintln!("promtest: {name}: running");
        }
        let mut report = run_file_observed(f, &opts, &mut observe);
        if o.verbose {
            eprintln!(
                "promtest: {name}: {groups} test group(s) in {:?}",
                started.elapsed()
            );
        }
        if o.warn_as_error {
            let warnings = std::mem::take(&mut report.warnings);
            report.errors.splice(0..0, warnings);
        }
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
    if (o.coverage || o.coverage_json.is_some() || o.coverage_min.is_some()) && !coverage(o, &opts)
    {
        failed = true;
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The rule coverage of the test files: the text table with `--coverage`, the JSON file with
/// `--coverage-json`; false when below `--coverage-min` or the JSON cannot be written.
fn coverage(o: &Args, opts: &RunOptions) -> bool {
    let cov = Coverage::of_files(&o.files, opts);
    if o.coverage {
        print!("{}", cov.to_text());
    }
    let mut ok = true;
    if let Some(path) = &o.coverage_json {
        if let Err(e) = std::fs::write(path, cov.to_json()) {
            eprintln!("promtest: cannot write {}: {e}", path.display());
            ok = false;
        }
    }
    if let Some(min) = o.coverage_min {
        if cov.percent() < min {
            eprintln!(
                "promtest: rule coverage {:.1}% is below --coverage-min {min}%",
                cov.percent()
            );
            ok = false;
        }
    }
    ok
}

/// `--verbose`: a test group that ran, and its failing assertions.
fn verbose_group(file: &str, g: &GroupRun) {
    let verdict = if g.errors == 0 { "passed" } else { "FAILED" };
    eprintln!(
        "promtest: {file}: test group {:?} (line {}) {verdict} in {:?}",
        g.name, g.line, g.took
    );
    for (line, what) in &g.failed {
        eprintln!(
            "promtest: {file}:{line}: {what} failed (test group {:?})",
            g.name
        );
    }
}
