#[promtest_runtime::promql_tests("promql", "more")]
fn main() {}
