//! Prometheus's template function map (`template.NewTemplateExpander`): queries, sample
//! accessors, string helpers, links, humanizers, time and URL helpers.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;

use super::builtins::query_escape;
use super::functions::{
    arg_query, arg_sample, arg_str, convert_to_float, CallCtx, FnError, FuncDef,
};
use super::humanize;
use super::value::{TemplateSample, Value};

/// Prometheus's functions.
pub static FUNCS: &[FuncDef] = &[
    FuncDef {
        name: "query",
        params: 1,
        variadic: false,
        f: query,
    },
    FuncDef {
        name: "first",
        params: 1,
        variadic: false,
        f: first,
    },
    FuncDef {
        name: "label",
        params: 2,
        variadic: false,
        f: label,
    },
    FuncDef {
        name: "value",
        params: 1,
        variadic: false,
        f: value,
    },
    FuncDef {
        name: "strvalue",
        params: 1,
        variadic: false,
        f: strvalue,
    },
    FuncDef {
        name: "args",
        params: 0,
        variadic: true,
        f: args,
    },
    FuncDef {
        name: "reReplaceAll",
        params: 3,
        variadic: false,
        f: re_replace_all,
    },
    FuncDef {
        name: "safeHtml",
        params: 1,
        variadic: false,
        f: safe_html,
    },
    FuncDef {
        name: "match",
        params: 2,
        variadic: false,
        f: matches,
    },
    FuncDef {
        name: "title",
        params: 1,
        variadic: false,
        f: title,
    },
    FuncDef {
        name: "toUpper",
        params: 1,
        variadic: false,
        f: to_upper,
    },
    FuncDef {
        name: "toLower",
        params: 1,
        variadic: false,
        f: to_lower,
    },
    FuncDef {
        name: "graphLink",
        params: 1,
        variadic: false,
        f: graph_link,
    },
    FuncDef {
        name: "tableLink",
        params: 1,
        variadic: false,
        f: table_link,
    },
    FuncDef {
        name: "sortByLabel",
        params: 2,
        variadic: false,
        f: sort_by_label,
    },
    FuncDef {
        name: "stripPort",
        params: 1,
        variadic: false,
        f: strip_port,
    },
    FuncDef {
        name: "stripDomain",
        params: 1,
        variadic: false,
        f: strip_domain,
    },
    FuncDef {
        name: "humanize",
        params: 1,
        variadic: false,
        f: humanize_fn,
    },
    FuncDef {
        name: "humanize1024",
        params: 1,
        variadic: false,
        f: humanize1024_fn,
    },
    FuncDef {
        name: "humanizeDuration",
        params: 1,
        variadic: false,
        f: humanize_duration_fn,
    },
    FuncDef {
        name: "humanizePercentage",
        params: 1,
        variadic: false,
        f: humanize_percentage_fn,
    },
    FuncDef {
        name: "humanizeTimestamp",
        params: 1,
        variadic: false,
        f: humanize_timestamp_fn,
    },
    FuncDef {
        name: "toTime",
        params: 1,
        variadic: false,
        f: to_time,
    },
    FuncDef {
        name: "toDuration",
        params: 1,
        variadic: false,
        f: to_duration,
    },
    FuncDef {
        name: "now",
        params: 0,
        variadic: false,
        f: now,
    },
    FuncDef {
        name: "pathPrefix",
        params: 0,
        variadic: false,
        f: path_prefix,
    },
    FuncDef {
        name: "externalURL",
        params: 0,
        variadic: false,
        f: external_url,
    },
    FuncDef {
        name: "parseDuration",
        params: 1,
        variadic: false,
        f: parse_duration,
    },
    FuncDef {
        name: "urlQueryEscape",
        params: 1,
        variadic: false,
        f: url_query_escape,
    },
];

fn call_err(msg: impl Into<String>) -> FnError {
    FnError::Call(msg.into())
}

const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

fn query(ctx: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let q = arg_str(&a[0])?;
    let samples = (ctx.query)(&q).map_err(FnError::Call)?;
    let result = samples
        .into_iter()
        .map(|s| {
            let labels: BTreeMap<String, String> = s
                .labels
                .iter()
                .map(|l| (l.name.clone(), l.value.clone()))
                .collect();
            Arc::new(TemplateSample {
                labels: Arc::new(labels),
                value: Value::Float(s.value),
            })
        })
        .collect();
    Ok(Value::QueryResult(Arc::new(result)))
}

