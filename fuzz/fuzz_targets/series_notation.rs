//! Fuzzes series notation (`load` lines and expected-series lines, `{{…}}` native histograms
//! included): the input is one series line, loaded at a 1m interval into a store and read as an
//! eval's expected series; errors are allowed, panics not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promtest_runtime::{parse_script, Command, Store};

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    if line.contains('\n') {
        return;
    }
    let script = format!("load 1m\n  {line}\n\neval range from 0 to 10m step 1m m\n  {line}\n");
    let Ok(script) = parse_script("fuzz.test", &script) else {
        return;
    };
    let mut store = Store::new();
    for cmd in script.commands() {
        if let Command::Load(load) = cmd {
            let _ = load.try_apply(&mut store);
        }
    }
});
