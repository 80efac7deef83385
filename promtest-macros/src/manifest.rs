//! The path the generated code reaches the runtime by: `::promtest_runtime`, or the name the
//! user's `Cargo.toml` gives it (`pt = { package = "promtest-runtime", … }`), so that a renamed
//! dependency still works. `crate = "…"` in the attribute overrides both.
//!
//! Reads only what Cargo itself would: the crate's manifest and, for a dependency declared
//! `workspace = true`, the workspace root's `[workspace.dependencies]`.

use std::path::{Path, PathBuf};

/// The runtime's package name.
const PACKAGE: &str = "promtest-runtime";

/// The crate name the runtime has in the crate whose manifest directory is `manifest_dir`.
pub(crate) fn runtime_crate_name(manifest_dir: &Path) -> String {
    let renamed = std::fs::read_to_string(manifest_dir.join("Cargo.toml"))
        .ok()
        .and_then(|text| {
            let deps = dependencies(&text, false);
            renamed_in(&deps).or_else(|| {
                // `pt = { workspace = true }`: the rename sits in the workspace root.
                let inherited: Vec<&Dep> = deps.iter().filter(|d| d.workspace).collect();
                if inherited.is_empty() {
                    return None;
                }
                let root = workspace_manifest(manifest_dir)?;
                let ws = dependencies(&std::fs::read_to_string(root).ok()?, true);
                inherited.iter().find_map(|d| {
                    ws.iter()
                        .any(|w| w.key == d.key && w.package.as_deref() == Some(PACKAGE))
                        .then(|| d.key.clone())
                })
            })
        });
    renamed
        .unwrap_or_else(|| PACKAGE.to_string())
        .replace('-', "_")
}

/// One dependency entry: its key, its `package = "…"` and whether it is `workspace = true`.
#[derive(Debug, Default, PartialEq)]
struct Dep {
    key: String,
    package: Option<String>,
    workspace: bool,
}

fn renamed_in(deps: &[Dep]) -> Option<String> {
    deps.iter()
        .find(|d| d.package.as_deref() == Some(PACKAGE))
        .map(|d| d.key.clone())
}

/// A `[…]` header's dotted name with quotes removed (`target.'cfg(unix)'.dependencies`).
fn header(line: &str) -> Option<String> {
    let inner = line.strip_prefix('[')?.trim_start_matches('[');
    let inner = inner.split(']').next()?;
    Some(inner.replace(['"', '\''], "").trim().to_string())
}

/// Whether a table name holds dependencies (`dependencies`, `dev-dependencies`,
/// `build-dependencies`, also under `target.…`; `workspace.dependencies` when `workspace`).
fn is_dependency_table(name: &str, workspace: bool) -> bool {
    if workspace {
        return name == "workspace.dependencies";
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    matches!(
        last,
        "dependencies" | "dev-dependencies" | "build-dependencies"
    ) && !name.starts_with("workspace.")
}

/// The value of `key = "value"` (or `key = true`) inside an inline table or a table body.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.split([',', '{', '}', '\n'])
        .filter_map(|part| part.split_once('='))
        .find(|(k, _)| k.trim().trim_matches(['"', '\'']) == key)
        .map(|(_, v)| v.trim().trim_matches(['"', '\'']))
}

/// The dependency entries of a manifest: `key = { … }` lines of dependency tables and
/// `[dependencies.key]` tables.
fn dependencies(text: &str, workspace: bool) -> Vec<Dep> {
    let mut out = Vec::new();
    let mut table = String::new();
    let mut sub: Option<Dep> = None;
    for raw in text.lines() {
        let line = raw.split(" #").next().unwrap_or(raw).trim();
        if line.starts_with('[') {
            out.extend(sub.take());
            table = header(line).unwrap_or_default();
            if let Some((parent, key)) = table.rsplit_once('.') {
                if is_dependency_table(parent, workspace) {
                    sub = Some(Dep {
                        key: key.to_string(),
                        ..Dep::default()
                    });
                }
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']);
        if let Some(dep) = sub.as_mut() {
            match key {
                "package" => dep.package = Some(value.trim().trim_matches(['"', '\'']).into()),
                "workspace" => dep.workspace = value.trim() == "true",
                _ => {}
            }
        } else if is_dependency_table(&table, workspace) {
            // `pt = { … }` or the dotted `pt.workspace = true`.
            let (key, dotted) = match key.split_once('.') {
                Some((k, rest)) => (k.trim(), Some(rest.trim())),
                None => (key, None),
            };
            out.push(Dep {
                key: key.to_string(),
                package: field(value, "package").map(str::to_string),
                workspace: dotted == Some("workspace") && value.trim() == "true"
                    || field(value, "workspace") == Some("true"),
            });
        }
    }
    out.extend(sub);
    out
}

/// The manifest of the workspace `manifest_dir` belongs to: the nearest parent `Cargo.toml`
/// with a `[workspace]` table.
fn workspace_manifest(manifest_dir: &Path) -> Option<PathBuf> {
    manifest_dir
        .ancestors()
        .skip(1)
        .map(|d| d.join("Cargo.toml"))
        .find(|m| {
            std::fs::read_to_string(m).is_ok_and(|t| t.lines().any(|l| l.trim() == "[workspace]"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(text: &str) -> Option<String> {
        renamed_in(&dependencies(text, false))
    }

    #[test]
    fn finds_inline_and_table_renames() {
        assert_eq!(
            renamed("[dev-dependencies]\npt = { package = \"promtest-runtime\", path = \"x\" }\n"),
            Some("pt".into())
        );
        assert_eq!(
            renamed("[dev-dependencies.pt]\npath = \"x\"\npackage = \"promtest-runtime\"\n"),
            Some("pt".into())
        );
        assert_eq!(
            renamed("[target.'cfg(unix)'.dev-dependencies]\npt = { version = \"1\", package = 'promtest-runtime' }\n"),
            Some("pt".into())
        );
        assert_eq!(
            renamed("[dependencies]\npromtest-runtime = { path = \"x\" }\n[package]\npackage = \"promtest-runtime\"\n"),
            None
        );
    }

    #[test]
    fn sees_workspace_inheritance() {
        let deps = dependencies(
            "[dev-dependencies]\npt.workspace = true\nother = { workspace = true }\n",
            false,
        );
        assert!(deps.iter().all(|d| d.workspace));
        let ws = dependencies(
            "[workspace.dependencies]\npt = { package = \"promtest-runtime\", path = \"r\" }\n",
            true,
        );
        assert_eq!(renamed_in(&ws), Some("pt".into()));
    }
}
