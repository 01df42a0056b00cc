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
use std::collections::BTreeMap;
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
    responses((status = 200, description = "Counts by outcome and each request's", body = ReprocessReport))
)]
pub async fn run(
    State(app): State<Ingest>,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody<Since>,
) -> ApiResult<Json<ReprocessReport>> {
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
    let mut by_outcome: BTreeMap<String, usize> = BTreeMap::new();
    for replay in &replays {
        *by_outcome
            .entry(replay.outcome.as_str().to_string())
            .or_default() += 1;
    }
    Ok(Json(ReprocessReport {
        reprocessed: replays.len(),
        accepted: count(|o| o == LogOutcome::Accepted),
        duplicate: count(|o| o == LogOutcome::Duplicate),
        still_failing: count(LogOutcome::is_quarantined),
        rejected: count(|o| o == LogOutcome::Rejected),
        by_outcome,
        requests: replays,
    }))
}

/// What reprocessing did, by outcome and request by request.
#[derive(Serialize, ToSchema)]
pub struct ReprocessReport {
    /// Quarantined requests run again.
    pub reprocessed: usize,
    pub accepted: usize,
    pub duplicate: usize,
    /// Still failing in the adapter: still quarantined.
    pub still_failing: usize,
    pub rejected: usize,
    /// Runs by outcome (`accepted`, `adapter_failed`, ...).
    pub by_outcome: BTreeMap<String, usize>,
    /// Each request: `request_id`, this run's `run_id`, its `outcome`.
    #[schema(value_type = Vec<Object>)]
    pub requests: Vec<reprocess::Replay>,
}
