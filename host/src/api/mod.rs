//! The management API under `/api/v1`: thin handlers over the store.
//!
//! Every route needs `Authorization: Bearer <token>` whose scope covers it
//! ([`access`]: the server's admin token or a named token), and every change
//! is written to the audit log. What a handler receives was parsed and
//! checked by [`extract`]; errors are [`ApiError`], rendered once as
//! `{"error": code, "message": ..., "field": ...}` with the right status. The
//! OpenAPI document ([`openapi`]) is generated from the same routes.

mod access;
mod deliveries;
mod destination_bodies;
mod destinations;
mod error;
mod events;
pub mod extract;
pub mod openapi;
mod plugins;
mod presets;
mod preview;
mod replays;
mod reprocess;
mod requests;
mod secrets;
mod source_bodies;
mod sources;
mod stats;
mod test_event;

use crate::app::App;
use axum::extract::DefaultBodyLimit;
use axum::extract::FromRef;
use axum::http::StatusCode;
use axum::middleware;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub use error::{ApiError, ApiResult, ErrorBody};
pub use extract::{ApiPath, ApiQuery, JsonBody, OptionalJsonBody, Validate};

/// The request bodies the handlers take: clients (the CLI) send these very
/// types, so there is one definition of each.
pub mod bodies {
    pub use super::access::NewToken;
    pub use super::destination_bodies::SubscriptionPreview;
    pub use super::destinations::{DestinationChange, NewDestination};
    pub use super::plugins::RollbackTo;
    pub use super::replays::{ReplayTarget, SourceReplay};
    pub use super::reprocess::Since;
    pub use super::secrets::{Expiry, NewSecret};
    pub use super::sources::{KeyRotation, NewSource, SourceChange};
    pub use super::test_event::TestEvent;
}

/// Every `/api/v1` route with its documentation (see [`openapi`]): the
/// router and the OpenAPI document are built from this one list, so they
/// cannot differ. No state yet and no authorization layer: [`router`] adds it.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(presets::list))
        .routes(routes!(presets::show))
        .routes(routes!(sources::list, sources::create))
        .routes(routes!(sources::show, sources::update, sources::delete))
        .routes(routes!(sources::rotate_key))
        .routes(routes!(reprocess::run))
        .routes(routes!(test_event::send))
        .routes(routes!(plugins::list))
        .routes(routes!(plugins::upload).layer(DefaultBodyLimit::max(plugins::MAX_COMPONENT)))
        .routes(routes!(plugins::rollback))
        .routes(
            routes!(plugins::shadow, plugins::start_shadow, plugins::stop_shadow)
                .layer(DefaultBodyLimit::max(plugins::MAX_COMPONENT)),
        )
        .routes(routes!(secrets::add))
        .routes(routes!(secrets::set_expiry, secrets::remove))
        .routes(routes!(events::list))
        .routes(routes!(events::stream))
        .routes(routes!(events::show))
        .routes(routes!(replays::replay_event))
        .routes(routes!(requests::list))
        .routes(routes!(requests::follow_ups))
        .routes(routes!(destinations::list, destinations::create))
        .routes(routes!(preview::preview))
        .routes(routes!(
            destinations::show,
            destinations::update,
            destinations::delete
        ))
        .routes(routes!(replays::replay_dead))
        .routes(routes!(deliveries::list))
        .routes(routes!(deliveries::show))
        .routes(routes!(replays::replay_source))
        .routes(routes!(access::list_tokens, access::create_token))
        .routes(routes!(access::revoke_token))
        .routes(routes!(access::audit_log))
        .routes(routes!(access::session))
        .routes(routes!(stats::show))
}

/// The management API behind its authorization layer, and the OpenAPI
/// document (served without a token).
pub fn router(app: &App) -> OpenApiRouter<App> {
    routes()
        .route_layer(middleware::from_fn_with_state(
            access::AccessApi::from_ref(app),
            access::authorize,
        ))
        .routes(routes!(openapi::serve))
}

/// A path no route serves: 404 in the API's error format.
pub async fn no_route(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_route",
        format!("no route {method} {}", uri.path()),
    )
}

/// A route that does not take this method: 405 in the API's error format.
pub async fn no_method(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} does not take {method}", uri.path()),
    )
}

/// Page size for list endpoints: `limit` (checked by the query's
/// [`Validate`]: 1..=1000), [`extract::DEFAULT_LIMIT`] when absent.
fn page_size(limit: Option<i64>) -> i64 {
    limit.unwrap_or(extract::DEFAULT_LIMIT)
}

/// The sequence number behind an opaque `cursor` (0 when absent).
pub(crate) fn parse_cursor(cursor: Option<&str>) -> ApiResult<i64> {
    match parse_position::<i64>(cursor)? {
        None => Ok(0),
        Some(seq) if seq >= 0 => Ok(seq),
        Some(_) => Err(bad_cursor()),
    }
}

/// The position behind an opaque `cursor`; `None` when absent or empty.
pub(crate) fn parse_position<T: std::str::FromStr>(cursor: Option<&str>) -> ApiResult<Option<T>> {
    match cursor {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| bad_cursor()),
    }
}

/// A `since` filter of a list: an RFC 3339 time, as milliseconds.
pub(crate) fn parse_since(since: Option<&str>) -> ApiResult<Option<i64>> {
    since
        .map(|text| {
            chrono::DateTime::parse_from_rfc3339(text)
                .map(|time| time.timestamp_millis())
                .map_err(|e| {
                    ApiError::invalid(format!(
                        "since must be an RFC 3339 time such as 2026-01-31T12:00:00Z: {e}"
                    ))
                    .at("since")
                })
        })
        .transpose()
}

fn bad_cursor() -> ApiError {
    ApiError::invalid("cursor must be a value returned as next_cursor").at("cursor")
}
