//! `.test` files through a renamed dependency: the macro finds the runtime as `pt`.

#[pt::promql_tests("promql")]
fn main() {}
