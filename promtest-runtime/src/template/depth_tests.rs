//! Go's depth limits, at their boundaries and with their texts: 100,000 nested `{{template}}`
//! calls (`maxExecDepth`), 10,000 nested parentheses (`maxStackDepth`), 100,000 commands in a
//! pipeline (`maxPipelineCmds`), and nested controls without limit. Each runs on libtest's
//! 2 MiB thread, which the recursion outgrows many times over. Then promtest's own limits on
//! an execution's work and memory, which Go does not have (a runaway template hangs or
//! exhausts Prometheus's rule evaluation): steps walked and bytes produced.

use super::exec::MAX_EXEC_DEPTH;
use super::parser::{MAX_PAREN_DEPTH, MAX_PIPELINE_CMDS};
use super::*;

fn run(text: &str) -> Result<String, String> {
    let q = |_: &str| -> Result<Vec<QuerySample>, String> { Ok(vec![]) };
    CompiledTemplate::new("test", text).execute(Value::Nil, 0, "", &q)
}

/// The main template calls template "1", each "k" calls "k+1", and "`calls`" prints "bottom":
/// `calls` nested invocations, one definition per line (line k+1 defines "k"; `-}}` trims the
/// line ends out of the output).
fn chain(calls: usize) -> String {
    let mut text = String::from("{{template \"1\" -}}\n");
    for k in 1..calls {
        text.push_str(&format!(
            "{{{{define \"{k}\"}}}}{{{{template \"{}\"}}}}{{{{end -}}}}\n",
            k + 1
        ));
    }
    text.push_str(&format!("{{{{define \"{calls}\"}}}}bottom{{{{end}}}}"));
    text
}

#[test]
fn template_calls_nest_to_go_max_exec_depth() {
    assert_eq!(MAX_EXEC_DEPTH, 100_000);
    assert_eq!(run(&chain(MAX_EXEC_DEPTH)).unwrap(), "bottom");
    // One more: template "100000" (line 100001) cannot call "100001"; Go positions the error
    // at the called name.
    let err = run(&chain(MAX_EXEC_DEPTH + 1)).unwrap_err();
    let col = "{{define \"100000\"}}{{template ".len();
    assert_eq!(
        err,
        format!(
            "error executing template test: template: test:100001:{col}: executing \"100000\" at \
             <{{{{template \"100001\"}}}}>: exceeded maximum template depth (100000)"
        )
    );
}

#[test]
fn the_depth_is_checked_before_the_call_pipeline() {
    // The 100,001st call's pipeline would fail too; Go reports the depth first.
    let text = chain(MAX_EXEC_DEPTH + 1).replace(
        "{{template \"100001\"}}",
        "{{template \"100001\" (index nil 1)}}",
    );
    assert!(run(&text)
        .unwrap_err()
        .ends_with("exceeded maximum template depth (100000)"));
    // Below the limit the pipeline's error is the one reported.
    let text = chain(MAX_EXEC_DEPTH).replace(
        "{{template \"100000\"}}",
        "{{template \"100000\" (index nil 1)}}",
    );
    assert!(run(&text).unwrap_err().ends_with("index of untyped nil"));
}

#[test]
fn a_recursive_template_stops_at_go_max_exec_depth() {
    let text = "{{define \"x\"}}{{template \"x\" .}}{{end}}{{template \"x\" .}}";
    assert_eq!(
        run(text).unwrap_err(),
        "error executing template test: template: test:1:25: executing \"x\" at \
         <{{template \"x\" .}}>: exceeded maximum template depth (100000)"
    );
}

#[test]
fn parentheses_nest_to_go_max_stack_depth() {
    assert_eq!(MAX_PAREN_DEPTH, 10_000);
    let parens = |n: usize| format!("{{{{{}1{}}}}}", "(".repeat(n), ")".repeat(n));
    assert_eq!(run(&parens(MAX_PAREN_DEPTH)).unwrap(), "1");
    assert_eq!(
        run(&parens(MAX_PAREN_DEPTH + 1)).unwrap_err(),
        "error parsing template test: template: test:1: max expression depth exceeded"
    );
    // An error context prints the nested pipeline.
    let text = format!(
        "{{{{{}nil{}}}}}",
        "(".repeat(MAX_PAREN_DEPTH),
        ")".repeat(MAX_PAREN_DEPTH)
    );
    let err = run(&text).unwrap_err();
    assert!(
        err.ends_with("at <nil>: nil is not a command"),
        "{}",
        &err[err.len() - 80..]
    );
}

