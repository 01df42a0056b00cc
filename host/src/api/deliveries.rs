//! `/api/v1/deliveries`: what happened to each delivery, with its attempts
//! (status, error, duration, and what the receiver answered).

use super::destinations::DestinationsApi;
use super::extract::{Validate, check_limit};
use super::{ApiError, ApiPath, ApiQuery, ApiResult, page_size, parse_cursor};
use crate::store::outbox::{self, DeliveryFilter};
use crate::store::rfc3339;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Only this destination's deliveries.
    #[param(max_length = 200)]
    destination_id: Option<String>,
    /// Only this event's deliveries.
    #[param(max_length = 200)]
    event_id: Option<String>,
    /// `pending`, `delivered` or `dead`.
    #[param(pattern = "^(pending|delivered|dead)$")]
    state: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 1000, default = 100)]
    limit: Option<i64>,
    /// A `next_cursor` from an earlier page.
    #[param(max_length = 200)]
    cursor: Option<String>,
}

impl Validate for DeliveryQuery {
    fn validate(&self) -> ApiResult<()> {
        if let Some(state) = &self.state
            && !["pending", "delivered", "dead"].contains(&state.as_str())
        {
            return Err(ApiError::invalid("state must be pending, delivered or dead").at("state"));
        }
        check_limit(self.limit)
    }
}

/// The delivery log, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/deliveries",
    tag = "deliveries",
    params(DeliveryQuery),
    responses((status = 200, description = "A page of deliveries and the `next_cursor`", body = Object))
)]
pub async fn list(
    State(app): State<DestinationsApi>,
    ApiQuery(query): ApiQuery<DeliveryQuery>,
) -> ApiResult<Json<Value>> {
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

/// One delivery with its attempt log.
#[utoipa::path(
    get,
    path = "/api/v1/deliveries/{id}",
    tag = "deliveries",
    params(("id" = String, Path, max_length = 200, description = "The delivery's id")),
    responses((status = 200, description = "The delivery with its `attempt_log`", body = Object))
)]
pub async fn show(
    State(app): State<DestinationsApi>,
    ApiPath(id): ApiPath<String>,
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
