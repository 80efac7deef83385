//! The continuous test's configuration, built from its flags: endpoints, client identity and
//! secrets (a flag, else a file, else an environment variable), run mode, the write-read-series
//! test's settings, metrics and logs.

use std::path::PathBuf;
use std::time::Duration;

use super::backend::BackendConfig;
use super::flags::Flags;
use crate::http_client::HttpConfig;
use crate::logfmt::Level;
use crate::secret::Secret;
use crate::write_client::WriteProtocol;

/// Environment variable read for the bearer token when no flag gives it.
pub const BEARER_TOKEN_ENV: &str = "PROMTEST_BEARER_TOKEN";

/// Environment variable read for the basic-auth password when no flag gives it.
pub const BASIC_AUTH_PASSWORD_ENV: &str = "PROMTEST_BASIC_AUTH_PASSWORD";

/// Everything `promtest continuous-test` runs with.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// The backend: endpoints, write protocol, batches, timeouts, client identity and TLS.
    pub backend: BackendConfig,
    /// `-tests.smoke-test`.
    pub smoke_test: bool,
    /// `-tests.run-interval`.
    pub run_interval: Duration,
    /// The write-read-series test's settings.
    pub write_read: WriteReadConfig,
    /// `-server.metrics-listen-address`:`-server.metrics-port`.
    pub metrics_address: String,
    /// `-log.level`.
    pub log_level: Level,
}

/// `-tests.write-read-series-test.*`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct WriteReadConfig {
    /// `num-series`.
    pub num_series: usize,
    /// `max-query-age`.
    pub max_query_age: Duration,
    /// `float-samples-enabled`.
    pub with_floats: bool,
    /// `histogram-samples-enabled`.
    pub with_histograms: bool,
    /// `read-delay` (promtest): wait between writing and querying.
    pub read_delay: Duration,
}

impl WriteReadConfig {
    /// Settings for `num_series` series, floats only, Mimir's default query age.
    pub fn new(num_series: usize) -> Self {
        WriteReadConfig {
            num_series,
            max_query_age: Duration::from_secs(7 * 24 * 3600),
            with_floats: true,
            with_histograms: false,
            read_delay: Duration::ZERO,
        }
    }
}

/// A secret from its flag, else its file flag, else `env`.
fn secret(flags: &Flags, name: &str, file_flag: &str, env: &str) -> Result<Secret, String> {
    let file = flags.text(file_flag);
    if flags.given(name) && !file.is_empty() {
        return Err(format!("set only one of -{name} and -{file_flag}"));
    }
    if flags.given(name) {
        return Ok(Secret::new(flags.text(name)));
    }
    if !file.is_empty() {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("reading -{file_flag} {file}: {e}"))?;
        return Ok(Secret::new(text.trim_end_matches(['\n', '\r'])));
    }
    Ok(Secret::new(std::env::var(env).unwrap_or_default()))
}

