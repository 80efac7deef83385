//! The data model: labels, matchers, samples, native histograms and their arithmetic, the
//! stale marker, float comparison and Go's UTC calendar.

pub mod float_cmp;
pub mod go_regex;
pub mod go_time;
pub mod histogram;
pub mod histogram_math;
pub mod labels;
pub mod matcher;
pub mod sample;

pub use histogram::{CounterResetHint, FloatHistogram, Span};
pub use labels::{Label, Labels, METRIC_NAME};
pub use matcher::{MatchOp, Matcher};
pub use sample::{is_stale_nan, stale_nan, Sample, SampleValue, Timestamp};
