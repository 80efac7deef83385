//! The entry point of generated test binaries: files → cases → libtest-mimic trials.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use libtest_mimic::ColorSetting;
/// The runner's types, re-exported for front ends (the CLI) and generated mains.
pub use libtest_mimic::{Arguments, Conclusion, Trial};

use super::plan::{malformed, plan_script, Case};
use super::rule_cases;
use super::source::{collect, file_of_trial, SourceFile};

/// Whether failure messages should be coloured for these arguments.
pub fn wants_color(args: &Arguments) -> bool {
    match args.color {
        Some(ColorSetting::Always) => true,
        Some(ColorSetting::Never) => false,
        _ => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    }
}

/// The cases of every file, in file order; an unreadable or malformed file is one failing case.
/// File names are paths relative to the working directory (see [`plan_files_in`]).
pub fn plan_files(files: &[SourceFile]) -> Vec<Case> {
    plan_files_in(None, files)
}

/// [`plan_files`] for files named relative to `base`. Rule-test YAML is read from disk (its rule
/// files resolve relative to it); other YAML (rule files) is skipped.
pub fn plan_files_in(base: Option<&Path>, files: &[SourceFile]) -> Vec<Case> {
    files
        .iter()
        .flat_map(|f| match &f.contents {
            Ok(src) if super::source::is_yaml(&f.name) => {
                let path = base.map_or_else(|| Path::new(&f.name).to_path_buf(), |b| b.join(&f.name));
                match rule_cases::plan_rule_test(&f.name, &path, src) {
                    None => Vec::new(),
                    Some(_) if !path.is_file() => vec![malformed(
                        &f.name,
                        1,
                        format!("rule test file {} not found on disk (its rule files are read relative to it)", path.display()),
                    )],
                    Some(cases) => cases,
                }
            }
            Ok(src) => plan_script(&f.name, src),
            Err(e) => vec![malformed(&f.name, 1, e.clone())],
        })
        .collect()
}

/// The file an `--exact` run (as nextest does, one process per test) needs, if any.
pub fn exact_file(args: &Arguments) -> Option<String> {
    match (&args.filter, args.exact) {
        (Some(f), true) => Some(file_of_trial(f).to_string()),
        _ => None,
    }
}

/// Trials for all cases.
pub fn trials(cases: Vec<Case>, color: bool) -> Vec<Trial> {
    cases.into_iter().map(|c| c.into_trial(color)).collect()
}

/// Runs every test file under `dir` (absolute, or relative to the working directory) as
/// libtest-mimic trials, with the command-line arguments of the process. `embedded` holds the
/// files found at build time (name relative to `dir`, contents); the directory is scanned again
/// at run time, so files added or edited since the build are run as they are on disk.
pub fn run_main(dir: &str, embedded: &[(&str, &str)]) -> ExitCode {
    let args = Arguments::from_args();
    run_with_args(Path::new(dir), embedded, &args)
}

/// [`run_main`] with explicit arguments.
pub fn run_with_args(dir: &Path, embedded: &[(&str, &str)], args: &Arguments) -> ExitCode {
    let color = wants_color(args);
    let only = exact_file(args);
    let mut files = collect(dir, embedded, only.as_deref());
    if only.is_some() && files.is_empty() {
        files = collect(dir, embedded, None);
    }
    libtest_mimic::run(args, trials(plan_files_in(Some(dir), &files), color)).exit_code()
}

/// Runs trials with libtest's output and summary.
pub fn run_trials(args: &Arguments, trials: Vec<Trial>) -> Conclusion {
    libtest_mimic::run(args, trials)
}
