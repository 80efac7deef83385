//! The bodies of the fuzz targets in `fuzz/`, one function per target, so that the libFuzzer
//! campaigns (nightly, `cargo fuzz`) and the stable smoke test under `cargo test` (at the end
//! of this file) run the same code. Each takes untrusted bytes and may meet errors, never a
//! panic. Not part of the API.

use crate::{parse_expr, parse_script, Command, Store};

/// A PromQL expression: whatever parses prints to text that parses again and prints
/// identically.
pub fn expr(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(expr) = parse_expr(input) else {
        return;
    };
    let printed = expr.to_string();
    match parse_expr(&printed) {
        Ok(again) => assert_eq!(
            again.to_string(),
            printed,
            "printing is not stable for {input:?}"
        ),
        Err(e) => panic!(
            "{input:?} printed as {printed:?}, which does not parse: {}",
            e.render(&printed)
        ),
    }
}

/// Loads every `load` of `script` into a store (errors allowed).
fn load_all(script: &crate::Script) {
    let mut store = Store::new();
    for cmd in script.commands() {
        if let Command::Load(load) = cmd {
            let _ = load.try_apply(&mut store);
        }
    }
}

/// A promqltest script: parsed, and its loads applied to a store.
pub fn script(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(script) = parse_script("fuzz.test", input) {
        load_all(&script);
    }
}

/// One line of series notation (`{{…}}` native histograms included), as a `load` line at 1m
/// and as an eval's expected series.
pub fn series_notation(data: &[u8]) {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    if line.contains(['\n', '\r']) {
        return;
    }
    let src = format!("load 1m\n  {line}\n\neval range from 0 to 10m step 1m m\n  {line}\n");
    if let Ok(script) = parse_script("fuzz.test", &src) {
        load_all(&script);
    }
}

/// A promtool rule-test file: YAML loading (aliases, merge keys) and the strict field checks.
#[cfg(feature = "rule-tests")]
pub fn rule_test_yaml(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(root) = crate::rules::yaml::parse(src) {
        let _ = crate::unittest::file::test_file(
            root.as_ref(),
            &crate::semantics::Semantics::default(),
        );
    }
}

/// A rule file, validated as `promtool check rules` does (expressions and alert templates
/// inside).
#[cfg(feature = "rule-tests")]
pub fn rule_file_yaml(data: &[u8]) {
    if let Ok(src) = std::str::from_utf8(data) {
        let _ = crate::rules::file::parse_rule_file(
            "fuzz.yml",
            src,
            false,
            &crate::semantics::Semantics::default(),
        );
    }
}

/// A Go template, parsed as an alert template and executed with random `$labels`/`$value`:
/// the input is split at its first two NUL bytes into the template text, `name=value` label
/// lines and the value's little-endian bits; a `query` call gets those labels and value back.
#[cfg(feature = "rule-tests")]
pub fn template(data: &[u8]) {
    use crate::template::{CompiledTemplate, QuerySample, TemplateData};
    let mut parts = data.splitn(3, |&b| b == 0);
    let Ok(text) = std::str::from_utf8(parts.next().unwrap_or_default()) else {
        return;
    };
    let labels: Vec<(String, String)> = String::from_utf8_lossy(parts.next().unwrap_or_default())
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let mut bits = [0u8; 8];
    for (b, v) in bits.iter_mut().zip(parts.next().unwrap_or_default()) {
        *b = *v;
    }
    let value = f64::from_le_bytes(bits);
    let _ = crate::template::parse_alert_template("__alert_fuzz", text);
    let labels = crate::model::Labels::from_pairs(labels);
    let data = TemplateData {
        labels: labels.clone(),
        value,
        external_labels: crate::model::Labels::from_pairs([("cluster", "fuzz")]),
        external_url: "http://fuzz.example".into(),
        timestamp_ms: 1_700_000_000_000,
    };
    let query = move |_q: &str| {
        Ok(vec![QuerySample {
            labels: labels.clone(),
            value,
        }])
    };
    let _ = CompiledTemplate::alert("__alert_fuzz", text).execute_alert_or_error(&data, &query);
}

#[cfg(test)]
#[path = "fuzz_smoke_tests.rs"]
mod smoke;
