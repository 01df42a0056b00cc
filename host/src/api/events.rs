//! `/api/v1/events`: the events stored, listed, long-polled and streamed.
//!
//! Events are listed oldest first with an opaque cursor ([`EventCursor`]: the
//! commit sequence, and on PostgreSQL the storing transaction), so a client
//! polling with the last `next_cursor` sees every event once, even when
//! several replicas commit at once;
//! `type` is a glob pattern (`pull_request.*`). A consumer without a
//! destination can tail events: `wait=SECONDS` makes the list a long poll
//! that answers as soon as a matching event is committed, and
//! `/api/v1/events/stream` is a server-sent-events stream whose event ids are
//! cursors, so a reconnecting client (`Last-Event-ID`) resumes where it left
//! off. Both wake on the writer's commit signal, so nothing is missed between
//! a query and the wait, and on PostgreSQL also poll (other replicas' commits
//! signal nothing here). The list takes
//! `since` (RFC 3339): only what was received at or after it.

use super::extract::{Validate, check_limit, check_range};
use super::{ApiError, ApiPath, ApiQuery, ApiResult, page_size, parse_position, parse_since};
use crate::store::Database;
use crate::store::events::{self, EventCursor, EventFilter, StoredEvent};
use crate::store::rfc3339;
use crate::store::writer::Writer;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{self, KeepAlive, Sse};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::watch;
use utoipa::{IntoParams, ToSchema};

crate::sub_state! {
    /// What the event feed and the request log use.
    pub struct EventsApi {
        db: Database,
        writer: Writer,
    }
}

/// The longest long poll.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// How often a waiting consumer on PostgreSQL looks for events that no
/// commit of its own server announced.
const REPLICA_POLL: Duration = Duration::from_millis(500);

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Only this source's events.
    #[param(max_length = 200)]
    source_id: Option<String>,
    /// A glob over event types (`pull_request.*`).
    #[serde(rename = "type")]
    #[param(rename = "type", max_length = 200)]
    event_type: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 1000, default = 100)]
    limit: Option<i64>,
    /// A `next_cursor` from an earlier page.
    #[param(max_length = 200)]
    cursor: Option<String>,
    /// RFC 3339: only events received at or after this time.
    #[param(max_length = 64, format = DateTime)]
    since: Option<String>,
    /// Seconds to wait for a first matching event when there is none yet.
    #[param(minimum = 0, maximum = 60)]
    wait: Option<u64>,
}

impl Validate for EventQuery {
    fn validate(&self) -> ApiResult<()> {
        check_limit(self.limit)?;
        match self.wait {
            Some(wait) => check_range("wait", wait, 0..=MAX_WAIT.as_secs()),
            None => Ok(()),
        }
    }
}

