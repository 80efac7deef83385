//! Literal syntax shared by PromQL, promqltest scripts and messages, as Go and Prometheus
//! read and print it: numbers, durations and quoted strings.

pub mod duration;
pub mod float;
pub mod number;
mod printable;
pub mod quote;

pub use duration::{format_duration, parse_duration, parse_duration_nanos};
pub use number::parse_number;
pub use quote::{go_quote, go_quote_bytes, unquote, unquote_bytes, write_go_quoted};