fn first(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    match arg_query(&a[0])?.first() {
        Some(s) => Ok(Value::Sample(s.clone())),
        None => Err(call_err("first() called on vector with no elements")),
    }
}

fn label(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let name = arg_str(&a[0])?;
    let s = arg_sample(&a[1])?.ok_or_else(|| call_err(NIL_DEREF))?;
    Ok(Value::String(
        s.labels.get(&name).cloned().unwrap_or_default(),
    ))
}

fn value(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let s = arg_sample(&a[0])?.ok_or_else(|| call_err(NIL_DEREF))?;
    Ok(s.value.clone())
}

fn strvalue(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let s = arg_sample(&a[0])?.ok_or_else(|| call_err(NIL_DEREF))?;
    Ok(Value::String(
        s.labels.get("__value__").cloned().unwrap_or_default(),
    ))
}

fn args(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let m: BTreeMap<String, Value> = a
        .into_iter()
        .enumerate()
        .map(|(i, v)| (format!("arg{i}"), v))
        .collect();
    Ok(Value::Map(Arc::new(m)))
}

fn compile(pattern: &str) -> Result<regex::Regex, FnError> {
    regex::Regex::new(&crate::model::go_regex::translate(pattern)).map_err(|e| {
        let msg = e.to_string();
        let last = msg
            .lines()
            .last()
            .unwrap_or("")
            .trim()
            .trim_start_matches("error: ");
        call_err(format!("error parsing regexp: {last}: `{pattern}`"))
    })
}

fn re_replace_all(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let (pattern, repl, text) = (arg_str(&a[0])?, arg_str(&a[1])?, arg_str(&a[2])?);
    let re = compile(&pattern).map_err(|e| match e {
        FnError::Call(m) => call_err(format!(
            "regexp: Compile({}): {m}",
            crate::literals::go_quote(&pattern)
        )),
        other => other,
    })?;
    // `replace_all`, stopping once the result outgrows what an execution may produce (an
    // empty pattern and a long replacement multiply).
    let mut out = String::new();
    let mut last = 0;
    for caps in re.captures_iter(&text) {
        let Some(m) = caps.get(0) else { continue };
        out.push_str(&text[last..m.start()]);
        caps.expand(&repl, &mut out);
        last = m.end();
        if out.len() > super::exec::MAX_EXEC_BYTES {
            return Err(call_err(format!(
                "result exceeds promtest's limit of {} bytes",
                super::exec::MAX_EXEC_BYTES
            )));
        }
    }
    out.push_str(&text[last..]);
    Ok(Value::String(out))
}

fn safe_html(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(arg_str(&a[0])?))
}

fn matches(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let (pattern, text) = (arg_str(&a[0])?, arg_str(&a[1])?);
    Ok(Value::Bool(compile(&pattern)?.is_match(&text)))
}

/// `cases.Title(language.AmericanEnglish, cases.NoLower)`: upper-case the first letter of
/// each word and leave the rest alone.
pub fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut in_word = false;
    for (i, &c) in chars.iter().enumerate() {
        let wordish = c.is_alphanumeric() || c == '_';
        // Apostrophes, dots and colons between letters do not break a word (UAX #29 MidLetter).
        let mid = matches!(c, '\'' | '.' | ':' | '’')
            && in_word
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if wordish && !in_word {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        in_word = wordish || mid;
    }
    out
}

fn title(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(title_case(&arg_str(&a[0])?)))
}

fn to_upper(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(arg_str(&a[0])?.to_uppercase()))
}

fn to_lower(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(arg_str(&a[0])?.to_lowercase()))
}

fn graph_link(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(format!(
        "/graph?g0.expr={}&g0.tab=0",
        query_escape(&arg_str(&a[0])?)
    )))
}

fn table_link(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(format!(
        "/graph?g0.expr={}&g0.tab=1",
        query_escape(&arg_str(&a[0])?)
    )))
}

fn sort_by_label(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let name = arg_str(&a[0])?;
    let mut v: Vec<Arc<TemplateSample>> = arg_query(&a[1])?.as_ref().clone();
    let key = |s: &Arc<TemplateSample>| s.labels.get(&name).cloned().unwrap_or_default();
    v.sort_by_key(key);
    Ok(Value::QueryResult(Arc::new(v)))
}