#[test]
fn pipelines_hold_go_max_pipeline_cmds() {
    assert_eq!(MAX_PIPELINE_CMDS, 100_000);
    let pipeline = |n: usize| format!("{{{{1{}}}}}", "|print".repeat(n - 1));
    assert_eq!(run(&pipeline(MAX_PIPELINE_CMDS)).unwrap(), "1");
    assert_eq!(
        run(&pipeline(MAX_PIPELINE_CMDS + 1)).unwrap_err(),
        "error parsing template test: template: test:1: pipeline too long"
    );
}

#[test]
fn controls_nest_up_to_promtest_max_control_depth() {
    use super::parser::MAX_CONTROL_DEPTH;
    // Go has no limit here; promtest stops at 10,000 levels to bound memory (README).
    assert_eq!(MAX_CONTROL_DEPTH, 10_000);
    let n = MAX_CONTROL_DEPTH;
    let too_deep = |text: &str| {
        let err = run(text).unwrap_err();
        assert!(
            err.starts_with("error parsing template test: template: test:1: ")
                && err.ends_with("more than promtest's limit of 10000 nested control actions"),
            "{}",
            &err[..err.len().min(200)]
        );
    };
    for open in ["{{if 1}}", "{{with 1}}", "{{range 1}}"] {
        let text = open.repeat(n) + "deep" + &"{{end}}".repeat(n);
        assert_eq!(run(&text).unwrap(), "deep", "{open}");
        too_deep(&(open.repeat(n + 1) + "deep" + &"{{end}}".repeat(n + 1)));
    }
    // Nested blocks: each defines and calls its own template.
    let blocks = |n: usize| -> String {
        (0..n)
            .map(|k| format!("{{{{block \"b{k}\" 1}}}}"))
            .collect()
    };
    let text = blocks(n) + "deep" + &"{{end}}".repeat(n);
    assert_eq!(run(&text).unwrap(), "deep");
    too_deep(&(blocks(n + 1) + "deep" + &"{{end}}".repeat(n + 1)));
    // An `{{else if}}` chain: the first `if` and each link are one level.
    let chain = |links: usize| {
        "{{if 0}}".to_string() + &"{{else if 0}}".repeat(links) + "{{else}}last{{end}}"
    };
    assert_eq!(run(&chain(n - 1)).unwrap(), "last");
    too_deep(&chain(n));
    // Template calls inside nested controls: each call is one level of the exec depth.
    let text = "{{define \"x\"}}{{if 1}}{{with 1}}{{template \"x\"}}{{end}}{{end}}{{end}}{{template \"x\"}}";
    assert!(run(text)
        .unwrap_err()
        .ends_with("exceeded maximum template depth (100000)"));
}

#[test]
fn an_execution_walks_at_most_promtest_max_exec_steps() {
    use super::exec::MAX_EXEC_STEPS;
    // The range node is one step and each iteration one more.
    let range = |n: usize| format!("{{{{range {n}}}}}{{{{end}}}}");
    assert_eq!(run(&range(MAX_EXEC_STEPS - 1)).unwrap(), "");
    assert_eq!(
        run(&range(MAX_EXEC_STEPS)).unwrap_err(),
        "error executing template test: template: test:1:8: executing \"test\" at <10000000>: \
         exceeded promtest's limit of 10000000 template execution steps"
    );
    // A range over a huge count neither allocates nor runs for ever.
    assert!(
        run("{{range 100000000000}}{{range 100000000000}}x{{end}}{{end}}")
            .unwrap_err()
            .ends_with("exceeded promtest's limit of 10000000 template execution steps")
    );
}

#[test]
fn an_execution_produces_at_most_promtest_max_exec_bytes() {
    use super::exec::MAX_EXEC_BYTES;
    assert_eq!(MAX_EXEC_BYTES, 16 << 20);
    let limit =
        "exceeded promtest's limit of 16777216 bytes of template output and function results";
    // Doubling a string in a loop.
    let doubling = "{{$x := \"ab\"}}{{range 60}}{{$x = printf \"%s%s\" $x $x}}{{end}}{{len $x}}";
    assert!(run(doubling).unwrap_err().ends_with(limit));
    // Printing a million-wide field again and again.
    let output = "{{range 20}}{{printf \"%01000000d\" 1}}{{end}}";
    assert!(run(output).unwrap_err().ends_with(limit));
    let text = "{{range 20}}{{ \"x\" }}{{end}}";
    assert_eq!(run(text).unwrap(), "x".repeat(20));
    // A replacement at every position of a long text.
    let replace = format!(
        "{{{{reReplaceAll \"\" \"{}\" \"{}\"}}}}",
        "r".repeat(10_000),
        "t".repeat(10_000)
    );
    assert!(run(&replace).unwrap_err().ends_with(
        "error calling reReplaceAll: result exceeds promtest's limit of 16777216 bytes"
    ));
}
