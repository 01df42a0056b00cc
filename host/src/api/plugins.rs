//! `/api/v1/plugins`: the loaded adapters with their kept versions, upload
//! (stored in the database, see `Registry::sync_uploads`), rollback to a kept
//! version (see `Registry::rollback`), and shadow runs of a candidate (see
//! `crate::shadow`).

use super::extract::{MAX_NAME, Validate, check_len, check_limit};
use super::{ApiError, ApiPath, ApiQuery, ApiResult, JsonBody};
use crate::changes::Change;
use crate::changes::Changes;
use crate::registry::Registry;
use crate::registry::RollbackError;
use crate::shadow;
use crate::shadow::Shadows;
use crate::source_table::SourceTable;
use crate::store::Database;
use crate::store::uploads;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

crate::sub_state! {
    /// What the adapter routes use.
    pub struct PluginsApi {
        db: Database,
        registry: Arc<Registry>,
        sources: Arc<SourceTable>,
        shadows: Arc<Shadows>,
        changes: Arc<Changes>,
    }
}

/// Every adapter serving now, by name, with its kept versions (newest first).
#[utoipa::path(
    get,
    path = "/api/v1/plugins",
    tag = "plugins",
    responses((status = 200, description = "The adapters with their kept versions", body = [PluginView]))
)]
pub async fn list(State(app): State<PluginsApi>) -> ApiResult<Json<Vec<PluginView>>> {
    let catalog = app.sources.catalog();
    let mut history = app.registry.history()?;
    let plugins = catalog
        .adapters
        .values()
        .map(|adapter| PluginView {
            name: adapter.manifest.name.clone(),
            version: adapter.manifest.version.clone(),
            contract: adapter.manifest.contract.to_string(),
            hash: adapter.hash.clone(),
            versions: history
                .remove(&adapter.manifest.name)
                .unwrap_or_default()
                .into_iter()
                .map(|kept| KeptView {
                    live: kept.hash == adapter.hash,
                    version: kept.version,
                    hash: kept.hash,
                    first_seen: crate::store::rfc3339(kept.first_seen),
                })
                .collect(),
        })
        .collect();
    Ok(Json(plugins))
}

/// An adapter serving now, with the versions kept for rollback.
#[derive(Serialize, ToSchema)]
pub struct PluginView {
    pub name: String,
    pub version: String,
    /// The adapter contract it exports: `0.2.0`, or `0.1.0` for an adapter
    /// built before 0.2 (still served).
    pub contract: String,
    /// The component's hash.
    pub hash: String,
    /// Newest first.
    pub versions: Vec<KeptView>,
}

/// A kept version of an adapter.
#[derive(Serialize, ToSchema)]
pub struct KeptView {
    pub version: String,
    pub hash: String,
    /// RFC 3339: when this server first validated it.
    pub first_seen: String,
    /// Whether it is the one serving.
    pub live: bool,
}

/// An adapter version: the one now serving, or the shadow candidate.
#[derive(Serialize, ToSchema)]
pub struct AdapterVersion {
    pub name: String,
    pub version: String,
    pub hash: String,
}

/// `POST /api/v1/plugins/{name}/rollback`.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RollbackTo {
    /// A kept version or hash; absent: the newest kept version other than
    /// the live one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200)]
    pub to: Option<String>,
}

impl Validate for RollbackTo {
    fn validate(&self) -> ApiResult<()> {
        match &self.to {
            Some(to) => check_len("to", to, MAX_NAME),
            None => Ok(()),
        }
    }
}

