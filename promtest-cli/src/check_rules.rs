//! `promtest check rules`: promtool's `check rules` (rule files' syntax and semantics, the
//! `duplicate-rules` lint), with its flags, texts and exit codes.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use promtest_runtime::rule_tests::{check_rule_file, CheckOptions, CheckOutcome};

/// The subcommands of `promtest check`.
#[derive(clap::Subcommand, Debug)]
pub enum CheckCmd {
    /// Check if the rule files are valid or not (promtool's `check rules`).
    Rules(Args),
}

/// Options of `promtest check rules` (promtool's flags).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Linting checks to apply. Available options are: all, duplicate-rules, none. Use
    /// --lint=none to disable linting.
    #[arg(long, default_value = "duplicate-rules")]
    pub lint: String,
    /// Make lint errors exit with exit code 3.
    #[arg(long)]
    pub lint_fatal: bool,
    /// Ignore unknown fields in the rule files.
    #[arg(long)]
    pub ignore_unknown_fields: bool,
    /// Experimental features to enable (accepted for promtool compatibility; the parser
    /// always has them).
    #[arg(long = "enable-feature")]
    pub enable_feature: Vec<String>,
    /// `--prometheus-version`: check the expressions against that release's syntax.
    #[command(flatten)]
    pub version: crate::version_flag::VersionFlag,
    /// The rule files to check, default is read from standard input.
    pub files: Vec<PathBuf>,
}

/// promtool's exit code for lint errors under `--lint-fatal`.
const LINT_EXIT: u8 = 3;

/// Runs `promtest check …`.
pub fn main(cmd: &CheckCmd) -> ExitCode {
    match cmd {
        CheckCmd::Rules(args) => check_rules(args),
    }
}

/// The options `--lint` names (promtool's `newRulesLintConfig`): unknown ones are warned about
/// on standard output.
fn lint_options(lint: &str, ignore_unknown_fields: bool) -> CheckOptions {
    let mut opts = CheckOptions::default();
    opts.ignore_unknown_fields = ignore_unknown_fields;
    for setting in lint.split(',').filter(|_| !lint.is_empty()) {
        match setting {
            "all" | "duplicate-rules" => opts.lint_duplicate_rules = true,
            "none" => {}
            other => println!("WARNING: unknown lint option: {other:?}"),
        }
    }
    opts
}

/// What one file's check did: whether it failed, and whether with errors (not only lint).
struct Verdict {
    failed: bool,
    errors: bool,
}

/// Checks one file's contents, printing promtool's lines.
fn check_one(name: Option<&str>, src: Result<String, String>, opts: &CheckOptions) -> Verdict {
    let out = match src {
        Ok(src) => check_rule_file(name, &src, opts),
        Err(e) => CheckOutcome::Invalid(vec![e]),
    };
    let _ = std::io::stdout().flush();
    match out {
        CheckOutcome::Invalid(errors) => {
            eprintln!("  FAILED:");
            for e in errors {
                eprintln!("{e}");
            }
            // promtool goes on to the next file without the blank line (2.42 prints it).
            if opts.semantics.check_rules_blank_line_after_errors {
                println!();
            }
            Verdict {
                failed: true,
                errors: true,
            }
        }
        CheckOutcome::Lint(text) => {
            eprintln!("  FAILED:");
            eprintln!("{text}");
            println!();
            Verdict {
                failed: true,
                errors: false,
            }
        }
        CheckOutcome::Valid { rules } => {
            println!("  SUCCESS: {rules} rules found");
            println!();
            Verdict {
                failed: false,
                errors: false,
            }
        }
        _ => Verdict {
            failed: true,
            errors: true,
        },
    }
}

/// An I/O error as Go words it.
fn io_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => e.to_string(),
    }
}

/// Checks every file (or standard input); exit 0, 1 on errors, 3 on lint errors with
/// `--lint-fatal`, as promtool.
fn check_rules(args: &Args) -> ExitCode {
    if let Some(missing) = args.files.iter().find(|f| !f.exists()) {
        eprintln!(
            "promtest: error: path '{}' does not exist, try --help",
            missing.display()
        );
        return ExitCode::from(1);
    }
    let mut opts = lint_options(&args.lint, args.ignore_unknown_fields);
    opts.semantics = promtest_runtime::Semantics::of(args.version.version);
    let mut verdicts = Vec::new();
    if args.files.is_empty() {
        println!("Checking standard input");
        let mut src = String::new();
        match std::io::stdin().read_to_string(&mut src) {
            Ok(_) => verdicts.push(check_one(None, Ok(src), &opts)),
            Err(e) => {
                eprintln!("  FAILED: {}", io_text(&e));
                verdicts.push(Verdict {
                    failed: true,
                    errors: true,
                });
            }
        }
    }
    for f in &args.files {
        let name = f.display().to_string();
        println!("Checking {name}");
        let src = promtest_runtime::read_input_file(f)
            .map_err(|e| format!("{name}: open {name}: {}", io_text(&e)));
        // A panic is a promtest bug: this file fails with it, the others are still checked.
        let verdict =
            promtest_runtime::catch_internal(&name, 0, || check_one(Some(&name), src, &opts))
                .unwrap_or_else(|internal| {
                    eprintln!("  FAILED:\n{internal}");
                    Verdict {
                        failed: true,
                        errors: true,
                    }
                });
        verdicts.push(verdict);
    }
    let failed = verdicts.iter().any(|v| v.failed);
    if failed && verdicts.iter().any(|v| v.errors) {
        ExitCode::from(1)
    } else if failed && args.lint_fatal {
        ExitCode::from(LINT_EXIT)
    } else {
        ExitCode::SUCCESS
    }
}
