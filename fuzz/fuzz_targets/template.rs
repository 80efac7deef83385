//! Fuzzes Go templates: parse and execute with random `$labels` and `$value`. The input is
//! split at the first two NUL bytes into the template text, `name=value` label lines and the
//! value's bits; errors are allowed (they expand to Prometheus's error text), panics not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let Ok(text) = std::str::from_utf8(parts.next().unwrap_or_default()) else {
        return;
    };
    let labels: Vec<(String, String)> = String::from_utf8_lossy(parts.next().unwrap_or_default())
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let mut bits = [0u8; 8];
    for (b, v) in bits.iter_mut().zip(parts.next().unwrap_or_default()) {
        *b = *v;
    }
    let _ = promtest_runtime::__fuzz::template(text, &labels, f64::from_le_bytes(bits));
});
