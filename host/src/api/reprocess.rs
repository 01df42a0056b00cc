//! `POST /api/v1/sources/{id}/reprocess`: replay a source's quarantined
//! requests through its current adapter (see `crate::reprocess`).

use super::extract::{Validate, check_len};
use super::{ApiError, ApiPath, ApiResult, JsonBody};
use crate::ingest::Ingest;
use crate::reprocess;
use crate::store::requests::LogOutcome;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// `POST /api/v1/sources/{id}/reprocess`.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Since {
    /// RFC 3339: requests received at or after this time.
    #[schema(max_length = 64, format = DateTime)]
    pub since: String,
}

impl Validate for Since {
    fn validate(&self) -> ApiResult<()> {
        check_len("since", &self.since, 64)
    }
}

/// Replays the source's quarantined requests through its current adapter.
#[utoipa::path(
    post,
    path = "/api/v1/sources/{id}/reprocess",
    tag = "sources",
    params(("id" = String, Path, max_length = 200, description = "The source's id")),
    request_body = Since,
    responses((status = 200, description = "Counts by outcome and each request's", body = Object))
)]
pub async fn run(
    State(app): State<Ingest>,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody<Since>,
) -> ApiResult<Json<Value>> {
    let since = chrono::DateTime::parse_from_rfc3339(&body.since)
        .map_err(|e| {
            ApiError::invalid(format!(
                "since must be an RFC 3339 time such as 2026-01-31T12:00:00Z: {e}"
            ))
            .at("since")
        })?
        .timestamp_millis();
    let replays = reprocess::reprocess(&app, &id, since)
        .await?
        .ok_or_else(|| ApiError::not_found("source"))?;
    let count = |which: fn(LogOutcome) -> bool| replays.iter().filter(|r| which(r.outcome)).count();
    let mut by_outcome = serde_json::Map::new();
    for replay in &replays {
        let n = by_outcome
            .entry(replay.outcome.as_str())
            .or_insert(json!(0));
        *n = json!(n.as_u64().unwrap_or(0) + 1);
    }
    Ok(Json(json!({
        "reprocessed": replays.len(),
        "accepted": count(|o| o == LogOutcome::Accepted),
        "duplicate": count(|o| o == LogOutcome::Duplicate),
        "still_failing": count(LogOutcome::is_quarantined),
        "rejected": count(|o| o == LogOutcome::Rejected),
        "by_outcome": by_outcome,
        "requests": replays,
    })))
}
