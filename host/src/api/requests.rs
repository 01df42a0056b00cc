//! `/api/v1/requests`: the request log, newest first: every request to
//! `/webhooks` with its outcome and why, and whether its raw copy is kept.

use super::events::EventsApi;
use super::{ApiResult, page_size, parse_cursor, parse_since};
use crate::store::requests::{self, RequestFilter};
use crate::store::rfc3339;
use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
pub struct RequestQuery {
    source_id: Option<String>,
    outcome: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
    /// RFC 3339: only requests received at or after this time.
    since: Option<String>,
}

pub async fn list(
    State(app): State<EventsApi>,
    Query(query): Query<RequestQuery>,
) -> ApiResult<Json<Value>> {
    let filter = RequestFilter {
        source_id: query.source_id,
        outcome: query.outcome,
        since: parse_since(query.since.as_deref())?,
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
                "raw_kept": r.raw_kept != 0,
                "reprocessed_as": r.reprocessed_as,
            })
        })
        .collect();
    let next_cursor =
        (rows.len() as i64 == filter.limit).then(|| rows.last().map(|r| r.seq.to_string()));
    Ok(Json(
        json!({ "data": data, "next_cursor": next_cursor.flatten() }),
    ))
}
