#[promtest_runtime::promql_tests("promql")]
fn run_tests() {}

fn main() {}
