//! `promtest test rules`: promtool's rule unit tests, with its flags, output and exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use promtest_runtime::unittest::{run_file, RunOptions};

/// Options of `promtest test rules`.
#[derive(Debug, Default)]
pub struct Options {
    /// `--run` regular expressions (joined with `|`).
    pub run: Vec<String>,
    /// `--diff`: failing alert cases show a coloured JSON difference.
    pub diff: bool,
    /// `--debug`.
    pub debug: bool,
    /// `--ignore-unknown-fields`.
    pub ignore_unknown_fields: bool,
    /// `--junit FILE`.
    pub junit: Option<PathBuf>,
    /// `--enable-feature` values.
    pub features: Vec<String>,
    /// `--disable-feature` style toggles for the engine (`promql-at-modifier`, `promql-negative-offset`).
    pub disabled: Vec<String>,
    /// The test files.
    pub files: Vec<PathBuf>,
}

/// Runs the rule tests and returns promtool's exit code (0 all passed, 1 a failure).
pub fn main(o: &Options) -> ExitCode {
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
    let opts = RunOptions {
        enable_at_modifier: !o.disabled.iter().any(|f| f == "promql-at-modifier"),
        enable_negative_offset: !o.disabled.iter().any(|f| f == "promql-negative-offset"),
        ignore_unknown_fields: o.ignore_unknown_fields,
        run,
        debug: o.debug,
        // Force promtool's evaluation order (for cross-checking the faster rule-by-rule order).
        tick_by_tick: std::env::var_os("PROMTEST_TICK_BY_TICK").is_some(),
        diff: o.diff,
        delayed_name_removal: o
            .features
            .iter()
            .flat_map(|f| f.split(','))
            .any(|f| f == "promql-delayed-name-removal"),
    };
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
    if let Some(path) = &o.junit {
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
