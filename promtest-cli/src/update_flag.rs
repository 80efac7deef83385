//! `--update` (or `PROMTEST_UPDATE`), shared by `promtest run` and `promtest test rules`.

/// The update mode's flag.
#[derive(clap::Args, Debug)]
pub struct UpdateFlag {
    /// Before running, rewrite each failing expectation with the actual result: the expected
    /// block of a `.test` eval, the `exp_samples`/`exp_alerts` of a rule-test case (the YAML
    /// edited in place) (promtest).
    #[arg(
        long,
        env = "PROMTEST_UPDATE",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub update: bool,
}
