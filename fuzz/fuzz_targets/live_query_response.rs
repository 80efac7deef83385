//! Fuzzes the query-API response decoder (what a backend promtest does not control sends):
//! arbitrary bytes must give a result or an error, never a panic; a decoded result must be
//! checkable by the continuous test's verifier.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promtest_live::continuous::{verify_samples_sum, Profile};
use promtest_live::query::{decode_matrix, decode_vector};

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = decode_matrix(data) {
        for p in [Profile::Float, Profile::HistogramFloatGauge] {
            let _ = verify_samples_sum(&m, 3, 20_000, p);
        }
    }
    let _ = decode_vector(data);
});
