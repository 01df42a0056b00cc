//! `/api/v1/destinations` and `/api/v1/deliveries`: where events go, what
//! happened to each delivery, and replays.
//!
//! A destination's signing secret is shown once, when it is created; later
//! answers show its first characters only. Replays never change history:
//! they add delivery rows (one event, or every event of a source in a time
//! range) or put a destination's dead letters back in line.

use super::{ApiError, ApiResult, JsonBody, page_size, parse_cursor};
use crate::changes::Changes;
use crate::delivery::Delivery;
use crate::delivery::router::{self, EventView};
use crate::delivery::ssrf;
use crate::sealing::MasterKey;
use crate::store::Database;
use crate::store::destinations::{self, CoalesceConfig, Destination, Target};
use crate::store::events::{self, StoredEvent};
use crate::store::outbox::{self, DeliveryFilter, Route};
use crate::store::writer::Writer;
use crate::store::{new_id, now_ms, rfc3339, sources};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use base64::Engine as _;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

crate::sub_state! {
    /// What the destination, delivery and replay routes use.
    pub struct DestinationsApi {
        db: Database,
        master_key: Arc<MasterKey>,
        writer: Writer,
        delivery: Arc<Delivery>,
        changes: Arc<Changes>,
    }
}

#[derive(Deserialize)]
pub struct NewDestination {
    name: String,
    /// `kind` (`http` | `nats`) and its fields.
    #[serde(flatten)]
    target: Target,
    /// `whsec_` + base64; generated when absent (HTTP only).
    secret: Option<String>,
    #[serde(default = "every_type")]
    event_types: Vec<String>,
    source_ids: Option<Vec<String>>,
    filter: Option<String>,
    coalesce: Option<CoalesceConfig>,
    #[serde(default = "default_max_in_flight")]
    max_in_flight: i64,
}

fn every_type() -> Vec<String> {
    vec!["*".into()]
}

fn default_max_in_flight() -> i64 {
    16
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationChange {
    name: Option<String>,
    enabled: Option<bool>,
    event_types: Option<Vec<String>>,
    /// `null` clears (every source); absent leaves it.
    #[serde(default, deserialize_with = "super::sources::present")]
    source_ids: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "super::sources::present")]
    filter: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::sources::present")]
    coalesce: Option<Option<CoalesceConfig>>,
    max_in_flight: Option<i64>,
}

pub async fn create(
    State(app): State<DestinationsApi>,
    JsonBody(new): JsonBody<NewDestination>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let secret = match (&new.target, new.secret) {
        (Target::Http { .. }, None) => Some(new_secret()),
        (Target::Http { .. }, Some(secret)) => Some(secret),
        (Target::Nats { .. }, None) => None,
        (Target::Nats { .. }, Some(_)) => {
            return Err(ApiError::invalid(
                "NATS destinations are not signed: remove `secret`",
            ));
        }
    };
    let now = now_ms();
    let destination = Destination {
        id: new_id("dst"),
        name: new.name,
        target: new.target,
        secret,
        event_types: new.event_types,
        source_ids: new.source_ids,
        filter: new.filter,
        coalesce: new.coalesce,
        max_in_flight: new.max_in_flight,
        enabled: true,
        disabled_reason: None,
        created_at: now,
        updated_at: now,
    };
    validate(&app, &destination).await?;
    destinations::insert(&app.db.pool, &app.master_key, &destination)
        .await
        .map_err(|e| unique_name(e, &destination.name))?;
    app.changes.destinations_changed().await?;
    tracing::info!(destination = %destination.id, kind = destination.target.kind(), "destination created");
    let mut body = destination_json(&destination);
    body["secret"] = json!(destination.secret);
    Ok((StatusCode::CREATED, Json(body)))
}

pub async fn list(State(app): State<DestinationsApi>) -> ApiResult<Json<Value>> {
    let all = destinations::list(&app.db.pool, &app.master_key).await?;
    let mut shown = Vec::with_capacity(all.len());
    for d in &all {
        shown.push(shown_with_pending(&app, d).await?);
    }
    Ok(Json(Value::Array(shown)))
}

pub async fn show(
    State(app): State<DestinationsApi>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        shown_with_pending(&app, &find(&app, &id).await?).await?,
    ))
}

/// A destination as shown, with its pending deliveries: those waiting for
/// an attempt, or held while it is disabled.
async fn shown_with_pending(app: &DestinationsApi, d: &Destination) -> ApiResult<Value> {
    let mut body = destination_json(d);
    body["pending_deliveries"] = json!(outbox::pending_of(&app.db.pool, &d.id).await?);
    Ok(body)
}

pub async fn update(
    State(app): State<DestinationsApi>,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<DestinationChange>,
) -> ApiResult<Json<Value>> {
    let mut d = find(&app, &id).await?;
    if let Some(name) = change.name {
        d.name = name;
    }
    if let Some(enabled) = change.enabled {
        d.enabled = enabled;
        if enabled {
            d.disabled_reason = None;
        }
    }
    if let Some(types) = change.event_types {
        d.event_types = types;
    }
    if let Some(ids) = change.source_ids {
        d.source_ids = ids;
    }
    if let Some(filter) = change.filter {
        d.filter = filter;
    }
    if let Some(coalesce) = change.coalesce {
        d.coalesce = coalesce;
    }
    if let Some(max) = change.max_in_flight {
        d.max_in_flight = max;
    }
    validate(&app, &d).await?;
    destinations::update(&app.db.pool, &app.master_key, &d)
        .await
        .map_err(|e| unique_name(e, &d.name))?;
    app.changes.destinations_changed().await?;
    // Enabling may have made waiting rows due.
    app.writer.signals.outbox.notify_one();
    Ok(Json(
        shown_with_pending(&app, &find(&app, &id).await?).await?,
    ))
}

