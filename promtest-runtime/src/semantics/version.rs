//! The Prometheus releases whose semantics promtest follows, and how users name them.

use std::fmt;
use std::str::FromStr;

/// A Prometheus release whose PromQL and promtool behaviour promtest reproduces.
///
/// Parsed from `2.42`, `v2.42.0`, `2.53`, `v2.53.5`, `3.5`, `v3.5.0`, `latest` or `head`
/// (a patch number is accepted and ignored: patch releases do not change semantics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum PrometheusVersion {
    /// Prometheus 2.42 (Debian 12's promtool).
    V2_42,
    /// Prometheus 2.53, the last 2.x LTS.
    V2_53,
    /// Prometheus 3.5 LTS.
    V3_5,
    /// Prometheus HEAD as in the corpus (d15adb9): the default.
    #[default]
    Latest,
}

impl PrometheusVersion {
    /// Every supported release, oldest first.
    pub const ALL: [PrometheusVersion; 4] = [
        PrometheusVersion::V2_42,
        PrometheusVersion::V2_53,
        PrometheusVersion::V3_5,
        PrometheusVersion::Latest,
    ];

    /// The short name users write (`2.42`, `2.53`, `3.5`, `latest`).
    pub fn name(self) -> &'static str {
        match self {
            PrometheusVersion::V2_42 => "2.42",
            PrometheusVersion::V2_53 => "2.53",
            PrometheusVersion::V3_5 => "3.5",
            PrometheusVersion::Latest => "latest",
        }
    }

    /// The release tag whose corpus this mode is checked against (`None` for HEAD).
    pub fn release_tag(self) -> Option<&'static str> {
        match self {
            PrometheusVersion::V2_42 => Some("v2.42.0"),
            PrometheusVersion::V2_53 => Some("v2.53.5"),
            PrometheusVersion::V3_5 => Some("v3.5.0"),
            PrometheusVersion::Latest => None,
        }
    }

    /// Whether this is a 2.x release.
    pub fn is_v2(self) -> bool {
        self < PrometheusVersion::V3_5
    }
}

impl fmt::Display for PrometheusVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unsupported or malformed version string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported Prometheus version {0:?}: use 2.42, 2.53, 3.5 or latest")]
pub struct UnknownVersion(pub String);

impl FromStr for PrometheusVersion {
    type Err = UnknownVersion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        if lower == "latest" || lower == "head" {
            return Ok(PrometheusVersion::Latest);
        }
        let digits = lower.strip_prefix('v').unwrap_or(&lower);
        let mut parts = digits.split('.');
        let (Some(major), Some(minor)) = (parts.next(), parts.next()) else {
            return Err(UnknownVersion(t.to_string()));
        };
        let patch_ok = match (parts.next(), parts.next()) {
            (None, _) => true,
            (Some(p), None) => !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()),
            _ => false,
        };
        if !patch_ok {
            return Err(UnknownVersion(t.to_string()));
        }
        match (major, minor) {
            ("2", "42") => Ok(PrometheusVersion::V2_42),
            ("2", "53") => Ok(PrometheusVersion::V2_53),
            ("3", "5") => Ok(PrometheusVersion::V3_5),
            _ => Err(UnknownVersion(t.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PrometheusVersion as V;

    #[test]
    fn versions_parse_in_every_spelling() {
        for (s, v) in [
            ("2.42", V::V2_42),
            ("v2.42.0", V::V2_42),
            ("2.53", V::V2_53),
            ("v2.53.5", V::V2_53),
            ("3.5", V::V3_5),
            ("v3.5.0", V::V3_5),
            ("latest", V::Latest),
            ("HEAD", V::Latest),
        ] {
            assert_eq!(s.parse::<V>(), Ok(v), "{s}");
        }
        for bad in ["2", "2.43", "3.0", "v2.42.x", "2.42.0.1", ""] {
            let e = bad.parse::<V>().unwrap_err();
            assert!(
                e.to_string().contains("use 2.42, 2.53, 3.5 or latest"),
                "{e}"
            );
        }
    }

    #[test]
    fn names_round_trip() {
        for v in V::ALL {
            assert_eq!(v.name().parse::<V>(), Ok(v));
            if let Some(tag) = v.release_tag() {
                assert_eq!(tag.parse::<V>(), Ok(v));
            }
        }
        assert!(V::V2_53.is_v2() && !V::V3_5.is_v2());
    }
}
