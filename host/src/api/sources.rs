//! `/api/v1/sources`: create, list, show, change, delete, rotate the key.
//!
//! Secrets are write-only: responses show each one's id, prefix and expiry,
//! never its value (see `secrets` for adding and retiring them one by one).

use super::extract::Validate;
pub use super::source_bodies::{NewSource, SourceChange};
use super::source_bodies::{SecretView, secret_view};
use super::{ApiError, ApiPath, ApiResult, JsonBody, OptionalJsonBody};
use crate::app::Settings;
use crate::changes::Changes;
use crate::event_policy::{EventPolicy, UnknownTypes, validate_event_types};
use crate::limits::Limits;
use crate::registry::Registry;
use crate::sealing::MasterKey;
use crate::source_table::SourceTable;
use crate::store::Database;
use crate::store::retention::SourceRetention;
use crate::store::sources::{self, Source};
use crate::store::{new_id, now_ms, rfc3339, secrets};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;
use utoipa::ToSchema;

crate::sub_state! {
    /// What the source and secret routes use.
    pub struct SourcesApi {
        db: Database,
        master_key: Arc<MasterKey>,
        sources: Arc<SourceTable>,
        changes: Arc<Changes>,
        registry: Arc<Registry>,
        settings: Arc<Settings>,
    }
}

/// A webhook key: `wh_` and 32 random alphanumerics (about 190 bits).
pub fn new_key() -> String {
    crate::store::random_token("wh", 32)
}

/// Creates a source; answers it with its `key` and `url`.
#[utoipa::path(
    post,
    path = "/api/v1/sources",
    tag = "sources",
    request_body = NewSource,
    responses((status = 201, description = "The source, with its key and webhook URL", body = SourceView))
)]
pub async fn create(
    State(app): State<SourcesApi>,
    headers: HeaderMap,
    JsonBody(new): JsonBody<NewSource>,
) -> ApiResult<(StatusCode, Json<SourceView>)> {
    let catalog = app.sources.catalog();
    let Some(preset) = catalog.presets.get(&new.preset) else {
        return Err(ApiError::invalid(format!(
            "unknown preset {:?}{}",
            new.preset,
            super::presets::suggestion(&catalog, &new.preset)
        ))
        .at("preset"));
    };
    let settings = validate_settings(new.settings)?;
    check_settings(&preset.adapter.manifest, &preset.settings, &settings)?;
    let secrets = validate_secrets(new.secrets)?;
    if new.enabled && secrets.is_empty() {
        needs_no_secret(&preset.adapter.manifest, &preset.name)?;
    }
    let policy = EventPolicy {
        event_types: validate_types(new.event_types)?,
        unknown_types: new.unknown_types,
    };
    let plugin = preset.adapter.manifest.name.clone();
    validate_pin(&app, &plugin, new.adapter_version.as_deref())?;
    new.limits
        .validate()
        .map_err(|e| ApiError::invalid(e).at("limits"))?;
    new.retention
        .validate()
        .map_err(|e| ApiError::invalid(e).at("retention"))?;
    let now = now_ms();
    let source = Source {
        id: new_id("src"),
        name: new.name,
        preset: preset.name.clone(),
        plugin,
        key: new_key(),
        previous_key: None,
        settings,
        policy,
        adapter_version: new.adapter_version,
        limits: new.limits,
        retention: new.retention,
        enabled: new.enabled,
        created_at: now,
        updated_at: now,
    };
    let mut tx = app.db.pool.begin().await?;
    sources::insert(&mut *tx, &source).await?;
    secrets::replace(&mut tx, &app.master_key, &source.id, &secrets).await?;
    tx.commit().await?;
    app.changes.sources_changed().await?;
    tracing::info!(source = %source.id, preset = %source.preset, "source created");
    Ok((
        StatusCode::CREATED,
        Json(source_json(&app, &headers, &source).await?),
    ))
}

