//! `promtest test rules -j N`: files (and test groups) run side by side, and the output —
//! standard output, standard error, exit code, JUnit XML — is byte for byte that of `-j 1`.

use std::path::Path;
use std::process::{Command, Output};

fn promtest(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run promtest")
}

/// Every rule-test file of a directory, in name order.
fn test_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("read fixture directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("_test.yml"))
        .collect();
    files.sort();
    files
}

#[test]
fn parallel_output_is_the_serial_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for dir in ["tests/rules", "tests/fixtures/rules_failing"] {
        let dir = root.join(dir);
        let files = test_files(&dir);
        assert!(!files.is_empty(), "no test files in {}", dir.display());
        // Each file twice, so that several files are in flight at once.
        let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
        args.extend(files.iter().map(String::as_str));
        let tmp = std::env::temp_dir().join(format!("promtest-jobs-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).unwrap();
        let run = |jobs: &str, extra: &[&str]| {
            let junit = tmp.join(format!("junit-{jobs}.xml"));
            let junit = junit.to_str().unwrap().to_string();
            let mut a = vec!["test", "--junit", &junit, "rules", "-j", jobs];
            a.extend_from_slice(extra);
            a.extend(args.iter().copied());
            let out = promtest(&dir, &a);
            let xml = std::fs::read_to_string(&junit).unwrap_or_default();
            (out, xml)
        };
        for extra in [&[][..], &["--debug"][..]] {
            let (serial, serial_xml) = run("1", extra);
            let (parallel, parallel_xml) = run("4", extra);
            assert_eq!(
                serial.status.code(),
                parallel.status.code(),
                "{}",
                dir.display()
            );
            assert_eq!(
                String::from_utf8_lossy(&serial.stdout),
                String::from_utf8_lossy(&parallel.stdout),
                "{}",
                dir.display()
            );
            let timeless = |b: &[u8]| -> String {
                // `--debug` prints each group's time: everything else must match.
                String::from_utf8_lossy(b)
                    .lines()
                    .map(|l| match l.find(", took ") {
                        Some(i) => &l[..i],
                        None => l,
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(
                timeless(&serial.stderr),
                timeless(&parallel.stderr),
                "{}",
                dir.display()
            );
            assert_eq!(serial_xml, parallel_xml, "{}", dir.display());
            assert!(!serial_xml.is_empty());
            assert!(!serial.stdout.is_empty());
        }
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
