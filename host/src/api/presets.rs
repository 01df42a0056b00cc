//! `GET /api/v1/presets`: what an end user can pick, with catalogs and schemas.

use crate::app::App;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use std::sync::Arc;

pub async fn list(State(app): State<Arc<App>>) -> Json<Value> {
    Json(presets_json(&app))
}

/// Every preset of every loaded adapter, sorted by name.
pub fn presets_json(app: &App) -> Value {
    let catalog = app.catalog();
    let presets: Vec<Value> = catalog
        .presets
        .values()
        .map(|preset| {
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
        })
        .collect();
    Value::Array(presets)
}
