//! `/api/v1/events` and `/api/v1/requests`: read what was received.
//!
//! Events are listed oldest first with an opaque cursor (the commit sequence),
//! so a client polling with the last `next_cursor` sees every event once. The
//! request log is listed newest first.

use super::{ApiError, ApiResult, page_size};
use crate::app::App;
use crate::store::events::{self, EventFilter, StoredEvent};
use crate::store::requests::{self, RequestFilter};
use crate::store::rfc3339;
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

#[derive(Deserialize)]
pub struct EventQuery {
    source_id: Option<String>,
    #[serde(rename = "type")]
    event_type: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

pub async fn list(
    State(app): State<Arc<App>>,
    Query(query): Query<EventQuery>,
) -> ApiResult<Json<Value>> {
    let after_seq = parse_cursor(query.cursor.as_deref())?;
    let filter = EventFilter {
        source_id: query.source_id,
        event_type: query.event_type,
        after_seq,
        limit: page_size(query.limit),
    };
    let rows = events::list(&app.db.pool, &filter).await?;
    let next_cursor = rows
        .last()
        .map(|e| e.seq)
        .or((after_seq > 0).then_some(after_seq));
    Ok(Json(json!({
        "data": rows.iter().map(event_json).collect::<Vec<_>>(),
        "next_cursor": next_cursor.map(|seq| seq.to_string()),
    })))
}

pub async fn show(State(app): State<Arc<App>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let event = events::get(&app.db.pool, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("event"))?;
    Ok(Json(event_json(&event)))
}

#[derive(Deserialize)]
pub struct RequestQuery {
    source_id: Option<String>,
    outcome: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

pub async fn requests(
    State(app): State<Arc<App>>,
    Query(query): Query<RequestQuery>,
) -> ApiResult<Json<Value>> {
    let filter = RequestFilter {
        source_id: query.source_id,
        outcome: query.outcome,
        before_seq: parse_cursor(query.cursor.as_deref())?,
        limit: page_size(query.limit),
    };
    let rows = requests::list(&app.db.pool, &filter).await?;
    let data: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "source_id": r.source_id,
                "received_at": rfc3339(r.received_at),
                "method": r.method,
                "path": r.path,
                "remote_ip": r.remote_ip,
                "user_agent": r.user_agent,
                "outcome": r.outcome,
                "reason": r.reason,
                "status": r.status,
                "latency_us": r.latency_us,
                "plugin": r.plugin,
                "plugin_version": r.plugin_version,
                "event_count": r.event_count,
                "raw_kept": r.raw_kept,
            })
        })
        .collect();
    let next_cursor =
        (rows.len() as i64 == filter.limit).then(|| rows.last().map(|r| r.seq.to_string()));
    Ok(Json(
        json!({ "data": data, "next_cursor": next_cursor.flatten() }),
    ))
}

fn parse_cursor(cursor: Option<&str>) -> ApiResult<i64> {
    match cursor {
        None | Some("") => Ok(0),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|seq| *seq >= 0)
            .ok_or_else(|| ApiError::invalid("cursor must be a value returned as next_cursor")),
    }
}

fn event_json(event: &StoredEvent) -> Value {
    json!({
        "id": event.id,
        "source_id": event.source_id,
        "type": event.event_type,
        "dedup_id": event.dedup_id,
        "subject": event.subject,
        "occurred_at": event.occurred_at.map(rfc3339),
        "received_at": rfc3339(event.received_at),
        "plugin": event.plugin,
        "plugin_version": event.plugin_version,
        "data": serde_json::from_str::<Value>(&event.data).unwrap_or(Value::Null),
    })
}
