//! The update mode's round trip: copies of `tests/promql` and `tests/rules` with every
//! expectation deleted (each eval's expected lines, each case's `exp_samples`/`exp_alerts`)
//! fail; `promtest run --update` and `promtest test rules --update` write them back; then
//! everything passes, the files differ from the originals only inside expected blocks, and the
//! expected values equal the originals'.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use promtest_runtime::{
    parse_script, BucketSpan, Command as ScriptCommand, FloatHistogram, SequenceValue,
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p, ext));
        } else if p.to_string_lossy().ends_with(ext) {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn promtest(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run promtest")
}

/// A script without the expected lines of its evals (those without `expect fail`).
fn strip_script(src: &str) -> String {
    let lines: Vec<&str> = src.split('\n').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        out.push(lines[i]);
        let head = lines[i].trim().to_ascii_lowercase();
        i += 1;
        if !head.starts_with("eval") {
            continue;
        }
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() && !lines[i].trim().starts_with('#') {
            i += 1;
        }
        let block = &lines[start..i];
        let fails = head.starts_with("eval_fail")
            || block.iter().any(|l| l.trim().starts_with("expect fail"));
        for l in block {
            let t = l.trim();
            if fails || t.split(' ').next() == Some("expect") || t.starts_with("expected_fail") {
                out.push(l);
            }
        }
    }
    out.join("\n")
}

fn indent(l: &str) -> usize {
    l.len() - l.trim_start_matches(' ').len()
}

/// Whether a YAML line starts a key or a sequence item (not a scalar's continuation).
fn is_structure(t: &str) -> bool {
    t.starts_with("- ") || t == "-" || {
        let key: String = t
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        !key.is_empty() && (t[key.len()..].starts_with(": ") || &t[key.len()..] == ":")
    }
}

/// A rule-test file without its `exp_samples` and `exp_alerts` keys.
fn strip_yaml(src: &str) -> String {
    let lines: Vec<&str> = src.split('\n').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if !(t.starts_with("exp_samples:") || t.starts_with("exp_alerts:")) {
            out.push(lines[i]);
            i += 1;
            continue;
        }
        let key = indent(lines[i]);
        let mut end = i;
        for (j, l) in lines.iter().enumerate().skip(i + 1) {
            let t = l.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let w = indent(l);
            let ends = is_structure(t) && (w < key || (w == key && !t.starts_with('-')));
            if ends {
                break;
            }
            end = j;
        }
        i = end + 1;
    }
    out.join("\n")
}

/// Per eval (in order), its expected values by labels (`None`: a scalar).
type Expectations = Vec<BTreeMap<Option<String>, Vec<SequenceValue>>>;