/// Serves a kept version again; answers once it serves.
#[utoipa::path(
    post,
    path = "/api/v1/plugins/{name}/rollback",
    tag = "plugins",
    params(("name" = String, Path, max_length = 200, description = "The adapter's name")),
    request_body = RollbackTo,
    responses(
        (status = 200, description = "The adapter now serving", body = AdapterVersion),
        (status = 409, description = "No kept version to go to", body = super::ErrorBody)
    )
)]
pub async fn rollback(
    State(app): State<PluginsApi>,
    ApiPath(name): ApiPath<String>,
    JsonBody(RollbackTo { to }): JsonBody<RollbackTo>,
) -> ApiResult<Json<AdapterVersion>> {
    let target = match app.registry.rollback(&name, to.as_deref()).await {
        Ok(target) => target,
        Err(RollbackError::NotLoaded(_)) => return Err(ApiError::not_found("adapter")),
        Err(e @ RollbackError::NoTarget(_)) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "no_version",
                e.to_string(),
            ));
        }
        Err(RollbackError::Failed(e)) => return Err(e.into()),
    };
    // An uploaded adapter follows the database: point the upload at it too.
    let wasm = app.registry.kept_wasm(&target.hash)?;
    uploads::replace_if_uploaded(&app.db.pool, &name, &target.hash, &wasm).await?;
    serve_now(&app, &name, &target.hash, &target.version).await?;
    Ok(Json(AdapterVersion {
        name,
        version: target.version,
        hash: target.hash,
    }))
}

/// Rescans and rebinds (the watcher may have scanned the file first), then
/// checks that `hash` serves as `name`.
async fn serve_now(app: &PluginsApi, name: &str, hash: &str, version: &str) -> ApiResult<()> {
    app.registry.sync_uploads(&app.db.pool).await?;
    app.registry.scan().await?;
    app.sources.reload().await?;
    app.changes.announce(Change::Adapters).await;
    let serving = app
        .sources
        .catalog()
        .adapters
        .get(name)
        .map(|a| a.hash.clone());
    if serving.as_deref() != Some(hash) {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "not_serving",
            format!(
                "{name} {version} was written to the plugins directory but does not serve; see the server log"
            ),
        ));
    }
    Ok(())
}

/// `PUT` with the `.wasm` as body: validates it (422 with the reason if it
/// fails), stores it in the database for every server on it, and answers once
/// it serves here.
#[utoipa::path(
    put,
    path = "/api/v1/plugins/{name}",
    tag = "plugins",
    params(("name" = String, Path, max_length = 200, description = "The adapter's name")),
    request_body(content = super::openapi::Binary, content_type = "application/octet-stream", description = "The component (`.wasm`)"),
    responses((status = 200, description = "The adapter now serving", body = AdapterVersion))
)]
pub async fn upload(
    State(app): State<PluginsApi>,
    ApiPath(name): ApiPath<String>,
    wasm: Bytes,
) -> ApiResult<Json<AdapterVersion>> {
    let adapter = app
        .registry
        .candidate(&wasm)
        .await
        .map_err(|e| ApiError::invalid(format!("adapter rejected: {e:#}")))?;
    if adapter.manifest.name != name {
        return Err(ApiError::invalid(format!(
            "the component is adapter {:?}, not {name:?}",
            adapter.manifest.name
        )));
    }
    uploads::put(&app.db.pool, &name, &adapter.hash, &wasm).await?;
    tracing::info!(adapter = %name, version = %adapter.manifest.version, hash = %adapter.hash, "adapter uploaded");
    serve_now(&app, &name, &adapter.hash, &adapter.manifest.version).await?;
    Ok(Json(AdapterVersion {
        name,
        version: adapter.manifest.version.clone(),
        hash: adapter.hash.clone(),
    }))
}

/// Largest component accepted through the API (componentize-py adapters are
/// about 20 MB).
pub const MAX_COMPONENT: usize = 64 << 20;

