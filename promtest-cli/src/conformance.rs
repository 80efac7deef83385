//! The conformance ratchet: every eval of a corpus, pass counts per file, and a comparison of
//! the failures with the known-failures list.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use promtest_runtime::{plan_files_for, test_files, Case, PrometheusVersion, SourceFile};

use crate::known_failures::KnownFailures;

/// Options of `promtest conformance`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The corpus directory (e.g. Prometheus's `promql/promqltest/testdata`).
    pub dir: PathBuf,
    /// The known-failures list: `file.test:LINE  reason` per line, `#` comments.
    #[arg(long)]
    pub known_failures: PathBuf,
    /// Rewrite the known-failures list from the current failures (existing reasons kept).
    #[arg(long)]
    pub update: bool,
    /// Print the full failure text of unexpected failures.
    #[arg(long, short)]
    pub verbose: bool,
    /// Worker threads (default: available parallelism).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// `--prometheus-version`: run the corpus in that release's mode.
    #[command(flatten)]
    pub version: crate::version_flag::VersionFlag,
}

/// The outcome of one case.
struct Outcome {
    id: String,
    /// `None` when it passed; else the first line and the full text of the failure.
    failure: Option<(String, String)>,
}

/// The outcomes of one file.
struct FileResult {
    name: String,
    outcomes: Vec<Outcome>,
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".into()
    }
}

fn run_case(case: &Case) -> Outcome {
    let failure = match catch_unwind(AssertUnwindSafe(|| case.run())) {
        Ok(Ok(())) => None,
        Ok(Err(f)) => Some((f.summary(), f.render(false))),
        Err(p) => {
            let text = format!("panicked: {}", panic_text(p));
            Some((text.clone(), format!("{}: {text}", case.id())))
        }
    };
    Outcome {
        id: case.id(),
        failure,
    }
}

fn run_file(file: &SourceFile, version: PrometheusVersion) -> FileResult {
    let cases = plan_files_for(std::slice::from_ref(file), version);
    FileResult {
        name: file.name.clone(),
        outcomes: cases.iter().map(run_case).collect(),
    }
}

/// Runs the files on `jobs` threads, results in file order.
fn run_all(files: &[SourceFile], jobs: usize, version: PrometheusVersion) -> Vec<FileResult> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FileResult>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(f) = files.get(i) else { break };
                let r = run_file(f, version);
                if let Ok(mut rs) = results.lock() {
                    rs[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

/// Listed cases that the corpus does not have (a line moved, a file was renamed).
fn stale_entries(known: &KnownFailures, seen: &HashSet<String>) -> Vec<String> {
    known
        .reasons
        .keys()
        .filter(|id| !seen.contains(*id))
        .cloned()
        .collect()
}

/// Runs the conformance mode; the exit code is 0 when the failures are exactly the listed ones.
pub fn main(opts: &Args) -> ExitCode {
    let files: Vec<SourceFile> = test_files(&opts.dir)
        .into_iter()
        .map(|(name, path)| SourceFile::read(name, &path))
        .collect();
    if files.is_empty() {
        eprintln!("promtest: no .test files under {}", opts.dir.display());
        return ExitCode::from(2);
    }
    let known = match std::fs::read_to_string(&opts.known_failures) {
        Ok(text) => match KnownFailures::parse(&text) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("promtest: {}: {e}", opts.known_failures.display());
                return ExitCode::from(2);
            }
        },
        Err(_) if opts.update => KnownFailures::default(),
        Err(e) => {
            eprintln!("promtest: {}: {e}", opts.known_failures.display());
            return ExitCode::from(2);
        }
    };
    let jobs = opts.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    // Panics of the code under test are reported as failures, not printed.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let results = run_all(&files, jobs, opts.version.version);
    std::panic::set_hook(hook);

    let width = results.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let (mut passed, mut failed) = (0, 0);
    let mut failures: Vec<(String, String)> = Vec::new();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut seen = HashSet::new();
    for r in &results {
        let p = r.outcomes.iter().filter(|o| o.failure.is_none()).count();
        println!("{:<width$}  {p}/{}", r.name, r.outcomes.len());
        for o in &r.outcomes {
            seen.insert(o.id.clone());
            match &o.failure {
                None => {
                    passed += 1;
                    if known.contains(&o.id) {
                        fixed.push(o.id.clone());
                    }
                }
                Some((summary, full)) => {
                    failed += 1;
                    failures.push((o.id.clone(), summary.clone()));
                    if !known.contains(&o.id) {
                        unexpected.push((o.id.clone(), summary.clone(), full.clone()));
                    }
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if opts.update {
        let text = known.regenerate(&failures);
        if let Err(e) = std::fs::write(&opts.known_failures, text) {
            eprintln!(
                "promtest: cannot write {}: {e}",
                opts.known_failures.display()
            );
            return ExitCode::from(2);
        }
        println!(
            "wrote {} known failures to {}",
            failures.len(),
            opts.known_failures.display()
        );
        return ExitCode::SUCCESS;
    }
    let stale = stale_entries(&known, &seen);
    for (id, summary, full) in &unexpected {
        if opts.verbose {
            println!("\nnew failure {id} (not in the known failures):\n{full}");
        } else {
            println!("new failure {id}: {summary}");
        }
    }
    for id in &fixed {
        println!(
            "now passing {id}: remove it from {}",
            opts.known_failures.display()
        );
    }
    for id in &stale {
        println!(
            "no such case {id}: remove it from {}",
            opts.known_failures.display()
        );
    }
    if unexpected.is_empty() && fixed.is_empty() && stale.is_empty() {
        ExitCode::SUCCESS
    } else {
        println!(
            "conformance ratchet: {} new failures, {} now passing, {} unknown entries",
            unexpected.len(),
            fixed.len(),
            stale.len()
        );
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, src: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            contents: Ok(src.into()),
        }
    }

    #[test]
    fn runs_every_eval_of_every_file() {
        let files = [
            file(
                "a.test",
                "load 1m\n\tx 1\n\neval instant at 0 x\n\tx 1\n\neval instant at 0 x\n\tx 2\n",
            ),
            file("b.test", "not a script\n"),
        ];
        let results = run_all(&files, 2, PrometheusVersion::Latest);
        assert_eq!(results.len(), 2);
        let a: Vec<(String, bool)> = results[0]
            .outcomes
            .iter()
            .map(|o| (o.id.clone(), o.failure.is_none()))
            .collect();
        assert_eq!(
            a,
            vec![("a.test:4".into(), true), ("a.test:7".into(), false)]
        );
        assert_eq!(results[1].outcomes.len(), 1, "a malformed file is one case");
        assert!(results[1].outcomes[0].failure.is_some());
    }

    #[test]
    fn stale_entries_are_the_unseen_ones() {
        let known = KnownFailures::parse("a.test:4  x\na.test:99  gone\n").unwrap();
        let seen: HashSet<String> = ["a.test:4".to_string()].into_iter().collect();
        assert_eq!(stale_entries(&known, &seen), vec!["a.test:99".to_string()]);
    }
}