/// Go's `net.SplitHostPort`: `None` where Go returns an error.
pub fn split_host_port(hp: &str) -> Option<(&str, &str)> {
    let i = hp.rfind(':')?;
    let (host, j, k) = if hp.starts_with('[') {
        let end = hp.find(']')?;
        if end + 1 != i {
            return None;
        }
        (&hp[1..end], 1, end + 1)
    } else {
        let host = &hp[..i];
        if host.contains(':') {
            return None;
        }
        (host, 0, 0)
    };
    if hp[j..].contains('[') || hp[k..].contains(']') {
        return None;
    }
    Some((host, &hp[i + 1..]))
}

fn strip_port(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let hp = arg_str(&a[0])?;
    Ok(Value::String(
        split_host_port(&hp).map_or(hp.clone(), |(h, _)| h.to_string()),
    ))
}

fn strip_domain(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let hp = arg_str(&a[0])?;
    let (host, port) = split_host_port(&hp).unwrap_or((&hp, ""));
    if host.parse::<IpAddr>().is_ok() {
        return Ok(Value::String(hp.clone()));
    }
    let host = host.split('.').next().unwrap_or("");
    Ok(Value::String(if port.is_empty() {
        host.to_string()
    } else if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }))
}

fn humanize_fn(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(humanize::humanize(convert_to_float(&a[0])?)))
}

fn humanize1024_fn(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(humanize::humanize1024(convert_to_float(
        &a[0],
    )?)))
}

fn humanize_duration_fn(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(humanize::humanize_duration(
        convert_to_float(&a[0])?,
    )))
}

fn humanize_percentage_fn(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(humanize::humanize_percentage(
        convert_to_float(&a[0])?,
    )))
}

fn humanize_timestamp_fn(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let v = convert_to_float(&a[0])?;
    humanize::humanize_timestamp(v)
        .map(Value::String)
        .map_err(FnError::Call)
}

fn to_time(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let v = convert_to_float(&a[0])?;
    match humanize::float_to_time(v).map_err(FnError::Call)? {
        Some(ns) => Ok(Value::Time(ns)),
        None => Err(call_err("value is NaN or Inf")),
    }
}

fn to_duration(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let v = convert_to_float(&a[0])?;
    Ok(Value::Duration((v * 1e9) as i64))
}

fn now(ctx: &CallCtx<'_>, _: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::Float(ctx.now_ms as f64 / 1000.0))
}

/// The path component of a URL (`http://host:9090/prefix?x` → `/prefix`).
pub fn url_path(url: &str) -> &str {
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            match after.find(['/', '?', '#']) {
                Some(j) => &after[j..],
                None => "",
            }
        }
        None => url,
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

fn path_prefix(ctx: &CallCtx<'_>, _: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(url_path(ctx.external_url).to_string()))
}

fn external_url(ctx: &CallCtx<'_>, _: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(ctx.external_url.to_string()))
}

fn parse_duration(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    let ns = crate::literals::duration::parse_duration_allow_negative(&arg_str(&a[0])?)
        .map_err(FnError::Call)?;
    Ok(Value::Float(ns as f64 / 1e9))
}

fn url_query_escape(_: &CallCtx<'_>, a: Vec<Value>) -> Result<Value, FnError> {
    Ok(Value::String(query_escape(&arg_str(&a[0])?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_splitting() {
        assert_eq!(
            split_host_port("foo.example.com:12345"),
            Some(("foo.example.com", "12345"))
        );
        assert_eq!(
            split_host_port("[2001:0DB8::1]:12345"),
            Some(("2001:0DB8::1", "12345"))
        );
        assert_eq!(split_host_port("2001:0DB8::1"), None);
        assert_eq!(split_host_port("[2001:0DB8::1]::12345"), None);
        assert_eq!(split_host_port("foo"), None);
    }

    #[test]
    fn titles() {
        assert_eq!(title_case("aa bb CC"), "Aa Bb CC");
        assert_eq!(title_case("don't stop-me now_ok"), "Don't Stop-Me Now_ok");
    }

    #[test]
    fn url_paths() {
        assert_eq!(url_path("http://testhost:9090/path/prefix"), "/path/prefix");
        assert_eq!(url_path("http://testhost:9090"), "");
        assert_eq!(url_path("https://h/a?b=c"), "/a");
    }
}
