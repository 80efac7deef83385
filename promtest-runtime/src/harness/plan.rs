//! A parsed script turned into cases, one per eval, each sharing the lazily built state it sees.

use std::sync::{Arc, OnceLock};

use libtest_mimic::Trial;

use crate::error::{Error, ErrorKind, Location};
use crate::script::{parse_script, Command, Eval, Load};
use crate::semantics::Semantics;
use crate::store::{AppendCheck, Store};

use super::exec::EvalRun;
use super::failure::{Failure, FailureKind};
#[cfg(feature = "rule-tests")]
use super::rule_cases::RuleCase;

/// The storage an eval sees: every load since the last `clear` up to the eval, built once on
/// first use and shared by every case that sees the same loads.
#[derive(Debug, Default)]
pub struct State {
    loads: Vec<Load>,
    store: OnceLock<(Store, Option<String>)>,
}

impl State {
    /// The store, built from the loads on first call.
    pub fn store(&self) -> &Store {
        &self.built().0
    }

    /// The first load Prometheus's test storage would refuse (`load at line N: …`), which
    /// stops the script upstream; the loads after it are still in [`State::store`].
    pub fn load_error(&self) -> Option<&str> {
        self.built().1.as_deref()
    }

    fn built(&self) -> &(Store, Option<String>) {
        self.store.get_or_init(|| {
            let mut s = Store::new();
            let mut check = AppendCheck::new();
            let mut first = None;
            for l in &self.loads {
                if let Err(e) = l.try_apply_checked(&mut s, &mut check) {
                    first.get_or_insert(format!("load at line {}: {}", l.line, e.kind));
                }
            }
            (s, first)
        })
    }
}

#[derive(Debug)]
enum Body {
    Eval {
        eval: Box<Eval>,
        state: Arc<State>,
        semantics: Semantics,
    },
    Malformed(ErrorKind),
    #[cfg(feature = "rule-tests")]
    Rule(RuleCase),
    /// An untested rule: an ignored trial failing with why, when run.
    #[cfg(feature = "rule-tests")]
    Uncovered(String),
}

/// One runnable assertion: an eval of a script, an assertion of a rule test, or a malformed
/// file. Cases share the state they evaluate against, built once on first use.
#[derive(Debug)]
pub struct Case {
    /// The file, as named in trial names (relative to the test directory).
    pub file: String,
    /// 1-based line of the eval (or of the script error).
    pub line: usize,
    /// The trial name: `<file>::L<line>::<eval line>`, or the file alone for a malformed file.
    pub name: String,
    body: Body,
}

/// The kind of trial every eval case becomes.
pub const EVAL_KIND: &str = "eval";

impl Case {
    /// `file:line`, the key of the known-failures list.
    pub fn id(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    /// Where the case is: its file and line.
    pub fn loc(&self) -> Location {
        Location::line(&self.file, self.line)
    }

    /// Runs the case.
    pub fn run(&self) -> Result<(), Failure> {
        match &self.body {
            Body::Eval {
                eval,
                state,
                semantics,
            } => match state.load_error() {
                Some(e) => Err(FailureKind::Error(ErrorKind::engine(e))
                    .at(self.loc())
                    .with_query(&eval.expr, "")),
                None => EvalRun::new(&self.file, eval, state.store(), *semantics).run(),
            },
            #[cfg(feature = "rule-tests")]
            Body::Rule(r) => r.run(self.loc()),
            #[cfg(feature = "rule-tests")]
            Body::Uncovered(why) => Err(FailureKind::mismatch(why.clone()).at(self.loc())),
            Body::Malformed(e) => Err(FailureKind::Error(e.clone()).at(self.loc())),
        }
    }

    /// The eval this case runs, the state it sees and the semantics it runs under, if it is
    /// an eval.
    pub(crate) fn eval_parts(&self) -> Option<(&Eval, &State, Semantics)> {
        match &self.body {
            Body::Eval {
                eval,
                state,
                semantics,
            } => Some((eval, state, *semantics)),
            _ => None,
        }
    }

    /// A rule-test assertion case.
    #[cfg(feature = "rule-tests")]
    pub(crate) fn rule(file: &str, line: usize, name: String, rule: RuleCase) -> Case {
        Case {
            file: file.to_string(),
            line,
            name,
            body: Body::Rule(rule),
        }
    }

    /// A coverage case: the rule at `file:line` is untested, for the reason `why`.
    #[cfg(feature = "rule-tests")]
    pub(crate) fn uncovered(file: &str, line: usize, name: String, why: String) -> Case {
        Case {
            file: file.to_string(),
            line,
            name,
            body: Body::Uncovered(why),
        }
    }

    /// The rule-test file this case asserts on, if it is a rule-test assertion.
    #[cfg(feature = "rule-tests")]
    pub(crate) fn rule_suite(&self) -> Option<&std::sync::Arc<crate::unittest::Suite>> {
        match &self.body {
            Body::Rule(r) => Some(&r.suite),
            _ => None,
        }
    }

    /// The libtest-mimic trial running this case; failures render with colour when `color`.
    pub(crate) fn into_trial(self, color: bool) -> Trial {
        let (kind, ignored) = match self.body {
            Body::Eval { .. } => (EVAL_KIND, false),
            Body::Malformed(_) => ("file", false),
            #[cfg(feature = "rule-tests")]
            Body::Rule(ref r) => (r.kind(), false),
            #[cfg(feature = "rule-tests")]
            Body::Uncovered(_) => ("coverage", true),
        };
        let name = bounded_name(&self.name);
        Trial::test(name, move || {
            let (file, line) = (self.file.clone(), self.line);
            match super::catch_internal(&file, line, || self.run()) {
                Ok(outcome) => outcome.map_err(|f| f.render(color).into()),
                Err(internal) => Err(internal.into()),
            }
        })
        .with_kind(kind)
        .with_ignored_flag(ignored)
    }
}

/// Longest trial name kept whole: a query of megabytes in a name would make the trial list
/// unreadable (and libtest-mimic's padding panics past 65535 columns).
const MAX_TRIAL_NAME: usize = 300;

/// `name`, cut to [`MAX_TRIAL_NAME`] bytes (at a char boundary) with `…` when longer; the
/// `file::Lline` prefix that filters match stays whole.
fn bounded_name(name: &str) -> String {
    if name.len() <= MAX_TRIAL_NAME {
        return name.to_string();
    }
    let mut end = MAX_TRIAL_NAME;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &name[..end])
}

