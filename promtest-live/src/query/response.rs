//! The query API's JSON: `{"status":"success","data":{"resultType":"matrix","result":[…]}}` with
//! `values`/`histograms` per series (`value`/`histogram` per sample of a vector), and errors as
//! `client_golang` reports them (`bad_data: …`, `client_error: client error: 401`).

use std::fmt;

use serde_json::Value;

use crate::http_client::HttpResponse;

/// A native histogram as the API reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleHistogram {
    /// Observation count.
    pub count: f64,
    /// Sum of observations.
    pub sum: f64,
    /// Non-empty buckets, in the API's order.
    pub buckets: Vec<HistogramBucket>,
}

/// One bucket of a [`SampleHistogram`].
#[derive(Clone, Debug, PartialEq)]
pub struct HistogramBucket {
    /// Which bounds are inclusive: 0 `(lower, upper]`, 1 `[lower, upper)`, 2 `(lower, upper)`,
    /// 3 `[lower, upper]`.
    pub boundaries: i32,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Count in the bucket.
    pub count: f64,
}

/// One series of a range-query result.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SampleStream {
    /// Its labels.
    pub metric: Vec<(String, String)>,
    /// Float points: (milliseconds, value).
    pub values: Vec<(i64, f64)>,
    /// Histogram points: (milliseconds, histogram).
    pub histograms: Vec<(i64, SampleHistogram)>,
}

/// A range-query result.
pub type Matrix = Vec<SampleStream>;

/// One sample of an instant-query result: a float or a histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorSample {
    /// Its labels.
    pub metric: Vec<(String, String)>,
    /// Milliseconds since the epoch.
    pub timestamp_ms: i64,
    /// The float value (absent for a histogram sample).
    pub value: Option<f64>,
    /// The histogram (absent for a float sample).
    pub histogram: Option<SampleHistogram>,
}

/// Why a query gave no result.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryError {
    /// The request did not get a response (connection refused, timeout, TLS).
    Transport(String),
    /// The server answered with an error: its status code, `errorType` and `error`.
    Api {
        /// HTTP status code.
        status: u16,
        /// `errorType` (`bad_data`, `execution`, …; `client_error`/`server_error` when the body
        /// was not the API's JSON).
        error_type: String,
        /// `error`.
        error: String,
    },
    /// A response that is not what the API promises.
    BadResponse(String),
}

impl QueryError {
    /// The error for a non-2xx response, as `client_golang` builds it: the API's own JSON error
    /// where the body holds one, else `client_error`/`server_error` with the code.
    pub(crate) fn check_status(resp: &HttpResponse) -> Result<(), QueryError> {
        if resp.status / 100 == 2 {
            return Ok(());
        }
        if let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(&resp.body) {
            if o.get("status").and_then(Value::as_str) == Some("error") {
                return Err(QueryError::Api {
                    status: resp.status,
                    error_type: str_field(&o, "errorType").to_string(),
                    error: str_field(&o, "error").to_string(),
                });
            }
        }
        let (error_type, error) = match resp.status / 100 {
            4 => ("client_error", format!("client error: {}", resp.status)),
            5 => ("server_error", format!("server error: {}", resp.status)),
            _ => ("bad_response", format!("bad response code {}", resp.status)),
        };
        Err(QueryError::Api {
            status: resp.status,
            error_type: error_type.to_string(),
            error,
        })
    }

    /// The HTTP status code, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            QueryError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Transport(e) => f.write_str(e),
            QueryError::Api {
                status,
                error_type,
                error,
            } => {
                write!(f, "{error_type}: {error}")?;
                if !error.contains(&status.to_string()) {
                    write!(f, " (HTTP {status})")?;
                }
                Ok(())
            }
            QueryError::BadResponse(e) => write!(f, "bad_response: {e}"),
        }
    }
}

impl std::error::Error for QueryError {}

fn str_field<'a>(o: &'a serde_json::Map<String, Value>, key: &str) -> &'a str {
    o.get(key).and_then(Value::as_str).unwrap_or("")
}