fn endpoint(flags: &Flags, name: &str) -> Result<String, String> {
    let url = flags.text(name);
    if url.is_empty() {
        return Ok(url);
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!(
            "invalid value {url:?} for flag -{name}: not an http:// or https:// URL"
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

fn at_least_one(flags: &Flags, name: &str) -> Result<usize, String> {
    let v = flags.int(name);
    usize::try_from(v)
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| format!("invalid value \"{v}\" for flag -{name}: must be at least 1"))
}

impl Config {
    /// The configuration the flags describe, or why they do not describe one.
    pub(crate) fn from_flags(flags: &Flags) -> Result<Config, String> {
        let write_protocol: WriteProtocol = flags.text("tests.write-protocol").parse()?;
        let write_path = match flags.text("tests.write-path") {
            p if p.is_empty() => write_protocol.default_path().to_string(),
            p if p.starts_with('/') => p,
            p => format!("/{p}"),
        };
        let mut http = HttpConfig::new(&flags.text("tests.tenant-id"));
        http.basic_auth_user = flags.text("tests.basic-auth-user");
        http.basic_auth_password = secret(
            flags,
            "tests.basic-auth-password",
            "tests.basic-auth-password-file",
            BASIC_AUTH_PASSWORD_ENV,
        )?;
        http.bearer_token = secret(
            flags,
            "tests.bearer-token",
            "tests.bearer-token-file",
            BEARER_TOKEN_ENV,
        )?;
        http.user_agent = flags.text("tests.client.user-agent");
        http.chunks_debugging_header = flags.bool("tests.send-chunks-debugging-header");
        let ca = flags.text("tests.tls-ca-path");
        http.ca_file = (!ca.is_empty()).then(|| PathBuf::from(ca));
        let run_interval = flags.duration("tests.run-interval");
        if run_interval.is_zero() {
            return Err(
                "invalid value \"0s\" for flag -tests.run-interval: must be positive".to_string(),
            );
        }
        let port = flags.int("server.metrics-port");
        let port = u16::try_from(port).map_err(|_| {
            format!("invalid value \"{port}\" for flag -server.metrics-port: not a port")
        })?;
        let host = flags.text("server.metrics-listen-address");
        let host = if host.is_empty() {
            "0.0.0.0".to_string()
        } else {
            host
        };
        let log_level = flags
            .text("log.level")
            .parse()
            .map_err(|e| format!("invalid value for flag -log.level: {e}"))?;
        Ok(Config {
            backend: BackendConfig {
                http,
                write_endpoint: endpoint(flags, "tests.write-endpoint")?,
                write_path,
                write_protocol,
                write_batch_size: at_least_one(flags, "tests.write-batch-size")?,
                write_timeout: flags.duration("tests.write-timeout"),
                read_endpoint: endpoint(flags, "tests.read-endpoint")?,
                read_timeout: flags.duration("tests.read-timeout"),
            },
            smoke_test: flags.bool("tests.smoke-test"),
            run_interval,
            write_read: WriteReadConfig {
                num_series: at_least_one(flags, "tests.write-read-series-test.num-series")?,
                max_query_age: flags.duration("tests.write-read-series-test.max-query-age"),
                with_floats: flags.bool("tests.write-read-series-test.float-samples-enabled"),
                with_histograms: flags
                    .bool("tests.write-read-series-test.histogram-samples-enabled"),
                read_delay: flags.duration("tests.write-read-series-test.read-delay"),
            },
            metrics_address: format!("{host}:{port}"),
            log_level,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::flags::{parse, Parsed};
    use super::*;

    fn config(a: &[&str]) -> Result<Config, String> {
        let args: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        match parse(&args)? {
            Parsed::Values(f) => Config::from_flags(&f),
            Parsed::Help => Err("help".into()),
        }
    }

    #[test]
    fn write_path_defaults_per_protocol() {
        let c = config(&["-tests.write-endpoint=http://h:1/"]).unwrap();
        assert_eq!(c.backend.write_endpoint, "http://h:1");
        assert_eq!(c.backend.write_path, "/api/v1/push");
        let c = config(&["-tests.write-protocol=otlp-http"]).unwrap();
        assert_eq!(c.backend.write_path, "/otlp/v1/metrics");
        let c = config(&["-tests.write-path=api/v1/write"]).unwrap();
        assert_eq!(c.backend.write_path, "/api/v1/write");
        assert!(config(&["-tests.write-protocol=grpc"])
            .unwrap_err()
            .contains("the only supported write protocols"));
    }

    #[test]
    fn secrets_come_from_a_file() {
        let dir = std::env::temp_dir().join(format!("promtest-secret-{}", std::process::id()));
        std::fs::write(&dir, "s3cret\n").unwrap();
        let c = config(&[&format!("-tests.bearer-token-file={}", dir.display())]).unwrap();
        assert_eq!(c.backend.http.bearer_token.expose(), "s3cret");
        let both = config(&[
            "-tests.bearer-token=x",
            &format!("-tests.bearer-token-file={}", dir.display()),
        ]);
        assert!(both.unwrap_err().contains("set only one of"));
        let _ = std::fs::remove_file(dir);
        assert!(config(&["-tests.bearer-token-file=/nonexistent/x"]).is_err());
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(config(&["-tests.write-read-series-test.num-series=0"]).is_err());
        assert!(config(&["-tests.run-interval=0s"]).is_err());
        assert!(config(&["-server.metrics-port=70000"]).is_err());
        assert!(config(&["-log.level=loud"]).is_err());
        assert!(config(&["-tests.read-endpoint=localhost:9090"]).is_err());
        let c = config(&[
            "-server.metrics-port=0",
            "-server.metrics-listen-address=127.0.0.1",
        ]);
        assert_eq!(c.unwrap().metrics_address, "127.0.0.1:0");
    }
}
