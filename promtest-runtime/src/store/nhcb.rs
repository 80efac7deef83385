//! `load_with_nhcb`: classic histogram series (`*_bucket` with `le`, `*_sum`, `*_count`)
//! converted into custom-bucket native histograms, as Prometheus's `appendCustomHistogram`
//! and `convertnhcb.TempHistogram` do.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::literals::number::parse_go_float;
use crate::model::histogram::CUSTOM_BUCKETS_SCHEMA;
use crate::model::histogram_math::compact_with_gaps;
use crate::model::{FloatHistogram, Labels, Sample, SampleValue, Span, Timestamp, METRIC_NAME};

/// The classic histogram parts seen at one timestamp.
#[derive(Debug, Default, Clone)]
struct TempHistogram {
    /// `(le, cumulative count)`, sorted by `le`.
    buckets: Vec<(f64, f64)>,
    count: f64,
    sum: f64,
    has_count: bool,
    err: Option<String>,
}

impl TempHistogram {
    fn set_bucket_count(&mut self, le: f64, count: f64) {
        if self.err.is_some() {
            return;
        }
        if count < 0.0 {
            self.err = Some(format!(
                "bucket count must be non-negative: le={le}, count={count}"
            ));
            return;
        }
        let not_cumulative =
            |a: f64, op: &str, b: f64| Some(format!("count is not cumulative: {a} {op} {b}"));
        match self.buckets.last() {
            None => self.buckets.push((le, count)),
            Some(&(last_le, last_count)) if last_le < le => {
                if count < last_count {
                    self.err = not_cumulative(count, "<", last_count);
                    return;
                }
                self.buckets.push((le, count));
            }
            Some(&(last_le, _)) if last_le == le => {}
            Some(_) => {
                let i = self.buckets.partition_point(|b| b.0 < le);
                if self.buckets[i].0 == le {
                    return;
                }
                if i > 0 && count < self.buckets[i - 1].1 {
                    self.err = not_cumulative(count, "<", self.buckets[i - 1].1);
                    return;
                }
                if count > self.buckets[i].1 {
                    self.err = not_cumulative(count, ">", self.buckets[i].1);
                    return;
                }
                self.buckets.insert(i, (le, count));
            }
        }
    }

    fn set_count(&mut self, count: f64) {
        if self.err.is_some() {
            return;
        }
        if count < 0.0 {
            self.err = Some(format!("count must be non-negative: count={count}"));
            return;
        }
        self.count = count;
        self.has_count = true;
    }

    fn set_sum(&mut self, sum: f64) {
        if self.err.is_none() {
            self.sum = sum;
        }
    }

    /// The native histogram, as `TempHistogram.Convert` builds it.
    fn convert(mut self) -> Result<FloatHistogram, String> {
        if let Some(e) = self.err {
            return Err(e);
        }
        if !self.has_count {
            match self.buckets.last() {
                None => return Err("count must be provided when no buckets are present".into()),
                Some(&(_, c)) => self.count = c,
            }
        }
        if !matches!(self.buckets.last(), Some(b) if b.0 == f64::INFINITY) {
            self.buckets.push((f64::INFINITY, self.count));
        }
        let all_integral =
            self.buckets.iter().all(|b| b.1 == b.1.round()) && self.count == self.count.round();
        let (last_le, last_count) = *self.buckets.last().expect("at least the +Inf bucket");
        let mismatch = if all_integral {
            // The integer histogram compares counts as integers.
            (self.count as u64) != (last_count as u64)
        } else {
            self.count != last_count
        };
        if mismatch {
            return Err(format!(
                "count mismatch: count={} != le={} count={}",
                self.count, last_le, last_count
            ));
        }
        let mut h = FloatHistogram {
            schema: CUSTOM_BUCKETS_SCHEMA,
            count: self.count,
            sum: self.sum,
            positive_spans: vec![Span {
                offset: 0,
                length: self.buckets.len() as u32,
            }],
            ..Default::default()
        };
        let mut prev = 0.0;
        for &(le, c) in &self.buckets {
            h.positive_buckets.push(c - prev);
            prev = c;
            if le != f64::INFINITY {
                h.custom_values.push(le);
            }
        }
        compact_with_gaps(&mut h, if all_integral { 2 } else { 0 });
        Ok(h)
    }
}

/// Which part of a classic histogram a metric name is.
enum Part {
    Bucket(f64),
    Sum,
    Count,
}