fn bad(msg: impl Into<String>) -> QueryError {
    QueryError::BadResponse(msg.into())
}

/// The `result` of a successful response whose `resultType` must be `want`.
fn result_of(body: &[u8], want: &str) -> Result<Vec<Value>, QueryError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| bad(format!("invalid JSON: {e}")))?;
    let status = v.get("status").and_then(Value::as_str).unwrap_or("");
    if status == "error" {
        return Err(QueryError::Api {
            status: 200,
            error_type: v["errorType"].as_str().unwrap_or("").to_string(),
            error: v["error"].as_str().unwrap_or("").to_string(),
        });
    }
    if status != "success" {
        return Err(bad(format!("unexpected status {status:?}")));
    }
    let data = v.get("data").ok_or_else(|| bad("no data in response"))?;
    let got = data.get("resultType").and_then(Value::as_str).unwrap_or("");
    if got != want {
        let article = if want == "matrix" {
            "a Matrix"
        } else {
            "a Vector"
        };
        return Err(bad(format!(
            "was expecting to get {article}, but got {got}"
        )));
    }
    match data.get("result") {
        Some(Value::Array(a)) => Ok(a.clone()),
        Some(Value::Null) | None => Ok(Vec::new()),
        Some(_) => Err(bad("result is not a list")),
    }
}

/// Decodes a range-query response body.
pub fn decode_matrix(body: &[u8]) -> Result<Matrix, QueryError> {
    result_of(body, "matrix")?
        .iter()
        .map(|s| {
            Ok(SampleStream {
                metric: metric(s)?,
                values: list(s.get("values"))?
                    .iter()
                    .map(float_point)
                    .collect::<Result<_, _>>()?,
                histograms: list(s.get("histograms"))?
                    .iter()
                    .map(histogram_point)
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect()
}

/// Decodes an instant-query response body.
pub fn decode_vector(body: &[u8]) -> Result<Vec<VectorSample>, QueryError> {
    result_of(body, "vector")?
        .iter()
        .map(|s| {
            let metric = metric(s)?;
            if let Some(h) = s.get("histogram") {
                let (t, h) = histogram_point(h)?;
                Ok(VectorSample {
                    metric,
                    timestamp_ms: t,
                    value: None,
                    histogram: Some(h),
                })
            } else {
                let (t, v) =
                    float_point(s.get("value").ok_or_else(|| bad("sample without value"))?)?;
                Ok(VectorSample {
                    metric,
                    timestamp_ms: t,
                    value: Some(v),
                    histogram: None,
                })
            }
        })
        .collect()
}

fn list(v: Option<&Value>) -> Result<&[Value], QueryError> {
    match v {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(bad("expected a list of points")),
    }
}

fn metric(s: &Value) -> Result<Vec<(String, String)>, QueryError> {
    match s.get("metric") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|v| (k.clone(), v.to_string()))
                    .ok_or_else(|| bad(format!("label {k} is not a string")))
            })
            .collect(),
        Some(_) => Err(bad("metric is not an object")),
    }
}

fn timestamp(v: &Value) -> Result<i64, QueryError> {
    let secs = v.as_f64().ok_or_else(|| bad("timestamp is not a number"))?;
    let ms = (secs * 1000.0).round();
    if !ms.is_finite() || ms.abs() > 9.2e18 {
        return Err(bad("timestamp out of range"));
    }
    Ok(ms as i64)
}

/// A float in the API's string form (`"1.5"`, `"NaN"`, `"+Inf"`).
fn number(v: &Value) -> Result<f64, QueryError> {
    let s = v.as_str().ok_or_else(|| bad("value is not a string"))?;
    s.parse::<f64>()
        .map_err(|_| bad(format!("invalid number {s:?}")))
}

fn pair(v: &Value) -> Result<(&Value, &Value), QueryError> {
    match v.as_array().map(Vec::as_slice) {
        Some([t, x]) => Ok((t, x)),
        _ => Err(bad("a point is not [timestamp, value]")),
    }
}

