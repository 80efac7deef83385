//! Query results: scalars, strings, instant vectors and matrices.

use std::sync::Arc;

use crate::model::{FloatHistogram, Labels, Timestamp};

/// A float point of a series in a matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FPoint {
    /// Timestamp.
    pub t: Timestamp,
    /// Value.
    pub f: f64,
}

/// A histogram point of a series in a matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct HPoint {
    /// Timestamp.
    pub t: Timestamp,
    /// Value.
    pub h: Arc<FloatHistogram>,
}

/// One element of an instant vector: a float or a histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorSample {
    /// The series' labels.
    pub metric: Labels,
    /// Evaluation timestamp.
    pub t: Timestamp,
    /// The float value (ignored when `h` is set).
    pub f: f64,
    /// The histogram value, if this is a histogram sample.
    pub h: Option<Arc<FloatHistogram>>,
    /// Whether `__name__` must be dropped from `metric` once evaluation ends (delayed name removal).
    pub drop_name: bool,
}

/// A series of a range result.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Series {
    /// The series' labels.
    pub metric: Labels,
    /// Float points, time-ordered.
    pub floats: Vec<FPoint>,
    /// Histogram points, time-ordered.
    pub histograms: Vec<HPoint>,
    /// Whether `__name__` must be dropped once evaluation ends (delayed name removal).
    pub drop_name: bool,
}

/// A query's result value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar at a timestamp.
    Scalar {
        /// Timestamp.
        t: Timestamp,
        /// Value.
        v: f64,
    },
    /// A string at a timestamp.
    String {
        /// Timestamp.
        t: Timestamp,
        /// Value.
        v: String,
    },
    /// An instant vector.
    Vector(Vec<VectorSample>),
    /// A range vector / range query result.
    Matrix(Vec<Series>),
}
