#[promtest_runtime::promql_tests("promql")]
struct Main;

fn main() {}
