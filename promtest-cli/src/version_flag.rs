//! `--prometheus-version V` (or `PROMTEST_PROMETHEUS_VERSION`), shared by `promtest run`,
//! `promtest test rules`, `promtest check rules` and `promtest conformance`.

use promtest_runtime::PrometheusVersion;

/// The Prometheus release whose semantics to follow.
#[derive(clap::Args, Debug, Clone)]
pub struct VersionFlag {
    /// Follow the PromQL and promtool semantics of this Prometheus release: 2.42, 2.53, 3.5
    /// or latest (HEAD; the default); `v2.53.5` and the like are accepted (promtest).
    #[arg(
        long = "prometheus-version",
        env = "PROMTEST_PROMETHEUS_VERSION",
        value_name = "V",
        default_value = "latest",
        value_parser = parse_version
    )]
    pub version: PrometheusVersion,
}

fn parse_version(s: &str) -> Result<PrometheusVersion, String> {
    s.parse()
        .map_err(|e: promtest_runtime::UnknownVersion| e.to_string())
}
