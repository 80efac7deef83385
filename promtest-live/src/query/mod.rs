//! The Prometheus HTTP query API as a client: `/api/v1/query` and `/api/v1/query_range`, their
//! JSON results with floats and native histograms, and errors kept as the server sent them.

mod client;
mod response;

pub use client::{QueryClient, QueryOptions};
pub use response::{
    decode_matrix, decode_vector, HistogramBucket, Matrix, QueryError, SampleHistogram,
    SampleStream, VectorSample,
};
