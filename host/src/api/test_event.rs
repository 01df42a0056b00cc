//! `POST /api/v1/sources/{id}/test-event`: a signed test event through the
//! request path ([`crate::test_event`]), answered as the request log has it.

use super::extract::{MAX_NAME, Validate, check_len};
use super::{ApiError, ApiPath, ApiResult, OptionalJsonBody};
use crate::ingest::{Ingest, Outcome};
use crate::store::writer::Stored;
use crate::test_event::{self, Refusal};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What to send: `POST /api/v1/sources/{id}/test-event`.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TestEvent {
    /// A type of the preset's event catalog; the catalog's first when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200)]
    pub event_type: Option<String>,
}

impl Validate for TestEvent {
    fn validate(&self) -> ApiResult<()> {
        match &self.event_type {
            Some(t) => check_len("event_type", t, MAX_NAME),
            None => Ok(()),
        }
    }
}

/// What became of the test event, as the request log has it.
#[derive(Serialize, ToSchema)]
pub struct TestEventResult {
    /// The HTTP status the source's endpoint answered.
    pub status: u16,
    /// The request log's outcome (`accepted`, `duplicate`, `rejected`, ...;
    /// `rate_limited` or `too_many_concurrent` when throttled, not logged).
    pub outcome: String,
    /// Why, in words (the request log's `reason`).
    pub reason: Option<String>,
    /// The request-log row.
    pub request_id: String,
    /// The events stored.
    pub event_ids: Vec<String>,
}

/// Signs a test event with the source's adapter and sends it to the source
/// through the request path; answers what became of it.
#[utoipa::path(
    post,
    path = "/api/v1/sources/{id}/test-event",
    tag = "sources",
    params(("id" = String, Path, max_length = 200, description = "The source's id")),
    request_body = TestEvent,
    responses(
        (status = 200, description = "What became of the request", body = TestEventResult),
        (status = 409, description = "The source has no active secret, or no adapter serves its preset", body = super::ErrorBody),
        (status = 422, description = "The adapter cannot sign, or the type is not in its catalog", body = super::ErrorBody)
    )
)]
pub async fn send(
    State(app): State<Ingest>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    OptionalJsonBody(body): OptionalJsonBody<TestEvent>,
) -> ApiResult<Json<TestEventResult>> {
    let active = app
        .sources
        .source_by_id(&id)
        .ok_or_else(|| ApiError::not_found("source"))?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let sent = test_event::send(&app, &active, body.event_type, host)
        .await
        .map_err(refused)?;
    let outcome = &sent.outcome;
    Ok(Json(TestEventResult {
        status: outcome.status().as_u16(),
        outcome: outcome.label().to_string(),
        reason: outcome.reason(),
        event_ids: match outcome {
            Outcome::Stored(Stored::Accepted(ids)) => ids.clone(),
            _ => Vec::new(),
        },
        request_id: sent.request_id,
    }))
}

/// Why no test event was sent, as the API answers it.
fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NoAdapter(message) => ApiError::new(StatusCode::CONFLICT, "conflict", message),
        Refusal::NoSecret => ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "the source has no active secret: add one to sign with",
        ),
        Refusal::UnknownType(message) => ApiError::invalid(message).at("event_type"),
        Refusal::CannotSign(message) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "cannot_sign", message)
        }
    }
}
