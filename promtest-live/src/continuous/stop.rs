//! A stop request shared by the manager, the tests and the signal handler: set once (SIGINT,
//! SIGTERM, or a test harness), observed between steps, and able to cut a wait short.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// A cloneable stop flag with interruptible waits.
#[derive(Clone, Debug, Default)]
pub struct StopSignal(Arc<(Mutex<bool>, Condvar)>);

impl StopSignal {
    /// A signal not yet raised.
    pub fn new() -> Self {
        StopSignal::default()
    }

    /// Raises the signal and wakes every waiter.
    pub fn stop(&self) {
        let (lock, cv) = &*self.0;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
    }

    /// Whether the signal was raised.
    pub fn is_stopped(&self) -> bool {
        *self.0 .0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for `d` or until the signal is raised; true when it was.
    pub fn wait(&self, d: Duration) -> bool {
        let deadline = Instant::now() + d;
        let (lock, cv) = &*self.0;
        let mut stopped = lock.lock().unwrap_or_else(|e| e.into_inner());
        while !*stopped {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            stopped = cv
                .wait_timeout(stopped, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    /// Raises the signal on SIGINT or SIGTERM (once per process; later calls keep the first
    /// handler, which is what a CLI wants).
    pub fn on_termination_signals(&self) {
        let me = self.clone();
        let _ = ctrlc::set_handler(move || me.stop());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_cuts_a_wait_short() {
        let s = StopSignal::new();
        assert!(!s.wait(Duration::from_millis(10)));
        let t = s.clone();
        let h = std::thread::spawn(move || t.wait(Duration::from_secs(30)));
        std::thread::sleep(Duration::from_millis(20));
        s.stop();
        assert!(h.join().unwrap());
        assert!(s.is_stopped());
    }
}
