//! The update mode: each failing eval of a `.test` file (and, with rule tests, each failing
//! assertion of a rule-test file) gets the actual result as its expectation, the file's other
//! text left byte for byte. Failures a new expectation cannot fix (an error, `expect fail`,
//! annotations, an automatic `@` or range-mode check) are left and reported.

use std::path::Path;

use crate::script::replace_expected;

use super::actual_lines::{result_lines, OldLine};
use super::compare::compare_result;
use super::exec::EvalRun;
use super::plan::plan_script;
use super::source::is_yaml;
use crate::semantics::Semantics;

/// What updating one file did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileUpdate {
    /// The new contents (the old ones when nothing was rewritten).
    pub contents: String,
    /// The lines (in the old file) of the evals or assertions rewritten.
    pub rewritten: Vec<usize>,
    /// Failures left as they were, as `line: why`.
    pub left: Vec<String>,
}

impl FileUpdate {
    /// Whether the file changed.
    pub fn changed(&self) -> bool {
        !self.rewritten.is_empty()
    }
}

/// Updates the script `src` (named `file`); `None` when it does not parse.
pub fn update_script(file: &str, src: &str) -> Option<FileUpdate> {
    crate::script::parse_script(file, src).ok()?;
    let raw: Vec<&str> = src.split('\n').collect();
    let mut edits: Vec<(usize, Vec<String>)> = Vec::new();
    let mut left = Vec::new();
    for case in plan_script(file, src, Semantics::default()) {
        let Some((eval, state, semantics)) = case.eval_parts() else {
            continue;
        };
        let Err(failure) = case.run() else {
            continue;
        };
        let why = |w: &str| format!("{}: {w}: {}", eval.line, failure.summary());
        if state.load_error().is_some() || eval.expect.fail.is_some() {
            left.push(why("not rewritten (a load error or `expect fail`)"));
            continue;
        }
        let run = EvalRun::new(file, eval, state.store(), semantics);
        let Some(got) = run.main_result() else {
            left.push(why("not rewritten (the query fails)"));
            continue;
        };
        if compare_result(run.expected(), &got).is_ok() {
            left.push(why(
                "not rewritten (its result matches; another check fails)",
            ));
            continue;
        }
        let old: Vec<OldLine> = eval
            .expect
            .series
            .iter()
            .map(|s| OldLine {
                labels: s.labels.clone(),
                values: s.values.clone(),
                text: raw.get(s.line - 1).map_or("", |l| l.trim()).to_string(),
            })
            .collect();
        match result_lines(run.expected(), &got, &old) {
            Some(lines) => edits.push((eval.line, lines)),
            None => left.push(why("not rewritten (the result has no series notation)")),
        }
    }
    let mut contents = src.to_string();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (line, lines) in &edits {
        contents = replace_expected(&contents, *line, lines);
    }
    let mut rewritten: Vec<usize> = edits.into_iter().map(|(l, _)| l).collect();
    rewritten.reverse();
    Some(FileUpdate {
        contents,
        rewritten,
        left,
    })
}

/// Updates the test file at `path` (named `name` in messages) in place: a `.test` script or,
/// with rule tests, a rule-test file (a YAML rule file is left alone). `Ok(None)` when it is
/// neither or does not load; errors are I/O errors.
pub fn update_file(name: &str, path: &Path) -> Result<Option<FileUpdate>, String> {
    let src = crate::read_input_file(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let update = if is_yaml(name) {
        update_yaml(path, &src)
    } else {
        update_script(name, &src)
    };
    if let Some(u) = &update {
        if u.changed() {
            std::fs::write(path, &u.contents).map_err(|e| format!("cannot write {name}: {e}"))?;
        }
    }
    Ok(update)
}

/// Updates every file of `files` (name, path) in place, giving what to tell the user: per
/// changed file how many expectations were rewritten, and each failure left as it was.
pub fn update_files(files: &[(String, std::path::PathBuf)]) -> Vec<String> {
    let mut out = Vec::new();
    for (name, path) in files {
        match update_file(name, path) {
            Err(e) => out.push(format!("promtest: {e}")),
            Ok(None) => {}
            Ok(Some(u)) => {
                if u.changed() {
                    out.push(format!(
                        "promtest: updated {name}: {} expectation(s) rewritten (line {})",
                        u.rewritten.len(),
                        u.rewritten
                            .iter()
                            .map(usize::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                out.extend(u.left.iter().map(|l| format!("promtest: {name}:{l}")));
            }
        }
    }
    out
}

/// Whether the environment variable `name` is set to a true value (anything but empty, `0`,
/// `false`, `no`, `off`, `n`, `f`), as the CLI reads its flags' variables.
pub fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| {
        !matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no" | "off" | "n" | "f"
        )
    })
}

#[cfg(feature = "rule-tests")]
fn update_yaml(path: &Path, src: &str) -> Option<FileUpdate> {
    crate::unittest::update::update_rule_test(path, src)
}

#[cfg(not(feature = "rule-tests"))]
fn update_yaml(_: &Path, _: &str) -> Option<FileUpdate> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_evals_get_the_actual_result_and_pass_again() {
        let src = "# header\nload 1m\n\tm{a=\"1\"} 0+1x10\n\tm{a=\"2\"} 5x10\n\n\
                   eval instant at 2m m\n\tm{a=\"1\"} 2\n\tm{a=\"2\"} 7\n\n\
                   eval range from 0 to 4m step 1m m\n\texpect no_warn\n\n\
                   eval instant at 0 m\n\texpect fail\n\n\
                   eval instant at 1m sum(m)\n\t{} 6\n";
        let u = update_script("t.test", src).unwrap();
        assert_eq!(u.rewritten, [6, 10]);
        assert_eq!(u.left.len(), 1, "{:?}", u.left);
        assert!(u.left[0].starts_with("13: not rewritten (a load error or `expect fail`)"));
        assert_eq!(
            u.contents,
            "# header\nload 1m\n\tm{a=\"1\"} 0+1x10\n\tm{a=\"2\"} 5x10\n\n\
             eval instant at 2m m\n\tm{a=\"1\"} 2\n\tm{a=\"2\"} 5\n\n\
             eval range from 0 to 4m step 1m m\n\texpect no_warn\n\tm{a=\"1\"} 0+1x4\n\tm{a=\"2\"} 5x4\n\n\
             eval instant at 0 m\n\texpect fail\n\n\
             eval instant at 1m sum(m)\n\t{} 6\n"
        );
        let again = update_script("t.test", &u.contents).unwrap();
        assert_eq!(again.rewritten, Vec::<usize>::new());
    }

    #[test]
    fn scalars_and_histograms() {
        let src = "load 1m\n\th {{schema:0 count:2 sum:3 buckets:[1 1]}}x2\n\n\
                   eval instant at 0 scalar(vector(3))\n\t4\n\n\
                   eval instant at 1m h\n\th 1\n";
        let u = update_script("t.test", src).unwrap();
        assert_eq!(u.rewritten, [4, 7]);
        assert!(
            u.contents.contains("scalar(vector(3))\n\t3\n"),
            "{}",
            u.contents
        );
        assert!(u.contents.contains("\th {{"), "{}", u.contents);
        assert!(update_script("t.test", &u.contents)
            .unwrap()
            .rewritten
            .is_empty());
    }
}
