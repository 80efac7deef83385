//! Counter-reset hints of combined histograms.

use crate::model::CounterResetHint;

/// Prometheus's `adjustCounterReset`: sets the receiver's hint `h` after combining it with a
/// histogram hinted `other`; returns true when a `CounterReset` met a `NotCounterReset`.
pub fn adjust_counter_reset(h: &mut CounterResetHint, other: CounterResetHint) -> bool {
    use CounterResetHint::*;
    match (*h, other) {
        (a, b) if a == b => false,
        (Gauge, _) => false,
        (_, Gauge) => {
            *h = Gauge;
            false
        }
        (Unknown, _) => false,
        (_, Unknown) => {
            *h = Unknown;
            false
        }
        _ => {
            *h = Unknown;
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CounterResetHint::*;

    fn adjusted(a: CounterResetHint, b: CounterResetHint) -> (CounterResetHint, bool) {
        let mut h = a;
        let collision = adjust_counter_reset(&mut h, b);
        (h, collision)
    }

    #[test]
    fn gauge_wins_then_unknown() {
        assert_eq!(adjusted(CounterReset, Gauge), (Gauge, false));
        assert_eq!(adjusted(Gauge, NotCounterReset), (Gauge, false));
        assert_eq!(adjusted(NotCounterReset, Unknown), (Unknown, false));
        assert_eq!(adjusted(Unknown, CounterReset), (Unknown, false));
        assert_eq!(adjusted(CounterReset, CounterReset), (CounterReset, false));
    }

    #[test]
    fn reset_meeting_not_reset_collides() {
        assert_eq!(adjusted(CounterReset, NotCounterReset), (Unknown, true));
        assert_eq!(adjusted(NotCounterReset, CounterReset), (Unknown, true));
    }
}
