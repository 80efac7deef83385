//! promtest's own PromQL tests, run through its own macro as a downstream crate would.

#[promtest_runtime::promql_tests("promql")]
fn main() {}
