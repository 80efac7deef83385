//! `promtest continuous-test`: its words go to the live client's own Go-style flag parser
//! (Mimir's flag names, one dash or two), so clap only collects them.

use std::process::ExitCode;

/// The continuous test's command line, passed through unparsed.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Mimir's `-tests.*`, `-server.metrics-port` and `-log.level` flags (`--help` lists them).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    flags: Vec<String>,
}

/// Runs the continuous test with `args`.
pub fn main(args: &Args) -> ExitCode {
    promtest_live::continuous::main(&args.flags)
}
