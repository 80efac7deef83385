#[promtest_runtime::promql_tests("no/such/dir")]
fn main() {}
