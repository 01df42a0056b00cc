//! The adapter's part of the request path and what follows it: `verify` +
//! `handle` in the sandbox, the source's event policy, routing, and the
//! durable commit. Live requests come here through the gate; reprocessing
//! (`crate::reprocess`) replays quarantined requests through it with their
//! receipt time as the adapter's clock.

use super::events::{new_events, select_events};
use super::outcome::{Outcome, Refused};
use super::record::{Origin, Trace};
use super::state::Ingest;
use crate::alerts::Alert;
use crate::delivery::router::EventView;
use crate::follow_ups;
use crate::quarantine::QUARANTINE_AFTER;
use crate::runtime::{AdapterCall, DirectResponse, Request, Verdict, VerifyFailure};
use crate::source_table::ActiveSource;
use crate::store::requests::{AdapterRef, LogOutcome};
use crate::store::writer::{IngestJob, Stored};
use crate::store::{now_ms, rfc3339};
use crate::telemetry::spans;
use axum::http::StatusCode;
use std::time::Instant;
use tracing::Instrument as _;

/// `verify` + `handle` with `clock_ms` as the context clock, the event policy,
/// and the durable commit; an adapter's own answer (a 0.2 `reply`) goes to
/// the vendor once its events are stored or ignored, never when they could
/// not be stored.
pub async fn adapt(
    app: &Ingest,
    active: &ActiveSource,
    request: &Request,
    clock_ms: i64,
    origin: &Origin,
    trace: &mut Trace,
) -> Outcome {
    let mut answer = None;
    let outcome = map_and_store(app, active, request, clock_ms, origin, trace, &mut answer).await;
    match (outcome, answer) {
        (outcome @ (Outcome::Stored(_) | Outcome::Ignored { .. }), Some(response)) => {
            Outcome::Replied {
                outcome: Box::new(outcome),
                response,
            }
        }
        (outcome, _) => outcome,
    }
}