/// Every source.
#[utoipa::path(
    get,
    path = "/api/v1/sources",
    tag = "sources",
    responses((status = 200, description = "Every source", body = [SourceView]))
)]
pub async fn list(
    State(app): State<SourcesApi>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<SourceView>>> {
    let mut all = Vec::new();
    for source in sources::list(&app.db.pool).await? {
        all.push(source_json(&app, &headers, &source).await?);
    }
    Ok(Json(all))
}

/// One source.
#[utoipa::path(
    get,
    path = "/api/v1/sources/{id}",
    tag = "sources",
    params(("id" = String, Path, max_length = 200, description = "The source's id")),
    responses((status = 200, description = "The source", body = SourceView))
)]
pub async fn show(
    State(app): State<SourcesApi>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<SourceView>> {
    let source = find(&app, &id).await?;
    Ok(Json(source_json(&app, &headers, &source).await?))
}

/// Changes a source: the fields present, the others stay.
#[utoipa::path(
    patch,
    path = "/api/v1/sources/{id}",
    tag = "sources",
    params(("id" = String, Path, max_length = 200, description = "The source's id")),
    request_body = SourceChange,
    responses((status = 200, description = "The source as changed", body = SourceView))
)]
pub async fn update(
    State(app): State<SourcesApi>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    JsonBody(change): JsonBody<SourceChange>,
) -> ApiResult<Json<SourceView>> {
    let mut source = find(&app, &id).await?;
    if let Some(name) = change.name {
        source.name = name;
    }
    if let Some(enabled) = change.enabled {
        source.enabled = enabled;
    }
    let secrets = change.secrets.map(validate_secrets).transpose()?;
    let catalog = app.sources.catalog();
    let preset = catalog.presets.get(&source.preset);
    if change.settings.is_some() {
        source.settings = validate_settings(change.settings)?;
        if let Some(preset) = preset {
            check_settings(&preset.adapter.manifest, &preset.settings, &source.settings)?;
        }
    }
    if source.enabled
        && let Some(preset) = preset
    {
        let active = match &secrets {
            Some(secrets) => secrets.len(),
            None => active_secrets(&app, &source.id).await?,
        };
        if active == 0 {
            needs_no_secret(&preset.adapter.manifest, &preset.name)?;
        }
    }
    if let Some(types) = change.event_types {
        source.policy.event_types = validate_types(types)?;
    }
    if let Some(unknown) = change.unknown_types {
        source.policy.unknown_types = unknown;
    }
    if let Some(pin) = change.adapter_version {
        validate_pin(&app, &source.plugin, pin.as_deref())?;
        source.adapter_version = pin;
    }
    if let Some(limits) = change.limits {
        limits
            .validate()
            .map_err(|e| ApiError::invalid(e).at("limits"))?;
        source.limits = limits;
    }
    if let Some(retention) = change.retention {
        retention
            .validate()
            .map_err(|e| ApiError::invalid(e).at("retention"))?;
        source.retention = retention;
    }
    let mut tx = app.db.pool.begin().await?;
    sources::update(&mut *tx, &source).await?;
    if let Some(secrets) = secrets {
        secrets::replace(&mut tx, &app.master_key, &source.id, &secrets).await?;
    }
    tx.commit().await?;
    app.changes.sources_changed().await?;
    Ok(Json(source_json(&app, &headers, &source).await?))
}