/// `PUT` with the `.wasm` as body: validates it and runs it in the shadow of
/// the live adapter of that name; it is kept as a version, so promoting it is
/// `rollback` with `to` set to its version.
#[utoipa::path(
    put,
    path = "/api/v1/plugins/{name}/shadow",
    tag = "plugins",
    params(("name" = String, Path, max_length = 200, description = "The adapter's name")),
    request_body(content = super::openapi::Binary, content_type = "application/octet-stream", description = "The candidate component (`.wasm`)"),
    responses((status = 201, description = "The candidate now in shadow", body = AdapterVersion))
)]
pub async fn start_shadow(
    State(app): State<PluginsApi>,
    ApiPath(name): ApiPath<String>,
    wasm: Bytes,
) -> ApiResult<(StatusCode, Json<AdapterVersion>)> {
    if !app.sources.catalog().adapters.contains_key(&name) {
        return Err(ApiError::not_found("adapter"));
    }
    let adapter = app
        .registry
        .candidate(&wasm)
        .await
        .map_err(|e| ApiError::invalid(format!("candidate rejected: {e:#}")))?;
    if adapter.manifest.name != name {
        return Err(ApiError::invalid(format!(
            "the component is adapter {:?}, not {name:?}",
            adapter.manifest.name
        )));
    }
    tracing::info!(adapter = %name, version = %adapter.manifest.version, hash = %adapter.hash, "shadow started");
    let answer = AdapterVersion {
        name,
        version: adapter.manifest.version.clone(),
        hash: adapter.hash.clone(),
    };
    app.shadows.start(adapter);
    Ok((StatusCode::CREATED, Json(answer)))
}

/// Ends the shadow run.
#[utoipa::path(
    delete,
    path = "/api/v1/plugins/{name}/shadow",
    tag = "plugins",
    params(("name" = String, Path, max_length = 200, description = "The adapter's name")),
    responses((status = 204, description = "Ended"))
)]
pub async fn stop_shadow(
    State(app): State<PluginsApi>,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<StatusCode> {
    if !app.shadows.stop(&name) {
        return Err(ApiError::not_found("shadow"));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// A `next_cursor` from an earlier page.
    #[param(max_length = 200)]
    cursor: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 1000, default = 100)]
    limit: Option<i64>,
}

impl Validate for DiffQuery {
    fn validate(&self) -> ApiResult<()> {
        check_limit(self.limit)
    }
}

/// The running shadow's counters and the recorded differences (every shadow
/// run of this adapter so far, oldest first; `cursor` pages).
#[utoipa::path(
    get,
    path = "/api/v1/plugins/{name}/shadow",
    tag = "plugins",
    params(("name" = String, Path, max_length = 200, description = "The adapter's name"), DiffQuery),
    responses((status = 200, description = "The running shadow's counts and the differences", body = ShadowReport))
)]
pub async fn shadow(
    State(app): State<PluginsApi>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> ApiResult<Json<ShadowReport>> {
    let running = app.shadows.get(&name).map(|shadow| {
        use std::sync::atomic::Ordering::Relaxed;
        ShadowCounts {
            version: shadow.adapter.manifest.version.clone(),
            hash: shadow.adapter.hash.clone(),
            compared: shadow.compared.load(Relaxed),
            differed: shadow.differed.load(Relaxed),
            skipped: shadow.skipped.load(Relaxed),
        }
    });
    let after = super::parse_cursor(query.cursor.as_deref())?;
    let differences =
        shadow::differences(&app.db.pool, &name, after, super::page_size(query.limit)).await?;
    let next_cursor = differences.last().map(|d| d["seq"].to_string());
    Ok(Json(ShadowReport {
        shadow: running,
        differences,
        next_cursor,
    }))
}

/// A shadow run and the differences it recorded.
#[derive(Serialize, ToSchema)]
pub struct ShadowReport {
    /// The running shadow; `null` when none runs.
    pub shadow: Option<ShadowCounts>,
    /// Each call whose answer differed from the live adapter's, oldest first.
    #[schema(value_type = Vec<Object>)]
    pub differences: Vec<Value>,
    /// Pass it as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// The candidate in shadow and its counters.
#[derive(Serialize, ToSchema)]
pub struct ShadowCounts {
    pub version: String,
    pub hash: String,
    /// Calls run through both.
    pub compared: u64,
    /// Calls whose answers differed.
    pub differed: u64,
    /// Calls not compared.
    pub skipped: u64,
}