fn expectations(name: &str, src: &str) -> Expectations {
    let script = parse_script(name, src).expect("script parses");
    script
        .commands()
        .iter()
        .filter_map(|c| match c {
            ScriptCommand::Eval(e) => Some(
                e.expected_series()
                    .iter()
                    .map(|s| (s.labels.as_ref().map(|l| l.to_string()), s.values.clone()))
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

fn same_value(a: &SequenceValue, b: &SequenceValue) -> bool {
    match (a, b) {
        (SequenceValue::Float(x), SequenceValue::Float(y)) => {
            x.to_bits() == y.to_bits()
                || (x.is_nan() && y.is_nan())
                || (x - y).abs() <= 1e-6 * x.abs().max(y.abs())
        }
        // A hint the original leaves unset matches any (promqltest's rule); the update writes
        // the actual one.
        (
            SequenceValue::Histogram {
                h: x,
                counter_reset_hint_set: false,
            },
            SequenceValue::Histogram { h: y, .. },
        ) => same_histogram(x, y, false),
        (SequenceValue::Histogram { h: x, .. }, SequenceValue::Histogram { h: y, .. }) => {
            same_histogram(x, y, true)
        }
        (x, y) => x == y,
    }
}

/// Bucket index → count, without empty buckets (spans may differ in trailing zeros).
fn dense(spans: &[BucketSpan], counts: &[f64]) -> BTreeMap<i64, u64> {
    let (mut out, mut at, mut k) = (BTreeMap::new(), 0i64, 0usize);
    for s in spans {
        at += i64::from(s.offset);
        for _ in 0..s.length {
            if let Some(&c) = counts.get(k) {
                if c != 0.0 {
                    out.insert(at, c.to_bits());
                }
            }
            at += 1;
            k += 1;
        }
    }
    out
}

fn same_histogram(x: &FloatHistogram, y: &FloatHistogram, hint: bool) -> bool {
    (!hint || x.counter_reset_hint == y.counter_reset_hint)
        && (x.schema, x.zero_threshold, x.zero_count, x.count, x.sum)
            == (y.schema, y.zero_threshold, y.zero_count, y.count, y.sum)
        && x.custom_values == y.custom_values
        && dense(&x.positive_spans, &x.positive_buckets)
            == dense(&y.positive_spans, &y.positive_buckets)
        && dense(&x.negative_spans, &x.negative_buckets)
            == dense(&y.negative_spans, &y.negative_buckets)
}

#[test]
fn deleted_expectations_are_written_back() {
    let tmp = std::env::temp_dir().join(format!("promtest-update-rt-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    for dir in ["tests/promql", "tests/rules", "promtest-live/alerts"] {
        copy_dir(&root().join(dir), &tmp.join(dir));
    }
    let scripts = files(&tmp.join("tests/promql"), ".test");
    let rule_tests: Vec<PathBuf> = files(&tmp.join("tests/rules"), "_test.yml");
    let mut originals = BTreeMap::new();
    for f in scripts.iter().chain(&rule_tests) {
        let src = fs::read_to_string(f).unwrap();
        let broken = if f.extension().is_some_and(|e| e == "test") {
            strip_script(&src)
        } else {
            strip_yaml(&src)
        };
        fs::write(f, &broken).unwrap();
        originals.insert(f.clone(), src);
    }
    let rules_dir = tmp.join("tests/rules");
    let names: Vec<String> = rule_tests
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    assert!(!promtest(&tmp, &["run", "tests/promql"]).status.success());
    assert!(
        !promtest(&rules_dir, &[&["test", "rules"][..], &names].concat())
            .status
            .success()
    );

    let run = promtest(&tmp, &["run", "--update", "tests/promql"]);
    let rules = promtest(
        &rules_dir,
        &[&["test", "rules", "--update"][..], &names].concat(),
    );
    let report =
        String::from_utf8_lossy(&run.stderr).into_owned() + &String::from_utf8_lossy(&rules.stderr);
    let count = |prefix: &str| -> (usize, usize) {
        let lines: Vec<&str> = report.lines().filter(|l| l.starts_with(prefix)).collect();
        let n = lines
            .iter()
            .filter_map(|l| {
                l.split(": ")
                    .nth(2)?
                    .split(' ')
                    .next()?
                    .parse::<usize>()
                    .ok()
            })
            .sum();
        (lines.len(), n)
    };
    let (script_files, evals) = count("promtest: updated tests/promql/");
    let (yaml_files, cases) = count("promtest: updated ");
    let (yaml_files, cases) = (yaml_files - script_files, cases - evals);
    assert!(
        !report.lines().any(|l| l.contains("not rewritten")),
        "{report}"
    );

    let again = promtest(&tmp, &["run", "tests/promql"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    let again = promtest(&rules_dir, &[&["test", "rules"][..], &names].concat());
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    let (mut changed, mut values, mut exact) = (0, 0, 0);
    for (f, original) in &originals {
        let updated = fs::read_to_string(f).unwrap();
        let is_script = f.extension().is_some_and(|e| e == "test");
        // Outside the expected blocks, the files are byte for byte the originals.
        let strip = if is_script { strip_script } else { strip_yaml };
        assert_eq!(strip(&updated), strip(original), "{}", f.display());
        let diff = similar::TextDiff::from_lines(original.as_str(), updated.as_str());
        changed += diff
            .iter_all_changes()
            .filter(|c| c.tag() != similar::ChangeTag::Equal)
            .count();
        if is_script {
            let (old, new) = (expectations("o", original), expectations("u", &updated));
            assert_eq!(old.len(), new.len());
            for (o, n) in old.iter().zip(&new) {
                assert_eq!(
                    o.keys().collect::<Vec<_>>(),
                    n.keys().collect::<Vec<_>>(),
                    "{}",
                    f.display()
                );
                for (k, ov) in o {
                    let nv = &n[k];
                    let trim = |v: &[SequenceValue]| {
                        let mut v = v.to_vec();
                        while matches!(v.last(), Some(SequenceValue::Omitted)) {
                            v.pop();
                        }
                        v
                    };
                    let (ov, nv) = (trim(ov), trim(nv));
                    assert_eq!(ov.len(), nv.len(), "{} {k:?}", f.display());
                    for (a, b) in ov.iter().zip(&nv) {
                        assert!(same_value(a, b), "{} {k:?}: {a:?} vs {b:?}", f.display());
                        values += 1;
                        exact += usize::from(a == b);
                    }
                }
            }
        }
    }
    eprintln!(
        "update round trip: {script_files} .test files ({evals} evals) and {yaml_files} rule-test files \
         ({cases} cases) rewritten; {changed} lines differ from the originals; {values} expected \
         values equal the originals' ({exact} bit for bit)"
    );
    assert!(evals > 500 && cases > 20, "{report}");
    let _ = fs::remove_dir_all(&tmp);
}
