//! Sending events again, never changing history: new delivery rows for one
//! event (`POST /api/v1/events/{id}/replay`) or for every event of a source
//! in a time range (`POST /api/v1/sources/{id}/replay`), or a destination's
//! dead letters back in line (`POST /api/v1/destinations/{id}/replay-dead`).

use super::destinations::{DestinationsApi, find};
use super::{ApiError, ApiResult, JsonBody};
use crate::delivery::router::{self, EventView};
use crate::store::events::{self, StoredEvent};
use crate::store::now_ms;
use crate::store::outbox::Route;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReplayTarget {
    /// Only this destination (whatever its filters say); absent: every
    /// destination whose subscription matches now.
    destination_id: Option<String>,
}

/// `POST /api/v1/events/{id}/replay`
pub async fn replay_event(
    State(app): State<DestinationsApi>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    // The body is optional: none replays to every matching destination.
    let target: ReplayTarget = if body.iter().all(u8::is_ascii_whitespace) {
        ReplayTarget::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid(e.to_string()))?
    };
    let event = events::get(&app.db.pool, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("event"))?;
    let queued = enqueue(&app, &[event], target.destination_id.as_deref()).await?;
    Ok(Json(json!({ "events": 1, "deliveries": queued })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceReplay {
    /// RFC 3339; events received at or after.
    since: String,
    /// RFC 3339; events received before [default: now].
    until: Option<String>,
    destination_id: Option<String>,
}

/// `POST /api/v1/sources/{id}/replay`: every event of a source received in
/// `[since, until)`.
pub async fn replay_source(
    State(app): State<DestinationsApi>,
    Path(source_id): Path<String>,
    JsonBody(replay): JsonBody<SourceReplay>,
) -> ApiResult<Json<Value>> {
    let time = |field: &str, text: &str| {
        chrono::DateTime::parse_from_rfc3339(text)
            .map(|t| t.timestamp_millis())
            .map_err(|e| ApiError::invalid(format!("{field}: not an RFC 3339 time: {e}")))
    };
    let since = time("since", &replay.since)?;
    let until = match &replay.until {
        Some(text) => time("until", text)?,
        None => now_ms() + 1,
    };
    let (mut after_seq, mut event_count, mut queued) = (0, 0, 0);
    loop {
        let page = events::received_between(&app.db.pool, &source_id, since, until, after_seq, 500)
            .await?;
        let Some(last) = page.last() else { break };
        after_seq = last.seq;
        event_count += page.len();
        queued += enqueue(&app, &page, replay.destination_id.as_deref()).await?;
    }
    Ok(Json(json!({ "events": event_count, "deliveries": queued })))
}

/// `POST /api/v1/destinations/{id}/replay-dead`
pub async fn replay_dead(
    State(app): State<DestinationsApi>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    find(&app, &id).await?;
    let now = now_ms();
    let requeued = app.writer.requeue_dead(id, now).await?;
    app.writer.signals.outbox.notify_one();
    Ok(Json(json!({ "requeued": requeued })))
}

/// Adds delivery rows for `events`: to one destination, or to every one
/// whose subscription matches. Returns how many.
async fn enqueue(
    app: &DestinationsApi,
    events: &[StoredEvent],
    only: Option<&str>,
) -> ApiResult<usize> {
    let table = app.delivery.table();
    let chosen = match only {
        Some(id) => Some(
            table
                .iter()
                .find(|d| d.destination.id == id)
                .ok_or_else(|| ApiError::invalid(format!("unknown destination {id:?}")))?,
        ),
        None => None,
    };
    let planned: Vec<(String, Vec<Route>)> = events
        .iter()
        .map(|event| {
            let view = EventView::of(event);
            let routes = match chosen {
                Some(d) => vec![d.route(&view).unwrap_or_else(|| Route {
                    destination_id: d.destination.id.clone(),
                    coalesce: None,
                })],
                None => router::routes(&table, &view),
            };
            (event.id.clone(), routes)
        })
        .collect();
    let count = planned.iter().map(|(_, routes)| routes.len()).sum();
    let now = now_ms();
    app.writer.enqueue(planned, now).await?;
    app.writer.signals.outbox.notify_one();
    Ok(count)
}
