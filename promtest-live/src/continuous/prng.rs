//! A small pseudo-random generator (SplitMix64) for the random query range: uniform enough, no
//! dependency, and seedable so tests are repeatable.

/// SplitMix64.
#[derive(Clone, Debug)]
pub struct Prng(u64);

impl Prng {
    /// A generator from `seed`.
    pub fn seeded(seed: u64) -> Self {
        Prng(seed)
    }

    /// A generator seeded from the clock and the process id.
    pub fn from_entropy() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Prng(nanos ^ (u64::from(std::process::id()) << 32))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `[0, n)`; `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        // Multiply-shift: unbiased enough for picking query times.
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_in_range() {
        let mut r = Prng::seeded(42);
        for n in [1u64, 2, 10, 1_000_000] {
            for _ in 0..100 {
                assert!(r.below(n) < n);
            }
        }
    }
}
