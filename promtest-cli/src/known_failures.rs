//! The known-failures list of the conformance ratchet: `file.test:LINE  reason` per line.

use std::collections::BTreeMap;

/// Known failing cases by id (`file.test:LINE`), with their reasons.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct KnownFailures {
    /// Reason per case id.
    pub reasons: BTreeMap<String, String>,
}

impl KnownFailures {
    /// Parses the list; `#` starts a comment line, blank lines are skipped.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut reasons = BTreeMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (id, reason) = match line.split_once(char::is_whitespace) {
                Some((id, r)) => (id, r.trim()),
                None => (line, ""),
            };
            let valid = id
                .rsplit_once(':')
                .is_some_and(|(f, l)| !f.is_empty() && l.parse::<usize>().is_ok());
            if !valid {
                return Err(format!(
                    "line {}: expected `file.test:LINE  reason`, found {raw:?}",
                    i + 1
                ));
            }
            reasons.insert(id.to_string(), reason.to_string());
        }
        Ok(KnownFailures { reasons })
    }

    /// Whether a case is listed.
    pub fn contains(&self, id: &str) -> bool {
        self.reasons.contains_key(id)
    }

    /// The list for the given failures (id, first line of the failure), in the given order,
    /// keeping the reasons already written.
    pub fn regenerate(&self, failures: &[(String, String)]) -> String {
        let mut out = String::from(
            "# Conformance cases promtest does not pass yet: `file.test:LINE  reason`.\n\
             # Regenerate with `scripts/conformance --update`; the run fails when a listed case\n\
             # passes or an unlisted case fails.\n",
        );
        for (id, summary) in failures {
            let reason = match self.reasons.get(id) {
                Some(r) if !r.is_empty() => r.clone(),
                _ => summary.replace('\n', " "),
            };
            out.push_str(&format!("{id}  {reason}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_reasons_and_comments() {
        let k =
            KnownFailures::parse("# c\n\nfunctions.test:12  no histograms\na/b.test:3\n").unwrap();
        assert_eq!(k.reasons["functions.test:12"], "no histograms");
        assert!(k.contains("a/b.test:3"));
        assert!(KnownFailures::parse("nonsense here").is_err());
    }

    #[test]
    fn regenerate_keeps_reasons() {
        let k = KnownFailures::parse("x.test:1  old reason\n").unwrap();
        let text = k.regenerate(&[
            ("x.test:1".into(), "new summary".into()),
            ("x.test:9".into(), "expected 1 but got 2".into()),
        ]);
        assert!(text.contains("x.test:1  old reason\n"));
        assert!(text.contains("x.test:9  expected 1 but got 2\n"));
    }
}
