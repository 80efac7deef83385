//! Every `printf` case in `tests/data/printf/cases.txt` (Go's `fmt` output, as promtool 2.42's
//! alert templates print it; written by `scripts/oracle/printf_reference.py`) reproduced.

use std::path::PathBuf;

use super::{expand_or_error, QuerySample, TemplateData};
use crate::literals::quote::unquote;
use crate::model::Labels;

/// The generator's alert: `vector(1.5)`, no labels; `query "vector(x)"` gives one sample `x`.
fn expand(text: &str) -> String {
    let query = |q: &str| -> Result<Vec<QuerySample>, String> {
        let x = q
            .strip_prefix("vector(")
            .and_then(|r| r.strip_suffix(')'))
            .ok_or_else(|| format!("unexpected query {q}"))?;
        let value = x.parse::<f64>().map_err(|e| format!("{x}: {e}"))?;
        Ok(vec![QuerySample {
            labels: Labels::default(),
            value,
        }])
    };
    let data = TemplateData {
        value: 1.5,
        ..TemplateData::default()
    };
    expand_or_error("__alert_P", text, &data, &query)
}

#[test]
fn printf_matches_go_fmt() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/printf/cases.txt");
    let text = std::fs::read_to_string(&path).expect("printf reference cases");
    let mut bad = Vec::new();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.is_empty()) {
        let (t, want) = line.split_once('\t').expect("two fields");
        let (t, want) = (
            unquote(t).expect("template"),
            unquote(want).expect("output"),
        );
        n += 1;
        let got = expand(&t);
        if got != want {
            bad.push(format!("{t}\n    got  {got:?}\n    want {want:?}"));
        }
    }
    assert!(n > 5000, "only {n} cases");
    assert!(
        bad.is_empty(),
        "{} of {n} differ:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}
