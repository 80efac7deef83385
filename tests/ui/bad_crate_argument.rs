#[promtest_runtime::promql_tests("promql", crate = 1)]
fn main() {}
