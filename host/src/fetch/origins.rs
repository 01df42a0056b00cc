//! Where an adapter may fetch from: the origins its manifest declares, or a
//! source's own list.
//!
//! An origin is `scheme://host[:port][/path]`. The host may start with `*.`
//! labels or hold a `*` label (`https://sns.*.amazonaws.com`): a `*` stands
//! for exactly one DNS label, never a dot, so `*.example.com` does not match
//! `evil.com/.example.com` or `a.b.example.com`. A path is a prefix that
//! ends at a `/` boundary. Adapters may declare only `https` origins; an
//! operator may list `http` ones for a source (a private vendor on the local
//! network, a test key server).

use url::Url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    /// Lower-case labels; `*` matches one label.
    labels: Vec<String>,
    port: u16,
    /// Empty, or a prefix starting with `/`.
    path: String,
}

impl Origin {
    /// Parses an origin; `allow_http` is for an operator's own list.
    pub fn parse(text: &str, allow_http: bool) -> Result<Origin, String> {
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| format!("fetch origin {text:?} needs a scheme (https://…)"))?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" if allow_http => 80,
            "http" => {
                return Err(format!(
                    "fetch origin {text:?}: an adapter may only declare https origins"
                ));
            }
            _ => return Err(format!("fetch origin {text:?}: only http(s) is fetched")),
        };
        let (authority, path) = match rest.find('/') {
            Some(at) => (&rest[..at], rest[at..].trim_end_matches('/')),
            None => (rest, ""),
        };
        if authority.contains('@') || path.contains(['?', '#']) {
            return Err(format!(
                "fetch origin {text:?}: no user, query or fragment in an origin"
            ));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse::<u16>()
                    .map_err(|_| format!("fetch origin {text:?}: bad port {port:?}"))?,
            ),
            None => (authority, default_port),
        };
        let labels: Vec<String> = host.split('.').map(str::to_ascii_lowercase).collect();
        let label_ok = |l: &String| {
            l == "*" || (!l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        };
        if labels.is_empty() || !labels.iter().all(label_ok) {
            return Err(format!("fetch origin {text:?}: bad host {host:?}"));
        }
        // A wildcard may not stand for the registrable part.
        let fixed = labels.iter().filter(|l| *l != "*").count();
        if labels.iter().any(|l| l == "*") && fixed < 2 {
            return Err(format!(
                "fetch origin {text:?}: a wildcard needs at least two fixed labels"
            ));
        }
        Ok(Origin {
            scheme,
            labels,
            port,
            path: path.to_string(),
        })
    }

    /// Whether `url` lies under this origin.
    pub fn matches(&self, url: &Url) -> bool {
        let Some(url::Host::Domain(host)) = url.host() else {
            // IP literals only match an origin written as that literal.
            return url.host_str().is_some_and(|h| {
                self.labels.join(".") == h.to_ascii_lowercase()
                    && url.scheme() == self.scheme
                    && url.port_or_known_default() == Some(self.port)
                    && self.path_matches(url.path())
            });
        };
        let labels: Vec<&str> = host.split('.').collect();
        url.scheme() == self.scheme
            && url.port_or_known_default() == Some(self.port)
            && labels.len() == self.labels.len()
            && labels
                .iter()
                .zip(&self.labels)
                .all(|(have, want)| want == "*" || have.eq_ignore_ascii_case(want))
            && self.path_matches(url.path())
    }

    fn path_matches(&self, path: &str) -> bool {
        self.path.is_empty()
            || path == self.path
            || path
                .strip_prefix(&self.path)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}", self.scheme, self.labels.join("."))?;
        let default = if self.scheme == "https" { 443 } else { 80 };
        if self.port != default {
            write!(f, ":{}", self.port)?;
        }
        write!(f, "{}", self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(origin: &str, url: &str) -> bool {
        Origin::parse(origin, true)
            .unwrap()
            .matches(&Url::parse(url).unwrap())
    }

    #[test]
    fn a_wildcard_is_one_label_and_paths_are_prefixes_at_a_slash() {
        let sns = "https://sns.*.amazonaws.com";
        assert!(allowed(
            sns,
            "https://sns.us-east-1.amazonaws.com/Simple.pem"
        ));
        assert!(!allowed(sns, "https://sns.a.b.amazonaws.com/x"));
        assert!(!allowed(
            sns,
            "https://sns.us-east-1.amazonaws.com.evil.com/x"
        ));
        assert!(!allowed(sns, "http://sns.us-east-1.amazonaws.com/x"));
        assert!(!allowed(sns, "https://sns.us-east-1.amazonaws.com:8443/x"));
        let google = "https://www.googleapis.com/oauth2/v3/certs";
        assert!(allowed(
            google,
            "https://www.googleapis.com/oauth2/v3/certs"
        ));
        assert!(allowed(
            google,
            "https://WWW.googleapis.com/oauth2/v3/certs/1"
        ));
        assert!(!allowed(
            google,
            "https://www.googleapis.com/oauth2/v3/certsX"
        ));
        assert!(!allowed(google, "https://www.googleapis.com/storage/v1/b"));
        assert!(allowed(
            "http://127.0.0.1:9000",
            "http://127.0.0.1:9000/keys"
        ));
        assert!(!allowed(
            "http://127.0.0.1:9000",
            "http://127.0.0.1:9001/keys"
        ));
    }

    #[test]
    fn adapters_declare_https_only_and_wildcards_keep_a_domain() {
        assert!(Origin::parse("http://example.com", false).is_err());
        assert!(Origin::parse("ftp://example.com", true).is_err());
        assert!(Origin::parse("https://*.com", false).is_err());
        assert!(Origin::parse("https://*", false).is_err());
        assert!(Origin::parse("https://user@example.com", false).is_err());
        assert!(Origin::parse("example.com", false).is_err());
        let origin = Origin::parse("https://sns.*.amazonaws.com/", false).unwrap();
        assert_eq!(origin.to_string(), "https://sns.*.amazonaws.com");
    }
}
