//! Native-histogram arithmetic shared by the engine, the functions, the script loader and the
//! test harness, following Prometheus's `model/histogram/float_histogram.go`.
//!
//! Buckets are handled as sparse `(index, count)` lists in index order ([`expand`]) and turned
//! back into spans with empty buckets dropped ([`collapse`]), which compares equal to
//! Prometheus's layouts up to `Compact`.

pub mod bounds;
mod bounds_table;
pub mod buckets;
pub mod combine;
pub mod compare;
pub mod hints;
pub mod interpolate;
pub mod kahan;
pub mod reset;
pub mod scale;
pub mod schema;
pub mod zero_bucket;

#[cfg(test)]
mod arithmetic_tests;

pub use bounds::exponential_bound;
pub use buckets::{collapse, compact, compact_with_gaps, expand};
pub use combine::{add, combine, common_bounds, map_to_bounds, sub, AddNotes, HistogramError};
pub use compare::{equals, spans_match};
pub use hints::adjust_counter_reset;
pub use interpolate::interpolate;
pub use kahan::{kahan_sum_inc, kahan_sum_inc_in, KahanSum};
pub use reset::detect_reset;
pub use scale::{div, divided, mul, scaled};
pub use schema::{reduce, reduce_index, to_schema};
pub use zero_bucket::zero_for_threshold;