/// A script error shown with the offending line and a caret under the column.
fn render_script_error(src: &str, e: &Error) -> String {
    let mut out = format!("malformed test file: {}", e.kind);
    if let Some(text) = src.lines().nth(e.loc.line.saturating_sub(1)) {
        let col = e.loc.col.max(1);
        let pad: String = text
            .chars()
            .take(col - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        out.push_str(&format!(
            "\n  --> {}:{}:{}\n   | {text}\n   | {pad}^",
            e.loc.file, e.loc.line, col
        ));
    }
    out
}

/// A failing case for a file that could not be read or parsed (or that its format's tool
/// rejects as a whole), failing with `error`.
pub fn malformed(file: &str, line: usize, error: ErrorKind) -> Case {
    Case {
        file: file.to_string(),
        line,
        name: file.to_string(),
        body: Body::Malformed(error),
    }
}

/// Parses `src` (the contents of `file`) and plans one case per eval, run under `semantics`. A
/// malformed file becomes a single failing case named after the file.
pub fn plan_script(file: &str, src: &str, semantics: Semantics) -> Vec<Case> {
    let script = match parse_script(file, src) {
        Ok(s) => s,
        Err(e) => {
            let text = render_script_error(src, &e);
            return vec![malformed(file, e.loc.line, ErrorKind::test_file(text))];
        }
    };
    let mut cases = Vec::new();
    let mut loads: Vec<Load> = Vec::new();
    let mut state: Option<Arc<State>> = None;
    for cmd in script.commands {
        match cmd {
            Command::Clear { .. } => {
                loads.clear();
                state = None;
            }
            Command::Load(l) => {
                loads.push(l);
                state = None;
            }
            Command::Eval(eval) => {
                let st = state
                    .get_or_insert_with(|| {
                        Arc::new(State {
                            loads: loads.clone(),
                            store: OnceLock::new(),
                        })
                    })
                    .clone();
                cases.push(Case {
                    file: file.to_string(),
                    line: eval.line,
                    name: format!("{file}::L{}::{}", eval.line, eval.text),
                    body: Body::Eval {
                        eval: Box::new(eval),
                        state: st,
                        semantics,
                    },
                });
            }
        }
    }
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_errors_point_at_the_column() {
        let e = ErrorKind::test_file("invalid series value \"1+\"").at(Location {
            file: "x.test".into(),
            line: 2,
            col: 5,
        });
        let text = render_script_error("load 1m\n\tm 1+\n", &e);
        assert!(text.starts_with("malformed test file: invalid series value \"1+\""));
        assert!(text.ends_with("   | \tm 1+\n   | \t   ^"), "{text}");
    }

    #[test]
    fn malformed_case_fails_with_its_file_name() {
        let c = malformed("dir/a.test", 3, ErrorKind::test_file("bad"));
        assert_eq!(c.name, "dir/a.test");
        assert_eq!(c.id(), "dir/a.test:3");
        assert_eq!(c.run().unwrap_err().message(), "bad");
    }

    #[test]
    fn a_refused_load_fails_the_evals_that_see_it() {
        // Prometheus's test storage: a later block may not go back in time, even with the
        // same values, nor change a series' newest sample.
        let src = "load 1m\n  m 1 2\n\nload 1m\n  m 1 3\n\neval instant at 1m m\n  m 2\n\nclear\n\nload 1m\n  m 1 2\n\nload 1m\n  m _ 3\n\neval instant at 0 m\n  m 1\n\nclear\n\nload 1m\n  m 1 2\n\nload 1m\n  m _ 2 3\n\neval instant at 2m m\n  m 3\n";
        let cases = plan_script("t.test", src, Semantics::default());
        assert_eq!(cases.len(), 3);
        assert_eq!(
            cases[0].run().unwrap_err().message(),
            "load at line 4: out of order sample"
        );
        assert_eq!(
            cases[1].run().unwrap_err().message(),
            "load at line 15: duplicate sample for timestamp 60000; overrides not allowed: existing 2, new value 3"
        );
        cases[2].run().unwrap();
    }
}
