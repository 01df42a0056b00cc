//! Sending events again, never changing history: new delivery rows for one
//! event (`POST /api/v1/events/{id}/replay`) or for every event of a source
//! in a time range (`POST /api/v1/sources/{id}/replay`), or a destination's
//! dead letters back in line (`POST /api/v1/destinations/{id}/replay-dead`).

use super::destinations::{DestinationsApi, find};
use super::extract::{MAX_ID, Validate, check_len};
use super::{ApiError, ApiPath, ApiResult, JsonBody, OptionalJsonBody};
use crate::delivery::router::{self, EventView};
use crate::store::events::{self, StoredEvent};
use crate::store::now_ms;
use crate::store::outbox::Route;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /api/v1/events/{id}/replay`; the body is optional.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReplayTarget {
    /// Only this destination (whatever its filters say); absent: every
    /// destination whose subscription matches now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200)]
    pub destination_id: Option<String>,
}

impl Validate for ReplayTarget {
    fn validate(&self) -> ApiResult<()> {
        match &self.destination_id {
            Some(id) => check_len("destination_id", id, MAX_ID),
            None => Ok(()),
        }
    }
}

/// What a replay queued.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Replayed {
    /// Events replayed.
    pub events: usize,
    /// Delivery rows added.
    pub deliveries: usize,
}

/// New deliveries of one event; without a body, to every destination whose
/// subscription matches now.
#[utoipa::path(
    post,
    path = "/api/v1/events/{id}/replay",
    tag = "events",
    params(("id" = String, Path, max_length = 200, description = "The event's id")),
    request_body(content = ReplayTarget, description = "Optional"),
    responses((status = 200, description = "What was queued", body = Replayed))
)]
pub async fn replay_event(
    State(app): State<DestinationsApi>,
    ApiPath(id): ApiPath<String>,
    OptionalJsonBody(target): OptionalJsonBody<ReplayTarget>,
) -> ApiResult<Json<Replayed>> {
    let event = events::get(&app.db.pool, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("event"))?;
    let queued = enqueue(&app, &[event], target.destination_id.as_deref()).await?;
    Ok(Json(Replayed {
        events: 1,
        deliveries: queued,
    }))
}

/// `POST /api/v1/sources/{id}/replay`.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceReplay {
    /// RFC 3339; events received at or after.
    #[schema(max_length = 64, format = DateTime)]
    pub since: String,
    /// RFC 3339; events received before [default: now].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 64, format = DateTime)]
    pub until: Option<String>,
    /// Only this destination; absent: every matching one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200)]
    pub destination_id: Option<String>,
}

impl Validate for SourceReplay {
    fn validate(&self) -> ApiResult<()> {
        check_len("since", &self.since, 64)?;
        if let Some(until) = &self.until {
            check_len("until", until, 64)?;
        }
        match &self.destination_id {
            Some(id) => check_len("destination_id", id, MAX_ID),
            None => Ok(()),
        }
    }
}

/// New deliveries of every event of a source received in `[since, until)`.
#[utoipa::path(
    post,
    path = "/api/v1/sources/{id}/replay",
    tag = "sources",
    params(("id" = String, Path, max_length = 200, description = "The source's id")),
    request_body = SourceReplay,
    responses((status = 200, description = "What was queued", body = Replayed))
)]
pub async fn replay_source(
    State(app): State<DestinationsApi>,
    ApiPath(source_id): ApiPath<String>,
    JsonBody(replay): JsonBody<SourceReplay>,
) -> ApiResult<Json<Replayed>> {
    let time = |field: &str, text: &str| {
        chrono::DateTime::parse_from_rfc3339(text)
            .map(|t| t.timestamp_millis())
            .map_err(|e| ApiError::invalid(format!("{field}: not an RFC 3339 time: {e}")).at(field))
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
    Ok(Json(Replayed {
        events: event_count,
        deliveries: queued,
    }))
}

/// A destination's dead letters back in line (retry schedule started again).
#[utoipa::path(
    post,
    path = "/api/v1/destinations/{id}/replay-dead",
    tag = "destinations",
    params(("id" = String, Path, max_length = 200, description = "The destination's id")),
    responses((status = 200, description = "How many dead letters went back in line", body = Requeued))
)]
pub async fn replay_dead(
    State(app): State<DestinationsApi>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Requeued>> {
    find(&app, &id).await?;
    let now = now_ms();
    let requeued = app.writer.requeue_dead(id, now).await?;
    app.writer.signals.outbox.notify_one();
    Ok(Json(Requeued { requeued }))
}

/// Dead letters put back in line.
#[derive(Serialize, ToSchema)]
pub struct Requeued {
    pub requeued: usize,
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
                .ok_or_else(|| {
                    ApiError::invalid(format!("unknown destination {id:?}")).at("destination_id")
                })?,
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
