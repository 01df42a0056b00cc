//! `/api/v1/sources/{id}/secrets`: add a secret (optionally expiring), set or
//! clear a secret's expiry, remove one.
//!
//! This is how a vendor-side secret rotation goes without a rejection: add
//! the new secret (both verify), let the vendor switch, then retire the old
//! one with an expiry (now, or after a grace period) or remove it. Answers
//! show a secret's id, prefix and expiry, never its value.

use super::sources::{SourcesApi, find, validate_secret};
use super::{ApiError, ApiResult, JsonBody};
use crate::store::secrets::{self, SecretInfo};
use crate::store::{now_ms, rfc3339};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSecret {
    secret: String,
    /// Seconds from now until it stops verifying; absent: never.
    expires_in_seconds: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expiry {
    /// Seconds from now until it stops verifying (0: now); `null`: never.
    expires_in_seconds: Option<u64>,
}

pub fn secret_json(secret: &SecretInfo, now: i64) -> Value {
    json!({
        "id": secret.id,
        "prefix": secret.prefix,
        "created_at": rfc3339(secret.created_at),
        "expires_at": secret.expires_at.map(rfc3339),
        "active": secret.active_at(now),
    })
}

fn expires_at(seconds: Option<u64>) -> ApiResult<Option<i64>> {
    seconds
        .map(|s| {
            i64::try_from(s.saturating_mul(1000))
                .map(|ms| now_ms().saturating_add(ms))
                .map_err(|_| ApiError::invalid("expires_in_seconds is too large"))
        })
        .transpose()
}

pub async fn add(
    State(app): State<SourcesApi>,
    Path(id): Path<String>,
    JsonBody(new): JsonBody<NewSecret>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    validate_secret(&new.secret)?;
    let expires_at = expires_at(new.expires_in_seconds)?;
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
    Ok((StatusCode::CREATED, Json(secret_json(&info, now_ms()))))
}

pub async fn set_expiry(
    State(app): State<SourcesApi>,
    Path((id, secret_id)): Path<(String, String)>,
    JsonBody(expiry): JsonBody<Expiry>,
) -> ApiResult<Json<Value>> {
    let expires_at = expires_at(expiry.expires_in_seconds)?;
    if !secrets::set_expiry(&app.db.pool, &id, &secret_id, expires_at).await? {
        return Err(ApiError::not_found("secret"));
    }
    app.changes.sources_changed().await?;
    let info = secrets::list(&app.db.pool, &id)
        .await?
        .into_iter()
        .find(|s| s.id == secret_id)
        .ok_or_else(|| ApiError::not_found("secret"))?;
    Ok(Json(secret_json(&info, now_ms())))
}

pub async fn remove(
    State(app): State<SourcesApi>,
    Path((id, secret_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    if !secrets::remove(&app.db.pool, &id, &secret_id).await? {
        return Err(ApiError::not_found("secret"));
    }
    app.changes.sources_changed().await?;
    Ok(StatusCode::NO_CONTENT)
}
