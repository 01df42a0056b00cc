//! `/webhooks/{key}`: the request path, top to bottom.
//!
//! key lookup (memory) → body limit → fail closed without a secret →
//! adapter `verify` + `handle` (a future on this task, bounded by the instance
//! pool) → the source's event policy (`event_policy`) → dedup and durable commit of events and the raw request (group commit) →
//! only then 2xx. Every request, whatever its fate, lands in the request log.
//! When the adapter fails (trap, timeout, handle error) the raw request is kept
//! so it can be processed again, and the vendor gets 503 so it retries.

use crate::app::{ActiveSource, App};
use crate::event_policy::Decision;
use crate::runtime::{AdapterCall, DirectResponse, Event, Header, Manifest, Request, Verdict};
use crate::store::events::NewEvent;
use crate::store::requests::{AdapterRef, RawRequest, RequestRecord};
use crate::store::writer::{IngestJob, Stored};
use crate::store::{new_id, now_ms};
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// How a request ended; decides the answer and the request-log row.
enum Answer {
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
}

impl Answer {
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

/// What the request path learned, for the log row.
struct Trace {
    started: Instant,
    received_at: i64,
    source: Option<Arc<ActiveSource>>,
    adapter: Option<AdapterRef>,
    /// Kept for accepted requests and adapter failures.
    raw: Option<RawRequest>,
}

pub async fn receive(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(key): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let mut trace = Trace {
        started: Instant::now(),
        received_at: now_ms(),
        source: None,
        adapter: None,
        raw: None,
    };
    let request_id = new_id("req");
    let answer = pipeline(&app, &key, &parts, body, peer, &request_id, &mut trace).await;
    finish(&app, &parts, peer, request_id, trace, answer).await
}

async fn pipeline(
    app: &App,
    key: &str,
    parts: &Parts,
    body: Body,
    peer: SocketAddr,
    request_id: &str,
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
    if !active.source.enabled {
        return Answer::refused(
            StatusCode::FORBIDDEN,
            "source_disabled",
            "source_disabled",
            "",
        );
    }
    let body = match read_body(parts, body, app.settings.body_limit).await {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    let request = Request {
        method: parts.method.as_str().to_string(),
        url: public_url(app, parts),
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
        remote_addr: Some(peer.to_string()),
    };

    let Some(preset) = &active.preset else {
        trace.raw = Some(raw_copy(&request));
        let reason = format!("no loaded adapter offers preset {}", active.source.preset);
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
    if manifest.requires_secret() && active.source.secrets.is_empty() {
        return Answer::refused(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "rejected",
            "no secret configured",
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
        let verdict = adapter
            .process(&AdapterCall {
                request: &request,
                secrets: &active.source.secrets,
                settings: &active.settings_json,
                now_ms: now_ms(),
                tag: &active.source.id,
            })
            .await;
        app.metrics
            .observe_adapter_call(&manifest.name, started.elapsed());
        match verdict {
            Ok(verdict) => verdict,
            Err(failure) => {
                app.metrics
                    .count_adapter_failure(&manifest.name, failure.kind);
                tracing::warn!(source = %active.source.id, adapter = %manifest.name, "adapter {}: {}", failure.kind, failure.reason);
                trace.raw = Some(raw_copy(&request));
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
                format!("{code}: {detail}"),
            );
        }
        Verdict::Respond(response) => return Answer::Handshake(response),
        Verdict::HandleFailed { kind, detail } => {
            trace.raw = Some(raw_copy(&request));
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
    let events = match select_events(app, &active, manifest, events) {
        Ok(events) => events,
        Err(answer) => {
            trace.raw = Some(raw_copy(&request));
            return answer;
        }
    };
    if received > 0 && events.is_empty() {
        return Answer::Ignored { skipped: received };
    }
    let events = match new_events(events, &request.body) {
        Ok(events) => events,
        Err(reason) => {
            trace.raw = Some(raw_copy(&request));
            return Answer::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "adapter_failed",
                "adapter_failed",
                reason,
            );
        }
    };

    let job = IngestJob {
        source_id: active.source.id.clone(),
        adapter: trace.adapter.clone().expect("set above"),
        request_id: request_id.to_string(),
        received_at: trace.received_at,
        record: record(
            parts,
            peer,
            request_id.to_string(),
            trace,
            "accepted",
            None,
            StatusCode::OK,
            Some(raw_copy(&request)),
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
            Answer::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage_failed",
                "storage_failed",
                format!("{e:#}"),
            )
        }
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
fn new_events(events: Vec<Event>, body: &[u8]) -> Result<Vec<NewEvent>, String> {
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

/// The URL the vendor called, as it would have signed it.
fn public_url(app: &App, parts: &Parts) -> String {
    let path_and_query = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    match &app.settings.public_url {
        Some(base) => format!("{}{path_and_query}", base.trim_end_matches('/')),
        None => {
            let host = parts
                .headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}{path_and_query}")
        }
    }
}

fn raw_copy(request: &Request) -> RawRequest {
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    RawRequest {
        headers: serde_json::to_string(&headers).expect("strings serialize"),
        body: request.body.clone(),
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    parts: &Parts,
    peer: SocketAddr,
    id: String,
    trace: &Trace,
    outcome: &str,
    reason: Option<String>,
    status: StatusCode,
    raw: Option<RawRequest>,
) -> RequestRecord {
    let header = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    RequestRecord {
        id,
        source_id: trace.source.as_ref().map(|s| s.source.id.clone()),
        received_at: trace.received_at,
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or_default().to_string(),
        remote_ip: Some(peer.ip().to_string()),
        user_agent: header(header::USER_AGENT),
        outcome: outcome.to_string(),
        reason,
        status: status.as_u16(),
        latency_us: trace.started.elapsed().as_micros() as i64,
        adapter: trace.adapter.clone(),
        event_count: 0,
        raw,
    }
}

/// Logs the request (unless the writer already did) and builds the answer.
async fn finish(
    app: &App,
    parts: &Parts,
    peer: SocketAddr,
    id: String,
    mut trace: Trace,
    answer: Answer,
) -> Response {
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
                parts,
                peer,
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
                parts,
                peer,
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
            let rec = record(parts, peer, id, &trace, outcome, reason, status, raw);
            log_request(app, rec).await;
            (
                outcome,
                (status, axum::Json(json!({ "error": code }))).into_response(),
            )
        }
    };
    app.metrics.count_request(&source_label, outcome);
    response
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
fn direct_response(direct: DirectResponse) -> Response {
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
