//! `/webhooks/{key}`: the request path, top to bottom.
//!
//! key lookup (memory) → the source's limits (IP allowlist, rate,
//! concurrency, body size; `limits`) → fail closed without a secret →
//! not while the source's adapter is quarantined (`limits`) →
//! adapter `verify` + `handle` (a future on this task, bounded by the instance
//! pool) → the source's event policy (`event_policy`) → the destinations each
//! event goes to (`delivery::router`) → dedup and durable commit of events,
//! their outbox rows and the raw request (group commit) →
//! only then 2xx. Every request, whatever its fate, lands in the request log,
//! except those over a rate or concurrency limit: a flood must not turn into
//! database writes, so those are only counted (metrics).
//! When the adapter fails (trap, timeout, handle error) the raw request is kept
//! so it can be processed again (quarantine, see `reprocess`, which replays
//! it through [`adapt`], the part after the body is read), and the vendor gets
//! 503 so it retries. A shadow candidate, if any, gets a copy of each adapter
//! call (`shadow`). The raw request is kept sealed under the master key
//! (`store::requests`), exactly as the vendor sent it, so reprocessing
//! verifies what arrived; what is logged in clear (the query, the reason) has
//! the source's secrets redacted, in plain and percent-encoded form: a shared
//! token sent in a header or the query must not end up in the database.

use crate::app::{ActiveSource, App};
use crate::delivery::router::EventView;
use crate::event_policy::Decision;
use crate::limits::{QUARANTINE_AFTER, Refusal, client_ip};
use crate::runtime::{AdapterCall, DirectResponse, Event, Header, Manifest, Request, Verdict};
use crate::store::events::NewEvent;
use crate::store::requests::{AdapterRef, RawParts, RawRequest, RequestRecord};
use crate::store::writer::{IngestJob, Stored};
use crate::store::{new_id, now_ms, rfc3339};
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

/// How a request ended; decides the answer and the request-log row.
pub enum Answer {
    Stored(Stored),
    Handshake(DirectResponse),
    /// Verified, but the source's event types kept none of its events.
    Ignored {
        skipped: usize,
    },
    Refused {
        status: StatusCode,
        code: &'static str,
        outcome: &'static str,
        reason: String,
    },
    /// Over the source's rate or concurrency limit: 429, counted, not logged.
    Throttled {
        code: &'static str,
        retry_after_secs: u64,
    },
}

impl Answer {
    /// 503: the database could not answer, so nothing was stored.
    fn storage_failed(reason: String) -> Answer {
        Answer::refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_failed",
            "storage_failed",
            reason,
        )
    }

    fn refused(
        status: StatusCode,
        code: &'static str,
        outcome: &'static str,
        reason: impl Into<String>,
    ) -> Answer {
        Answer::Refused {
            status,
            code,
            outcome,
            reason: reason.into(),
        }
    }
}

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
    request_id: String,
    received_at: i64,
    source: Option<Arc<ActiveSource>>,
    adapter: Option<AdapterRef>,
    /// The source's secrets active at receipt: verify with them, redact them
    /// from what is logged or kept.
    secrets: Vec<String>,
    /// Whether accepted requests and adapter failures keep their raw copy
    /// (not when reprocessing: the original row has it).
    keep_raw: bool,
    raw: Option<RawRequest>,
}

impl Trace {
    pub fn new(
        request_id: &str,
        received_at: i64,
        source: Option<Arc<ActiveSource>>,
        keep_raw: bool,
    ) -> Trace {
        Trace {
            started: Instant::now(),
            request_id: request_id.to_string(),
            received_at,
            secrets: source
                .as_ref()
                .map_or_else(Vec::new, |s| s.secrets_at(received_at)),
            source,
            adapter: None,
            keep_raw,
            raw: None,
        }
    }

    /// Keeps the raw request, sealed, with the log row.
    fn keep(&mut self, app: &App, request: &Request) {
        self.raw = self.raw_copy(app, request);
    }

    /// The raw request sealed for this row, unless raw copies are not kept.
    fn raw_copy(&self, app: &App, request: &Request) -> Option<RawRequest> {
        self.keep_raw
            .then(|| RawRequest::seal(&app.master_key, &self.request_id, &raw_parts(request)))
    }
}

