//! The management API under `/api/v1`: thin handlers over the store.
//!
//! Every route needs `Authorization: Bearer <token>` whose scope covers it
//! ([`access`]: the server's admin token or a named token), and every change
//! is written to the audit log. Errors are [`ApiError`], rendered once as
//! `{"error": code, "message": ...}` with the right status.

mod access;
mod deliveries;
mod destinations;
mod events;
mod plugins;
mod presets;
mod replays;
mod reprocess;
mod requests;
mod secrets;
mod sources;

use crate::app::App;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::FromRef;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use serde_json::json;

pub fn router(app: App) -> Router<App> {
    Router::new()
        .route("/api/v1/presets", get(presets::list))
        .route("/api/v1/presets/{name}", get(presets::show))
        .route("/api/v1/sources", get(sources::list).post(sources::create))
        .route(
            "/api/v1/sources/{id}",
            get(sources::show)
                .patch(sources::update)
                .delete(sources::delete),
        )
        .route("/api/v1/sources/{id}/rotate-key", post(sources::rotate_key))
        .route("/api/v1/sources/{id}/reprocess", post(reprocess::run))
        .route("/api/v1/plugins", get(plugins::list))
        .route(
            "/api/v1/plugins/{name}",
            put(plugins::upload).layer(DefaultBodyLimit::max(plugins::MAX_COMPONENT)),
        )
        .route("/api/v1/plugins/{name}/rollback", post(plugins::rollback))
        .route(
            "/api/v1/plugins/{name}/shadow",
            get(plugins::shadow)
                .put(plugins::start_shadow)
                .delete(plugins::stop_shadow)
                .layer(DefaultBodyLimit::max(plugins::MAX_COMPONENT)),
        )
        .route("/api/v1/sources/{id}/secrets", post(secrets::add))
        .route(
            "/api/v1/sources/{id}/secrets/{secret_id}",
            patch(secrets::set_expiry).delete(secrets::remove),
        )
        .route("/api/v1/events", get(events::list))
        .route("/api/v1/events/stream", get(events::stream))
        .route("/api/v1/events/{id}", get(events::show))
        .route("/api/v1/events/{id}/replay", post(replays::replay_event))
        .route("/api/v1/requests", get(requests::list))
        .route(
            "/api/v1/destinations",
            get(destinations::list).post(destinations::create),
        )
        .route(
            "/api/v1/destinations/{id}",
            get(destinations::show)
                .patch(destinations::update)
                .delete(destinations::delete),
        )
        .route(
            "/api/v1/destinations/{id}/replay-dead",
            post(replays::replay_dead),
        )
        .route("/api/v1/deliveries", get(deliveries::list))
        .route("/api/v1/deliveries/{id}", get(deliveries::show))
        .route("/api/v1/sources/{id}/replay", post(replays::replay_source))
        .route(
            "/api/v1/tokens",
            get(access::list_tokens).post(access::create_token),
        )
        .route("/api/v1/tokens/{id}", delete(access::revoke_token))
        .route("/api/v1/audit", get(access::audit_log))
        .route_layer(middleware::from_fn_with_state(
            access::AccessApi::from_ref(&app),
            access::authorize,
        ))
}

/// An API failure with its HTTP status and a stable error code.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    /// The same error, its message prefixed with what was being done.
    pub fn context(mut self, doing: &str) -> ApiError {
        self.message = format!("{doing}: {}", self.message);
        self
    }
}

/// Any other error (the database's, the store's) is the server's fault: a
/// 500 whose detail goes to the log, not to the caller. So `?` works on
/// every fallible call in a handler.
impl<E: Into<anyhow::Error>> From<E> for ApiError {
    fn from(error: E) -> ApiError {
        let error = error.into();
        tracing::error!("API error: {error:#}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(json!({ "error": self.code, "message": self.message })),
        )
            .into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON request body whose rejections (bad syntax, wrong field types,
/// unknown fields) answer in the API's own error format, with serde's message.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> ApiResult<Self> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(ApiError::new(
                rejection.status(),
                "invalid",
                rejection.body_text(),
            )),
        }
    }
}

/// Page size for list endpoints: `limit` clamped to 1..=1000, default 100.
fn page_size(limit: Option<i64>) -> i64 {
    limit.unwrap_or(100).clamp(1, 1000)
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
                })
        })
        .transpose()
}

fn bad_cursor() -> ApiError {
    ApiError::invalid("cursor must be a value returned as next_cursor")
}
