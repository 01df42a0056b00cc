//! `/api/v1/sources`: create, list, show, change, delete, rotate the key.
//!
//! Secrets are write-only: responses show how many a source has, never them.

use super::{ApiError, ApiResult, JsonBody};
use crate::app::App;
use crate::event_policy::{EventPolicy, UnknownTypes, validate_event_types};
use crate::store::sources::{self, Source};
use crate::store::{new_id, now_ms, rfc3339};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use rand::Rng;
use rand::distr::Alphanumeric;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSource {
    name: String,
    preset: String,
    #[serde(default)]
    secrets: Vec<String>,
    #[serde(default)]
    settings: Option<Value>,
    /// Accepted event types; absent or null accepts all.
    #[serde(default)]
    event_types: Option<Vec<String>>,
    #[serde(default)]
    unknown_types: UnknownTypes,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceChange {
    name: Option<String>,
    enabled: Option<bool>,
    secrets: Option<Vec<String>>,
    settings: Option<Value>,
    /// `null` clears the list (accept all); absent leaves it.
    #[serde(default, deserialize_with = "present")]
    event_types: Option<Option<Vec<String>>>,
    unknown_types: Option<UnknownTypes>,
}

/// Tells an explicit `null` (Some(None)) from an absent field (None).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A webhook key: `wh_` and 32 random alphanumerics (about 190 bits).
pub fn new_key() -> String {
    let random: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    format!("wh_{random}")
}

pub async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    JsonBody(new): JsonBody<NewSource>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if new.name.trim().is_empty() {
        return Err(ApiError::invalid("name must not be empty"));
    }
    let catalog = app.registry.catalog();
    let Some(preset) = catalog.presets.get(&new.preset) else {
        let known: Vec<&String> = catalog.presets.keys().collect();
        return Err(ApiError::invalid(format!(
            "unknown preset {:?}; known presets: {known:?}",
            new.preset
        )));
    };
    let settings = validate_settings(new.settings)?;
    let secrets = validate_secrets(new.secrets)?;
    let policy = EventPolicy {
        event_types: validate_types(new.event_types)?,
        unknown_types: new.unknown_types,
    };
    let now = now_ms();
    let source = Source {
        id: new_id("src"),
        name: new.name,
        preset: preset.name.clone(),
        plugin: preset.adapter.manifest.name.clone(),
        key: new_key(),
        secrets,
        settings,
        policy,
        enabled: true,
        created_at: now,
        updated_at: now,
    };
    sources::insert(&app.db.pool, &source).await?;
    app.reload_sources().await?;
    tracing::info!(source = %source.id, preset = %source.preset, "source created");
    Ok((
        StatusCode::CREATED,
        Json(source_json(&app, &headers, &source)),
    ))
}

pub async fn list(State(app): State<Arc<App>>, headers: HeaderMap) -> ApiResult<Json<Value>> {
    let all = sources::list(&app.db.pool).await?;
    Ok(Json(Value::Array(
        all.iter().map(|s| source_json(&app, &headers, s)).collect(),
    )))
}

pub async fn show(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let source = find(&app, &id).await?;
    Ok(Json(source_json(&app, &headers, &source)))
}

pub async fn update(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<SourceChange>,
) -> ApiResult<Json<Value>> {
    let mut source = find(&app, &id).await?;
    if let Some(name) = change.name {
        if name.trim().is_empty() {
            return Err(ApiError::invalid("name must not be empty"));
        }
        source.name = name;
    }
    if let Some(enabled) = change.enabled {
        source.enabled = enabled;
    }
    if let Some(secrets) = change.secrets {
        source.secrets = validate_secrets(secrets)?;
    }
    if change.settings.is_some() {
        source.settings = validate_settings(change.settings)?;
    }
    if let Some(types) = change.event_types {
        source.policy.event_types = validate_types(types)?;
    }
    if let Some(unknown) = change.unknown_types {
        source.policy.unknown_types = unknown;
    }
    sources::update(&app.db.pool, &source).await?;
    app.reload_sources().await?;
    Ok(Json(source_json(&app, &headers, &source)))
}

pub async fn delete(State(app): State<Arc<App>>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    if !sources::delete(&app.db.pool, &id).await? {
        return Err(ApiError::not_found("source"));
    }
    app.reload_sources().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives the source a new key; the old one answers 404 from now on.
pub async fn rotate_key(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut source = find(&app, &id).await?;
    source.key = new_key();
    sources::update(&app.db.pool, &source).await?;
    app.reload_sources().await?;
    Ok(Json(source_json(&app, &headers, &source)))
}

async fn find(app: &App, id: &str) -> ApiResult<Source> {
    sources::get(&app.db.pool, id)
        .await?
        .ok_or_else(|| ApiError::not_found("source"))
}

fn validate_settings(settings: Option<Value>) -> ApiResult<Value> {
    match settings {
        None => Ok(Value::Object(Default::default())),
        Some(Value::Object(map)) => Ok(Value::Object(map)),
        Some(_) => Err(ApiError::invalid("settings must be a JSON object")),
    }
}

fn validate_types(types: Option<Vec<String>>) -> ApiResult<Option<Vec<String>>> {
    if let Some(types) = &types {
        validate_event_types(types).map_err(ApiError::invalid)?;
    }
    Ok(types)
}

fn validate_secrets(secrets: Vec<String>) -> ApiResult<Vec<String>> {
    if secrets.iter().any(|s| s.trim().is_empty()) {
        return Err(ApiError::invalid("secrets must not be empty strings"));
    }
    Ok(secrets)
}

fn source_json(app: &App, headers: &HeaderMap, source: &Source) -> Value {
    json!({
        "id": source.id,
        "name": source.name,
        "preset": source.preset,
        "plugin": source.plugin,
        "key": source.key,
        "url": webhook_url(app, headers, &source.key),
        "enabled": source.enabled,
        "secret_count": source.secrets.len(),
        "settings": source.settings,
        "event_types": source.policy.event_types,
        "unknown_types": source.policy.unknown_types.as_str(),
        "created_at": rfc3339(source.created_at),
        "updated_at": rfc3339(source.updated_at),
    })
}

/// The URL to paste into the vendor's dashboard.
fn webhook_url(app: &App, headers: &HeaderMap, key: &str) -> String {
    let base = match &app.settings.public_url {
        Some(base) => base.trim_end_matches('/').to_string(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        }
    };
    format!("{base}/webhooks/{key}")
}