pub async fn receive(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(key): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let request_id = new_id("req");
    let mut trace = Trace::new(&request_id, now_ms(), None, true);
    let client = client_ip(peer.ip(), &parts.headers, &app.settings.trusted_proxies);
    let origin = Origin {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or_default().to_string(),
        remote_ip: client.map(|ip| ip.to_string()),
        user_agent: parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    let answer = pipeline(
        &app,
        &key,
        &parts,
        body,
        client,
        &request_id,
        &origin,
        &mut trace,
    )
    .await;
    finish(&app, &origin, request_id, trace, answer).await.1
}

#[allow(clippy::too_many_arguments)]
async fn pipeline(
    app: &App,
    key: &str,
    parts: &Parts,
    body: Body,
    client: Option<IpAddr>,
    request_id: &str,
    origin: &Origin,
    trace: &mut Trace,
) -> Answer {
    let Some(active) = app.source_by_key(key) else {
        return Answer::refused(
            StatusCode::NOT_FOUND,
            "unknown_source",
            "unknown_source",
            "",
        );
    };
    trace.source = Some(active.clone());
    trace.secrets = active.secrets_at(trace.received_at);
    if !active.source.enabled {
        return Answer::refused(
            StatusCode::FORBIDDEN,
            "source_disabled",
            "source_disabled",
            "",
        );
    }
    // Held until the answer: the slot counts this request as in flight.
    let _slot = match active.guards.admit(client) {
        Ok(slot) => slot,
        Err(refusal) => return refused_by_limits(refusal, client),
    };
    if let Some(answer) = take_shared_rate(app, &active).await {
        return answer;
    }
    let body = match read_body(parts, body, active.guards.body_bytes()).await {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let path_and_query = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    let request = Request {
        method: parts.method.as_str().to_string(),
        url: public_url(app, host, path_and_query),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or_default().to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| Header {
                name: name.as_str().to_string(),
                value: String::from_utf8_lossy(value.as_bytes()).into_owned(),
            })
            .collect(),
        body,
        remote_addr: client.map(|ip| ip.to_string()),
    };
    adapt(app, &active, &request, now_ms(), request_id, origin, trace).await
}

/// The adapter's part of the request path and what follows it: `verify` +
/// `handle` with `clock_ms` as the context clock, the event policy, and the
/// durable commit. Shared by live requests and reprocessing (`reprocess`).
pub async fn adapt(
    app: &App,
    active: &ActiveSource,
    request: &Request,
    clock_ms: i64,
    request_id: &str,
    origin: &Origin,
    trace: &mut Trace,
) -> Answer {
    let Some(preset) = &active.preset else {
        trace.keep(app, request);
        let source = &active.source;
        let reason = match &source.adapter_version {
            Some(version) => format!(
                "{} {version}, the source's pinned version, is not kept",
                source.plugin
            ),
            None => format!("no loaded adapter offers preset {}", source.preset),
        };
        return Answer::refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "adapter_failed",
            "adapter_failed",
            reason,
        );
    };
    let adapter = preset.adapter.clone();
    let manifest = &adapter.manifest;
    trace.adapter = Some(AdapterRef {
        name: manifest.name.clone(),
        version: manifest.version.clone(),
        hash: adapter.hash.clone(),
    });
    if manifest.requires_secret() && trace.secrets.is_empty() {
        return Answer::refused(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "rejected",
            "no active secret",
        );
    }
    if let Some(until) = active.guards.quarantined(now_ms()) {
        app.metrics
            .count_adapter_failure(&manifest.name, "quarantined");
        trace.keep(app, request);
        return Answer::refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "adapter_failed",
            "adapter_failed",
            format!(
                "quarantined until {} after {QUARANTINE_AFTER} failures in a row",
                rfc3339(until)
            ),
        );
    }

    let verdict = {
        let Ok(_slot) = app.adapter_slots.acquire().await else {
            return Answer::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "adapter_failed",
                "adapter_failed",
                "shutting down",
            );
        };
        let started = Instant::now();
        // Runs on this task: the call yields at every epoch tick, so even a
        // looping adapter shares the runtime until its deadline drops it.
        let secrets = trace.secrets.clone();
        let call = AdapterCall {
            request,
            secrets: &secrets,
            settings: &active.settings_json,
            now_ms: clock_ms,
            tag: &active.source.id,
        };
        let verdict = adapter.process(&call).await;
        app.shadows
            .offer(&adapter, &call, &verdict, &active.source.id, request_id);
        app.metrics
            .observe_adapter_call(&manifest.name, started.elapsed());
        if let Some(until) = active.guards.adapter_called(verdict.is_err(), now_ms()) {
            tracing::warn!(source = %active.source.id, adapter = %manifest.name,
                "adapter quarantined for this source until {}", rfc3339(until));
        }
        match verdict {
            Ok(verdict) => verdict,
            Err(failure) => {
                app.metrics
                    .count_adapter_failure(&manifest.name, failure.kind);
                tracing::warn!(source = %active.source.id, adapter = %manifest.name, "adapter {}: {}", failure.kind, failure.reason);
                trace.keep(app, request);
                let reason = format!("{}: {}", failure.kind, failure.reason);
                return Answer::refused(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "adapter_failed",
                    "adapter_failed",
                    reason,
                );
            }
        }
    };

    let events = match verdict {
        Verdict::Rejected { code, detail } => {
            return Answer::refused(
                StatusCode::UNAUTHORIZED,
                code,
                "rejected",
                rejection_reason(code, &detail, trace.secrets.len()),
            );
        }
        Verdict::Respond(response) => return Answer::Handshake(response),
        // The vendor's request is authentic but not what the adapter reads:
        // retrying cannot help, and it is no crash of the adapter. Kept for
        // reprocessing, should a later adapter version read it.
        Verdict::HandleFailed {
            kind: "malformed",
            detail,
        } => {
            trace.keep(app, request);
            return Answer::refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unreadable_payload",
                "unreadable",
                format!(
                    "verified, but the {} adapter could not read the payload: {detail}",
                    manifest.name
                ),
            );
        }
        Verdict::HandleFailed { kind, detail } => {
            trace.keep(app, request);
            let reason = format!("handle {kind}: {detail}");
            return Answer::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "adapter_failed",
                "adapter_failed",
                reason,
            );
        }
        Verdict::Events(events) => events,
    };
    let received = events.len();
    let events = match select_events(app, active, manifest, events) {
        Ok(events) => events,
        Err(answer) => {
            trace.keep(app, request);
            return answer;
        }
    };
    if received > 0 && events.is_empty() {
        return Answer::Ignored { skipped: received };
    }
    let events = match new_events(events, &request.body) {
        Ok(events) => events,
        Err(reason) => {
            trace.keep(app, request);
            return Answer::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "adapter_failed",
                "adapter_failed",
                reason,
            );
        }
    };

    let routes = events
        .iter()
        .map(|e| {
            app.delivery.routes(&EventView::new(
                &e.id,
                &active.source.id,
                &e.event_type,
                e.subject.as_deref(),
                &e.data,
            ))
        })
        .collect();
    let job = IngestJob {
        routes,
        source_id: active.source.id.clone(),
        adapter: trace.adapter.clone().expect("set above"),
        request_id: request_id.to_string(),
        received_at: trace.received_at,
        record: record(
            origin,
            request_id.to_string(),
            trace,
            "accepted",
            None,
            StatusCode::OK,
            trace.raw_copy(app, request),
        ),
        events,
    };
    let event_count = job.events.len();
    match app.writer.ingest(job).await {
        Ok(stored) => {
            if let Stored::Accepted(ids) = &stored {
                app.metrics
                    .count_events_stored(&active.source.id, ids.len());
            }
            Answer::Stored(stored)
        }
        Err(e) => {
            tracing::error!(source = %active.source.id, events = event_count, "could not store: {e:#}");
            Answer::storage_failed(format!("{e:#}"))
        }
    }
}

