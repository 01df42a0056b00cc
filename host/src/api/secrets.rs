//! `/api/v1/sources/{id}/secrets`: add a secret (optionally expiring), set or
//! clear a secret's expiry, remove one.
//!
//! This is how a vendor-side secret rotation goes without a rejection: add
//! the new secret (both verify), let the vendor switch, then retire the old
//! one with an expiry (now, or after a grace period) or remove it. Answers
//! show a secret's id, prefix and expiry, never its value.

use super::extract::{MAX_SECRET, Validate, check_len, check_range};
use super::source_bodies::{SecretView, secret_view};
use super::sources::{SourcesApi, find, validate_secret};
use super::{ApiError, ApiPath, ApiResult, JsonBody};
use crate::store::now_ms;
use crate::store::secrets;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A secret added to a source: `POST /api/v1/sources/{id}/secrets`.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSecret {
    #[schema(min_length = 1, max_length = 1024)]
    pub secret: String,
    /// Seconds from now until it stops verifying (at most 10 years); absent: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 315360000)]
    pub expires_in_seconds: Option<u64>,
}

/// `PATCH /api/v1/sources/{id}/secrets/{secret_id}`.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Expiry {
    /// Seconds from now until it stops verifying (0: now; at most 10 years);
    /// `null`: never.
    #[schema(minimum = 0, maximum = 315360000)]
    pub expires_in_seconds: Option<u64>,
}

/// The furthest expiry: ten years.
const MAX_EXPIRY_SECONDS: u64 = 10 * 365 * 24 * 3600;

fn check_expiry(seconds: Option<u64>) -> ApiResult<()> {
    match seconds {
        Some(s) => check_range("expires_in_seconds", s, 0..=MAX_EXPIRY_SECONDS),
        None => Ok(()),
    }
}

impl Validate for NewSecret {
    fn validate(&self) -> ApiResult<()> {
        check_len("secret", &self.secret, MAX_SECRET)?;
        check_expiry(self.expires_in_seconds)
    }
}

impl Validate for Expiry {
    fn validate(&self) -> ApiResult<()> {
        check_expiry(self.expires_in_seconds)
    }
}

/// When a secret expiring in `seconds` (checked: at most ten years) stops.
fn expires_at(seconds: Option<u64>) -> Option<i64> {
    seconds.map(|s| now_ms().saturating_add((s * 1000) as i64))
}

/// Adds a secret to a source (both verify until one is retired).
#[utoipa::path(
    post,
    path = "/api/v1/sources/{id}/secrets",
    tag = "secrets",
    params(("id" = String, Path, max_length = 200, description = "The source's id")),
    request_body = NewSecret,
    responses((status = 201, description = "The secret's id, prefix and expiry", body = SecretView))
)]
pub async fn add(
    State(app): State<SourcesApi>,
    ApiPath(id): ApiPath<String>,
    JsonBody(new): JsonBody<NewSecret>,
) -> ApiResult<(StatusCode, Json<SecretView>)> {
    validate_secret("secret", &new.secret)?;
    let expires_at = expires_at(new.expires_in_seconds);
    let source = find(&app, &id).await?;
    let mut conn = app.db.pool.acquire().await?;
    let info = secrets::add(
        &mut conn,
        &app.master_key,
        &source.id,
        &new.secret,
        expires_at,
    )
    .await?;
    drop(conn);
    app.changes.sources_changed().await?;
    tracing::info!(source = %source.id, secret = %info.id, "secret added");
    Ok((StatusCode::CREATED, Json(secret_view(&info, now_ms()))))
}

/// Sets or clears a secret's expiry.
#[utoipa::path(
    patch,
    path = "/api/v1/sources/{id}/secrets/{secret_id}",
    tag = "secrets",
    params(
        ("id" = String, Path, max_length = 200, description = "The source's id"),
        ("secret_id" = String, Path, max_length = 200, description = "The secret's id")
    ),
    request_body = Expiry,
    responses((status = 200, description = "The secret's id, prefix and expiry", body = SecretView))
)]
pub async fn set_expiry(
    State(app): State<SourcesApi>,
    ApiPath((id, secret_id)): ApiPath<(String, String)>,
    JsonBody(expiry): JsonBody<Expiry>,
) -> ApiResult<Json<SecretView>> {
    let expires_at = expires_at(expiry.expires_in_seconds);
    if !secrets::set_expiry(&app.db.pool, &id, &secret_id, expires_at).await? {
        return Err(ApiError::not_found("secret"));
    }
    app.changes.sources_changed().await?;
    let info = secrets::list(&app.db.pool, &id)
        .await?
        .into_iter()
        .find(|s| s.id == secret_id)
        .ok_or_else(|| ApiError::not_found("secret"))?;
    Ok(Json(secret_view(&info, now_ms())))
}

/// Removes a secret.
#[utoipa::path(
    delete,
    path = "/api/v1/sources/{id}/secrets/{secret_id}",
    tag = "secrets",
    params(
        ("id" = String, Path, max_length = 200, description = "The source's id"),
        ("secret_id" = String, Path, max_length = 200, description = "The secret's id")
    ),
    responses((status = 204, description = "Removed"))
)]
pub async fn remove(
    State(app): State<SourcesApi>,
    ApiPath((id, secret_id)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    if !secrets::remove(&app.db.pool, &id, &secret_id).await? {
        return Err(ApiError::not_found("secret"));
    }
    app.changes.sources_changed().await?;
    Ok(StatusCode::NO_CONTENT)
}