pub async fn delete(
    State(app): State<DestinationsApi>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if !destinations::delete(&app.db.pool, &id).await? {
        return Err(ApiError::not_found("destination"));
    }
    app.changes.destinations_changed().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn find(app: &DestinationsApi, id: &str) -> ApiResult<Destination> {
    destinations::get(&app.db.pool, &app.master_key, id)
        .await?
        .ok_or_else(|| ApiError::not_found("destination"))
}

/// Everything a destination needs to work, checked before it is stored.
async fn validate(app: &DestinationsApi, d: &Destination) -> ApiResult<()> {
    if d.name.trim().is_empty() {
        return Err(ApiError::invalid("name must not be empty"));
    }
    if !(1..=1000).contains(&d.max_in_flight) {
        return Err(ApiError::invalid(
            "max_in_flight must be between 1 and 1000",
        ));
    }
    if let Target::Http { timeout_ms, .. } = &d.target
        && !(1..=120_000).contains(timeout_ms)
    {
        return Err(ApiError::invalid("timeout_ms must be between 1 and 120000"));
    }
    if let Some(secret) = &d.secret
        && (!secret.starts_with("whsec_") || standardwebhooks::Webhook::new(secret).is_err())
    {
        return Err(ApiError::invalid(
            "secret must be `whsec_` followed by base64 (omit it to have one generated)",
        ));
    }
    if let Some(c) = &d.coalesce
        && (c.quiet_ms == 0 || c.quiet_ms > c.max_wait_ms)
    {
        return Err(ApiError::invalid(
            "coalesce: quiet_ms must be positive and at most max_wait_ms",
        ));
    }
    if let Some(ids) = &d.source_ids {
        let known: Vec<String> = sources::list(&app.db.pool)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        if let Some(unknown) = ids.iter().find(|id| !known.contains(id)) {
            return Err(ApiError::invalid(format!("unknown source {unknown:?}")));
        }
    }
    router::validate(d).map_err(ApiError::invalid)?;
    app.delivery.transport(d).map_err(ApiError::invalid)?;
    if let Target::Http { url, .. } = &d.target
        && let Ok(url) = reqwest::Url::parse(url)
    {
        ssrf::check_destination(&app.delivery.config.policy, &url)
            .await
            .map_err(ApiError::invalid)?;
    }
    Ok(())
}

fn unique_name(error: anyhow::Error, name: &str) -> ApiError {
    if error.to_string().contains("UNIQUE") {
        ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("a destination named {name:?} exists"),
        )
    } else {
        error.into()
    }
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> String {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(key)
    )
}

fn destination_json(d: &Destination) -> Value {
    let mut body = json!({
        "id": d.id,
        "name": d.name,
        "secret_prefix": d.secret.as_ref().map(|s| format!("{}…", &s[..s.len().min(10)])),
        "event_types": d.event_types,
        "source_ids": d.source_ids,
        "filter": d.filter,
        "coalesce": d.coalesce,
        "max_in_flight": d.max_in_flight,
        "enabled": d.enabled,
        "disabled_reason": d.disabled_reason,
        "created_at": rfc3339(d.created_at),
        "updated_at": rfc3339(d.updated_at),
    });
    if let (Value::Object(body), Ok(Value::Object(target))) =
        (&mut body, serde_json::to_value(&d.target))
    {
        body.extend(target);
    }
    body
}

#[derive(Deserialize)]
pub struct DeliveryQuery {
    destination_id: Option<String>,
    event_id: Option<String>,
    state: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

pub async fn deliveries(
    State(app): State<DestinationsApi>,
    Query(query): Query<DeliveryQuery>,
) -> ApiResult<Json<Value>> {
    if let Some(state) = &query.state
        && !["pending", "delivered", "dead"].contains(&state.as_str())
    {
        return Err(ApiError::invalid(
            "state must be pending, delivered or dead",
        ));
    }
    let filter = DeliveryFilter {
        destination_id: query.destination_id,
        event_id: query.event_id,
        state: query.state,
        after_seq: parse_cursor(query.cursor.as_deref())?,
        limit: page_size(query.limit),
    };
    let rows = outbox::list(&app.db.pool, &filter).await?;
    let next_cursor = rows.last().map(|r| r.seq.to_string());
    Ok(Json(json!({
        "data": rows.iter().map(delivery_json).collect::<Vec<_>>(),
        "next_cursor": next_cursor,
    })))
}

pub async fn delivery(
    State(app): State<DestinationsApi>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let row = outbox::get(&app.db.pool, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("delivery"))?;
    let mut body = delivery_json(&row);
    body["attempt_log"] = outbox::attempts(&app.db.pool, &id)
        .await?
        .iter()
        .map(|a| {
            json!({
                "attempt": a.attempt,
                "started_at": rfc3339(a.started_at),
                "duration_ms": a.duration_us as f64 / 1000.0,
                "status": a.status,
                "error": a.error,
                "response": a.response_status_line.as_ref().map(|line| json!({
                    "status_line": line,
                    "body": a.response_body,
                })),
            })
        })
        .collect();
    Ok(Json(body))
}

fn delivery_json(row: &outbox::DeliveryRow) -> Value {
    json!({
        "id": row.id,
        "event_id": row.event_id,
        "destination_id": row.destination_id,
        "state": row.state,
        "attempts": row.attempts,
        "next_attempt_at": (row.state == "pending").then(|| rfc3339(row.due_at)),
        "coalesce_key": row.coalesce_key,
        "created_at": rfc3339(row.first_at),
        "last_status": row.last_status,
        "last_error": row.last_error,
        "delivered_at": row.delivered_at.map(rfc3339),
    })
}

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
