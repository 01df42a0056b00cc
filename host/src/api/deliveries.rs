//! `/api/v1/deliveries`: what happened to each delivery, with its attempts
//! (status, error, duration, and what the receiver answered).

use super::destinations::DestinationsApi;
use super::extract::{Validate, check_limit};
use super::{ApiError, ApiPath, ApiQuery, ApiResult, page_size, parse_cursor};
use crate::store::outbox::{self, DeliveryFilter};
use crate::store::rfc3339;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
    responses((status = 200, description = "A page of deliveries and the `next_cursor`", body = DeliveryPage))
)]
pub async fn list(
    State(app): State<DestinationsApi>,
    ApiQuery(query): ApiQuery<DeliveryQuery>,
) -> ApiResult<Json<DeliveryPage>> {
    let filter = DeliveryFilter {
        destination_id: query.destination_id,
        event_id: query.event_id,
        state: query.state,
        after_seq: parse_cursor(query.cursor.as_deref())?,
        limit: page_size(query.limit),
    };
    let rows = outbox::list(&app.db.pool, &filter).await?;
    let next_cursor = rows.last().map(|r| r.seq.to_string());
    Ok(Json(DeliveryPage {
        data: rows.iter().map(delivery_view).collect(),
        next_cursor,
    }))
}

/// One delivery with its attempt log.
#[utoipa::path(
    get,
    path = "/api/v1/deliveries/{id}",
    tag = "deliveries",
    params(("id" = String, Path, max_length = 200, description = "The delivery's id")),
    responses((status = 200, description = "The delivery with its `attempt_log`", body = DeliveryDetail))
)]
pub async fn show(
    State(app): State<DestinationsApi>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DeliveryDetail>> {
    let row = outbox::get(&app.db.pool, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("delivery"))?;
    let attempt_log = outbox::attempts(&app.db.pool, &id)
        .await?
        .into_iter()
        .map(|a| AttemptView {
            attempt: a.attempt,
            started_at: rfc3339(a.started_at),
            duration_ms: a.duration_us as f64 / 1000.0,
            status: a.status,
            error: a.error,
            response: a.response_status_line.map(|status_line| ReceiverAnswer {
                status_line,
                body: a.response_body,
            }),
        })
        .collect();
    Ok(Json(DeliveryDetail {
        delivery: delivery_view(&row),
        attempt_log,
    }))
}

/// A delivery: one event to one destination.
#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: String,
    pub event_id: String,
    pub destination_id: String,
    /// `pending`, `delivered` or `dead`.
    pub state: String,
    pub attempts: i64,
    /// RFC 3339, while pending.
    pub next_attempt_at: Option<String>,
    pub coalesce_key: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// The last attempt's HTTP status, if it got one.
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    /// RFC 3339.
    pub delivered_at: Option<String>,
}

/// A page of the delivery log.
#[derive(Serialize, ToSchema)]
pub struct DeliveryPage {
    pub data: Vec<DeliveryView>,
    /// Pass it as `cursor` for the next page; `null` when the page is empty.
    pub next_cursor: Option<String>,
}

/// A delivery with every attempt.
#[derive(Serialize, ToSchema)]
pub struct DeliveryDetail {
    #[serde(flatten)]
    pub delivery: DeliveryView,
    pub attempt_log: Vec<AttemptView>,
}

/// One attempt of a delivery.
#[derive(Serialize, ToSchema)]
pub struct AttemptView {
    pub attempt: i64,
    /// RFC 3339.
    pub started_at: String,
    pub duration_ms: f64,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<i64>,
    pub error: Option<String>,
    /// What the receiver answered.
    pub response: Option<ReceiverAnswer>,
}

/// The receiver's answer: its status line and the first KiB of its body.
#[derive(Serialize, ToSchema)]
pub struct ReceiverAnswer {
    pub status_line: String,
    pub body: Option<String>,
}

fn delivery_view(row: &outbox::DeliveryRow) -> DeliveryView {
    DeliveryView {
        id: row.id.clone(),
        event_id: row.event_id.clone(),
        destination_id: row.destination_id.clone(),
        state: row.state.clone(),
        attempts: row.attempts,
        next_attempt_at: (row.state == "pending").then(|| rfc3339(row.due_at)),
        coalesce_key: row.coalesce_key.clone(),
        created_at: rfc3339(row.first_at),
        last_status: row.last_status,
        last_error: row.last_error.clone(),
        delivered_at: row.delivered_at.map(rfc3339),
    }
}
