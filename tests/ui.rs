//! Misuse of `#[promql_tests]` must fail to compile with a message that says how to fix it.

#[test]
fn macro_misuse_is_a_compile_error() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
