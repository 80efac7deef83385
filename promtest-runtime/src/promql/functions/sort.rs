//! Sorting instant vectors: `sort`, `sort_desc`, `sort_by_label`, `sort_by_label_desc`.
//!
//! Sorting only matters for instant queries; the engine warns when it is used in a range
//! query.

use std::cmp::Ordering;

use crate::promql::engine::EvalError;
use crate::promql::functions::FunctionCall;
use crate::promql::value::VectorSample;

/// Sorts `v` by `before(a, b)` ("a goes before b") with a stable insertion sort, which is
/// what Go's `sort.Sort` does on the short vectors tests use; longer vectors use a stable
/// merge sort with the same order for non-NaN values.
fn sort_by_before(v: &mut [VectorSample], before: fn(f64, f64) -> bool) {
    if v.len() <= 12 {
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && before(v[j].f, v[j - 1].f) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
    } else {
        v.sort_by(|a, b| match (before(a.f, b.f), before(b.f, a.f)) {
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => Ordering::Equal,
        });
    }
}

/// The float samples of argument 0, sorted by `before`, pushed unchanged.
fn push_sorted(call: &mut FunctionCall<'_>, before: fn(f64, f64) -> bool) -> Result<(), EvalError> {
    let mut v: Vec<VectorSample> = call
        .vector(0)
        .iter()
        .filter(|s| s.h.is_none())
        .cloned()
        .collect();
    sort_by_before(&mut v, before);
    call.out.extend(v);
    Ok(())
}

/// `sort(v instant-vector)`: ascending by value, NaN last; histograms are dropped.
pub fn sort(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    push_sorted(call, |a, b| b.is_nan() || a < b)
}

/// `sort_desc(v instant-vector)`: descending by value, NaN last; histograms are dropped.
pub fn sort_desc(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    push_sorted(call, |a, b| b.is_nan() || a > b)
}

/// Splits `s` into runs of ASCII digits and runs of other characters.
fn chunks(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    for i in 1..=bytes.len() {
        if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
            if i > start {
                out.push(&s[start..i]);
            }
            start = i;
        }
    }
    out
}

/// A chunk as Go's `strconv.Atoi` reads it (digits only, within `i64`).
fn atoi(chunk: &str) -> Option<i64> {
    chunk
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| chunk.parse().ok())
        .flatten()
}

/// Whether `a` precedes `b` in natural order (the `facette/natsort` comparison Prometheus
/// uses): numeric chunks compare as integers, others as strings.
pub fn natural_less(a: &str, b: &str) -> bool {
    let (ca, cb) = (chunks(a), chunks(b));
    for (i, x) in ca.iter().enumerate() {
        let Some(y) = cb.get(i) else {
            return false;
        };
        let equal = match (atoi(x), atoi(y)) {
            (Some(p), Some(q)) if p != q => return p < q,
            (Some(_), Some(_)) => true,
            _ => x == y,
        };
        if !equal {
            return x < y;
        }
        if i == ca.len() - 1 {
            return true;
        }
        if i == cb.len() - 1 {
            return false;
        }
    }
    false
}

/// Orders samples by the values of `names` in natural order, then (`full`) by their full
/// label sets.
fn by_labels(a: &VectorSample, b: &VectorSample, names: &[&str], full: bool) -> Ordering {
    for name in names {
        let (x, y) = (
            a.metric.get(name).unwrap_or(""),
            b.metric.get(name).unwrap_or(""),
        );
        if x == y {
            continue;
        }
        return if natural_less(x, y) {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    if full {
        a.metric.cmp(&b.metric)
    } else {
        Ordering::Equal
    }
}

fn push_by_labels(call: &mut FunctionCall<'_>, descending: bool) -> Result<(), EvalError> {
    let names: Vec<&str> = (1..call.args.len()).map(|i| call.string(i)).collect();
    let mut v = call.vector(0).to_vec();
    // 2.x sorts by value first (`sort`/`sort_desc`, dropping histograms) and keeps that
    // order among equal label values.
    let by_value = call.semantics.sort_by_label_ties_by_value;
    if by_value {
        v.retain(|s| s.h.is_none());
        if descending {
            sort_by_before(&mut v, |a, b| b.is_nan() || a > b);
        } else {
            sort_by_before(&mut v, |a, b| b.is_nan() || a < b);
        }
    }
    v.sort_by(|a, b| {
        let o = by_labels(a, b, &names, !by_value);
        if descending {
            o.reverse()
        } else {
            o
        }
    });
    call.out.extend(v);
    Ok(())
}

/// `sort_by_label(v instant-vector, label string...)`: ascending natural order of the labels.
pub fn sort_by_label(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    push_by_labels(call, false)
}

/// `sort_by_label_desc(v instant-vector, label string...)`: descending natural order.
pub fn sort_by_label_desc(call: &mut FunctionCall<'_>) -> Result<(), EvalError> {
    push_by_labels(call, true)
}

#[cfg(test)]
mod tests {
    use super::natural_less;
    use crate::promql::functions::test_util::{call, sample};
    use crate::promql::functions::ArgValue;

    #[test]
    fn sorts_by_value_with_nan_last() {
        let v = [
            sample(&[("i", "a")], 3.0),
            sample(&[("i", "b")], f64::NAN),
            sample(&[("i", "c")], 1.0),
            sample(&[("i", "d")], 2.0),
        ];
        let asc = call("sort", 0, &[ArgValue::Vector(&v)]).values();
        assert_eq!(&asc[..3], &[1.0, 2.0, 3.0]);
        assert!(asc[3].is_nan());
        let desc = call("sort_desc", 0, &[ArgValue::Vector(&v)]).values();
        assert_eq!(&desc[..3], &[3.0, 2.0, 1.0]);
        assert!(desc[3].is_nan());
    }

    #[test]
    fn natural_order() {
        assert!(natural_less("a2", "a10"));
        assert!(!natural_less("a10", "a2"));
        assert!(natural_less("abc", "abd"));
        assert!(natural_less("1", "a"));
        assert!(!natural_less("ab", "a"));
    }

    #[test]
    fn sorts_by_labels() {
        let v = [
            sample(&[("n", "10"), ("x", "1")], 1.0),
            sample(&[("n", "9"), ("x", "2")], 2.0),
            sample(&[("n", "10"), ("x", "0")], 3.0),
        ];
        let args = [ArgValue::Vector(&v), ArgValue::String("n")];
        assert_eq!(call("sort_by_label", 0, &args).values(), [2.0, 3.0, 1.0]);
        assert_eq!(
            call("sort_by_label_desc", 0, &args).values(),
            [1.0, 3.0, 2.0]
        );
    }
}
