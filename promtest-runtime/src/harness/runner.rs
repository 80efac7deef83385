//! Files → cases → libtest-mimic trials: the one driver behind the CLI's `run`, the conformance
//! ratchet and the generated test binaries.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use libtest_mimic::{Arguments, ColorSetting, Conclusion, Trial};

use super::plan::{malformed, plan_script, Case};
use super::source::{collect, file_of_trial, is_yaml, SourceFile};
use crate::error::ErrorKind;
use crate::semantics::{PrometheusVersion, Semantics};

/// Whether failure messages should be coloured for these arguments.
fn wants_color(args: &Arguments) -> bool {
    match args.color {
        Some(ColorSetting::Always) => true,
        Some(ColorSetting::Never) => false,
        _ => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    }
}

/// The cases of every file, in file order; an unreadable or malformed file is one failing case.
/// File names are paths relative to the working directory (rule tests' rule files are found
/// relative to them); YAML that is no rule test (a rule file) has no cases.
pub fn plan_files(files: &[SourceFile]) -> Vec<Case> {
    plan_files_for(files, PrometheusVersion::Latest)
}

/// [`plan_files`] with the semantics of a Prometheus release: its PromQL and its promtool.
pub fn plan_files_for(files: &[SourceFile], version: PrometheusVersion) -> Vec<Case> {
    plan_files_in(None, files, Semantics::of(version))
}

/// [`plan_files_for`] for files named relative to `base`.
fn plan_files_in(base: Option<&Path>, files: &[SourceFile], sem: Semantics) -> Vec<Case> {
    #[allow(unused_mut)] // without rule tests there is no coverage to add
    let mut cases: Vec<Case> = files
        .iter()
        .flat_map(|f| {
            let planned = super::catch_internal(&f.name, 0, || match &f.contents {
                Ok(src) if is_yaml(&f.name) => {
                    let path =
                        base.map_or_else(|| Path::new(&f.name).to_path_buf(), |b| b.join(&f.name));
                    plan_yaml(&f.name, &path, src, sem)
                }
                Ok(src) => plan_script(&f.name, src, sem),
                Err(e) => vec![malformed(&f.name, 1, ErrorKind::test_file(e.clone()))],
            });
            planned.unwrap_or_else(|e| vec![malformed(&f.name, 1, ErrorKind::Internal(e))])
        })
        .collect();
    #[cfg(feature = "rule-tests")]
    {
        let coverage = super::coverage_cases::coverage_cases(base, &cases);
        cases.extend(coverage);
    }
    cases
}

/// The cases of a YAML file: a rule test's assertions; none for a rule file.
#[cfg(feature = "rule-tests")]
fn plan_yaml(name: &str, path: &Path, src: &str, sem: Semantics) -> Vec<Case> {
    match super::rule_cases::plan_rule_test(name, path, src, sem) {
        None => Vec::new(),
        Some(_) if !path.is_file() => vec![malformed(
            name,
            1,
            ErrorKind::test_file(format!(
                "rule test file {} not found on disk (its rule files are read relative to it)",
                path.display()
            )),
        )],
        Some(cases) => cases,
    }
}

/// Without the `rule-tests` feature a YAML file is one failing case saying so.
#[cfg(not(feature = "rule-tests"))]
fn plan_yaml(name: &str, _: &Path, _: &str, _: Semantics) -> Vec<Case> {
    vec![malformed(
        name,
        1,
        ErrorKind::unsupported(
            "YAML test files (promtool rule tests) need the `rule-tests` feature of promtest-runtime",
        ),
    )]
}

/// The file an `--exact` run (as nextest does, one process per test) needs, if any.
fn exact_file(args: &Arguments) -> Option<String> {
    match (&args.filter, args.exact) {
        (Some(f), true) => Some(file_of_trial(f).to_string()),
        _ => None,
    }
}

/// Runs `cases` as libtest trials with libtest's output and summary, under `args` (filters,
/// `--list`, `--exact`, `--color`, threads).
pub fn run_cases(args: &Arguments, cases: Vec<Case>) -> Conclusion {
    let color = wants_color(args);
    let trials: Vec<Trial> = cases.into_iter().map(|c| c.into_trial(color)).collect();
    libtest_mimic::run(args, trials)
}

/// The environment variable that turns the update mode on for generated test binaries
/// (`PROMTEST_UPDATE=1 cargo test`): failing expectations are rewritten on disk first.
pub const UPDATE_VAR: &str = "PROMTEST_UPDATE";

/// The environment variable naming the Prometheus release whose semantics generated test
/// binaries follow (`PROMTEST_PROMETHEUS_VERSION=2.53 cargo test`); it wins over the
/// attribute's `prometheus = "…"`, so an upgrade can be tried without editing the code.
pub const VERSION_VAR: &str = "PROMTEST_PROMETHEUS_VERSION";

/// Runs every test file under `dir` (absolute, or relative to the working directory) as
/// libtest-mimic trials, with the command-line arguments of the process. `embedded` holds the
/// files found at build time (name relative to `dir`, contents); the directory is scanned again
/// at run time, so files added or edited since the build are run as they are on disk.
/// `version` is the attribute's `prometheus = "…"` (`None`: latest), overridden by
/// [`VERSION_VAR`].
pub fn run_main(dir: &str, embedded: &[(&str, &str)], version: Option<&str>) -> ExitCode {
    let args = Arguments::from_args();
    let from_env = std::env::var(VERSION_VAR).ok().filter(|v| !v.is_empty());
    let version = match from_env.as_deref().or(version).map(str::parse) {
        None => PrometheusVersion::Latest,
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            eprintln!("promtest: {e}");
            return ExitCode::from(2);
        }
    };
    run_with_args(
        Path::new(dir),
        embedded,
        &args,
        super::env_flag(UPDATE_VAR),
        Semantics::of(version),
    )
}

/// [`run_main`] with explicit arguments; `update` rewrites failing expectations first.
fn run_with_args(
    dir: &Path,
    embedded: &[(&str, &str)],
    args: &Arguments,
    update: bool,
    sem: Semantics,
) -> ExitCode {
    if update && !args.list {
        // Outside any trial: the expectations are rewritten before the trials run.
        for line in super::update_files(&super::source::test_files(dir)) {
            eprintln!("{line}");
        }
    }
    let only = exact_file(args);
    let files = collect(dir, embedded, only.as_deref());
    let mut cases = plan_files_in(Some(dir), &files, sem);
    // A trial not found in its file alone (a coverage trial, named after a rule file, needs
    // every rule test) is looked for in all files.
    let wanted = args.filter.as_deref().map(|f| {
        f.strip_prefix('[')
            .and_then(|rest| rest.split_once("] "))
            .map_or(f, |(_, name)| name)
    });
    if only.is_some() && !cases.iter().any(|c| wanted == Some(&*c.name)) {
        cases = plan_files_in(Some(dir), &collect(dir, embedded, None), sem);
    }
    run_cases(args, cases).exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_update_mode_rewrites_before_the_trials_run() {
        let dir =
            std::env::temp_dir().join(format!("promtest-runner-update-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.test");
        std::fs::write(&file, "load 1m\n  m 1+1x3\n\neval instant at 1m m\n  m 5\n").unwrap();
        let before = plan_files_in(Some(&dir), &collect(&dir, &[], None), Semantics::default());
        assert!(before[0].run().is_err());
        let args = Arguments::from_iter(["t", "--quiet"]);
        assert_eq!(
            run_with_args(&dir, &[], &args, true, Semantics::default()),
            ExitCode::SUCCESS
        );
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "load 1m\n  m 1+1x3\n\neval instant at 1m m\n  m 2\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
