//! The axum handler of `/webhooks/{key}`: what arrived (the client behind
//! trusted proxies, the origin for the log), then the request through the
//! gate and the adapter, then what is logged, counted and answered.

use super::gate;
use super::outcome::Outcome;
use super::record::{Origin, Trace};
use super::state::Ingest;
use crate::client_ip::client_ip;
use crate::store::writer::Stored;
use crate::store::{new_id, now_ms};
use crate::telemetry::spans;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use tracing::Instrument as _;

/// A vendor's webhook request, any method; the document shows POST. Answers
/// keep the codes the adapter and the gate decide (2xx accepted, 401 not
/// verified, 404 unknown key, 413, 415, 422, 429, 503 ...): see docs/operating.md.
#[utoipa::path(
    post,
    path = "/webhooks/{key}",
    tag = "ingest",
    params(("key" = String, Path, description = "The source's key")),
    request_body(content = crate::api::openapi::Binary, content_type = "application/octet-stream", description = "What the vendor sends"),
    responses(
        (status = 200, description = "Accepted (or what the adapter answers)"),
        (status = "4XX", description = "Refused; `{\"error\", \"message\"}`"),
        (status = "5XX", description = "Not processed now; the vendor retries")
    )
)]
pub async fn receive(
    State(app): State<Ingest>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(key): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let client = client_ip(peer.ip(), request.headers(), &app.settings.trusted_proxies);
    let (_, outcome) = handle(&app, &key, request, client).await;
    outcome.into_response()
}

/// A request the server makes itself (the API's test event), from
/// `client`: through the same path as a vendor's, logged and counted the
/// same; its request-log id and how it ended.
pub async fn inject(
    app: &Ingest,
    key: &str,
    request: axum::extract::Request,
    client: IpAddr,
) -> (String, Outcome) {
    handle(app, key, request, Some(client)).await
}

/// One request through the gate and the adapter, then logged and counted:
/// its request-log id and how it ended.
async fn handle(
    app: &Ingest,
    key: &str,
    request: axum::extract::Request,
    client: Option<IpAddr>,
) -> (String, Outcome) {
    let (parts, body) = request.into_parts();
    let mut trace = Trace::new(&new_id("req"), now_ms(), true);
    let request_id = trace.request_id.clone();
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
    let inbound = parts
        .headers
        .get("traceparent")
        .and_then(|v| v.to_str().ok());
    let span = spans::webhook(&request_id, &origin.method, inbound);
    let outcome = gate::through(app, key, &parts, body, client, &origin, &mut trace)
        .instrument(span.clone())
        .await;
    let source_id = (!span.is_disabled())
        .then(|| trace.source_id().map(str::to_string))
        .flatten();
    let outcome = finish(app, &origin, trace, outcome)
        .instrument(span.clone())
        .await;
    let stored: &[String] = match &outcome {
        Outcome::Stored(Stored::Accepted(ids)) => ids,
        _ => &[],
    };
    spans::record_request(
        &span,
        source_id.as_deref(),
        outcome.label(),
        outcome.status().as_u16(),
        stored,
    );
    (request_id, outcome)
}

/// Logs the request (unless its transaction already did, or it was
/// throttled: a flood must not turn into writes), counts it, and returns
/// the outcome, to be answered.
pub async fn finish(app: &Ingest, origin: &Origin, mut trace: Trace, outcome: Outcome) -> Outcome {
    let source = trace.source_id().unwrap_or("unknown").to_string();
    app.metrics.count_request(&source, outcome.label());
    match outcome {
        // The writer logged it with the events.
        Outcome::Stored(_) => return outcome,
        // Never logged; only counted in the stats, without waiting.
        Outcome::Throttled { .. } => {
            app.writer
                .count_throttled(trace.source_id(), trace.received_at);
            return outcome;
        }
        _ => {}
    }
    let log = outcome.log().expect("throttled requests returned above");
    let mut record = trace.record(origin, log, outcome.status(), outcome.reason());
    record.rejection = outcome.rejection();
    if let Err(e) = app.writer.log(record).await {
        tracing::error!("could not write the request log: {e:#}");
    }
    outcome
}