fn float_point(v: &Value) -> Result<(i64, f64), QueryError> {
    let (t, x) = pair(v)?;
    Ok((timestamp(t)?, number(x)?))
}

fn histogram_point(v: &Value) -> Result<(i64, SampleHistogram), QueryError> {
    let (t, h) = pair(v)?;
    let field = |k: &str| {
        h.get(k)
            .ok_or_else(|| bad(format!("histogram without {k}")))
    };
    let buckets = list(h.get("buckets"))?
        .iter()
        .map(|b| match b.as_array().map(Vec::as_slice) {
            Some([kind, lower, upper, count]) => Ok(HistogramBucket {
                boundaries: kind
                    .as_i64()
                    .filter(|k| (0..=3).contains(k))
                    .ok_or_else(|| bad("bucket boundaries not 0..3"))?
                    as i32,
                lower: number(lower)?,
                upper: number(upper)?,
                count: number(count)?,
            }),
            _ => Err(bad("a bucket is not [boundaries, lower, upper, count]")),
        })
        .collect::<Result<_, _>>()?;
    Ok((
        timestamp(t)?,
        SampleHistogram {
            count: number(field("count")?)?,
            sum: number(field("sum")?)?,
            buckets,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_floats_and_histograms() {
        let body = br#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"a":"b"},"values":[[1654077620.5,"3.25"],[1654077640,"NaN"]],
             "histograms":[[1654077660,{"count":"4","sum":"10","buckets":[[0,"0.84","1","1"]]}]]}]}}"#;
        let m = decode_matrix(body).unwrap();
        assert_eq!(m[0].metric, [("a".to_string(), "b".to_string())]);
        assert_eq!(m[0].values[0], (1_654_077_620_500, 3.25));
        assert!(m[0].values[1].1.is_nan());
        let (t, h) = &m[0].histograms[0];
        assert_eq!(*t, 1_654_077_660_000);
        assert_eq!((h.count, h.sum, h.buckets[0].upper), (4.0, 10.0, 1.0));
    }

    #[test]
    fn decodes_vectors() {
        let body = br#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{},"value":[10,"+Inf"]},
            {"metric":{},"histogram":[20,{"count":"1","sum":"2"}]}]}}"#;
        let v = decode_vector(body).unwrap();
        assert_eq!(v[0].value, Some(f64::INFINITY));
        assert_eq!(v[1].histogram.as_ref().unwrap().buckets, []);
        assert_eq!(v[1].timestamp_ms, 20_000);
    }

    #[test]
    fn wrong_result_type_is_named() {
        let body = br#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        assert_eq!(
            decode_matrix(body).unwrap_err().to_string(),
            "bad_response: was expecting to get a Matrix, but got vector"
        );
    }

    #[test]
    fn errors_keep_status_type_and_text() {
        let resp = |status, body: &str| HttpResponse {
            status,
            status_line: String::new(),
            body: body.as_bytes().to_vec(),
        };
        let e = QueryError::check_status(&resp(
            400,
            r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\""}"#,
        ))
        .unwrap_err();
        assert_eq!(e.status(), Some(400));
        assert_eq!(
            e.to_string(),
            "bad_data: invalid parameter \"query\" (HTTP 400)"
        );
        let e = QueryError::check_status(&resp(401, "<html>401</html>")).unwrap_err();
        assert_eq!(e.to_string(), "client_error: client error: 401");
        let e = QueryError::check_status(&resp(503, "")).unwrap_err();
        assert_eq!(e.to_string(), "server_error: server error: 503");
        assert!(QueryError::check_status(&resp(204, "")).is_ok());
    }

    #[test]
    fn malformed_bodies_are_errors_not_panics() {
        for body in [
            &b""[..],
            b"[]",
            b"{\"status\":\"success\"}",
            b"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"values\":[[1]]}]}}",
            b"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"values\":[[1e400,\"1\"]]}]}}",
            b"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"histograms\":[[1,{\"count\":\"1\"}]]}]}}",
        ] {
            assert!(decode_matrix(body).is_err());
        }
    }
}
