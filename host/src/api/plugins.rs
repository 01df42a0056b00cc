//! `/api/v1/plugins`: the loaded adapters with their kept versions, upload
//! (stored in the database, see `Registry::sync_uploads`), rollback to a kept
//! version (see `Registry::rollback`), and shadow runs of a candidate (see
//! `crate::shadow`).

use super::{ApiError, ApiResult, JsonBody};
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
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

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
pub async fn list(State(app): State<PluginsApi>) -> ApiResult<Json<Value>> {
    let catalog = app.sources.catalog();
    let mut history = app.registry.history()?;
    let plugins: Vec<Value> = catalog
        .adapters
        .values()
        .map(|adapter| {
            let versions: Vec<Value> = history
                .remove(&adapter.manifest.name)
                .unwrap_or_default()
                .into_iter()
                .map(|kept| {
                    json!({
                        "version": kept.version,
                        "hash": kept.hash,
                        "first_seen": crate::store::rfc3339(kept.first_seen),
                        "live": kept.hash == adapter.hash,
                    })
                })
                .collect();
            json!({
                "name": adapter.manifest.name,
                "version": adapter.manifest.version,
                "hash": adapter.hash,
                "versions": versions,
            })
        })
        .collect();
    Ok(Json(Value::Array(plugins)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollbackTo {
    /// A kept version or hash; absent: the newest kept version other than
    /// the live one.
    #[serde(default)]
    to: Option<String>,
}

pub async fn rollback(
    State(app): State<PluginsApi>,
    Path(name): Path<String>,
    JsonBody(RollbackTo { to }): JsonBody<RollbackTo>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(
        json!({ "name": name, "version": target.version, "hash": target.hash }),
    ))
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
pub async fn upload(
    State(app): State<PluginsApi>,
    Path(name): Path<String>,
    wasm: Bytes,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(
        json!({ "name": name, "version": adapter.manifest.version, "hash": adapter.hash }),
    ))
}

/// Largest component accepted through the API (componentize-py adapters are
/// about 20 MB).
pub const MAX_COMPONENT: usize = 64 << 20;

/// `PUT` with the `.wasm` as body: validates it and runs it in the shadow of
/// the live adapter of that name; it is kept as a version, so promoting it is
/// `rollback` with `to` set to its version.
pub async fn start_shadow(
    State(app): State<PluginsApi>,
    Path(name): Path<String>,
    wasm: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
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
    let answer = json!({ "name": name, "version": adapter.manifest.version, "hash": adapter.hash });
    app.shadows.start(adapter);
    Ok((StatusCode::CREATED, Json(answer)))
}

pub async fn stop_shadow(
    State(app): State<PluginsApi>,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    if !app.shadows.stop(&name) {
        return Err(ApiError::not_found("shadow"));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct DiffQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

/// The running shadow's counters and the recorded differences (every shadow
/// run of this adapter so far, oldest first; `cursor` pages).
pub async fn shadow(
    State(app): State<PluginsApi>,
    Path(name): Path<String>,
    Query(query): Query<DiffQuery>,
) -> ApiResult<Json<Value>> {
    let running = app.shadows.get(&name).map(|shadow| {
        use std::sync::atomic::Ordering::Relaxed;
        json!({
            "version": shadow.adapter.manifest.version,
            "hash": shadow.adapter.hash,
            "compared": shadow.compared.load(Relaxed),
            "differed": shadow.differed.load(Relaxed),
            "skipped": shadow.skipped.load(Relaxed),
        })
    });
    let after = super::parse_cursor(query.cursor.as_deref())?;
    let differences =
        shadow::differences(&app.db.pool, &name, after, super::page_size(query.limit)).await?;
    let next_cursor = differences.last().map(|d| d["seq"].to_string());
    Ok(Json(json!({
        "shadow": running,
        "differences": differences,
        "next_cursor": next_cursor,
    })))
}
