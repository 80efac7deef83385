//! nginx as the gateway a multi-tenant deployment puts in front of its backends: bearer or
//! basic auth, `X-Scope-OrgID` routed to one backend per tenant, optional TLS with a CA the
//! test makes (openssl), and a switch that makes it refuse writes with a 4xx.

use std::fs;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use super::{free_port, require, terminate, TempDir};

/// What the gateway checks and where it sends requests.
#[derive(Default)]
pub struct Spec {
    /// Accept only `Authorization: Bearer <token>`.
    pub bearer: Option<String>,
    /// Accept only this user and password (basic auth).
    pub basic: Option<(String, String)>,
    /// `X-Scope-OrgID` → backend port; other tenants get 401.
    pub tenants: Vec<(String, u16)>,
    /// Backend port when no tenant routing is configured.
    pub upstream: Option<u16>,
    /// Serve TLS with a certificate for 127.0.0.1 signed by a fresh CA.
    pub tls: bool,
}

/// A CA and a server certificate for 127.0.0.1 signed by it.
pub struct Certificates {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

fn openssl(dir: &TempDir, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(&dir.0)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes a throwaway CA and a certificate for `127.0.0.1`/`localhost` in `dir`.
pub fn make_certificates(dir: &TempDir) -> Option<Certificates> {
    require("openssl")?;
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=promtest test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    fs::write(
        dir.path("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .expect("write extensions");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
    Some(Certificates {
        ca: dir.path("ca.pem"),
        cert: dir.path("server.pem"),
        key: dir.path("server.key"),
    })
}

/// A running nginx.
pub struct Gateway {
    pub port: u16,
    child: Child,
    pub dir: TempDir,
    /// The CA that signed its certificate, with `tls`.
    pub ca: Option<PathBuf>,
}

impl Gateway {
    /// Starts nginx for `spec`, or `None` (skipped) without nginx (or openssl, with TLS).
    pub fn start(spec: &Spec) -> Option<Gateway> {
        let nginx = require("nginx")?;
        let dir = TempDir::new("nginx");
        let certs = if spec.tls {
            Some(make_certificates(&dir)?)
        } else {
            None
        };
        let port = free_port();
        let d = dir.0.display().to_string();
        let mut server = String::new();
        match &certs {
            Some(c) => server.push_str(&format!(
                "listen 127.0.0.1:{port} ssl;\nssl_certificate {};\nssl_certificate_key {};\n",
                c.cert.display(),
                c.key.display()
            )),
            None => server.push_str(&format!("listen 127.0.0.1:{port};\n")),
        }
        if let Some(token) = &spec.bearer {
            server.push_str(&format!(
                "if ($http_authorization != \"Bearer {token}\") {{ return 401 \"invalid bearer token\\n\"; }}\n"
            ));
        }
        if let Some((user, password)) = &spec.basic {
            fs::write(
                dir.path("htpasswd"),
                format!("{user}:{{PLAIN}}{password}\n"),
            )
            .expect("write htpasswd");
            server.push_str(&format!(
                "auth_basic \"promtest\";\nauth_basic_user_file {d}/htpasswd;\n"
            ));
        }
        let upstream = if spec.tenants.is_empty() {
            format!(
                "127.0.0.1:{}",
                spec.upstream.expect("an upstream or tenants")
            )
        } else {
            server.push_str(
                "if ($tenant_port = \"\") { return 401 \"no org id or unknown tenant\\n\"; }\n",
            );
            "127.0.0.1:$tenant_port".to_string()
        };
        let tenant_map: String = spec
            .tenants
            .iter()
            .map(|(t, p)| format!("  \"{t}\" {p};\n"))
            .collect();
        let config = format!(
            "worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log info;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n\
             access_log {d}/access.log;\n\
             client_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fastcgi;\nuwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n\
             client_max_body_size 64m;\n\
             map $http_x_scope_orgid $tenant_port {{\n{tenant_map}  default \"\";\n}}\n\
             server {{\n{server}\
             location /api/v1/write {{\n\
               if (-f {d}/reject-writes) {{ return 429 \"writes refused for the test\\n\"; }}\n\
               proxy_pass http://{upstream};\n}}\n\
             location / {{ proxy_pass http://{upstream}; }}\n\
             }}\n}}\n"
        );
        let conf = dir.path("nginx.conf");
        fs::write(&conf, config).expect("write nginx.conf");
        let log = dir.path("error.log");
        let mut child = Command::new(nginx)
            .arg("-e")
            .arg(&log)
            .arg("-p")
            .arg(&dir.0)
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        // Ready once it accepts connections (auth and TLS make a plain GET unsuitable).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "nginx exited ({status}):\n{}",
                    fs::read_to_string(&log).unwrap_or_default()
                );
            }
            assert!(std::time::Instant::now() < deadline, "nginx did not listen");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Some(Gateway {
            port,
            child,
            ca: certs.map(|c| c.ca),
            dir,
        })
    }

    /// `http(s)://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        let scheme = if self.ca.is_some() { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// Makes writes answer 429 (`true`) or pass again (`false`).
    pub fn refuse_writes(&self, refuse: bool) {
        let flag = self.dir.path("reject-writes");
        if refuse {
            fs::write(flag, "").expect("write flag");
        } else {
            let _ = fs::remove_file(flag);
        }
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}
