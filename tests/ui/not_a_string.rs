#[promtest_runtime::promql_tests(promql)]
fn main() {}
