//! Sample values, timestamps and the stale marker.

use std::sync::Arc;

use super::histogram::FloatHistogram;

/// Milliseconds since the Unix epoch, as Prometheus stores timestamps.
pub type Timestamp = i64;

/// The bit pattern Prometheus uses to mark a series stale (a signalling NaN).
pub const STALE_NAN_BITS: u64 = 0x7ff0_0000_0000_0002;

/// The stale marker as an `f64`.
pub fn stale_nan() -> f64 {
    f64::from_bits(STALE_NAN_BITS)
}

/// Whether `v` is the stale marker (not merely any NaN).
pub fn is_stale_nan(v: f64) -> bool {
    v.to_bits() == STALE_NAN_BITS
}

/// The value of one stored sample.
#[derive(Clone, Debug, PartialEq)]
pub enum SampleValue {
    /// A float; may be the stale marker.
    Float(f64),
    /// A native histogram (shared, since evaluation copies samples around).
    Histogram(Arc<FloatHistogram>),
}

impl SampleValue {
    /// Whether this sample is a stale marker.
    pub fn is_stale(&self) -> bool {
        matches!(self, SampleValue::Float(f) if is_stale_nan(*f))
    }
}

/// One stored sample: timestamp, optional start timestamp, value.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The sample's timestamp.
    pub t: Timestamp,
    /// The start (created) timestamp of the counter this sample belongs to; 0 when unknown (as
    /// Prometheus's appenders treat 0). A plain integer keeps a sample at 32 bytes.
    pub st: Timestamp,
    /// The value.
    pub value: SampleValue,
}

impl Sample {
    /// A float sample at `t` with no start timestamp.
    pub fn float(t: Timestamp, v: f64) -> Self {
        Sample {
            t,
            st: 0,
            value: SampleValue::Float(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_takes_32_bytes() {
        // Stores hold millions of samples (long rule tests); keep them small.
        assert_eq!(std::mem::size_of::<Sample>(), 32);
    }
}