async fn map_and_store(
    app: &Ingest,
    active: &ActiveSource,
    request: &Request,
    clock_ms: i64,
    origin: &Origin,
    trace: &mut Trace,
    answer: &mut Option<DirectResponse>,
) -> Outcome {
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
        return Outcome::refused(Refused::AdapterFailed, reason);
    };
    let adapter = preset.adapter.clone();
    let manifest = &adapter.manifest;
    trace.adapter = Some(AdapterRef {
        name: manifest.name.clone(),
        version: manifest.version.clone(),
        hash: adapter.hash.clone(),
    });
    if manifest.requires_secret() && trace.secrets.is_empty() {
        return Outcome::refused(
            Refused::Verify(VerifyFailure::Unauthorized),
            "no active secret",
        );
    }
    if let Some(until) = active.guards.quarantine.until(now_ms()) {
        app.metrics
            .count_adapter_failure(&manifest.name, "quarantined");
        trace.keep(app, request);
        return Outcome::refused(
            Refused::AdapterFailed,
            format!(
                "quarantined until {} after {QUARANTINE_AFTER} failures in a row",
                rfc3339(until)
            ),
        );
    }

    let verdict = {
        let started = Instant::now();
        // Runs on this task: the call yields at every epoch tick, so even a
        // looping adapter shares the runtime until its deadline drops it.
        let call = AdapterCall {
            request,
            secrets: &trace.secrets,
            settings: &active.settings_json,
            now_ms: clock_ms,
            tag: &active.source.id,
            pool: active.reuses_instances().then_some(&*active.instances),
            fetch: active.fetch.as_ref(),
        };
        let verdict = adapter.process(&call).await;
        app.shadows.offer(
            &adapter,
            &call,
            &verdict,
            &active.source.id,
            &trace.request_id,
        );
        app.metrics
            .observe_adapter_call(&manifest.name, started.elapsed());
        if let Some(until) = active
            .guards
            .quarantine
            .adapter_called(verdict.is_err(), now_ms())
        {
            tracing::warn!(source = %active.source.id, adapter = %manifest.name,
                "adapter quarantined for this source until {}", rfc3339(until));
            app.alerts.raise_later(Alert::AdapterQuarantined {
                source_id: active.source.id.clone(),
                adapter: manifest.name.clone(),
                version: manifest.version.clone(),
                until,
            });
        }
        match verdict {
            Ok(verdict) => verdict,
            Err(failure) => {
                app.metrics
                    .count_adapter_failure(&manifest.name, failure.kind);
                tracing::warn!(source = %active.source.id, adapter = %manifest.name, "adapter {}: {}", failure.kind, failure.reason);
                trace.keep(app, request);
                return Outcome::refused(
                    Refused::AdapterFailed,
                    format!("{}: {}", failure.kind, failure.reason),
                );
            }
        }
    };

    let mut follow_up = None;
    let events = match verdict {
        Verdict::Rejected { failure, detail } => {
            return Outcome::refused(
                Refused::Verify(failure),
                rejection_reason(failure, &detail, trace.secrets.len()),
            );
        }
        Verdict::Respond(response) => return Outcome::Handshake(response),
        // The vendor's request is authentic but not what the adapter reads:
        // retrying cannot help, and it is no crash of the adapter. Kept for
        // reprocessing, should a later adapter version read it.
        Verdict::HandleFailed {
            kind: "malformed",
            detail,
        } => {
            trace.keep(app, request);
            return Outcome::refused(
                Refused::Unreadable,
                format!(
                    "verified, but the {} adapter could not read the payload: {detail}",
                    manifest.name
                ),
            );
        }
        Verdict::HandleFailed { kind, detail } => {
            trace.keep(app, request);
            return Outcome::refused(Refused::AdapterFailed, format!("handle {kind}: {detail}"));
        }
        Verdict::Events(events) => events,
        Verdict::Reply(reply) => {
            *answer = reply.response;
            follow_up = reply.follow_up;
            reply.events
        }
    };
    let received = events.len();
    let events = match select_events(app, active, manifest, events) {
        Ok(events) => events,
        Err(outcome) => {
            trace.keep(app, request);
            return outcome;
        }
    };
    if received > 0 && events.is_empty() {
        return Outcome::Ignored { skipped: received };
    }
    let events = match new_events(events, &request.body) {
        Ok(events) => events,
        Err(reason) => {
            trace.keep(app, request);
            return Outcome::refused(Refused::AdapterFailed, reason);
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
    // The row is settled (accepted or duplicate) by the transaction.
    trace.keep(app, request);
    let job = IngestJob {
        routes,
        source_id: active.source.id.clone(),
        adapter: trace.adapter.clone().expect("set above"),
        request_id: trace.request_id.clone(),
        received_at: trace.received_at,
        record: Some(trace.record(origin, LogOutcome::Accepted, StatusCode::OK, None)),
        events,
    };
    let event_count = job.events.len();
    let span = spans::commit(event_count);
    match app.writer.ingest(job).instrument(span.clone()).await {
        Ok(stored) => {
            match &stored {
                Stored::Accepted(ids) => {
                    app.metrics
                        .count_events_stored(&active.source.id, ids.len());
                    spans::record_commit(&span, Some(ids));
                    // Made once the events are stored; a redelivery (a
                    // duplicate) asks for nothing the first did not.
                    if let Some(call) = follow_up {
                        let recorded = follow_ups::record(
                            &app.db.pool,
                            &app.master_key,
                            &trace.request_id,
                            &active.source.id,
                            active.fetch.as_ref(),
                            call,
                        )
                        .await;
                        if let Err(e) = recorded {
                            tracing::error!(source = %active.source.id, "could not record a follow-up: {e:#}");
                        }
                    }
                }
                Stored::Duplicate => spans::record_commit(&span, None),
            }
            Outcome::Stored(stored)
        }
        Err(e) => {
            tracing::error!(source = %active.source.id, events = event_count, "could not store: {e:#}");
            Outcome::refused(Refused::StorageFailed, format!("{e:#}"))
        }
    }
}

/// A verify rejection in words, for the request log.
fn rejection_reason(failure: VerifyFailure, detail: &str, secrets_tried: usize) -> String {
    let code = failure.code();
    let secrets = match secrets_tried {
        1 => "the source's active secret".to_string(),
        n => format!("any of the source's {n} active secrets"),
    };
    match failure {
        VerifyFailure::BadSignature => {
            format!("{code}: the signature does not match {secrets}")
        }
        VerifyFailure::MissingSignature => format!("{code}: no {detail} in the request"),
        VerifyFailure::TimestampOutOfTolerance => format!(
            "{code}: the signed timestamp is {detail} away from the server's clock, beyond the tolerance"
        ),
        VerifyFailure::Malformed | VerifyFailure::Unauthorized => format!("{code}: {detail}"),
    }
}
