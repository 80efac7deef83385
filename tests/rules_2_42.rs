//! Rule tests whose expectations are promtool 2.42's answers (each file passes under
//! `promtool test rules` 2.42), run in 2.42 mode; `promtest test rules --compare-versions
//! 2.42,latest rules_2_42/*_test.yml` lists what Prometheus 3 changes in them.

#[promtest_runtime::promql_tests("rules_2_42", prometheus = "2.42")]
fn main() {}