/// A verify rejection in words, for the request log.
fn rejection_reason(code: &str, detail: &str, secrets_tried: usize) -> String {
    let secrets = match secrets_tried {
        1 => "the source's active secret".to_string(),
        n => format!("any of the source's {n} active secrets"),
    };
    match code {
        "bad_signature" => format!("bad_signature: the signature does not match {secrets}"),
        "missing_signature" => format!("missing_signature: no {detail} in the request"),
        "timestamp_out_of_tolerance" => format!(
            "timestamp_out_of_tolerance: the signed timestamp is {detail} away from the server's clock, beyond the tolerance"
        ),
        "malformed" => format!("malformed: {detail}"),
        _ => format!("{code}: {detail}"),
    }
}

/// Keeps the events the source's event policy wants; refuses the request when
/// it holds an unknown type under `unknown_types: reject`.
fn select_events(
    app: &App,
    active: &ActiveSource,
    manifest: &Manifest,
    events: Vec<Event>,
) -> Result<Vec<Event>, Answer> {
    let source = &active.source;
    let catalog = || manifest.event_types.iter().map(|t| t.name.as_str());
    let mut kept = Vec::with_capacity(events.len());
    for event in events {
        match source.policy.decide(&event.event_type, catalog()) {
            Decision::Keep => kept.push(event),
            Decision::KeepUnknown => {
                if app
                    .unknown_types_logged
                    .first_time(&source.id, &event.event_type)
                {
                    tracing::warn!(source = %source.id, adapter = %manifest.name, event_type = %event.event_type,
                        "event type not in the adapter's catalog; stored (unknown_types: accept); logged once per source and type");
                }
                app.metrics
                    .count_unknown_event_type(&source.id, &manifest.name);
                kept.push(event);
            }
            Decision::Skip => app.metrics.count_event_skipped(&source.id),
            Decision::Reject => {
                app.metrics
                    .count_unknown_event_type(&source.id, &manifest.name);
                return Err(Answer::refused(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unknown_event_type",
                    "unknown_event_type",
                    format!(
                        "event type {:?} is not in the {} catalog (unknown_types: reject)",
                        event.event_type, manifest.name
                    ),
                ));
            }
        }
    }
    Ok(kept)
}

