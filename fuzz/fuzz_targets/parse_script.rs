//! Fuzzes the promqltest script parser and loading: arbitrary UTF-8 must never panic, and a
//! script that parses must load into a store (errors allowed, panics not).
#![no_main]

use libfuzzer_sys::fuzz_target;
use promtest_runtime::{parse_script, Command, Store};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(script) = parse_script("fuzz.test", input) else {
        return;
    };
    let mut store = Store::new();
    for cmd in script.commands() {
        if let Command::Load(load) = cmd {
            let _ = load.try_apply(&mut store);
        }
    }
});
