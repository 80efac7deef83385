//! The correctness check of a query result, as Mimir's `verifySamplesSum`: exactly one series,
//! only floats or only histograms, each point equal to the generator's value × `num_series`
//! (within Mimir's tolerances) and, for range queries, no gaps between consecutive points.
//! Points are checked newest first; the index of the oldest point of the matching tail is kept
//! for restart recovery.

use super::generators::{Expected, Profile};
use crate::clock;
use crate::query::{HistogramBucket, Matrix, SampleHistogram};

const MAX_DELTA_FLOAT: f64 = 0.001;
const MAX_DELTA_HISTOGRAM: f64 = 0.01;

/// The outcome of a check: the index of the oldest point of the newest run of matching points
/// (`None` when the newest point already fails), and the first failure found, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Oldest matching index of the newest matching run.
    pub last_matching: Option<usize>,
    /// Why the result is wrong.
    pub error: Option<String>,
}

impl Verdict {
    fn fail(last_matching: Option<usize>, error: String) -> Self {
        Verdict {
            last_matching,
            error: Some(error),
        }
    }
}

/// Mimir's comparison: `|(actual - expected) / tolerance| < tolerance`, i.e. an absolute error
/// under `tolerance²`.
pub fn close_enough(actual: f64, expected: f64, tolerance: f64) -> bool {
    ((actual - expected) / tolerance).abs() < tolerance
}

fn buckets_close(actual: &[HistogramBucket], expected: &[HistogramBucket], tolerance: f64) -> bool {
    actual.len() == expected.len()
        && actual.iter().zip(expected).all(|(a, e)| {
            a.boundaries == e.boundaries
                && close_enough(a.lower, e.lower, MAX_DELTA_FLOAT)
                && close_enough(a.upper, e.upper, MAX_DELTA_FLOAT)
                && close_enough(a.count, e.count, tolerance)
        })
}

fn histograms_close(actual: &SampleHistogram, expected: &SampleHistogram) -> bool {
    close_enough(actual.count, expected.count, MAX_DELTA_HISTOGRAM)
        && close_enough(actual.sum, expected.sum, MAX_DELTA_HISTOGRAM)
        && buckets_close(&actual.buckets, &expected.buckets, MAX_DELTA_HISTOGRAM)
}

/// Checks `matrix` against what `profile` wrote `num_series` times, with points `step_ms` apart
/// (0 for an instant query).
pub fn verify_samples_sum(
    matrix: &Matrix,
    num_series: usize,
    step_ms: i64,
    profile: Profile,
) -> Verdict {
    if matrix.len() != 1 {
        return Verdict::fail(
            None,
            format!("expected 1 series in the result but got {}", matrix.len()),
        );
    }
    let series = &matrix[0];
    let (floats, histograms) = (&series.values, &series.histograms);
    match (floats.is_empty(), histograms.is_empty()) {
        (false, false) => {
            return Verdict::fail(
                None,
                "expected only floats or histograms in the result but got both".to_string(),
            )
        }
        (true, true) => {
            return Verdict::fail(
                None,
                "expected either floats or histograms in the result but got neither".to_string(),
            )
        }
        _ => {}
    }
    let times: Vec<i64> = if histograms.is_empty() {
        floats.iter().map(|p| p.0).collect()
    } else {
        histograms.iter().map(|p| p.0).collect()
    };
    let what = if histograms.is_empty() {
        "sample"
    } else {
        "histogram"
    };
    let mut last_matching = None;
    for idx in (0..times.len()).rev() {
        let ts = times[idx];
        let mismatch = match profile.expected(ts, num_series) {
            Expected::Float(want) => match floats.get(idx) {
                Some(&(_, got)) if close_enough(got, want, MAX_DELTA_FLOAT) => None,
                Some(&(_, got)) => Some(format!(
                    "sample at timestamp {ts} ({}) has value {got:.6} while was expecting {want:.6}, full result comparison:\n{}",
                    clock::go_string(ts),
                    comparison_table(matrix, num_series, profile)
                )),
                None => Some(format!(
                    "histogram at timestamp {ts} ({}) was expected to be a float sample",
                    clock::go_string(ts)
                )),
            },
            Expected::Histogram(want) => match histograms.get(idx) {
                Some((_, got)) if histograms_close(got, &want) => None,
                Some((_, got)) => Some(format!(
                    "histogram at timestamp {ts} ({}) has sum {:.6} while was expecting {:.6}",
                    clock::go_string(ts),
                    got.sum,
                    want.sum
                )),
                None => Some(format!(
                    "sample at timestamp {ts} ({}) was expected to be a histogram",
                    clock::go_string(ts)
                )),
            },
        };
        if let Some(e) = mismatch {
            return Verdict::fail(last_matching, e);
        }
        if idx + 1 < times.len() {
            let next = times[idx + 1];
            let want = next - step_ms;
            if ts != want {
                return Verdict::fail(
                    last_matching,
                    format!(
                        "{what} at timestamp {ts} ({}) was expected to have timestamp {want} ({}) because next {what} has timestamp {next} ({})",
                        clock::go_string(ts),
                        clock::go_string(want),
                        clock::go_string(next)
                    ),
                );
            }
        }
        last_matching = Some(idx);
    }
    Verdict {
        last_matching,
        error: None,
    }
}

