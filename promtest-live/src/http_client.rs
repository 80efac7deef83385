//! The HTTP client every request to the backend goes through: authentication and tenant headers
//! by Mimir's rules, `User-Agent`, timeouts, TLS with the system's roots or a CA file, and
//! transport errors that name the request without any secret.
//!
//! Mimir's rules: a bearer token wins over basic auth, which wins over the tenant header alone;
//! with either kind of auth `X-Scope-OrgID` is still sent when the tenant is not `anonymous`;
//! without auth it is always sent. Giving both a bearer token and basic auth is an error.

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use crate::secret::Secret;

/// The tenant Mimir assumes when none is configured.
pub const DEFAULT_TENANT: &str = "anonymous";

/// How the client identifies itself and which roots it trusts.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct HttpConfig {
    /// `-tests.tenant-id`.
    pub tenant_id: String,
    /// `-tests.basic-auth-user`.
    pub basic_auth_user: String,
    /// `-tests.basic-auth-password`.
    pub basic_auth_password: Secret,
    /// `-tests.bearer-token`.
    pub bearer_token: Secret,
    /// `-tests.client.user-agent` (none sent when empty).
    pub user_agent: String,
    /// `-tests.tls-ca-path`: trust only the CAs in this PEM file instead of the system's roots.
    pub ca_file: Option<PathBuf>,
    /// `-tests.send-chunks-debugging-header`.
    pub chunks_debugging_header: bool,
}

impl HttpConfig {
    /// A configuration for `tenant` with Mimir's default user agent and no auth.
    pub fn new(tenant: &str) -> Self {
        HttpConfig {
            tenant_id: tenant.to_string(),
            user_agent: "mimir-continuous-test".to_string(),
            ..HttpConfig::default()
        }
    }

    fn has_basic_auth(&self) -> bool {
        !self.basic_auth_user.is_empty() && !self.basic_auth_password.is_empty()
    }

    /// The headers Mimir's round tripper adds to every request, in its order.
    fn identity_headers(&self) -> Vec<(&'static str, String)> {
        let mut h = Vec::new();
        let tenant = || ("X-Scope-OrgID", self.tenant_id.clone());
        if !self.bearer_token.is_empty() {
            h.push((
                "Authorization",
                format!("Bearer {}", self.bearer_token.expose()),
            ));
            if self.tenant_id != DEFAULT_TENANT {
                h.push(tenant());
            }
        } else if self.has_basic_auth() {
            let pair = format!(
                "{}:{}",
                self.basic_auth_user,
                self.basic_auth_password.expose()
            );
            h.push((
                "Authorization",
                format!("Basic {}", base64(pair.as_bytes())),
            ));
            if self.tenant_id != DEFAULT_TENANT {
                h.push(tenant());
            }
        } else {
            h.push(tenant());
        }
        if !self.user_agent.is_empty() {
            h.push(("User-Agent", self.user_agent.clone()));
        }
        if self.chunks_debugging_header {
            h.push(("X-Mimir-Chunk-Info-Logger", "series_id".to_string()));
        }
        h
    }
}

/// A response: its status and (a bounded prefix of) its body.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Go's `resp.Status` form: `401 Unauthorized`.
    pub status_line: String,
    /// The body, cut at the caller's limit.
    pub body: Vec<u8>,
}

/// A blocking HTTP client configured once for the backend.
#[derive(Clone)]
pub struct HttpClient {
    agent: ureq::Agent,
    identity: Vec<(&'static str, String)>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HttpClient")
    }
}

