//! Which files are test files: the one list of extensions, used by the macro at build time and
//! by the runtime (through [`crate::__test_file_extensions`]) when it scans at run time.

use std::path::{Path, PathBuf};

/// Extensions of promqltest scripts.
pub(crate) const SCRIPT_EXTENSIONS: &[&str] = &["test"];

/// Extensions of YAML files: promtool rule tests (a top-level `tests:`) and the rule files
/// they load, told apart when the file is parsed.
pub(crate) const YAML_EXTENSIONS: &[&str] = &["yml", "yaml"];

/// What a file under the test directory is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// A promqltest script.
    Script,
    /// YAML: a rule test or a rule file.
    Yaml,
}

/// The kind of `path`, or `None` when it is not a test file.
pub(crate) fn kind(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?;
    if SCRIPT_EXTENSIONS.contains(&ext) {
        Some(FileKind::Script)
    } else if YAML_EXTENSIONS.contains(&ext) {
        Some(FileKind::Yaml)
    } else {
        None
    }
}

/// One file found under the test directory.
#[derive(Debug)]
pub(crate) struct Found {
    /// The path relative to the directory, `/`-separated.
    pub name: String,
    /// The absolute path (what `include_str!` embeds).
    pub path: PathBuf,
    /// Script or YAML.
    pub kind: FileKind,
}

/// The test files under `dir`, sorted by name.
pub(crate) fn find(dir: &Path) -> Vec<Found> {
    let mut out: Vec<Found> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let kind = kind(e.path())?;
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            Some(Found {
                name,
                path: e.path().to_path_buf(),
                kind,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
