//! Go's `filepath.Join` and `filepath.Glob` for rule-file patterns (`*`, `?`, `[…]`).

use std::path::{Component, Path, PathBuf};

/// `filepath.Join(base, rel)`: joined and cleaned (`./` dropped, `a/../` folded).
pub fn join(base: &Path, rel: &str) -> PathBuf {
    let mut out: Vec<String> = Vec::new();
    let mut absolute = false;
    for c in base.join(rel).components() {
        match c {
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            Component::ParentDir => {
                if out.last().is_some_and(|l| l != "..") {
                    out.pop();
                } else if !absolute {
                    out.push("..".into());
                }
            }
            Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
            Component::Prefix(p) => out.push(p.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let joined = out.join("/");
    PathBuf::from(match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    })
}

fn has_meta(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Matches one path component against a glob pattern.
fn component_regex(pat: &str) -> Result<regex::Regex, String> {
    let mut re = String::from("^");
    let mut chars = pat.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '[' => {
                re.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    re.push('^');
                }
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    if c == '\\' || c == '[' {
                        re.push('\\');
                    }
                    re.push(c);
                }
                if !closed {
                    return Err("syntax error in pattern".into());
                }
                re.push(']');
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    re.push_str(&regex::escape(&n.to_string()));
                }
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).map_err(|_| "syntax error in pattern".to_string())
}

/// `filepath.Glob`: the existing paths matching `pattern`, sorted per directory.
pub fn glob(pattern: &Path) -> Result<Vec<PathBuf>, String> {
    let text = pattern.to_string_lossy();
    if !has_meta(&text) {
        return Ok(if pattern.symlink_metadata().is_ok() {
            vec![pattern.to_path_buf()]
        } else {
            Vec::new()
        });
    }
    let mut current: Vec<PathBuf> = vec![if text.starts_with('/') {
        PathBuf::from("/")
    } else {
        PathBuf::new()
    }];
    for part in text.split('/').filter(|p| !p.is_empty()) {
        let mut next = Vec::new();
        if !has_meta(part) {
            for c in current {
                let p = c.join(part);
                if p.symlink_metadata().is_ok() {
                    next.push(p);
                }
            }
        } else {
            let re = component_regex(part)?;
            for c in current {
                let dir = if c.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    &c
                };
                let Ok(rd) = std::fs::read_dir(dir) else {
                    continue;
                };
                let mut names: Vec<String> = rd
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| re.is_match(n))
                    .collect();
                names.sort();
                next.extend(names.into_iter().map(|n| c.join(n)));
            }
        }
        current = next;
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_go() {
        assert_eq!(join(Path::new("."), "r.yml"), PathBuf::from("r.yml"));
        assert_eq!(join(Path::new("a/b"), "../r.yml"), PathBuf::from("a/r.yml"));
        assert_eq!(join(Path::new(""), "x/./y"), PathBuf::from("x/y"));
    }

    #[test]
    fn globs_files() {
        let dir = std::env::temp_dir().join(format!("promtest-glob-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for n in ["a.yml", "b.yml", "c.txt"] {
            std::fs::write(dir.join(n), "").unwrap();
        }
        let got = glob(&dir.join("*.yml")).unwrap();
        let names: Vec<_> = got
            .iter()
            .map(|p| p.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["a.yml", "b.yml"]);
        assert!(glob(&dir.join("nope[.yml")).is_err());
        assert!(glob(&dir.join("zz*.yml")).unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
