//! The request-log row of a request: where it came from, what the request
//! path learned on the way, and what is kept of it.
//!
//! The raw request is kept sealed under the master key
//! (`store::requests::RawRequest`), exactly as the vendor sent it, so
//! reprocessing verifies what arrived; what the row shows in clear (the
//! query, the reason) has the source's secrets redacted, in plain and
//! percent-encoded form: a shared token sent in a header or the query must
//! not end up in the database.

use super::state::Ingest;
use crate::runtime::Request;
use crate::source_table::ActiveSource;
use crate::store::requests::{AdapterRef, LogOutcome, RawParts, RawRequest, RequestRecord};
use axum::http::StatusCode;
use base64::Engine as _;
use std::sync::Arc;
use std::time::Instant;

/// Where a request came from, for its log row.
pub struct Origin {
    pub method: String,
    pub path: String,
    pub query: String,
    pub remote_ip: Option<String>,
    pub user_agent: Option<String>,
}

/// What the request path learned, for the log row.
pub struct Trace {
    started: Instant,
    /// The request-log row's id (the raw copy is sealed for it).
    pub(super) request_id: String,
    pub(super) received_at: i64,
    pub(super) source: Option<Arc<ActiveSource>>,
    pub(super) adapter: Option<AdapterRef>,
    /// The source's secrets active at receipt: verify with them, redact them
    /// from what is logged.
    pub(super) secrets: Vec<String>,
    /// Whether accepted requests and adapter failures keep their raw copy
    /// (not when reprocessing: the original row has it).
    keep_raw: bool,
    raw: Option<RawRequest>,
}

impl Trace {
    /// A new trace for the row `request_id`; `keep_raw` false for a
    /// reprocessing run.
    pub fn new(request_id: &str, received_at: i64, keep_raw: bool) -> Trace {
        Trace {
            started: Instant::now(),
            request_id: request_id.to_string(),
            received_at,
            secrets: Vec::new(),
            source: None,
            adapter: None,
            keep_raw,
            raw: None,
        }
    }

    /// The request is for `source`: its secrets active at receipt apply.
    pub fn for_source(&mut self, source: Arc<ActiveSource>) {
        self.secrets = source.secrets_at(self.received_at);
        self.source = Some(source);
    }

    /// Keeps the raw request, sealed, with the log row (unless this trace
    /// keeps none).
    pub(super) fn keep(&mut self, app: &Ingest, request: &Request) {
        if self.keep_raw {
            let parts = RawParts {
                query: request.query.clone(),
                headers: request
                    .headers
                    .iter()
                    .map(|h| (h.name.clone(), h.value.clone()))
                    .collect(),
                body: request.body.clone(),
            };
            self.raw = Some(RawRequest::seal(&app.master_key, &self.request_id, &parts));
        }
    }

    pub(super) fn source_id(&self) -> Option<&str> {
        self.source.as_ref().map(|s| s.source.id.as_str())
    }

    /// The log row: `outcome` and `status`, the reason redacted, the raw copy
    /// if one was kept.
    pub(super) fn record(
        &mut self,
        origin: &Origin,
        outcome: LogOutcome,
        status: StatusCode,
        reason: Option<String>,
    ) -> RequestRecord {
        RequestRecord {
            id: self.request_id.clone(),
            source_id: self.source_id().map(str::to_string),
            received_at: self.received_at,
            method: origin.method.clone(),
            path: origin.path.clone(),
            query: redact_query(&origin.query, &self.secrets),
            remote_ip: origin.remote_ip.clone(),
            user_agent: origin.user_agent.clone(),
            outcome,
            reason: reason.map(|reason| redact(&reason, &self.secrets)),
            rejection: None,
            status: status.as_u16(),
            latency_us: self.started.elapsed().as_micros() as i64,
            adapter: self.adapter.clone(),
            event_count: 0,
            raw: self.raw.take(),
        }
    }
}

/// A query string without the secrets: a parameter whose decoded value
/// holds one becomes `name=[redacted]` (a secret with `+`, `/` or `=` arrives
/// percent-encoded, which plain text replacement misses).
fn redact_query(query: &str, secrets: &[String]) -> String {
    if secrets.iter().all(String::is_empty) {
        return query.to_string();
    }
    query
        .split('&')
        .map(|pair| {
            let decoded: String = form_urlencoded::parse(pair.as_bytes())
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            let holds_secret = secrets
                .iter()
                .filter(|s| !s.is_empty())
                .any(|s| decoded.contains(s.as_str()) || pair.contains(s.as_str()));
            match (holds_secret, pair.split_once('=')) {
                (true, Some((name, _))) => format!("{name}=[redacted]"),
                (true, None) => "[redacted]".to_string(),
                (false, _) => pair.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `text` without the secrets: each occurrence, and a whole HTTP Basic
/// credential whose password holds one, becomes `[redacted]`.
fn redact(text: &str, secrets: &[String]) -> String {
    let secrets = || secrets.iter().filter(|s| !s.is_empty());
    let basic = text
        .get(..6)
        .filter(|scheme| scheme.eq_ignore_ascii_case("basic "))
        .and_then(|_| {
            base64::engine::general_purpose::STANDARD
                .decode(text[6..].trim())
                .ok()
        });
    if let Some(credential) = basic {
        let credential = String::from_utf8_lossy(&credential);
        if secrets().any(|s| credential.contains(s.as_str())) {
            return "[redacted]".into();
        }
    }
    secrets().fold(text.to_string(), |text, secret| {
        text.replace(secret.as_str(), "[redacted]")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_even_inside_basic_credentials() {
        let secrets = ["tok-123".to_string()];
        assert_eq!(redact("Bearer tok-123", &secrets), "Bearer [redacted]");
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("user:tok-123")
        );
        assert_eq!(redact(&basic, &secrets), "[redacted]");
        assert_eq!(redact("nothing here", &secrets), "nothing here");
    }

    #[test]
    fn query_parameters_holding_a_secret_are_redacted_in_any_encoding() {
        let secrets = ["a+b/c=".to_string()];
        assert_eq!(
            redact_query("x=1&secret=a%2Bb%2Fc%3D&y=2", &secrets),
            "x=1&secret=[redacted]&y=2"
        );
        assert_eq!(redact_query("secret=a+b/c=", &secrets), "secret=[redacted]");
        assert_eq!(redact_query("x=1", &secrets), "x=1");
        assert_eq!(redact_query("x=1", &[]), "x=1");
    }
}