impl HttpClient {
    /// A client for `cfg`; fails on conflicting auth or an unreadable CA file.
    pub fn new(cfg: &HttpConfig) -> Result<Self, String> {
        if cfg.has_basic_auth() && !cfg.bearer_token.is_empty() {
            return Err(
                "either set tests.tenant-id or tests.basic-auth-user/tests.basic-auth-password or tests.bearer-token"
                    .to_string(),
            );
        }
        let roots = match &cfg.ca_file {
            Some(path) => {
                let pem = std::fs::read(path)
                    .map_err(|e| format!("reading CA file {}: {e}", path.display()))?;
                let certs = ureq::tls::parse_pem(&pem)
                    .filter_map(|item| match item {
                        Ok(ureq::tls::PemItem::Certificate(c)) => Some(Ok(c)),
                        Ok(_) => None,
                        Err(e) => Some(Err(e)),
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("reading CA file {}: {e}", path.display()))?;
                if certs.is_empty() {
                    return Err(format!(
                        "reading CA file {}: no PEM certificate in it",
                        path.display()
                    ));
                }
                ureq::tls::RootCerts::new_with_certs(&certs)
            }
            None => ureq::tls::RootCerts::PlatformVerifier,
        };
        let tls = ureq::tls::TlsConfig::builder().root_certs(roots).build();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .tls_config(tls)
            .user_agent(ureq::config::AutoHeaderValue::None)
            .build()
            .into();
        Ok(HttpClient {
            agent,
            identity: cfg.identity_headers(),
        })
    }

    /// `req` with the identity headers, then `headers`.
    fn with_headers<B>(
        &self,
        mut req: ureq::RequestBuilder<B>,
        headers: &[(&str, &str)],
    ) -> ureq::RequestBuilder<B> {
        for (k, v) in self.identity.iter().map(|(k, v)| (*k, v.as_str())) {
            req = req.header(k, v);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req
    }

    /// POSTs `body` to `url` with the identity headers and `headers`, within `timeout`, and
    /// reads at most `body_limit` bytes of the response.
    pub fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        timeout: Duration,
        body_limit: u64,
    ) -> Result<HttpResponse, String> {
        let req = self.with_headers(self.agent.post(url), headers);
        let result = req
            .config()
            .timeout_global(Some(timeout))
            .build()
            .send(body);
        read_response(result, "Post", url, body_limit)
    }

    /// GETs `url` (its query string included) like [`HttpClient::post`].
    pub fn get(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        timeout: Duration,
        body_limit: u64,
    ) -> Result<HttpResponse, String> {
        let req = self.with_headers(self.agent.get(url), headers);
        let result = req.config().timeout_global(Some(timeout)).build().call();
        read_response(result, "Get", url, body_limit)
    }
}

fn read_response(
    result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    method: &str,
    url: &str,
    body_limit: u64,
) -> Result<HttpResponse, String> {
    let describe = |e: &dyn std::fmt::Display| format!("{method} {:?}: {e}", redact_url(url));
    let mut resp = result.map_err(|e| describe(&e))?;
    let status = resp.status();
    // At most `body_limit` bytes, as Go's `io.LimitReader`: an error text is cut, an oversized
    // query result fails to decode instead of filling memory.
    let mut body = Vec::new();
    resp.body_mut()
        .as_reader()
        .take(body_limit)
        .read_to_end(&mut body)
        .map_err(|e| describe(&e))?;
    Ok(HttpResponse {
        status: status.as_u16(),
        status_line: format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_string(),
        body,
    })
}

/// `url` without any `user:password@` part, for messages.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}://<redacted>@{}", &url[..scheme_end], &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Standard base64 with padding (for the `Basic` authorization header).
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cfg: &HttpConfig) -> Vec<String> {
        cfg.identity_headers()
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect()
    }

    #[test]
    fn tenant_header_alone_without_auth() {
        let cfg = HttpConfig::new(DEFAULT_TENANT);
        assert_eq!(
            headers(&cfg),
            [
                "X-Scope-OrgID: anonymous",
                "User-Agent: mimir-continuous-test"
            ]
        );
    }

    #[test]
    fn bearer_wins_and_keeps_a_non_default_tenant() {
        let mut cfg = HttpConfig::new("team-a");
        cfg.bearer_token = Secret::new("tok");
        cfg.basic_auth_user = "u".into();
        assert_eq!(
            headers(&cfg)[..2],
            ["Authorization: Bearer tok", "X-Scope-OrgID: team-a"]
        );
        cfg.tenant_id = DEFAULT_TENANT.into();
        assert_eq!(headers(&cfg)[1], "User-Agent: mimir-continuous-test");
    }

    #[test]
    fn basic_auth_needs_user_and_password() {
        let mut cfg = HttpConfig::new("anonymous");
        cfg.basic_auth_user = "Aladdin".into();
        cfg.basic_auth_password = Secret::new("open sesame");
        assert_eq!(
            headers(&cfg)[0],
            "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        cfg.basic_auth_password = Secret::default();
        assert_eq!(headers(&cfg)[0], "X-Scope-OrgID: anonymous");
    }

    #[test]
    fn bearer_and_basic_together_is_an_error() {
        let mut cfg = HttpConfig::new("anonymous");
        cfg.bearer_token = Secret::new("s3cr3t-token");
        cfg.basic_auth_user = "u".into();
        cfg.basic_auth_password = Secret::new("s3cr3t-password");
        let err = HttpClient::new(&cfg).unwrap_err();
        assert!(err.starts_with("either set tests.tenant-id"), "{err}");
        assert!(!err.contains("s3cr3t"));
    }

    #[test]
    fn urls_lose_their_credentials() {
        assert_eq!(
            redact_url("https://u:p@host:1/api/v1/push"),
            "https://<redacted>@host:1/api/v1/push"
        );
        assert_eq!(redact_url("http://host/a@b"), "http://host/a@b");
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b""), "");
    }
}
