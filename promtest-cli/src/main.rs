//! The `promtest` command line: run `.test` scripts and rule tests, promtool's `test rules`, and
//! the conformance ratchet over the Prometheus corpus, and the continuous test of live backends.
#![forbid(unsafe_code)]

mod check_rules;
mod compare_versions;
mod conformance;
#[cfg(feature = "live")]
mod continuous_test;
mod junit;
mod known_failures;
mod run;
mod test_rules;
mod update_flag;
mod version_flag;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Run Prometheus PromQL tests.
#[derive(Parser, Debug)]
#[command(name = "promtest", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

/// The commands; each one's options are its own `clap::Args` struct, next to its code.
#[derive(Subcommand, Debug)]
enum Cmd {
    /// Run promqltest `.test` files and rule tests (files, or directories searched recursively).
    Run(run::Args),
    /// promtool-compatible unit tests (`promtest test rules FILE...`).
    Test(test_rules::TestArgs),
    /// promtool-compatible checks (`promtest check rules [FILE...]`).
    #[command(subcommand)]
    Check(check_rules::CheckCmd),
    /// Run every eval of a corpus and compare the failures with a known-failures list.
    Conformance(conformance::Args),
    /// Write series to a live Prometheus-compatible backend, read them back and check them,
    /// exporting the outcome as metrics (Grafana Mimir's continuous test, with its flags:
    /// `promtest continuous-test --help`).
    #[cfg(feature = "live")]
    #[command(disable_help_flag = true)]
    ContinuousTest(continuous_test::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Cmd::Run(args) => run::main(&args),
        Cmd::Test(args) => test_rules::main(&args),
        Cmd::Check(cmd) => check_rules::main(&cmd),
        Cmd::Conformance(args) => conformance::main(&args),
        #[cfg(feature = "live")]
        Cmd::ContinuousTest(args) => continuous_test::main(&args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("promtest").chain(args.iter().copied()))
    }

    #[test]
    fn conformance_needs_its_directory() {
        assert!(parse(&["conformance", "--known-failures", "k.txt"]).is_err());
        assert!(parse(&["conformance", "corpus", "--known-failures", "k.txt"]).is_ok());
    }

    #[test]
    fn tick_by_tick_from_the_environment() {
        let tick = |env: Option<&str>| {
            match env {
                Some(v) => std::env::set_var("PROMTEST_TICK_BY_TICK", v),
                None => std::env::remove_var("PROMTEST_TICK_BY_TICK"),
            }
            let cli = parse(&["test", "rules", "t.yml"]).unwrap();
            let Cmd::Test(t) = cli.command else {
                panic!("not test rules")
            };
            let test_rules::TestCmd::Rules(r) = t.what;
            r.tick_by_tick
        };
        assert!(tick(Some("1")) && tick(Some("yes")) && tick(Some("true")));
        assert!(!tick(Some("0")) && !tick(Some("false")) && !tick(None));
    }

    #[test]
    fn test_rules_takes_promtool_flags() {
        let cli = parse(&[
            "test", "rules", "--junit", "j.xml", "--run", "a", "--diff", "t.yml",
        ])
        .unwrap();
        let Cmd::Test(t) = cli.command else {
            panic!("not test rules")
        };
        assert_eq!(t.junit.as_deref(), Some(std::path::Path::new("j.xml")));
        let test_rules::TestCmd::Rules(r) = t.what;
        assert_eq!(r.run, ["a"]);
        assert!(r.diff && !r.debug);
    }
}