/// Events oldest first, from a cursor on; `wait` long-polls.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "events",
    params(EventQuery),
    responses((status = 200, description = "A page of events and the `next_cursor`", body = EventPage))
)]
pub async fn list(
    State(app): State<EventsApi>,
    ApiQuery(query): ApiQuery<EventQuery>,
) -> ApiResult<Json<EventPage>> {
    let after = parse_position::<EventCursor>(query.cursor.as_deref())?;
    let filter = EventFilter {
        source_id: query.source_id,
        event_type: query.event_type,
        since: parse_since(query.since.as_deref())?,
        after: after.unwrap_or_default(),
        limit: page_size(query.limit),
    };
    // Subscribed before the first query: a commit in between still wakes us.
    let mut commits = app.writer.signals.events.subscribe();
    let mut rows = app.db.events_after(&filter).await?;
    let wait = Duration::from_secs(query.wait.unwrap_or(0));
    if rows.is_empty() && !wait.is_zero() {
        tokio::time::timeout(wait, async {
            while rows.is_empty() && next_commit(&mut commits, &app.db).await {
                rows = app.db.events_after(&filter).await?;
            }
            anyhow::Ok(())
        })
        .await
        .unwrap_or(Ok(()))?;
    }
    let next_cursor = rows.last().map(StoredEvent::cursor).or(after);
    Ok(Json(EventPage {
        data: rows.iter().map(event_json).collect(),
        next_cursor: next_cursor.map(|cursor| cursor.to_string()),
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Only this source's events.
    #[param(max_length = 200)]
    source_id: Option<String>,
    /// A glob over event types (`pull_request.*`).
    #[serde(rename = "type")]
    #[param(rename = "type", max_length = 200)]
    event_type: Option<String>,
    /// Start after this cursor [default: only events from now on]; a
    /// `Last-Event-ID` header takes precedence.
    #[param(max_length = 200)]
    cursor: Option<String>,
}

impl Validate for StreamQuery {}

/// `GET /api/v1/events/stream`: matching events as server-sent events
/// (`id:` the cursor, `data:` the event), from the cursor on, forever.
#[utoipa::path(
    get,
    path = "/api/v1/events/stream",
    tag = "events",
    params(StreamQuery),
    responses((status = 200, description = "Server-sent events: `id` the cursor, `data` the event", content_type = "text/event-stream", body = String))
)]
pub async fn stream(
    State(app): State<EventsApi>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<StreamQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<sse::Event, Infallible>>>> {
    let commits = app.writer.signals.events.subscribe();
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .or(query.cursor.as_deref());
    let after = match parse_position::<EventCursor>(resume)? {
        Some(cursor) => cursor,
        None => app.db.feed_head().await?,
    };
    let tail = Tail {
        app,
        filter: EventFilter {
            source_id: query.source_id,
            event_type: query.event_type,
            since: None,
            after,
            limit: 100,
        },
        commits,
        buffered: VecDeque::new(),
    };
    let events = futures_util::stream::unfold(tail, |mut tail| async move {
        let event = tail.next().await?;
        let message = sse::Event::default()
            .id(event.cursor().to_string())
            .event("event")
            .json_data(event_json(&event))
            .expect("JSON values serialize");
        Some((Ok(message), tail))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

/// A stream consumer's position: the next events, fetched a page at a time.
struct Tail {
    app: EventsApi,
    filter: EventFilter,
    commits: watch::Receiver<i64>,
    buffered: VecDeque<StoredEvent>,
}

impl Tail {
    /// The next matching event, waiting for commits as needed; `None` ends
    /// the stream (shutdown, or a database error, logged).
    async fn next(&mut self) -> Option<StoredEvent> {
        loop {
            if let Some(event) = self.buffered.pop_front() {
                return Some(event);
            }
            match self.app.db.events_after(&self.filter).await {
                Ok(rows) if !rows.is_empty() => {
                    self.filter.after = rows[rows.len() - 1].cursor();
                    self.buffered.extend(rows);
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::error!("event stream: {e:#}");
                    return None;
                }
            }
            if !next_commit(&mut self.commits, &self.app.db).await {
                return None;
            }
        }
    }
}

/// Waits for this server's next event commit, or on PostgreSQL at most
/// [`REPLICA_POLL`]: other replicas' commits wake nobody here, nor does the
/// end of a transaction that held an event back (see [`EventCursor`]).
/// False when the server is stopping.
async fn next_commit(commits: &mut watch::Receiver<i64>, db: &Database) -> bool {
    if !db.replicated() {
        return commits.changed().await.is_ok();
    }
    tokio::time::timeout(REPLICA_POLL, commits.changed())
        .await
        .unwrap_or(Ok(()))
        .is_ok()
}

/// One event.
#[utoipa::path(
    get,
    path = "/api/v1/events/{id}",
    tag = "events",
    params(("id" = String, Path, max_length = 200, description = "The event's id")),
    responses((status = 200, description = "The event", body = EventView))
)]
pub async fn show(
    State(app): State<EventsApi>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<EventView>> {
    let event = events::get(&app.db.pool, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("event"))?;
    Ok(Json(event_json(&event)))
}

/// An event as the feed shows it.
#[derive(Serialize, ToSchema)]
pub struct EventView {
    pub id: String,
    pub source_id: String,
    /// The event type the adapter gave it.
    #[serde(rename = "type")]
    pub event_type: String,
    /// What deduplicates it (the vendor's delivery id, or a digest).
    pub dedup_id: String,
    pub subject: Option<String>,
    /// RFC 3339, when the vendor says it happened.
    pub occurred_at: Option<String>,
    /// RFC 3339.
    pub received_at: String,
    /// The adapter that made it, its version and component hash.
    pub plugin: String,
    pub plugin_version: String,
    pub plugin_hash: String,
    /// The event's data, as the adapter made it.
    #[schema(value_type = Object)]
    pub data: Value,
}

/// A page of the event feed.
#[derive(Serialize, ToSchema)]
pub struct EventPage {
    pub data: Vec<EventView>,
    /// Pass it as `cursor` to continue (also when `data` is empty).
    pub next_cursor: Option<String>,
}

fn event_json(event: &StoredEvent) -> EventView {
    EventView {
        id: event.id.clone(),
        source_id: event.source_id.clone(),
        event_type: event.event_type.clone(),
        dedup_id: event.dedup_id.clone(),
        subject: event.subject.clone(),
        occurred_at: event.occurred_at.map(rfc3339),
        received_at: rfc3339(event.received_at),
        plugin: event.plugin.clone(),
        plugin_version: event.plugin_version.clone(),
        plugin_hash: event.plugin_hash.clone(),
        data: serde_json::from_str::<Value>(&event.data).unwrap_or(Value::Null),
    }
}
