//! `promtest run PATH…`: `.test` files and rule tests as libtest trials.

use std::path::PathBuf;
use std::process::ExitCode;

use promtest_runtime::{
    plan_files_for, run_cases, test_files, update_files, Arguments, SourceFile,
};

/// Options of `promtest run`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or directories.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// `--update`.
    #[command(flatten)]
    pub update: crate::update_flag::UpdateFlag,
    /// `--prometheus-version`.
    #[command(flatten)]
    pub version: crate::version_flag::VersionFlag,
    /// Arguments for the test runner after `--` (e.g. `-- --exact NAME`, `-- --list`, a filter).
    #[arg(last = true)]
    pub runner_args: Vec<String>,
}

/// The test files named by `paths` (name, path): files as given, directories searched
/// recursively and named `dir/relative/path`.
fn paths_of(paths: &[PathBuf]) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            for (rel, path) in test_files(p) {
                let name = format!("{}/{rel}", p.display().to_string().trim_end_matches('/'));
                out.push((name, path));
            }
        } else if p.is_file() {
            out.push((p.display().to_string(), p.clone()));
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    Ok(out)
}

/// Runs the files as trials; exit 1 when one fails, 2 when the paths name no test file.
pub fn main(args: &Args) -> ExitCode {
    let paths = match paths_of(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("promtest: {e}");
            return ExitCode::from(2);
        }
    };
    if args.update.update {
        for line in update_files(&paths) {
            eprintln!("{line}");
        }
    }
    let files: Vec<SourceFile> = paths
        .iter()
        .map(|(name, path)| SourceFile::read(name.clone(), path))
        .collect();
    if files.is_empty() {
        eprintln!("promtest: no .test files found");
        return ExitCode::from(2);
    }
    let runner_args = Arguments::from_iter(
        std::iter::once("promtest".to_string()).chain(args.runner_args.iter().cloned()),
    );
    if run_cases(&runner_args, plan_files_for(&files, args.version.version)).has_failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
