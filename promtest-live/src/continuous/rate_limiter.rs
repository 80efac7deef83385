//! A token bucket as Go's `rate.Limiter`: `rate` tokens a second up to `burst`; `wait_n` takes
//! `n` tokens, sleeping while the bucket is in debt. The write-read-series test allows
//! `num_series` samples a second so catching up after downtime cannot flood the backend.

use std::time::{Duration, Instant};

use super::stop::StopSignal;

/// A token bucket.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    /// A full bucket of `burst` tokens refilled at `rate` a second.
    pub fn new(rate: f64, burst: usize) -> Self {
        RateLimiter {
            rate,
            burst: burst as f64,
            tokens: burst as f64,
            last: Instant::now(),
        }
    }

    /// Takes `n` tokens, waiting as long as it takes; `Err` when `n` exceeds the burst (as Go's
    /// limiter refuses) or when `stop` is raised while waiting.
    pub fn wait_n(&mut self, n: usize, stop: &StopSignal) -> Result<(), String> {
        let n = n as f64;
        if n > self.burst {
            return Err(format!(
                "rate: Wait(n={n}) exceeds limiter's burst {}",
                self.burst
            ));
        }
        let now = Instant::now();
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst) - n;
        self.last = now;
        if self.tokens < 0.0 && self.rate > 0.0 {
            let wait = Duration::from_secs_f64(-self.tokens / self.rate);
            if stop.wait(wait) {
                return Err("context canceled".to_string());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_is_free_then_the_rate_applies() {
        let stop = StopSignal::new();
        let mut l = RateLimiter::new(100.0, 10);
        let start = Instant::now();
        l.wait_n(10, &stop).unwrap();
        l.wait_n(10, &stop).unwrap();
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(90), "{took:?}");
        assert!(l.wait_n(11, &stop).is_err());
    }

    #[test]
    fn a_stop_interrupts_the_wait() {
        let stop = StopSignal::new();
        let mut l = RateLimiter::new(0.5, 1);
        l.wait_n(1, &stop).unwrap();
        stop.stop();
        assert_eq!(l.wait_n(1, &stop), Err("context canceled".to_string()));
    }
}
