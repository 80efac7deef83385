//! Values in promtool's output are Go's shortest digits, including Go's choice between two
//! equally near candidates (the even one), where Rust's own formatter takes the upper.

use std::path::Path;
use std::process::Command;

#[test]
fn a_value_halfway_between_two_shortest_forms_prints_as_promtool_prints_it() {
    let out = Command::new(env!("CARGO_BIN_EXE_promtest"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/rules_failing"))
        .args(["test", "rules", "float_tie_test.yml"])
        .output()
        .expect("run promtest");
    assert_eq!(out.status.code(), Some(1));
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    // promtool 2.42 on the same file.
    assert!(
        text.contains("        got: {} 6.684947759092442E+14\n"),
        "{text}"
    );
}
