//! Every line of the upstream conformance corpus parses.

use std::path::PathBuf;

use super::{parse_script, Command};

use crate::test_corpus as corpus;

/// The promqltest corpus directory (`None`: absent, skip; under CI absence fails).
fn corpus_dir() -> Option<PathBuf> {
    corpus::require("promqltest")
}

#[test]
fn every_corpus_file_parses() {
    let Some(entries) = corpus_dir().and_then(|d| std::fs::read_dir(d).ok()) else {
        return;
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

/// Every `load` of the corpus loads; `load_with_nhcb` conversions succeed.
#[test]
fn every_corpus_load_applies() {
    let Some(entries) = corpus_dir().and_then(|d| std::fs::read_dir(d).ok()) else {
        return;
    };
    let mut nhcb = 0;
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().to_string();
        let Ok(src) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        let script = parse_script(&name, &src).expect("corpus parses");
        for c in &script.commands {
            if let Command::Load(l) = c {
                let mut store = crate::store::Store::new();
                if let Err(err) = l.try_apply(&mut store) {
                    panic!("{name}:{}: {}", l.line, err.kind);
                }
                nhcb += usize::from(l.with_nhcb);
            }
        }
    }
    assert_eq!(nhcb, 33);
}

/// The corpus passes upstream, so its loads never trip the test storage's append checks
/// (out of order, duplicate timestamps, out of bounds) between `clear`s.
#[test]
fn corpus_loads_pass_the_append_checks() {
    let Some(entries) = corpus_dir().and_then(|d| std::fs::read_dir(d).ok()) else {
        return;
    };
    let mut loads = 0;
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().to_string();
        let Ok(src) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        let script = parse_script(&name, &src).expect("corpus parses");
        let mut check = crate::store::AppendCheck::new();
        let mut store = crate::store::Store::new();
        for c in &script.commands {
            match c {
                Command::Clear { .. } => {
                    check = crate::store::AppendCheck::new();
                    store = crate::store::Store::new();
                }
                Command::Load(l) => {
                    loads += 1;
                    if let Err(err) = l.try_apply_checked(&mut store, &mut check) {
                        panic!("{name}:{}: {}", l.line, err.kind);
                    }
                }
                Command::Eval(_) => {}
            }
        }
    }
    assert!(loads > 100, "{loads}");
}

/// Corpus lines with random characters replaced or inserted parse or fail cleanly.
#[test]
fn mutated_corpus_lines_never_panic() {
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
    let rounds: usize = std::env::var("PROMTEST_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    const ALPHABET: &[u8] = b"{}[]\"'`\\+-x_:@ .e0123456789,=~!#sInNaf\t";
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..rounds {
        for line in &lines {
            let mut bytes = line.clone().into_bytes();
            for _ in 0..1 + next() % 3 {
                let c = ALPHABET[(next() % ALPHABET.len() as u64) as usize];
                let at = (next() % (bytes.len() as u64 + 1)) as usize;
                if next() % 2 == 0 && at < bytes.len() {
                    bytes[at] = c;
                } else {
                    bytes.insert(at, c);
                }
            }
            let Ok(mutated) = String::from_utf8(bytes) else {
                continue;
            };
            for src in [
                format!("load 1m\n  {mutated}\n"),
                format!("load_with_nhcb 1m\n  {mutated}\n  {line}\n"),
                format!("eval_fail instant at 0 x\n  expect range vector from 0 to 1m step 30s\n  {mutated}\n"),
                format!("{mutated}\n"),
            ] {
                if let Ok(script) = parse_script("fuzz.test", &src) {
                    for c in &script.commands {
                        if let Command::Load(l) = c {
                            let mut store = crate::store::Store::new();
                            let _ = l.try_apply(&mut store);
                        }
                    }
                }
            }
        }
    }
}
