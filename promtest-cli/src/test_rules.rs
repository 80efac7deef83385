//! `promtest test rules`: promtool's rule unit tests, with its flags, output and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use promtest_runtime::rule_tests::{run_file_observed, Coverage, FileReport, GroupRun, RunOptions};
use promtest_runtime::{catch_internal, update_files};

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
    /// How many test files (and, with fewer files than jobs, test groups of a file) run at
    /// once; default: the available cores. Output is the same and in the same order as with
    /// `-j 1` (promtest).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
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
    let jobs = o.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        |j| j as usize,
    );
    // Files run side by side; cores left over go to the test groups of each file.
    let file_jobs = jobs.min(o.files.len()).max(1);
    opts.group_jobs = (jobs / file_jobs).max(1);
    let mut failed = false;
    let mut junit = Vec::new();
    let stdout = std::io::stdout();
    // One file at a time prints `--verbose` lines as they come; side by side, each file's
    // lines wait for its turn.
    let live = file_jobs == 1;
    for_each_file_in_order(
        &o.files,
        file_jobs,
        |f| run_one_file(f, o, &opts, live),
        |f, run| {
            println!("Unit Testing:  {}", f.display());
            for line in &run.verbose {
                eprintln!("{line}");
            }
            let report = run.report;
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
        },
    );
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

/// One test file's run: its report and, with `--verbose`, the lines to print before it (none
/// when they were printed live).
struct FileRun {
    report: FileReport,
    verbose: Vec<String>,
}

/// Runs one test file (the unit that runs on its own thread): its report with `--warn-as-error`
/// applied, and the `--verbose` lines, printed on standard error at once when `live`, else
/// kept to be printed in file order.
fn run_one_file(f: &Path, o: &Args, opts: &RunOptions, live: bool) -> FileRun {
    let name = f.display().to_string();
    let started = std::time::Instant::now();
    let mut verbose = Lines {
        live,
        kept: Vec::new(),
    };
    if o.verbose {
        verbose.push(format!("promtest: {name}: running"));
    }
    let mut groups = 0;
    let mut observe = |g: &GroupRun| {
        groups += 1;
        if o.verbose {
            verbose_group(&name, g, &mut verbose);
        }
    };
    // A panic is a promtest bug: this file fails with it, the others still run.
    let mut report = catch_internal(&name, 0, || run_file_observed(f, opts, &mut observe))
        .unwrap_or_else(|internal| {
            let mut report = FileReport::default();
            report.errors.push(internal);
            report
        });
    if o.verbose {
        verbose.push(format!(
            "promtest: {name}: {groups} test group(s) in {:?}",
            started.elapsed()
        ));
    }
    if o.warn_as_error {
        let warnings = std::mem::take(&mut report.warnings);
        report.errors.splice(0..0, warnings);
    }
    FileRun {
        report,
        verbose: verbose.kept,
    }
}

/// `--verbose` lines: printed at once, or kept.
struct Lines {
    live: bool,
    kept: Vec<String>,
}

impl Lines {
    fn push(&mut self, line: String) {
        if self.live {
            eprintln!("{line}");
        } else {
            self.kept.push(line);
        }
    }
}

/// Runs `run` on each of `files` on `jobs` threads and hands the results to `print` in the
/// order of `files`, each as soon as it and all before it are done.
fn for_each_file_in_order<R: Send>(
    files: &[PathBuf],
    jobs: usize,
    run: impl Fn(&Path) -> R + Sync,
    mut print: impl FnMut(&Path, R),
) {
    if jobs <= 1 {
        for f in files {
            print(f, run(f));
        }
        return;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, run) = (&next, &run);
            scope.spawn(move || loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(f) = files.get(k) else { break };
                if tx.send((k, run(f))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut done: Vec<Option<R>> = files.iter().map(|_| None).collect();
        let mut printed = 0;
        for (k, r) in rx {
            done[k] = Some(r);
            while let Some(r) = done.get_mut(printed).and_then(Option::take) {
                print(&files[printed], r);
                printed += 1;
            }
        }
    });
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
fn verbose_group(file: &str, g: &GroupRun, out: &mut Lines) {
    let verdict = if g.errors == 0 { "passed" } else { "FAILED" };
    out.push(format!(
        "promtest: {file}: test group {:?} (line {}) {verdict} in {:?}",
        g.name, g.line, g.took
    ));
    for (line, what) in &g.failed {
        out.push(format!(
            "promtest: {file}:{line}: {what} failed (test group {:?})",
            g.name
        ));
    }
}
