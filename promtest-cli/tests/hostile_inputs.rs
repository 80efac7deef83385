//! Hostile inputs through the command line: each fails its file with a clear error naming the
//! file (and line), exits non-zero, and does not panic; a panic (injected) is reported as a
//! promtest bug for its file while the other files still run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory for one test.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("promtest-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn promtest(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_promtest"));
    c.current_dir(dir)
        .args(args)
        .env_remove("PROMTEST_INTERNAL_INJECT_PANIC");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Exits 1 (a failed file), not 101 (a panic) or a signal.
fn assert_failed_cleanly(o: &Output) {
    assert_eq!(o.status.code(), Some(1), "{}", text(o));
    assert!(!text(o).contains("panicked at"), "{}", text(o));
}

const BILLION_LAUGHS: &str = r#"rule_files: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
tests: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"#;

#[test]
fn a_billion_laughs_rule_test_fails_fast() {
    let d = dir("laughs");
    std::fs::write(d.join("laughs.yml"), BILLION_LAUGHS).unwrap();
    let o = promtest(&d, &["test", "rules", "laughs.yml"], &[]);
    assert_failed_cleanly(&o);
    assert!(
        text(&o).contains("yaml: line 4: document contains excessive aliasing"),
        "{}",
        text(&o)
    );
}

#[test]
fn hostile_scripts_fail_with_their_file_and_line() {
    let d = dir("scripts");
    let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    let unary = format!("{}1", "-".repeat(100_000));
    let files = [
        (
            "samples.test",
            "load 1m\n  m 1+1x10\n\neval instant at 1000d max_over_time(m[1000d:1ms])\n  {} 11\n"
                .to_string(),
            "samples.test:4: error evaluating query \"max_over_time(m[1000d:1ms])\" (line 4): \
             query processing would load too many samples into memory in query execution",
        ),
        (
            "duration.test",
            "load 1m\n  m 1\n\neval instant at 999999999999y m\n  m 1\n".to_string(),
            "duration.test:4: malformed test file: error in eval m (line 4): invalid timestamp \
             definition \"999999999999y\": duration out of range",
        ),
        (
            "parens.test",
            format!("eval instant at 1m {deep}\n  1\n"),
            "query too complex: more than",
        ),
        (
            "unary.test",
            format!("eval instant at 1m {unary}\n  1\n"),
            "query too complex: more than",
        ),
    ];
    for (name, script, want) in files {
        std::fs::write(d.join(name), script).unwrap();
        let o = promtest(&d, &["run", name], &[]);
        assert_failed_cleanly(&o);
        let out = text(&o);
        assert!(out.contains(want), "missing {want:?} in\n{out}");
        assert!(out.contains(&format!("{name}:")), "{out}");
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let d = dir("big");
    for name in ["big.test", "big.yml"] {
        std::fs::File::create(d.join(name))
            .unwrap()
            .set_len(100 << 20)
            .unwrap();
    }
    let o = promtest(&d, &["run", "big.test"], &[]);
    assert_failed_cleanly(&o);
    assert!(
        text(&o).contains("file is 104857600 bytes, more than promtest's limit"),
        "{}",
        text(&o)
    );
    let o = promtest(&d, &["test", "rules", "big.yml"], &[]);
    assert_failed_cleanly(&o);
    assert!(
        text(&o).contains("file is 104857600 bytes, more than promtest's limit"),
        "{}",
        text(&o)
    );
}

#[test]
fn the_size_limit_is_set_by_its_environment_variable() {
    let d = dir("limit-env");
    std::fs::write(
        d.join("small.test"),
        "load 1m\n  m 1 2 3\n\neval instant at 1m m\n  m 2\n",
    )
    .unwrap();
    // A limit below the file's size refuses it, naming where the limit came from.
    let o = promtest(
        &d,
        &["run", "small.test"],
        &[("PROMTEST_MAX_INPUT_BYTES", "10")],
    );
    assert_failed_cleanly(&o);
    assert!(
        text(&o).contains("more than promtest's limit of 10 bytes (from PROMTEST_MAX_INPUT_BYTES)"),
        "{}",
        text(&o)
    );
    // The same file under the default limit runs and passes.
    let o = promtest(&d, &["run", "small.test"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn huge_label_counts_and_values() {
    let d = dir("labels");
    // 150,000 labels on one series (1.7 MB): loads and evaluates.
    let labels: Vec<String> = (0..150_000).map(|i| format!("l{i}=\"v\"")).collect();
    let many = format!(
        "load 1m\n  m{{{}}} 1\n\neval instant at 0m count(m)\n  {{}} 1\n",
        labels.join(",")
    );
    std::fs::write(d.join("many.test"), many).unwrap();
    let o = promtest(&d, &["run", "many.test"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    // A 3 MB label value: over the file limit.
    let huge = format!("load 1m\n  m{{a=\"{}\"}} 1\n", "v".repeat(3 << 20));
    std::fs::write(d.join("huge.test"), huge).unwrap();
    let o = promtest(&d, &["run", "huge.test"], &[]);
    assert_failed_cleanly(&o);
    assert!(
        text(&o).contains(&format!(
            "huge.test:1: cannot read huge.test: file is {} bytes, more than",
            3_145_728 + 20
        )),
        "{}",
        text(&o)
    );
}

const RULE_TEST: &str = "tests:\n  - input_series:\n      - series: m\n        values: 1\n    promql_expr_test:\n      - expr: m\n        eval_time: 0m\n        exp_samples:\n          - labels: m\n            value: 1\n";

#[test]
fn an_injected_panic_is_an_internal_error_of_its_file_and_the_others_still_run() {
    let d = dir("panic");
    std::fs::write(d.join("a.test"), "eval instant at 0m 1\n  1\n").unwrap();
    std::fs::write(d.join("b.test"), "eval instant at 0m 2\n  2\n").unwrap();
    std::fs::write(d.join("a.yml"), RULE_TEST).unwrap();
    std::fs::write(d.join("b.yml"), RULE_TEST).unwrap();
    let inject = "PROMTEST_INTERNAL_INJECT_PANIC";

    let all = ["run", "a.test", "b.test", "a.yml", "b.yml"];
    let o = promtest(&d, &all, &[(inject, "a.test")]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains(
            "internal error: promtest panicked on a.test:1: panic injected by \
             PROMTEST_INTERNAL_INJECT_PANIC (this is a promtest bug"
        ),
        "{out}"
    );
    assert!(
        out.contains("b.test::L1::eval instant at 0m 2 ... ok"),
        "{out}"
    );

    let o = promtest(
        &d,
        &["test", "rules", "a.yml", "b.yml"],
        &[(inject, "a.yml")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stderr);
    let internal: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("internal error"))
        .collect();
    assert_eq!(
        internal,
        [
            "internal error: promtest panicked on a.yml: panic injected by \
          PROMTEST_INTERNAL_INJECT_PANIC (this is a promtest bug, not a problem with the \
          file: please report it with the file)"
        ],
        "{out}"
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Unit Testing:  b.yml\n  SUCCESS"),
        "{stdout}"
    );

    // Unset, the same files pass.
    assert!(promtest(&d, &all, &[]).status.success());
    assert!(promtest(&d, &["test", "rules", "a.yml", "b.yml"], &[])
        .status
        .success());
}
