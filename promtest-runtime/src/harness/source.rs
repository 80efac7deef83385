//! Finding test files: the ones embedded at build time, re-scanned on disk at run time so files
//! added or edited after the build are picked up.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Extensions of promqltest scripts. The list lives in `promtest-macros`, which needs it at
/// build time, so build-time embedding and run-time scanning find the same files.
pub const SCRIPT_EXTENSIONS: &[&str] = promtest_macros::__script_extensions!();

/// Extensions of YAML test files: rule tests, and the rule files they load (skipped when
/// planning, as they are not rule tests).
pub const YAML_EXTENSIONS: &[&str] = promtest_macros::__yaml_extensions!();

/// A test file: its name relative to the test directory (with `/`) and its contents.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFile {
    /// The path relative to the directory it was found in, `/`-separated.
    pub name: String,
    /// The contents, or why they could not be read.
    pub contents: Result<String, String>,
}

fn has_extension(path: &Path, exts: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.contains(&e))
}

/// Whether `path` is a test file: a script or YAML.
pub fn is_script(path: &Path) -> bool {
    has_extension(path, SCRIPT_EXTENSIONS) || has_extension(path, YAML_EXTENSIONS)
}

/// Whether the file named `name` is YAML (a rule test or a rule file).
pub fn is_yaml(name: &str) -> bool {
    has_extension(Path::new(name), YAML_EXTENSIONS)
}

/// `path` relative to `dir`, `/`-separated.
pub fn relative_name(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The test files under `dir` (recursively, sorted): `.test` scripts and YAML, as (name
/// relative to `dir` with `/` separators, path).
pub fn test_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_script(e.path()))
        .map(|e| (relative_name(dir, e.path()), e.path().to_path_buf()))
        .collect();
    out.sort();
    out
}

impl SourceFile {
    /// Reads the file at `path`, to be named `name` in trial names.
    pub fn read(name: impl Into<String>, path: &Path) -> SourceFile {
        let contents = crate::read_input_file(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()));
        SourceFile {
            name: name.into(),
            contents,
        }
    }
}

/// The files to run: every script under `dir` on disk (read fresh) plus the embedded ones not
/// found on disk, sorted by name. With `only`, just the file of that name.
pub fn collect(dir: &Path, embedded: &[(&str, &str)], only: Option<&str>) -> Vec<SourceFile> {
    let wanted = |name: &str| match only {
        None => true,
        Some(o) => o == name,
    };
    let mut files: BTreeMap<String, SourceFile> = BTreeMap::new();
    if dir.is_dir() {
        if let Some(o) = only {
            let path = dir.join(o);
            if path.is_file() && is_script(&path) {
                files.insert(o.to_string(), SourceFile::read(o, &path));
            }
        } else {
            for (name, path) in test_files(dir) {
                files.insert(name.clone(), SourceFile::read(name, &path));
            }
        }
    }
    for (name, contents) in embedded {
        if wanted(name) && !files.contains_key(*name) {
            files.insert(
                name.to_string(),
                SourceFile {
                    name: name.to_string(),
                    contents: Ok(contents.to_string()),
                },
            );
        }
    }
    files.into_values().collect()
}

/// The file a trial name points at: `[kind] <file>::L<line>::…` → `<file>`.
pub fn file_of_trial(name: &str) -> &str {
    let name = match name.strip_prefix('[') {
        Some(rest) => rest.split_once("] ").map_or(name, |(_, n)| n),
        None => name,
    };
    name.split_once("::L").map_or(name, |(f, _)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("promtest-source-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("sub")).unwrap();
        d
    }

    #[test]
    fn extensions() {
        assert!(is_yaml("a/b.yaml") && is_yaml("c.yml") && !is_yaml("x.test"));
        assert!(is_script(Path::new("x.test")) && !is_script(Path::new("x.txt")));
    }

    #[test]
    fn trial_names_point_at_files() {
        assert_eq!(
            file_of_trial("[eval] a/b.test::L3::eval instant at 0 x"),
            "a/b.test"
        );
        assert_eq!(
            file_of_trial("a.test::L10::eval range from 0 to 1m step 1m x::y"),
            "a.test"
        );
        assert_eq!(file_of_trial("bad.test"), "bad.test");
        assert_eq!(file_of_trial("[file] bad.test"), "bad.test");
    }

    #[test]
    fn disk_wins_and_new_files_are_found() {
        let d = tmpdir("collect");
        std::fs::write(d.join("a.test"), "disk a").unwrap();
        std::fs::write(d.join("sub/c.test"), "disk c").unwrap();
        std::fs::write(d.join("notes.txt"), "ignored").unwrap();
        let embedded = [("a.test", "old a"), ("gone.test", "embedded only")];
        let files = collect(&d, &embedded, None);
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["a.test", "gone.test", "sub/c.test"]);
        assert_eq!(files[0].contents.as_deref(), Ok("disk a"));
        assert_eq!(files[1].contents.as_deref(), Ok("embedded only"));
        let only = collect(&d, &embedded, Some("sub/c.test"));
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].contents.as_deref(), Ok("disk c"));
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn missing_dir_uses_embedded_files() {
        let files = collect(Path::new("/nonexistent/promtest"), &[("x.test", "x")], None);
        assert_eq!(files.len(), 1);
    }
}
