//! promtest's own rule tests (promtool's `test rules` format): one trial per alert and per
//! expression assertion, each test group evaluated once.

#[promtest_runtime::promql_tests("rules")]
fn main() {}
