//! Everything before the adapter: the source by its key (in memory), its
//! state, its limits (IP allowlist, rate, concurrency, shared rate budget),
//! the body within its size; then the request as the adapter sees it.

use super::adapt::adapt;
use super::outcome::{Outcome, Refused, Throttle};
use super::record::{Origin, Trace};
use super::state::Ingest;
use crate::limits::Refusal;
use crate::runtime::{Header, Request};
use crate::source_table::ActiveSource;
use crate::store::now_ms;
use crate::telemetry::spans;
use axum::body::Body;
use axum::http::{header, request::Parts};
use std::net::IpAddr;
use tokio::sync::SemaphorePermit;
use tracing::Instrument as _;

/// A request through the gate and on to the adapter; what it came to.
pub(super) async fn through(
    app: &Ingest,
    key: &str,
    parts: &Parts,
    body: Body,
    client: Option<IpAddr>,
    origin: &Origin,
    trace: &mut Trace,
) -> Outcome {
    let Some(active) = app.sources.source_by_key(key) else {
        return Outcome::refused(Refused::UnknownSource, "");
    };
    trace.for_source(active.clone());
    if !active.source.enabled {
        return Outcome::refused(Refused::SourceDisabled, "");
    }
    // Held until the answer: the slot counts this request as in flight.
    let (_slot, body) = match within_limits(app, &active, parts, body, client)
        .instrument(spans::limits(&active.source.id))
        .await
    {
        Ok(admitted) => admitted,
        Err(outcome) => return outcome,
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
    adapt(app, &active, &request, now_ms(), origin, trace).await
}

/// The source's limits: its allowlist and concurrency (the slot, held until
/// the answer), its shared rate budget, the body within its size.
async fn within_limits<'a>(
    app: &Ingest,
    active: &'a ActiveSource,
    parts: &Parts,
    body: Body,
    client: Option<IpAddr>,
) -> Result<(Option<SemaphorePermit<'a>>, Vec<u8>), Outcome> {
    let slot = active
        .guards
        .admit(client)
        .map_err(|refusal| refused_by_limits(refusal, client))?;
    if let Some(outcome) = take_shared_rate(app, active).await {
        return Err(outcome);
    }
    let body = read_body(parts, body, active.guards.body_bytes()).await?;
    Ok((slot, body))
}

/// Reads the body, refusing more than `limit` bytes (before reading, when the
/// vendor declares a length).
async fn read_body(parts: &Parts, body: Body, limit: usize) -> Result<Vec<u8>, Outcome> {
    let too_large = || Outcome::refused(Refused::PayloadTooLarge, format!("limit {limit} bytes"));
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
        Err(e) => Err(Outcome::refused(
            Refused::BadRequest,
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
pub fn public_url(app: &Ingest, host: Option<&str>, path_and_query: &str) -> String {
    match &app.settings.public_url {
        Some(base) => format!("{}{path_and_query}", base.trim_end_matches('/')),
        None => format!("http://{}{path_and_query}", host.unwrap_or("localhost")),
    }
}

/// Takes the request from its source's rate budget in the database, when the
/// budget is shared by the replicas; the outcome if it does not fit (or the
/// database cannot tell: nothing could be stored either).
async fn take_shared_rate(app: &Ingest, active: &ActiveSource) -> Option<Outcome> {
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
            Some(Outcome::refused(
                Refused::StorageFailed,
                format!("shared rate budget: {e:#}"),
            ))
        }
    }
}

/// The outcome of a request the source's limits turned away.
fn refused_by_limits(refusal: Refusal, client: Option<IpAddr>) -> Outcome {
    match refusal {
        Refusal::Forbidden => Outcome::refused(
            Refused::IpNotAllowed,
            match client {
                Some(ip) => format!("{ip} is not in the source's allow_ips"),
                None => "a trusted proxy forwarded an unparseable client address".into(),
            },
        ),
        Refusal::Rate(wait) => Outcome::Throttled {
            limit: Throttle::Rate,
            // Whole seconds, rounded up: never tell a vendor to retry at once.
            retry_after_secs: (wait.as_secs_f64().ceil() as u64).max(1),
        },
        Refusal::Concurrency => Outcome::Throttled {
            limit: Throttle::Concurrency,
            retry_after_secs: 1,
        },
    }
}
