//! `GET /api/v1/presets` and `GET /api/v1/presets/{name}`: what an end user
//! can pick, with catalogs and schemas.

use super::{ApiError, ApiPath, ApiResult};
use crate::catalog::{Catalog, PresetEntry};
use crate::source_table::SourceTable;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

/// Every preset with its event catalog and settings schema.
#[utoipa::path(
    get,
    path = "/api/v1/presets",
    tag = "presets",
    responses((status = 200, description = "Every preset, by name", body = [Object]))
)]
pub async fn list(State(sources): State<Arc<SourceTable>>) -> Json<Value> {
    Json(presets_json(&sources))
}

/// One preset, as the list shows it; an unknown name answers 404 with the
/// closest names.
#[utoipa::path(
    get,
    path = "/api/v1/presets/{name}",
    tag = "presets",
    params(("name" = String, Path, max_length = 200, description = "The preset's name")),
    responses((status = 200, description = "The preset", body = Object))
)]
pub async fn show(
    State(sources): State<Arc<SourceTable>>,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let catalog = sources.catalog();
    match catalog.presets.get(&name) {
        Some(preset) => Ok(Json(preset_json(preset))),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("preset {name:?} not found{}", suggestion(&catalog, &name)),
        )),
    }
}

/// `; did you mean "stripe"?` when a loaded preset's name is close to
/// `wanted`, else a pointer to the list (the API's and the CLI's wording of
/// an unknown preset).
pub fn suggestion(catalog: &Catalog, wanted: &str) -> String {
    match crate::suggest::did_you_mean(wanted, catalog.presets.keys().map(String::as_str)) {
        Some(question) => format!("; {question}"),
        None => format!(
            "; GET /api/v1/presets (hookyard presets) lists the {}",
            catalog.presets.len()
        ),
    }
}

/// Every preset of every loaded adapter, sorted by name.
pub fn presets_json(sources: &SourceTable) -> Value {
    sources
        .catalog()
        .presets
        .values()
        .map(preset_json)
        .collect()
}

fn preset_json(preset: &PresetEntry) -> Value {
    let manifest = &preset.adapter.manifest;
    json!({
        "name": preset.name,
        "plugin": manifest.name,
        "version": manifest.version,
        "display_name": preset.display_name,
        "description": preset.description,
        "docs_url": manifest.docs_url,
        "secrets": manifest.secrets,
        "event_types": manifest.event_types,
        "discriminator": manifest.discriminator,
        "settings_schema": manifest.settings_schema,
        "settings": preset.settings,
    })
}