/// Turns the adapter's events into rows: ids, dedup ids, JSON checked.
/// (Public for the `adapter_pipeline` fuzz target: adapters' output is
/// untrusted input to the host.)
pub fn new_events(events: Vec<Event>, body: &[u8]) -> Result<Vec<NewEvent>, String> {
    let count = events.len();
    let body_hash = || hex::encode(Sha256::digest(body));
    events
        .into_iter()
        .enumerate()
        .map(|(index, event)| {
            if serde_json::from_str::<serde::de::IgnoredAny>(&event.data).is_err() {
                return Err(format!(
                    "event {index} ({}) has data that is not JSON",
                    event.event_type
                ));
            }
            if event.event_type.is_empty() {
                return Err(format!("event {index} has no type"));
            }
            // No vendor id: the body itself identifies a redelivery.
            let dedup_id =
                event
                    .dedup_id
                    .filter(|id| !id.is_empty())
                    .unwrap_or_else(|| match count {
                        1 => format!("sha256:{}", body_hash()),
                        _ => format!("sha256:{}#{index}", body_hash()),
                    });
            Ok(NewEvent {
                id: new_id("evt"),
                event_type: event.event_type,
                dedup_id,
                subject: event.subject,
                occurred_at: event.occurred_at,
                data: event.data,
            })
        })
        .collect()
}

/// Reads the body, refusing more than `limit` bytes (before reading, when the
/// vendor declares a length).
async fn read_body(parts: &Parts, body: Body, limit: usize) -> Result<Vec<u8>, Answer> {
    let too_large = || {
        Answer::refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "payload_too_large",
            format!("limit {limit} bytes"),
        )
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(e) if is_length_limit(&e) => Err(too_large()),
        Err(e) => Err(Answer::refused(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "bad_request",
            format!("reading the body: {e}"),
        )),
    }
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// The URL the vendor called, as it would have signed it, from the request's
/// `Host` header unless a public URL is configured.
pub fn public_url(app: &App, host: Option<&str>, path_and_query: &str) -> String {
    match &app.settings.public_url {
        Some(base) => format!("{}{path_and_query}", base.trim_end_matches('/')),
        None => format!("http://{}{path_and_query}", host.unwrap_or("localhost")),
    }
}

