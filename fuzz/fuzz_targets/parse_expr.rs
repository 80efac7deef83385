//! Fuzzes the PromQL parser: arbitrary UTF-8 must never panic, and whatever parses must print
//! to text that parses again and prints identically.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promtest_runtime::parse_expr;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(expr) = parse_expr(input) else {
        return;
    };
    let printed = expr.to_string();
    match parse_expr(&printed) {
        Ok(again) => assert_eq!(again.to_string(), printed, "printing is not stable for {input:?}"),
        Err(e) => panic!(
            "{input:?} printed as {printed:?}, which does not parse: {}",
            e.render(&printed)
        ),
    }
});