/// Deletes a source; its URL answers 404 from now on.
#[utoipa::path(
    delete,
    path = "/api/v1/sources/{id}",
    tag = "sources",
    params(("id" = String, Path, max_length = 200, description = "The source's id")),
    responses((status = 204, description = "Deleted"))
)]
pub async fn delete(
    State(app): State<SourcesApi>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    if !sources::delete(&app.db.pool, &id).await? {
        return Err(ApiError::not_found("source"));
    }
    app.changes.sources_changed().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/sources/{id}/rotate-key`; the body is optional.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct KeyRotation {
    /// How long the old key keeps working, at most a year; 0 or absent: it
    /// stops at once.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 31536000)]
    pub grace_seconds: u64,
}

/// The longest grace period of an old key: a year.
const MAX_GRACE_SECONDS: u64 = 365 * 24 * 3600;

impl Validate for KeyRotation {
    fn validate(&self) -> ApiResult<()> {
        super::extract::check_range("grace_seconds", self.grace_seconds, 0..=MAX_GRACE_SECONDS)
    }
}

/// Gives the source a new key; the old one answers 404 from now on, or after
/// `grace_seconds` (a key still in grace from an earlier rotation stops now).
#[utoipa::path(
    post,
    path = "/api/v1/sources/{id}/rotate-key",
    tag = "sources",
    params(("id" = String, Path, max_length = 200, description = "The source's id")),
    request_body(content = KeyRotation, description = "Optional: without a body the old key stops at once"),
    responses((status = 200, description = "The source with its new key", body = SourceView))
)]
pub async fn rotate_key(
    State(app): State<SourcesApi>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    OptionalJsonBody(rotation): OptionalJsonBody<KeyRotation>,
) -> ApiResult<Json<SourceView>> {
    let grace_ms = (rotation.grace_seconds * 1000) as i64;
    let mut source = find(&app, &id).await?;
    let old_key = std::mem::replace(&mut source.key, new_key());
    source.previous_key = (grace_ms > 0).then(|| (old_key, now_ms().saturating_add(grace_ms)));
    sources::update(&app.db.pool, &source).await?;
    app.changes.sources_changed().await?;
    Ok(Json(source_json(&app, &headers, &source).await?))
}

pub(super) async fn find(app: &SourcesApi, id: &str) -> ApiResult<Source> {
    sources::get(&app.db.pool, id)
        .await?
        .ok_or_else(|| ApiError::not_found("source"))
}

/// The source's settings over its preset's, against the adapter's schema.
fn check_settings(
    manifest: &crate::runtime::Manifest,
    preset_settings: &Value,
    own: &Value,
) -> ApiResult<()> {
    let mut merged = preset_settings.clone();
    crate::source_table::merge(&mut merged, own);
    manifest
        .check_settings(&merged)
        .map_err(|e| ApiError::invalid(e).at("settings"))
}

/// Refuses an enabled source without a secret when its preset needs one:
/// it would answer 401 to every request.
pub(super) fn needs_no_secret(manifest: &crate::runtime::Manifest, preset: &str) -> ApiResult<()> {
    let Some(spec) = manifest.secrets.iter().find(|s| s.required) else {
        return Ok(());
    };
    Err(ApiError::invalid(format!(
        "preset {preset} needs a secret ({}: {}); without one every request is refused. \
         Pass it in `secrets` (`--secret` on the command line), or keep the source disabled \
         (`enabled: false`) until you add one",
        spec.label, spec.help
    )))
}

/// How many of the source's secrets verify now.
pub(super) async fn active_secrets(app: &SourcesApi, source_id: &str) -> ApiResult<usize> {
    let now = now_ms();
    Ok(secrets::list(&app.db.pool, source_id)
        .await?
        .iter()
        .filter(|s| s.active_at(now))
        .count())
}

fn validate_settings(settings: Option<Value>) -> ApiResult<Value> {
    match settings {
        None => Ok(Value::Object(Default::default())),
        Some(Value::Object(map)) => Ok(Value::Object(map)),
        Some(_) => Err(ApiError::invalid("settings must be a JSON object").at("settings")),
    }
}

fn validate_types(types: Option<Vec<String>>) -> ApiResult<Option<Vec<String>>> {
    if let Some(types) = &types {
        validate_event_types(types).map_err(|e| ApiError::invalid(e).at("event_types"))?;
    }
    Ok(types)
}

/// A pin must name a version the server keeps (`hookyard plugin list`).
fn validate_pin(app: &SourcesApi, plugin: &str, version: Option<&str>) -> ApiResult<()> {
    let Some(version) = version else {
        return Ok(());
    };
    let kept = app.registry.history()?.remove(plugin).unwrap_or_default();
    if !kept.iter().any(|v| v.version == version) {
        let known: Vec<&str> = kept.iter().map(|v| v.version.as_str()).collect();
        return Err(ApiError::invalid(format!(
            "no kept version {version:?} of {plugin}; kept: {known:?}"
        )));
    }
    Ok(())
}

fn validate_secrets(secrets: Vec<String>) -> ApiResult<Vec<String>> {
    secrets
        .iter()
        .try_for_each(|s| validate_secret("secrets", s))?;
    Ok(secrets)
}

pub(super) fn validate_secret(field: &str, secret: &str) -> ApiResult<()> {
    if secret.trim().is_empty() {
        return Err(ApiError::invalid("secrets must not be empty strings").at(field));
    }
    Ok(())
}

/// A source as answers show it: its secrets' ids and prefixes, never values.
#[derive(Serialize, ToSchema)]
pub struct SourceView {
    pub id: String,
    pub name: String,
    pub preset: String,
    /// The adapter that serves it.
    pub plugin: String,
    /// The webhook key: the secret part of `url`.
    pub key: String,
    /// The URL to paste into the vendor's dashboard.
    pub url: String,
    pub enabled: bool,
    /// Secrets that verify now.
    pub secret_count: usize,
    pub secrets: Vec<SecretView>,
    /// RFC 3339: until when the previous key still works, after a rotation.
    pub previous_key_expires_at: Option<String>,
    /// The source's own settings (over the preset's).
    #[schema(value_type = Object)]
    pub settings: Value,
    /// Accepted event types; `null`: all.
    pub event_types: Option<Vec<String>>,
    pub unknown_types: UnknownTypes,
    /// The kept adapter version it stays on; `null`: the latest.
    pub adapter_version: Option<String>,
    /// Its own limits (over the server's).
    pub limits: Limits,
    /// Its own retention in days (over the server's).
    pub retention: SourceRetention,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

async fn source_json(
    app: &SourcesApi,
    headers: &HeaderMap,
    source: &Source,
) -> ApiResult<SourceView> {
    let secrets = secrets::list(&app.db.pool, &source.id).await?;
    let now = now_ms();
    Ok(SourceView {
        id: source.id.clone(),
        name: source.name.clone(),
        preset: source.preset.clone(),
        plugin: source.plugin.clone(),
        key: source.key.clone(),
        url: webhook_url(app, headers, &source.key),
        enabled: source.enabled,
        secret_count: secrets.iter().filter(|s| s.active_at(now)).count(),
        secrets: secrets.iter().map(|s| secret_view(s, now)).collect(),
        previous_key_expires_at: source
            .previous_key
            .as_ref()
            .filter(|&&(_, until)| now < until)
            .map(|&(_, until)| rfc3339(until)),
        settings: source.settings.clone(),
        event_types: source.policy.event_types.clone(),
        unknown_types: source.policy.unknown_types,
        adapter_version: source.adapter_version.clone(),
        limits: source.limits.clone(),
        retention: source.retention.clone(),
        created_at: rfc3339(source.created_at),
        updated_at: rfc3339(source.updated_at),
    })
}

/// The URL to paste into the vendor's dashboard.
fn webhook_url(app: &SourcesApi, headers: &HeaderMap, key: &str) -> String {
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
