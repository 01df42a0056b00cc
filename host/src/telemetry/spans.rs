//! The spans Hookyard exports, and the `traceparent` it sends on.
//!
//! A request is one trace: `webhook` (the root, ids derived from the
//! request id, see [`super::ids`]) with children `limits`, `adapter.verify`,
//! `adapter.handle` and `commit`. Each delivery attempt is a
//! `delivery.attempt` span, a child of the `webhook` span of its (first)
//! event's request, so it lands in that trace however much later it runs.
//!
//! The spans have the target [`super::TARGET`]: without an OTLP endpoint no
//! subscriber wants them, and each costs one cached interest check; the
//! helpers here return early on a disabled span, before computing anything.

use super::TARGET;
use super::ids::{parse_traceparent, request_context, request_ids, traceparent, with_pinned};
use crate::store::events::StoredEvent;
use opentelemetry::trace::TraceContextExt as _;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

/// The root span of webhook request `request_id`, started now with its
/// derived ids; linked to the vendor's trace when it sent a `traceparent`.
pub fn webhook(request_id: &str, method: &str, inbound: Option<&str>) -> Span {
    let span = tracing::info_span!(target: TARGET, parent: None, "webhook",
        otel.kind = "server",
        hookyard.request_id = request_id,
        http.request.method = method,
        hookyard.source_id = tracing::field::Empty,
        hookyard.outcome = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        hookyard.event_ids = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    );
    if !span.is_disabled() {
        // Starting it now (not at its first poll) is what takes the
        // pinned ids, on this thread.
        with_pinned(request_ids(request_id), || span.context());
        if let Some(vendor) = inbound.and_then(parse_traceparent) {
            span.add_link(vendor);
        }
    }
    span
}

/// The source's limits: allowlist, rate, concurrency, body size.
pub fn limits(source_id: &str) -> Span {
    tracing::info_span!(target: TARGET, "limits", hookyard.source_id = source_id)
}

/// The adapter's `verify` call (only inside a `webhook` span: shadow runs,
/// fixtures and reprocessing make none).
pub fn verify(adapter: &str, version: &str) -> Span {
    within_request(tracing::info_span!(target: TARGET, "adapter.verify",
        hookyard.adapter = adapter, hookyard.adapter_version = version,
        hookyard.verified = tracing::field::Empty))
}

/// The adapter's `handle` call (only inside a `webhook` span).
pub fn handle(adapter: &str, version: &str) -> Span {
    within_request(tracing::info_span!(target: TARGET, "adapter.handle",
        hookyard.adapter = adapter, hookyard.adapter_version = version))
}

/// The durable commit of `events` events through the writer (only inside a
/// `webhook` span).
pub fn commit(events: usize) -> Span {
    within_request(tracing::info_span!(target: TARGET, "commit",
        hookyard.events = events,
        hookyard.event_ids = tracing::field::Empty,
        hookyard.stored = tracing::field::Empty))
}

/// `span`, if it is a child of an exported span; else none (it would be a
/// trace of its own).
fn within_request(span: Span) -> Span {
    if span.is_disabled() || Span::current().is_none() {
        return Span::none();
    }
    span
}

/// Whether `verify` accepted the request.
pub fn record_verified(span: &Span, verified: bool) {
    span.record("hookyard.verified", verified);
}

/// How a `webhook` request ended.
pub fn record_request(
    span: &Span,
    source_id: Option<&str>,
    outcome: &str,
    status: u16,
    event_ids: &[String],
) {
    if span.is_disabled() {
        return;
    }
    if let Some(source_id) = source_id {
        span.record("hookyard.source_id", source_id);
    }
    span.record("hookyard.outcome", outcome);
    span.record("http.response.status_code", status);
    if !event_ids.is_empty() {
        span.record("hookyard.event_ids", event_ids.join(","));
    }
    if status >= 500 {
        span.record("otel.status_code", "error");
    }
}

/// What the commit stored: the new events' ids, or a redelivery.
pub fn record_commit(span: &Span, event_ids: Option<&[String]>) {
    if span.is_disabled() {
        return;
    }
    match event_ids {
        Some(ids) => {
            span.record("hookyard.stored", "accepted");
            span.record("hookyard.event_ids", ids.join(","));
        }
        None => {
            span.record("hookyard.stored", "duplicate");
        }
    }
}

/// One delivery attempt of `events` to destination `destination_id`: a
/// child of the first event's `webhook` span, linked to the other
/// requests' when a coalesced batch spans several.
pub fn attempt(destination_id: &str, message_id: &str, events: &[StoredEvent]) -> Span {
    let span = tracing::info_span!(target: TARGET, parent: None, "delivery.attempt",
        otel.kind = "client",
        hookyard.destination_id = destination_id,
        hookyard.message_id = message_id,
        hookyard.event_ids = tracing::field::Empty,
        hookyard.request_id = tracing::field::Empty,
        hookyard.attempt = tracing::field::Empty,
        hookyard.outcome = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    );
    let Some(first) = events.first() else {
        return span;
    };
    if span.is_disabled() {
        return span;
    }
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    span.record("hookyard.event_ids", ids.join(","));
    span.record("hookyard.request_id", first.request_id.as_str());
    let parent =
        opentelemetry::Context::new().with_remote_span_context(request_context(&first.request_id));
    let _ = span.set_parent(parent);
    let mut linked = vec![first.request_id.as_str()];
    for event in &events[1..] {
        if !linked.contains(&event.request_id.as_str()) {
            linked.push(&event.request_id);
            span.add_link(request_context(&event.request_id));
        }
    }
    span
}

/// How an attempt ended: its number, `delivered` / `retry` / `dead` /
/// `gone`, the receiver's status.
pub fn record_attempt(span: &Span, attempt: usize, outcome: &str, status: Option<u16>) {
    if span.is_disabled() {
        return;
    }
    span.record("hookyard.attempt", attempt);
    span.record("hookyard.outcome", outcome);
    if let Some(status) = status {
        span.record("http.response.status_code", status);
    }
    if outcome != "delivered" {
        span.record("otel.status_code", "error");
    }
}

/// The `traceparent` a delivery carries: the attempt span's when it is
/// exported, else that of the `webhook` span of `request_id`, derived and
/// not sampled (nothing of it was recorded).
pub fn outgoing_traceparent(span: &Span, request_id: &str) -> String {
    if !span.is_disabled() {
        let context = span.context();
        let current = context.span();
        let current = current.span_context();
        if current.is_valid() {
            return traceparent(current.trace_id(), current.span_id(), current.is_sampled());
        }
    }
    let (trace, span) = request_ids(request_id);
    traceparent(trace, span, super::exporting())
}

/// The `traceparent` CloudEvents attribute of an event (distributed-tracing
/// extension): the context where its trace started, the `webhook` span of
/// its request, the same for every attempt; sampled when exported.
pub fn event_traceparent(request_id: &str) -> String {
    let (trace, span) = request_ids(request_id);
    traceparent(trace, span, super::exporting())
}
