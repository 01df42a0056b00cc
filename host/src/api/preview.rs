//! `POST /api/v1/destinations/preview`: which recent events a subscription
//! (types, sources, filter) would match, with the warning a destination's
//! creation or change answers too when its filter matches none of them
//! ([`crate::delivery::preview`]). Reading only: a `read` token may call it.

use super::destination_bodies::SubscriptionPreview;
use super::destinations::{DestinationsApi, check_sources};
use super::{ApiError, ApiResult, JsonBody};
use crate::delivery::preview;
use crate::delivery::router::Subscription;
use crate::store::rfc3339;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

/// An event the subscription matches.
#[derive(Serialize, ToSchema)]
pub struct MatchedEvent {
    pub id: String,
    pub source_id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    /// RFC 3339.
    pub received_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct PreviewView {
    /// The recent events of the subscribed types and sources looked at (the
    /// newest 200 at most).
    pub examined: usize,
    /// The newest of them the filter selects (20 at most), newest first.
    pub matched: Vec<MatchedEvent>,
    /// Set when the filter selects none of the events examined.
    pub warning: Option<String>,
}

/// Which of the recent events of these types and sources the filter selects.
#[utoipa::path(
    post,
    path = "/api/v1/destinations/preview",
    tag = "destinations",
    request_body = SubscriptionPreview,
    responses((status = 200, description = "What the subscription matches", body = PreviewView))
)]
pub async fn preview(
    State(app): State<DestinationsApi>,
    JsonBody(body): JsonBody<SubscriptionPreview>,
) -> ApiResult<Json<PreviewView>> {
    if let Some(ids) = &body.sources {
        check_sources(&app, ids, "sources").await?;
    }
    let subscription = Subscription::compile(
        &body.types,
        body.sources.as_deref(),
        body.filter.as_deref(),
        None,
    )
    .map_err(ApiError::invalid)?;
    let found =
        preview::preview(&app.db, &body.types, body.sources.as_deref(), &subscription).await?;
    Ok(Json(PreviewView {
        examined: found.examined,
        matched: found
            .matched
            .into_iter()
            .map(|e| MatchedEvent {
                id: e.id,
                source_id: e.source_id,
                event_type: e.event_type,
                received_at: rfc3339(e.received_at),
            })
            .collect(),
        warning: found.warning,
    }))
}
