//! Every line of the upstream conformance corpus parses.

use std::path::PathBuf;

use super::{parse_script, Command};

/// The corpus directory: `$PROMTEST_CORPUS`, else `shared/corpus/…` two or three
/// levels above the crate (the main checkout or a worktree under `wt/`).
fn corpus_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("PROMTEST_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    ["../../shared", "../../../shared"]
        .iter()
        .map(|up| here.join(up).join("corpus/prometheus/promqltest"))
        .find(|p| p.is_dir())
}

#[test]
fn every_corpus_file_parses() {
    let Some(entries) = corpus_dir().and_then(|d| std::fs::read_dir(d).ok()) else {
        return; // corpus not present on this machine
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "test"))
        .collect();
    files.sort();
    let (mut commands, mut evals, mut loads) = (0, 0, 0);
    let mut failures = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).expect("readable corpus file");
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        match parse_script(&name, &src) {
            Ok(script) => {
                commands += script.commands.len();
                for c in &script.commands {
                    match c {
                        Command::Eval(_) => evals += 1,
                        Command::Load(_) => loads += 1,
                        Command::Clear { .. } => {}
                    }
                }
            }
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(
        failures.is_empty(),
        "{} files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "corpus: {} files, {commands} commands, {evals} evals, {loads} loads",
        files.len()
    );
    assert_eq!(files.len(), 21);
    assert_eq!((commands, evals, loads), (2214 + 310 + 231, 2214, 310));
}

/// Every prefix of every distinct corpus line, as a load line, an expected line and a command,
/// parses or fails cleanly (no panic).
#[test]
fn truncated_corpus_lines_never_panic() {
    let Some(entries) = corpus_dir().and_then(|d| std::fs::read_dir(d).ok()) else {
        return;
    };
    let mut lines: Vec<String> = Vec::new();
    for e in entries.filter_map(Result::ok) {
        if let Ok(src) = std::fs::read_to_string(e.path()) {
            lines.extend(src.lines().map(|l| l.trim().to_string()));
        }
    }
    lines.sort();
    lines.dedup();
    let mut parsed = 0usize;
    for line in &lines {
        let cuts: Vec<usize> = (0..=line.len())
            .filter(|&i| line.is_char_boundary(i))
            .collect();
        for &cut in &cuts {
            let part = &line[..cut];
            for src in [
                format!("load 1m\n  {part}\n"),
                format!("eval_fail range from 0 to 1m step 1m x\n  {part}\n"),
                format!("{part}\n"),
            ] {
                let _ = parse_script("fuzz.test", &src);
                parsed += 1;
            }
        }
    }
    assert!(parsed > 0);
}