/// The request as the vendor sent it, to be sealed.
fn raw_parts(request: &Request) -> RawParts {
    RawParts {
        query: request.query.clone(),
        headers: request
            .headers
            .iter()
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect(),
        body: request.body.clone(),
    }
}

/// A query string without the secrets: a parameter whose decoded value
/// holds one becomes `name=[redacted]` (a secret with `+`, `/` or `=` arrives
/// percent-encoded, which plain text replacement misses); the rest as
/// [`redact`] leaves it.
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

fn record(
    origin: &Origin,
    id: String,
    trace: &Trace,
    outcome: &str,
    reason: Option<String>,
    status: StatusCode,
    raw: Option<RawRequest>,
) -> RequestRecord {
    RequestRecord {
        id,
        source_id: trace.source.as_ref().map(|s| s.source.id.clone()),
        received_at: trace.received_at,
        method: origin.method.clone(),
        path: origin.path.clone(),
        query: redact_query(&origin.query, &trace.secrets),
        remote_ip: origin.remote_ip.clone(),
        user_agent: origin.user_agent.clone(),
        outcome: outcome.to_string(),
        reason: reason.map(|reason| redact(&reason, &trace.secrets)),
        status: status.as_u16(),
        latency_us: trace.started.elapsed().as_micros() as i64,
        adapter: trace.adapter.clone(),
        event_count: 0,
        raw,
    }
}

/// Logs the request (unless the writer already did) and builds the answer;
/// returns the outcome too.
pub async fn finish(
    app: &App,
    origin: &Origin,
    id: String,
    mut trace: Trace,
    answer: Answer,
) -> (&'static str, Response) {
    let source_label = trace
        .source
        .as_ref()
        .map_or("unknown", |s| s.source.id.as_str())
        .to_string();
    let (outcome, response) = match answer {
        // The writer logged these in the same transaction as the events.
        Answer::Stored(Stored::Accepted(ids)) => (
            "accepted",
            axum::Json(json!({ "status": "accepted", "events": ids })).into_response(),
        ),
        Answer::Stored(Stored::Duplicate) => (
            "duplicate",
            axum::Json(json!({ "status": "duplicate" })).into_response(),
        ),
        Answer::Handshake(direct) => {
            let rec = record(
                origin,
                id,
                &trace,
                "handshake",
                None,
                status_of(direct.status),
                None,
            );
            log_request(app, rec).await;
            ("handshake", direct_response(direct))
        }
        Answer::Ignored { skipped } => {
            let reason = format!("{skipped} event(s) not among the source's event types");
            let rec = record(
                origin,
                id,
                &trace,
                "ignored",
                Some(reason),
                StatusCode::OK,
                None,
            );
            log_request(app, rec).await;
            (
                "ignored",
                axum::Json(json!({ "status": "ignored" })).into_response(),
            )
        }
        Answer::Refused {
            status,
            code,
            outcome,
            reason,
        } => {
            let reason = (!reason.is_empty()).then_some(reason);
            let raw = trace.raw.take();
            let rec = record(origin, id, &trace, outcome, reason, status, raw);
            log_request(app, rec).await;
            (
                outcome,
                (status, axum::Json(json!({ "error": code }))).into_response(),
            )
        }
        Answer::Throttled {
            code,
            retry_after_secs,
        } => (
            code,
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after_secs.to_string())],
                axum::Json(json!({ "error": code })),
            )
                .into_response(),
        ),
    };
    app.metrics.count_request(&source_label, outcome);
    (outcome, response)
}

/// Takes the request from its source's rate budget in the database, when the
/// budget is shared by the replicas; the answer if it does not fit (or the
/// database cannot tell: nothing could be stored either).
async fn take_shared_rate(app: &App, active: &ActiveSource) -> Option<Answer> {
    let shared = active.guards.shared_rate()?;
    let taken = app
        .db
        .take_shared_rate(&active.source.id, shared.per_second, shared.burst)
        .await;
    match taken {
        Ok(None) => None,
        Ok(Some(wait)) => Some(refused_by_limits(Refusal::Rate(wait), None)),
        Err(e) => {
            tracing::error!(source = %active.source.id, "shared rate budget: {e:#}");
            Some(Answer::storage_failed(format!("shared rate budget: {e:#}")))
        }
    }
}

