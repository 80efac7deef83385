//! End-to-end expansion tests: Prometheus's template behaviour (outputs and error texts),
//! and the Go `text/template` constructs.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::model::Labels;

const EXT_URL: &str = "http://testhost:9090/path/prefix";
const NOW_MS: i64 = 1_353_755_652_000;

fn run_with(text: &str, data: Value, result: Vec<QuerySample>) -> Result<String, String> {
    let q = move |_: &str| -> Result<Vec<QuerySample>, String> { Ok(result.clone()) };
    Expander {
        name: "test",
        text,
        data,
        timestamp_ms: NOW_MS,
        external_url: EXT_URL,
        query: &q,
    }
    .expand()
}

fn run(text: &str) -> Result<String, String> {
    run_with(text, Value::Nil, vec![])
}

fn ok(text: &str, data: Value) -> String {
    run_with(text, data, vec![]).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn floats(v: &[f64]) -> Value {
    Value::slice(v.iter().map(|f| Value::Float(*f)).collect())
}

fn strs(v: &[&str]) -> Value {
    Value::slice(v.iter().map(|s| Value::from(*s)).collect())
}

fn ints(v: &[i64]) -> Value {
    Value::slice(v.iter().map(|i| Value::Int(*i)).collect())
}

fn uints(v: &[u64]) -> Value {
    Value::slice(v.iter().map(|u| Value::Uint(*u)).collect())
}

fn sample(pairs: &[(&str, &str)], value: f64) -> QuerySample {
    QuerySample {
        labels: Labels::from_pairs(pairs.iter().copied()),
        value,
    }
}

#[test]
fn prometheus_basics() {
    assert_eq!(run("plain text").unwrap(), "plain text");
    assert_eq!(run("{{ 1 }}").unwrap(), "1");
    assert_eq!(run("{{ \"<b>\" }}").unwrap(), "<b>");
    assert_eq!(
        run("{{\u{a0}}}").unwrap_err(),
        "error parsing template test: template: test:1: unrecognized character in action: U+00A0"
    );
    assert_eq!(
        run("{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}").unwrap(),
        "1 2"
    );
    assert_eq!(run("{{ .Foo }}").unwrap(), "<no value>");
    assert_eq!(
        run("{{").unwrap_err(),
        "error parsing template test: template: test:1: unclosed action"
    );
}

#[test]
fn prometheus_queries() {
    let m = |v| vec![sample(&[("__name__", "metric"), ("instance", "a")], v)];
    assert_eq!(
        run_with(
            "{{ query \"1.5\" | first | value }}",
            Value::Nil,
            vec![sample(&[], 1.5)]
        )
        .unwrap(),
        "1.5"
    );
    assert_eq!(
        run_with(
            "{{ query \"metric{instance='a'}\" | first | value }}",
            Value::Nil,
            m(11.0)
        )
        .unwrap(),
        "11"
    );
    assert_eq!(
        run_with(
            "{{ query \"m\" | first | label \"instance\" }}",
            Value::Nil,
            m(11.0)
        )
        .unwrap(),
        "a"
    );
    assert_eq!(
        run_with(
            "{{ query \"m\" | first | label \"foo\" }}",
            Value::Nil,
            m(11.0)
        )
        .unwrap(),
        ""
    );
    assert_eq!(
        run_with(
            "{{ $x := query \"m\" | first }}{{ $x.Labels.foo }}",
            Value::Nil,
            m(11.0)
        )
        .unwrap(),
        ""
    );
    let v = vec![sample(&[("__name__", "metric"), ("__value__", "a")], 11.0)];
    assert_eq!(
        run_with("{{ query \"m\" | first | strvalue }}", Value::Nil, v).unwrap(),
        "a"
    );
    let two = vec![
        sample(&[("instance", "b")], 21.0),
        sample(&[("instance", "a")], 11.0),
    ];
    assert_eq!(
        run_with(
            "{{ range query \"metric\" | sortByLabel \"instance\" }}{{.Labels.instance}}:{{.Value}}: {{end}}",
            Value::Nil,
            two
        )
        .unwrap(),
        "a:11: b:21: "
    );
    assert_eq!(
        run("{{ query \"missing\" | first }}").unwrap_err(),
        "error executing template test: template: test:1:21: executing \"test\" at <first>: error calling first: first() called on vector with no elements"
    );
    let err = run("{{ (query \"missing\").banana }}").unwrap_err();
    assert!(
        err.contains("can't evaluate field banana in type template.queryResult"),
        "{err}"
    );
    let failing = |_: &str| -> Result<Vec<QuerySample>, String> { Err("boom".into()) };
    let e = Expander {
        name: "t",
        text: "{{ query \"x\" }}",
        data: Value::Nil,
        timestamp_ms: 0,
        external_url: "",
        query: &failing,
    };
    assert_eq!(
        e.expand().unwrap_err(),
        "error executing template t: template: t:1:3: executing \"t\" at <query \"x\">: error calling query: boom"
    );
}

#[test]
fn prometheus_strings_and_hosts() {
    let cases = [
        ("{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}", "xa"),
        ("{{ \"aa bb CC\" | title }}", "Aa Bb CC"),
        ("{{ \"aa bb CC\" | toUpper }}", "AA BB CC"),
        ("{{ \"aA bB CC\" | toLower }}", "aa bb cc"),
        (
            "{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}",
            "true false",
        ),
        ("{{ graphLink \"up\" }}", "/graph?g0.expr=up&g0.tab=0"),
        ("{{ tableLink \"up\" }}", "/graph?g0.expr=up&g0.tab=1"),
        ("{{ pathPrefix }}", "/path/prefix"),
        ("{{ externalURL }}", EXT_URL),
        ("{{ \"<b>\" | safeHtml }}", "<b>"),
        ("{{ urlQueryEscape \"a b&c\" }}", "a+b%26c"),
        ("{{ \"foo.example.com\" | stripPort }}", "foo.example.com"),
        (
            "{{ \"foo.example.com:12345\" | stripPort }}",
            "foo.example.com",
        ),
        ("{{ \"192.0.2.1\" | stripPort }}", "192.0.2.1"),
        ("{{ \"192.0.2.1:12345\" | stripPort }}", "192.0.2.1"),
        ("{{ \"2001:0DB8::1\" | stripPort }}", "2001:0DB8::1"),
        ("{{ \"[2001:0DB8::1]:12345\" | stripPort }}", "2001:0DB8::1"),
        (
            "{{ \"[2001:0DB8::1]::12345\" | stripPort }}",
            "[2001:0DB8::1]::12345",
        ),
        ("{{ \"foo.example.com\" | stripDomain }}", "foo"),
        ("{{ \"foo.example.com:12345\" | stripDomain }}", "foo:12345"),
        ("{{ \"192.0.2.1\" | stripDomain }}", "192.0.2.1"),
        ("{{ \"192.0.2.1:12345\" | stripDomain }}", "192.0.2.1:12345"),
        ("{{ \"2001:0DB8::1\" | stripDomain }}", "2001:0DB8::1"),
        (
            "{{ \"[2001:0DB8::1]:12345\" | stripDomain }}",
            "[2001:0DB8::1]:12345",
        ),
        (
            "{{ \"[2001:0DB8::1]::12345\" | stripDomain }}",
            "[2001:0DB8::1]::12345",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(ok(text, Value::Nil), want, "{text}");
    }
    let err = run("{{ match \"(\" \"x\" }}").unwrap_err();
    assert!(
        err.contains("error calling match: error parsing regexp"),
        "{err}"
    );
}

#[test]
fn prometheus_humanizers() {
    let r = "{{ range . }}{{ humanize . }}:{{ end }}";
    assert_eq!(
        ok(r, floats(&[0.0, 1.0, 1234567.0, 0.12])),
        "0:1:1.235M:120m:"
    );
    assert_eq!(
        ok(r, strs(&["0.0", "1.0", "1234567.0", ".12"])),
        "0:1:1.235M:120m:"
    );
    assert_eq!(
        ok(r, ints(&[0, -1, 1, 1234567, i64::MAX])),
        "0:-1:1:1.235M:9.223E:"
    );
    assert_eq!(
        ok(r, uints(&[0, 1, 1234567, u64::MAX])),
        "0:1:1.235M:18.45E:"
    );
    let r = "{{ range . }}{{ humanize1024 . }}:{{ end }}";
    assert_eq!(ok(r, floats(&[0.0, 1.0, 1048576.0, 0.12])), "0:1:1Mi:0.12:");
    assert_eq!(
        ok(r, ints(&[0, -1, 1, 1234567, i64::MAX])),
        "0:-1:1:1.177Mi:8Ei:"
    );
    assert_eq!(
        ok(r, uints(&[0, 1, 1234567, u64::MAX])),
        "0:1:1.177Mi:16Ei:"
    );
    let r = "{{ range . }}{{ humanizeDuration . }}:{{ end }}";
    assert_eq!(
        ok(
            r,
            floats(&[
                0.0,
                1.0,
                60.0,
                3600.0,
                86400.0,
                90000.0,
                -(86400.0 * 2.0 + 3600.0 * 3.0 + 245.0),
                899.99
            ])
        ),
        "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:"
    );
    assert_eq!(
        ok(
            r,
            strs(&[".1", ".0001", ".12345", "60.1", "60.5", "1.2345", "12.345"])
        ),
        "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:"
    );
    assert_eq!(
        ok(r, ints(&[0, -1, 1, 1234567])),
        "0s:-1s:1s:14d 6h 56m 7s:"
    );
    let all = "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}";
    let want = "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:";
    assert_eq!(
        ok(all, floats(&[f64::INFINITY, f64::NEG_INFINITY, f64::NAN])),
        want
    );
    assert_eq!(ok(all, strs(&["+Inf", "-Inf", "NaN"])), want);
    assert_eq!(
        ok("{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}", Value::Nil),
        "-22.22%:0%:12.35%:123.5%"
    );
    assert_eq!(
        ok(
            "{{ range . }}{{ humanizePercentage . }}:{{ end }}",
            uints(&[0, 1, 1234567, u64::MAX])
        ),
        "0%:100%:1.235e+08%:1.845e+21%:"
    );
    for f in ["humanize", "humanize1024", "humanizeDuration"] {
        assert_eq!(
            run(&format!("{{{{ {f} \"one\" }}}}")).unwrap_err(),
            format!("error executing template test: template: test:1:3: executing \"test\" at <{f} \"one\">: error calling {f}: strconv.ParseFloat: parsing \"one\": invalid syntax")
        );
    }
    assert_eq!(
        run("{{ \"one\" | humanizePercentage }}").unwrap_err(),
        "error executing template test: template: test:1:11: executing \"test\" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing \"one\": invalid syntax"
    );
}

#[test]
fn prometheus_times() {
    let r = "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}";
    assert_eq!(
        ok(r, ints(&[0, -1, 1, 1234567, 9223372036])),
        "1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:"
    );
    assert_eq!(
        run_with(r, ints(&[i64::MIN, i64::MAX]), vec![]).unwrap_err(),
        "error executing template test: template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64"
    );
    assert_eq!(
        run_with(r, uints(&[u64::MAX]), vec![]).unwrap_err(),
        "error executing template test: template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: 1.8446744073709552e+19 cannot be represented as a nanoseconds timestamp since it overflows int64"
    );
    let cases = [
        (
            "{{ 1435065584.128 | humanizeTimestamp }}",
            "2015-06-23 13:19:44.128 +0000 UTC",
        ),
        (
            "{{ \"1435065584.128\" | humanizeTimestamp }}",
            "2015-06-23 13:19:44.128 +0000 UTC",
        ),
        ("{{ (1435065584.128 | toTime).Format \"2006\" }}", "2015"),
        (
            "{{ (\"1435065584.128\" | toTime).Format \"2006\" }}",
            "2015",
        ),
        ("{{ (1800 | toDuration).String }}", "30m0s"),
        ("{{ (\"1800\" | toDuration).String }}", "30m0s"),
        ("{{ now }}", "1.353755652e+09"),
        (
            "{{ (now | toTime).Format \"Mon Jan 2 15:04:05 2006\" }}",
            "Sat Nov 24 11:14:12 2012",
        ),
        (
            "{{ (\"-30m\" | parseDuration | toDuration | (now | toTime).Add).UnixMilli }}",
            "1353753852000",
        ),
        (
            "{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}",
            "3720.01",
        ),
        (
            "{{ printf \"%0.2f\" (parseDuration \"-1h2m10ms\") }}",
            "-3720.01",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(ok(text, Value::Nil), want, "{text}");
    }
}

#[test]
fn alert_prelude_and_data() {
    let data = TemplateData {
        labels: Labels::from_pairs([("instance", "host:9100"), ("job", "node")]),
        value: 0.75,
        external_labels: Labels::from_pairs([("cluster", "eu")]),
        external_url: "http://prom:9090/x".into(),
        timestamp_ms: 0,
    };
    let q = |_: &str| -> Result<Vec<QuerySample>, String> { Ok(vec![]) };
    let got = expand(
        "__alert_HighLoad",
        "{{ $labels.instance | stripPort }} is at {{ $value | humanizePercentage }} in {{ $externalLabels.cluster }} ({{ $externalURL }}) {{ .Labels.job }} {{ $labels.missing }}.",
        &data,
        &q,
    );
    assert_eq!(
        got.unwrap(),
        "host is at 75% in eu (http://prom:9090/x) node ."
    );
    let err = expand_or_error("__alert_X", "{{ .Nope }}", &data, &q);
    assert_eq!(
        err,
        format!("<error expanding template: error executing template __alert_X: template: __alert_X:1:{}: executing \"__alert_X\" at <.Nope>: can't evaluate field Nope in type {ALERT_DATA_TYPE}>", ALERT_PRELUDE.len() + 3)
    );
    assert_eq!(
        expand_or_error("__alert_X", "{{ if }}", &data, &q),
        "<error expanding template: error parsing template __alert_X: template: __alert_X:1: missing value for if>"
    );
}

#[test]
fn control_structures() {
    let m = Value::Map(Arc::new(BTreeMap::from([
        ("b".to_string(), Value::Int(2)),
        ("a".to_string(), Value::Int(1)),
    ])));
    let cases: Vec<(&str, Value, &str)> = vec![
        ("{{if .}}yes{{else}}no{{end}}", Value::Int(0), "no"),
        ("{{if 0}}a{{else if 1}}b{{else}}c{{end}}", Value::Nil, "b"),
        ("{{with .a}}{{.}}{{else}}none{{end}}", m.clone(), "1"),
        ("{{with .zz}}{{.}}{{else}}none{{end}}", m.clone(), "none"),
        ("{{range $k, $v := .}}{{$k}}={{$v}};{{end}}", m.clone(), "a=1;b=2;"),
        ("{{range .}}{{.}}{{else}}empty{{end}}", Value::slice(vec![]), "empty"),
        ("{{range $i, $e := .}}{{if eq $i 1}}{{continue}}{{end}}{{if eq $i 3}}{{break}}{{end}}{{$e}}{{end}}", ints(&[10, 11, 12, 13, 14]), "1012"),
        ("{{range 3}}{{.}}{{end}}", Value::Nil, "012"),
        ("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", Value::Nil, "2"),
        ("{{range .}}{{$}}{{end}}", ints(&[1]), "[1]"),
        ("a  {{- 1 -}}  b", Value::Nil, "a1b"),
        ("a {{/* comment */}} b{{- /* trimmed */ -}} c", Value::Nil, "a  bc"),
        ("{{define \"T\"}}<{{.}}>{{end}}{{template \"T\" 5}}{{template \"T\"}}", Value::Nil, "<5><<no value>>"),
        ("{{block \"B\" .}}[{{.}}]{{end}}", Value::Int(7), "[7]"),
        ("{{ 0x10 }} {{ 1e3 }} {{ 'a' }} {{ 1.50 }} {{ -2 }}", Value::Nil, "16 1000 97 1.5 -2"),
        ("{{ `raw\\n` }}{{ \"q\\t\" }}", Value::Nil, "raw\\nq\t"),
        ("{{ printf \"%v\" nil }}", Value::Nil, "<nil>"),
        ("{{ true }} {{ false | not }}", Value::Nil, "true true"),
        ("{{ index . \"a\" }}{{ len . }}", m.clone(), "12"),
        ("{{ .a }}{{ .missing }}", m.clone(), "1<no value>"),
        ("{{ and 1 0 2 }}|{{ or 0 \"\" \"x\" }}|{{ and 1 2 }}", Value::Nil, "0|x|2"),
        ("{{ print 1 2 \"a\" 3 }}|{{ println \"a\" 1 }}", Value::Nil, "1 2a3|a 1\n"),
        ("{{ printf \"%5.1f|%-4s|%q|%x|%e|%g|%d%%|%v|%t\" 1.23456 \"ab\" \"x\" 255 1000.0 0.5 7 nil true }}", Value::Nil, "  1.2|ab  |\"x\"|ff|1.000000e+03|0.5|7%|<nil>|true"),
        ("{{ html \"<a&b>\" }} {{ js \"it's\" }} {{ urlquery \"a b\" }}", Value::Nil, "&lt;a&amp;b&gt; it\\'s a+b"),
        ("{{ eq 1 2 3 1 }} {{ ne \"a\" \"b\" }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt 1.5 2.5 }} {{ ge \"b\" \"a\" }}", Value::Nil, "true true true true false true"),
        ("{{ slice \"abcdef\" 1 3 }} {{ index \"abc\" 1 }}", Value::Nil, "bc 98"),
        ("{{ (args 1 2).arg1 }}", Value::Nil, "2"),
        ("{{with .zz}}a{{else with .a}}b{{.}}{{end}}", m.clone(), "b1"),
        ("{{with $v := .b}}{{$v}}{{.}}{{end}}", m.clone(), "22"),
        ("{{define \"d\"}}{{$}}{{end}}{{template \"d\" .a}}", m.clone(), "1"),
        ("{{ index (args (args 5)) \"arg0\" \"arg0\" }}", Value::Nil, "5"),
        ("{{ 1 | printf \"%d %d\" 2 }}", Value::Nil, "2 1"),
        ("{{ \"x\" | printf \"%s-%s\" \"y\" | printf \"<%s>\" }}", Value::Nil, "<y-x>"),
        ("{{ if and .a (not .zz) }}ok{{ end }}", m.clone(), "ok"),
    ];
    for (text, data, want) in cases {
        assert_eq!(ok(text, data), want, "{text}");
    }
}

#[test]
fn execution_errors() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("{{ eq 1 \"a\" }}", Value::Nil, "template: test:1:3: executing \"test\" at <eq 1 \"a\">: error calling eq: incompatible types for comparison"),
        ("{{ lt true false }}", Value::Nil, "template: test:1:3: executing \"test\" at <lt true false>: error calling lt: invalid type for comparison"),
        ("{{ index . 5 }}", ints(&[1]), "template: test:1:3: executing \"test\" at <index . 5>: error calling index: index out of range: 5"),
        ("{{ .x.y }}", Value::Int(1), "template: test:1:3: executing \"test\" at <.x.y>: can't evaluate field x in type int"),
        ("{{ 1 2 }}", Value::Nil, "template: test:1:3: executing \"test\" at <1>: can't give argument to non-function 1"),
        ("{{ template \"nope\" }}", Value::Nil, "template: test:1:12: executing \"test\" at <{{template \"nope\"}}>: template \"nope\" not defined"),
        ("{{ toUpper 1 }}", Value::Nil, "template: test:1:3: executing \"test\" at <toUpper 1>: wrong type for value; expected string; got int"),
        ("{{ humanize }}", Value::Nil, "template: test:1:3: executing \"test\" at <humanize>: wrong number of args for humanize: want 1 got 0"),
        ("{{ range 1.5 }}{{ end }}", Value::Nil, "template: test:1:9: executing \"test\" at <1.5>: range can't iterate over 1.5"),
        ("\n\n  {{ nil }}", Value::Nil, "template: test:3:5: executing \"test\" at <nil>: nil is not a command"),
    ];
    for (text, data, want) in cases {
        assert_eq!(
            run_with(text, data, vec![]).unwrap_err(),
            format!("error executing template test: {want}"),
            "{text}"
        );
    }
}

#[test]
fn parse_errors() {
    let cases = [
        ("{{ if 1 }}x", "template: test:1: unexpected EOF"),
        ("{{ end }}", "template: test:1: unexpected {{end}}"),
        ("{{ else }}", "template: test:1: unexpected {{else}}"),
        (
            "{{ nosuch }}",
            "template: test:1: function \"nosuch\" not defined",
        ),
        ("{{ $x }}", "template: test:1: undefined variable \"$x\""),
        (
            "{{ continue }}",
            "template: test:1: {{continue}} outside {{range}}",
        ),
        (
            "{{ \"abc }}",
            "template: test:1: unterminated quoted string",
        ),
        ("{{ (1 }}", "template: test:1: unclosed left paren"),
        ("x\n{{/* open", "template: test:2: unclosed comment"),
        (
            "{{ template .x }}",
            "template: test:1: unexpected \".x\" in template clause",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(
            run(text).unwrap_err(),
            format!("error parsing template test: {want}"),
            "{text}"
        );
    }
}

#[test]
fn malformed_inputs_never_panic() {
    let pieces = [
        "{{",
        "}}",
        "-",
        " ",
        "if",
        "end",
        "else",
        "range",
        "$x",
        ":=",
        "=",
        ".",
        "a",
        "(",
        ")",
        "|",
        "\"",
        "`",
        "'",
        "1",
        "printf",
        "define",
        "template",
        "block",
        "/*",
        "*/",
        ",",
        "nil",
        "\n",
        "é",
        "0x",
        "1e",
        "\\",
        "%",
        "$",
        "{{-",
        "-}}",
        "with",
        "break",
        "continue",
        "index",
        "slice",
        "eq",
        "len",
        "and",
        "or",
        "humanize",
        "toTime",
        ".Format",
        "query",
        "first",
        "$i, $v :=",
        "\u{a0}",
        "9999999999999999999999",
        "'\\x",
        "\"%*.*f\"",
        "\"%v\"",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let rounds = std::env::var("TEMPLATE_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok());
    for _ in 0..rounds.unwrap_or(3000) {
        let mut text = String::new();
        for _ in 0..(seed % 16) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
        }
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        let _ = run_with(&text, ints(&[1, 2]), vec![]);
    }
}

/// `%q` quotes as Go's `strconv.Quote`: format characters such as U+200B are escaped.
#[test]
fn printf_q_escapes_what_go_escapes() {
    assert_eq!(
        ok(
            "{{ printf \"%q\" . }}",
            Value::String("a\u{200b}b\"".into())
        ),
        r#""a\u200bb\"""#
    );
}
