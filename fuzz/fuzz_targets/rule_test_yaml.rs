//! Fuzzes promtool rule-test YAML parsing (the YAML loader, aliases and merge keys, and the
//! strict field checks): errors are allowed, panics, hangs and memory blow-ups are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = std::str::from_utf8(data) {
        let _ = promtest_runtime::__fuzz::rule_test_yaml(src);
    }
});
