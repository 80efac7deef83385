#[promtest_runtime::promql_tests(".")]
fn main() {}
