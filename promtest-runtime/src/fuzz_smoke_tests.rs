//! The fuzz smoke on stable: every fuzz target's body runs on seeds from `tests/` and the
//! corpus, and on a fixed number of deterministic mutations of them (byte flips, insertions of
//! the syntax each format is made of, cuts, repeats). A panic fails the test with the input.
//! A regression in a parser shows up at the next `cargo test`, not at the next campaign.

use std::path::Path;

/// Mutations per target (the whole smoke takes seconds in the optimised test profile).
const MUTATIONS: usize = 4000;

/// xorshift64*: a fixed sequence, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces of syntax the mutations insert.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "{{",
    "}}",
    ",",
    ":",
    "-",
    "+",
    "x",
    "_",
    "stale",
    "1e400",
    "999999999999y",
    "0x",
    "\"",
    "'",
    "`",
    "\\",
    "\n",
    "  ",
    "&a ",
    "*a",
    "<<: ",
    "- ",
    "|",
    "$labels",
    "$value",
    ".Labels",
    "{{ template \"x\" }}",
    "{{ define \"x\" }}",
    "{{ end }}",
    "{{ range . }}",
    "humanize",
    "printf \"%v\"",
    "@",
    "offset",
    "by",
    "on(",
    "[5m:1ms]",
    "schema:",
    "buckets:[",
    "counter_reset_hint:",
    "custom_values:[",
    "NaN",
    "Inf",
    "\u{0}",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(5) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            2 => v.truncate(at),
            3 if at < v.len() => {
                let end = (at + 1 + rng.below(16)).min(v.len());
                let piece = v[at..end].to_vec();
                for _ in 0..1 + rng.below(8) {
                    v.splice(at..at, piece.iter().copied());
                }
            }
            _ if at < v.len() => {
                let end = (at + 1 + rng.below(8)).min(v.len());
                v.drain(at..end);
            }
            _ => {}
        }
    }
    v
}

/// Files under `dir` (recursively) ending in one of `exts`.
fn files(dir: &Path, exts: &[&str], out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, exts, out);
        } else if exts.iter().any(|e| p.to_string_lossy().ends_with(e)) {
            if let Ok(b) = std::fs::read(&p) {
                if b.len() < 200_000 {
                    out.push(b);
                }
            }
        }
    }
}

/// Seed files: the workspace's `tests/` and the corpus (when present).
fn seed_files(exts: &[&str]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    files(&ws.join("tests"), exts, &mut out);
    files(&crate::test_corpus::root(), exts, &mut out);
    out
}

/// Lines of the seed files that `keep` picks (and rewrites).
fn seed_lines(exts: &[&str], keep: impl Fn(&str) -> Option<String>) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = seed_files(exts)
        .iter()
        .flat_map(|f| {
            String::from_utf8_lossy(f)
                .lines()
                .filter_map(&keep)
                .collect::<Vec<_>>()
        })
        .map(String::into_bytes)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Runs `body` on every seed and on [`MUTATIONS`] mutations of them.
fn smoke(name: &str, seeds: Vec<Vec<u8>>, extra: &[&str], body: fn(&[u8])) {
    let mut seeds = seeds;
    seeds.extend(extra.iter().map(|s| s.as_bytes().to_vec()));
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ name.len() as u64);
    let inputs = seeds.iter().cloned().chain((0..MUTATIONS).map(|_| {
        let seed = &seeds[rng.below(seeds.len())];
        mutate(&mut rng, seed)
    }));
    for input in inputs {
        if std::panic::catch_unwind(|| body(&input)).is_err() {
            panic!(
                "fuzz target {name} panicked on {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}

#[test]
fn parse_expr() {
    let seeds = seed_lines(&[".test"], |l| {
        let l = l.trim_start();
        let rest = l.strip_prefix("eval")?;
        let at = rest.find(" at ").map(|i| i + 4)?;
        let q = rest[at..].split_once(' ')?.1;
        Some(q.to_string())
    });
    smoke(
        "parse_expr",
        seeds,
        &["sum by (a) (rate(x[5m:1ms] offset -1m @ end()))"],
        super::expr,
    );
}

#[test]
fn parse_script() {
    smoke("parse_script", seed_files(&[".test"]), &[], super::script);
}

#[test]
fn series_notation() {
    let seeds = seed_lines(&[".test"], |l| {
        (l.starts_with("  ") && !l.trim().is_empty()).then(|| l.trim().to_string())
    });
    smoke(
        "series_notation",
        seeds,
        &["m{a=\"b\"} 1+2x3 _x2 stale {{schema:1 sum:3 count:2 buckets:[1 2]}}x2"],
        super::series_notation,
    );
}

#[cfg(feature = "rule-tests")]
#[test]
fn rule_test_yaml() {
    let seeds: Vec<_> = seed_files(&[".yml", ".yaml"])
        .into_iter()
        .filter(|f| String::from_utf8_lossy(f).contains("tests:"))
        .collect();
    smoke("rule_test_yaml", seeds, &[], super::rule_test_yaml);
}

#[cfg(feature = "rule-tests")]
#[test]
fn rule_file_yaml() {
    let seeds: Vec<_> = seed_files(&[".yml", ".yaml"])
        .into_iter()
        .filter(|f| String::from_utf8_lossy(f).contains("groups:"))
        .collect();
    smoke("rule_file_yaml", seeds, &[], super::rule_file_yaml);
}

#[cfg(feature = "rule-tests")]
#[test]
fn template() {
    let seeds = seed_lines(&[".yml", ".yaml"], |l| {
        l.contains("{{").then(|| {
            let v = l.split_once(':').map_or(l, |(_, v)| v).trim();
            format!(
                "{}\0job=api\ninstance=a:9090\0\0\0\0\0\0\0\u{f0}?",
                v.trim_matches(['\'', '"'])
            )
        })
    });
    smoke(
        "template",
        seeds,
        &["{{ define \"x\" }}{{ template \"x\" . }}{{ end }}{{ template \"x\" . }}\0a=b\0"],
        super::template,
    );
}