/// The answer to a request the source's limits turned away.
fn refused_by_limits(refusal: Refusal, client: Option<IpAddr>) -> Answer {
    match refusal {
        Refusal::Forbidden => Answer::refused(
            StatusCode::FORBIDDEN,
            "ip_not_allowed",
            "ip_not_allowed",
            match client {
                Some(ip) => format!("{ip} is not in the source's allow_ips"),
                None => "a trusted proxy forwarded an unparseable client address".into(),
            },
        ),
        Refusal::Rate(wait) => Answer::Throttled {
            code: "rate_limited",
            // Whole seconds, rounded up: never tell a vendor to retry at once.
            retry_after_secs: (wait.as_secs_f64().ceil() as u64).max(1),
        },
        Refusal::Concurrency => Answer::Throttled {
            code: "too_many_concurrent",
            retry_after_secs: 1,
        },
    }
}

async fn log_request(app: &App, record: RequestRecord) {
    if let Err(e) = app.writer.log(record).await {
        tracing::error!("could not write the request log: {e:#}");
    }
}

fn status_of(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
}

/// The adapter's handshake reply; headers that are not valid HTTP are dropped.
/// (Public for the `adapter_pipeline` fuzz target.)
pub fn direct_response(direct: DirectResponse) -> Response {
    let mut headers = HeaderMap::new();
    for h in direct.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(h.name.as_str()),
            HeaderValue::try_from(h.value.as_str()),
        ) {
            headers.append(name, value);
        }
    }
    (status_of(direct.status), headers, direct.body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(event_type: &str, dedup_id: Option<&str>, data: &str) -> Event {
        Event {
            event_type: event_type.into(),
            dedup_id: dedup_id.map(str::to_string),
            occurred_at: None,
            subject: None,
            data: data.into(),
        }
    }

    #[test]
    fn secrets_are_redacted_even_inside_basic_credentials() {
        let secrets = ["tok-123".to_string()];
        assert_eq!(redact("Bearer tok-123", &secrets), "Bearer [redacted]");
        assert_eq!(
            redact("a=1&token=tok-123", &secrets),
            "a=1&token=[redacted]"
        );
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("user:tok-123")
        );
        assert_eq!(redact(&basic, &secrets), "[redacted]");
        assert_eq!(redact("nothing here", &secrets), "nothing here");
    }

    #[test]
    fn the_vendor_dedup_id_is_kept() {
        let rows = new_events(vec![event("push", Some("d-1"), "{}")], b"body").unwrap();
        assert_eq!(rows[0].dedup_id, "d-1");
        assert!(rows[0].id.starts_with("evt_"));
    }

    #[test]
    fn without_a_vendor_id_the_body_hash_identifies_redeliveries() {
        let once = new_events(vec![event("a", None, "{}")], b"same body").unwrap();
        let again = new_events(vec![event("a", Some(""), "{}")], b"same body").unwrap();
        let other = new_events(vec![event("a", None, "{}")], b"other body").unwrap();
        assert_eq!(once[0].dedup_id, again[0].dedup_id);
        assert_ne!(once[0].dedup_id, other[0].dedup_id);
        assert!(once[0].dedup_id.starts_with("sha256:"));

        let two = new_events(vec![event("a", None, "1"), event("a", None, "2")], b"batch").unwrap();
        assert_ne!(
            two[0].dedup_id, two[1].dedup_id,
            "records of one request stay distinct"
        );
    }

    #[test]
    fn events_with_invalid_json_or_no_type_are_refused() {
        assert!(
            new_events(vec![event("a", None, "{not json")], b"")
                .unwrap_err()
                .contains("not JSON")
        );
        assert!(
            new_events(vec![event("", None, "{}")], b"")
                .unwrap_err()
                .contains("no type")
        );
    }
}
