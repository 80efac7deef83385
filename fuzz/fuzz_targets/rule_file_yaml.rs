//! Fuzz target `rule_file_yaml`: its body is `promtest_runtime::__fuzz::rule_file_yaml` (shared with the
//! stable smoke test under `cargo test`); errors are allowed, panics, hangs and memory
//! blow-ups are not.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| promtest_runtime::__fuzz::rule_file_yaml(data));
