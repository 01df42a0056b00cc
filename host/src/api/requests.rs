//! `/api/v1/requests`: the request log, newest first: every request to
//! `/webhooks` with its outcome and why, and whether its raw copy is kept.

use super::events::EventsApi;
use super::extract::{Validate, check_limit};
use super::{ApiQuery, ApiResult, page_size, parse_cursor, parse_since};
use crate::store::requests::{self, RequestFilter};
use crate::store::rfc3339;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    /// Only this source's requests.
    #[param(max_length = 200)]
    source_id: Option<String>,
    /// Only requests with this outcome.
    #[param(max_length = 200)]
    outcome: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 1000, default = 100)]
    limit: Option<i64>,
    /// A `next_cursor` from an earlier page.
    #[param(max_length = 200)]
    cursor: Option<String>,
    /// RFC 3339: only requests received at or after this time.
    #[param(max_length = 64, format = DateTime)]
    since: Option<String>,
}

impl Validate for RequestQuery {
    fn validate(&self) -> ApiResult<()> {
        check_limit(self.limit)
    }
}

/// The request log, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/requests",
    tag = "requests",
    params(RequestQuery),
    responses((status = 200, description = "A page of requests and the `next_cursor`", body = Object))
)]
pub async fn list(
    State(app): State<EventsApi>,
    ApiQuery(query): ApiQuery<RequestQuery>,
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