/// The `Timestamp / Expected / Actual` table of a float result, each differing point marked.
pub fn comparison_table(matrix: &Matrix, num_series: usize, profile: Profile) -> String {
    let mut out = String::from("Timestamp      Expected  Actual\n");
    for &(ts, actual) in matrix.first().map(|s| s.values.as_slice()).unwrap_or(&[]) {
        let Expected::Float(expected) = profile.expected(ts, num_series) else {
            continue;
        };
        out.push_str(&format!(
            "{ts} ({})  {expected:.4}  {actual:.4}",
            clock::rfc3339(ts)
        ));
        if !close_enough(actual, expected, MAX_DELTA_FLOAT) {
            out.push_str("  (value differs!)");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::SampleStream;

    const T0: i64 = 1_654_077_600_000;

    fn floats(points: &[(i64, f64)]) -> Matrix {
        vec![SampleStream {
            values: points.to_vec(),
            ..SampleStream::default()
        }]
    }

    fn good(t: i64, n: usize) -> (i64, f64) {
        match Profile::Float.expected(t, n) {
            Expected::Float(v) => (t, v),
            Expected::Histogram(_) => unreachable!(),
        }
    }

    #[test]
    fn tolerance_is_the_square_of_the_delta() {
        assert!(close_enough(1.0, 1.0 + 9e-7, 0.001));
        assert!(!close_enough(1.0, 1.0 + 2e-6, 0.001));
    }

    #[test]
    fn matching_points_pass() {
        let m = floats(&[good(T0, 3), good(T0 + 20_000, 3), good(T0 + 40_000, 3)]);
        let v = verify_samples_sum(&m, 3, 20_000, Profile::Float);
        assert_eq!(
            v,
            Verdict {
                last_matching: Some(0),
                error: None
            }
        );
    }

    #[test]
    fn a_wrong_value_names_the_point_and_prints_the_table() {
        let (t1, v1) = good(T0 + 20_000, 3);
        let m = floats(&[good(T0, 3), (t1, v1 + 2.0), good(T0 + 40_000, 3)]);
        let v = verify_samples_sum(&m, 3, 20_000, Profile::Float);
        assert_eq!(v.last_matching, Some(2));
        let e = v.error.unwrap();
        assert!(
            e.starts_with(
                "sample at timestamp 1654077620000 (2022-06-01 10:00:20 +0000 UTC) has value"
            ),
            "{e}"
        );
        assert!(e.contains("Timestamp      Expected  Actual\n"), "{e}");
        assert!(e.contains("1654077620000 (2022-06-01T10:00:20Z)"), "{e}");
        assert_eq!(e.matches("(value differs!)").count(), 1, "{e}");
    }

    #[test]
    fn gaps_and_shapes_are_failures() {
        let m = floats(&[good(T0, 1), good(T0 + 40_000, 1)]);
        let e = verify_samples_sum(&m, 1, 20_000, Profile::Float)
            .error
            .unwrap();
        assert!(
            e.contains("was expected to have timestamp 1654077620000"),
            "{e}"
        );
        let two = vec![SampleStream::default(), SampleStream::default()];
        assert_eq!(
            verify_samples_sum(&two, 1, 0, Profile::Float)
                .error
                .unwrap(),
            "expected 1 series in the result but got 2"
        );
        assert!(verify_samples_sum(&floats(&[]), 1, 0, Profile::Float)
            .error
            .unwrap()
            .contains("neither"));
    }

    #[test]
    fn histograms_compare_count_sum_and_buckets() {
        let t = T0;
        let Expected::Histogram(h) = Profile::HistogramIntGauge.expected(t, 2) else {
            unreachable!()
        };
        let m = vec![SampleStream {
            histograms: vec![(t, h.clone())],
            ..SampleStream::default()
        }];
        assert_eq!(
            verify_samples_sum(&m, 2, 0, Profile::HistogramIntGauge).error,
            None
        );
        let mut wrong = h;
        wrong.buckets.pop();
        let m = vec![SampleStream {
            histograms: vec![(t, wrong)],
            ..SampleStream::default()
        }];
        let e = verify_samples_sum(&m, 2, 0, Profile::HistogramIntGauge)
            .error
            .unwrap();
        assert!(e.starts_with("histogram at timestamp 1654077600000"), "{e}");
    }
}
