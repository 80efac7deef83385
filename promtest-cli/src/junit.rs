//! JUnit XML for `test rules --junit`, shaped as promtool's `junitxml` output: one suite per
//! file, one case per test group that ran, failures with their texts.

use promtest_runtime::rule_tests::FileReport;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Renders the reports of all files.
pub fn render(files: &[(String, FileReport)]) -> String {
    let mut s = String::from("<testsuites>\n");
    for (name, r) in files {
        let failures = r.groups.iter().filter(|(_, e)| !e.is_empty()).count();
        let aborted = r.groups.is_empty() && !r.errors.is_empty();
        s.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">\n",
            esc(name),
            r.groups.len(),
            failures,
            usize::from(aborted)
        ));
        if aborted {
            for e in &r.errors {
                s.push_str(&format!("    <error message=\"{}\"></error>\n", esc(e)));
            }
        }
        for (case, errs) in &r.groups {
            s.push_str(&format!("    <testcase name=\"{}\">", esc(case)));
            for e in errs {
                s.push_str(&format!("\n      <failure>{}</failure>", esc(e)));
            }
            if !errs.is_empty() {
                s.push_str("\n    ");
            }
            s.push_str("</testcase>\n");
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_cases_and_failures() {
        let mut r = FileReport::default();
        r.errors = vec!["x<y".into()];
        r.groups = vec![("a".into(), vec![]), ("b".into(), vec!["x<y".into()])];
        let xml = render(&[("f.yml".into(), r)]);
        assert!(xml.contains("tests=\"2\" failures=\"1\""));
        assert!(xml.contains("<failure>x&lt;y</failure>"));
    }
}