/// Converts the classic histogram series among `series` into native histogram series
/// named after their base name (without `le`), one sample per timestamp any part has.
pub(crate) fn convert_classic_histograms(
    series: &[(Labels, Vec<Sample>)],
) -> Result<Vec<(Labels, Vec<Sample>)>, String> {
    let mut groups: Vec<(Labels, BTreeMap<Timestamp, TempHistogram>)> = Vec::new();
    let mut index: HashMap<Labels, usize> = HashMap::new();
    for (labels, samples) in series {
        let name = labels.metric_name().unwrap_or("");
        let (part, base) = if let Some(base) = name.strip_suffix("_bucket") {
            let Some(le) = labels.get("le") else {
                return Err(format!("expected bucket label in metric {labels}"));
            };
            match parse_go_float(le) {
                Some(le) if !le.is_nan() => (Part::Bucket(le), base),
                _ => continue,
            }
        } else if let Some(base) = name.strip_suffix("_sum") {
            (Part::Sum, base)
        } else if let Some(base) = name.strip_suffix("_count") {
            (Part::Count, base)
        } else {
            continue;
        };
        let base_labels = labels.with(METRIC_NAME, base).without(&["le"]);
        let g = *index.entry(base_labels.clone()).or_insert_with(|| {
            groups.push((base_labels, BTreeMap::new()));
            groups.len() - 1
        });
        for s in samples {
            let SampleValue::Float(f) = s.value else {
                continue;
            };
            let temp = groups[g].1.entry(s.t).or_default();
            match part {
                Part::Bucket(le) => temp.set_bucket_count(le, f),
                Part::Sum => temp.set_sum(f),
                Part::Count => temp.set_count(f),
            }
        }
    }
    groups
        .into_iter()
        .map(|(labels, by_ts)| {
            let samples = by_ts
                .into_iter()
                .map(|(t, temp)| {
                    Ok(Sample {
                        t,
                        st: 0,
                        value: SampleValue::Histogram(Arc::new(temp.convert()?)),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok((labels, samples))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, le: Option<&str>, vals: &[f64]) -> (Labels, Vec<Sample>) {
        let mut pairs = vec![("__name__", name), ("job", "a")];
        if let Some(le) = le {
            pairs.push(("le", le));
        }
        let samples = vals
            .iter()
            .enumerate()
            .map(|(i, v)| Sample {
                t: i as i64 * 1000,
                st: 0,
                value: SampleValue::Float(*v),
            })
            .collect();
        (Labels::from_pairs(pairs), samples)
    }

    fn hist(s: &Sample) -> &FloatHistogram {
        match &s.value {
            SampleValue::Histogram(h) => h,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn converts_buckets_sum_and_count() {
        let input = vec![
            series("m_bucket", Some("0.1"), &[1.0, 2.0]),
            series("m_bucket", Some("1"), &[3.0, 2.0]),
            series("m_bucket", Some("+Inf"), &[4.0, 5.0]),
            series("m_sum", None, &[10.0, 20.0]),
            series("m_count", None, &[4.0, 5.0]),
            series("other", None, &[1.0]),
        ];
        let out = convert_classic_histograms(&input).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0.to_string(), r#"{__name__="m", job="a"}"#);
        let h0 = hist(&out[0].1[0]);
        assert_eq!(h0.schema, CUSTOM_BUCKETS_SCHEMA);
        assert_eq!(h0.custom_values, vec![0.1, 1.0]);
        assert_eq!(h0.positive_buckets, vec![1.0, 2.0, 1.0]);
        assert_eq!((h0.count, h0.sum), (4.0, 10.0));
        let h1 = hist(&out[0].1[1]);
        // Empty middle buckets are kept in integer histograms (compacted with 2 empty buckets allowed).
        assert_eq!(h1.positive_buckets, vec![2.0, 0.0, 3.0]);
        assert_eq!(out[0].1[1].t, 1000);
    }

    #[test]
    fn missing_inf_bucket_uses_count() {
        let input = vec![
            series("m_bucket", Some("1"), &[1.5]),
            series("m_count", None, &[2.5]),
        ];
        let out = convert_classic_histograms(&input).unwrap();
        let h = hist(&out[0].1[0]);
        assert_eq!(h.custom_values, vec![1.0]);
        assert_eq!(h.positive_buckets, vec![1.5, 1.0]);
    }

    #[test]
    fn conversion_errors() {
        let not_cumulative = vec![
            series("m_bucket", Some("1"), &[3.0]),
            series("m_bucket", Some("2"), &[1.0]),
        ];
        assert!(convert_classic_histograms(&not_cumulative)
            .unwrap_err()
            .starts_with("count is not cumulative"));
        let mismatch = vec![
            series("m_bucket", Some("+Inf"), &[3.0]),
            series("m_count", None, &[4.0]),
        ];
        assert!(convert_classic_histograms(&mismatch)
            .unwrap_err()
            .starts_with("count mismatch"));
        let no_le = vec![series("m_bucket", None, &[3.0])];
        assert!(convert_classic_histograms(&no_le).is_err());
        let bad_le = vec![series("m_bucket", Some("x"), &[3.0])];
        assert_eq!(convert_classic_histograms(&bad_le).unwrap(), vec![]);
    }
}
