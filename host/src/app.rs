//! The server's shared state and the in-memory source table.
//!
//! Ingest must find a source by key without touching the database, so every
//! source lives in memory in a map swapped atomically after each management
//! change. Each entry carries what the request path needs, resolved once: the
//! preset (hence the adapter) and the settings merged over the preset's
//! defaults, already serialized for the adapter.

use crate::event_policy::WarnOnce;
use crate::metrics::Metrics;
use crate::registry::{PresetEntry, Registry};
use crate::store::Database;
use crate::store::sources::{self, Source};
use crate::store::writer::Writer;
use anyhow::Result;
use arc_swap::ArcSwap;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Server settings that the request path and the API consult.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest accepted webhook body.
    pub body_limit: usize,
    /// Base of webhook URLs as vendors see them (`https://hooks.example.com`);
    /// `None` derives it from the request's `Host`.
    pub public_url: Option<String>,
    /// SHA-256 of the admin bearer token.
    pub admin_token_sha256: Vec<u8>,
}

/// A source ready for the request path.
pub struct ActiveSource {
    pub source: Source,
    /// `None` when no loaded adapter offers the source's preset.
    pub preset: Option<PresetEntry>,
    /// The preset's settings with the source's own merged over them.
    pub settings_json: String,
}

pub struct App {
    pub db: Database,
    pub writer: Writer,
    pub registry: Registry,
    pub metrics: Arc<Metrics>,
    pub settings: Settings,
    /// Bounds concurrent adapter calls to the instance pool's size.
    pub adapter_slots: Semaphore,
    /// Unknown event types already logged, per source.
    pub unknown_types_logged: WarnOnce,
    sources: ArcSwap<HashMap<String, Arc<ActiveSource>>>,
}

impl App {
    pub async fn new(
        db: Database,
        writer: Writer,
        registry: Registry,
        metrics: Arc<Metrics>,
        settings: Settings,
        adapter_slots: usize,
    ) -> Result<App> {
        let app = App {
            db,
            writer,
            registry,
            metrics,
            settings,
            adapter_slots: Semaphore::new(adapter_slots),
            unknown_types_logged: WarnOnce::default(),
            sources: ArcSwap::from_pointee(HashMap::new()),
        };
        app.reload_sources().await?;
        Ok(app)
    }

    /// The source whose key this is, if any.
    pub fn source_by_key(&self, key: &str) -> Option<Arc<ActiveSource>> {
        self.sources.load().get(key).cloned()
    }

    /// Rebuilds the in-memory table from the database; call after a change.
    pub async fn reload_sources(&self) -> Result<()> {
        let catalog = self.registry.catalog();
        let table = sources::list(&self.db.pool)
            .await?
            .into_iter()
            .map(|source| {
                let preset = catalog.presets.get(&source.preset).cloned();
                let mut settings = preset
                    .as_ref()
                    .map_or(Value::Object(Default::default()), |p| p.settings.clone());
                merge(&mut settings, &source.settings);
                let active = ActiveSource {
                    settings_json: settings.to_string(),
                    preset,
                    source,
                };
                (active.source.key.clone(), Arc::new(active))
            })
            .collect();
        self.sources.store(Arc::new(table));
        Ok(())
    }
}

/// Overlays `overlay`'s keys onto `base` (one level: settings are flat).
fn merge(base: &mut Value, overlay: &Value) {
    match (base, overlay) {
        (Value::Object(base), Value::Object(overlay)) => {
            for (key, value) in overlay {
                base.insert(key.clone(), value.clone());
            }
        }
        (base, overlay) => *base = overlay.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::merge;
    use serde_json::json;

    #[test]
    fn source_settings_override_preset_defaults() {
        let mut settings = json!({"header_prefix": "svix", "tolerance_seconds": 300});
        merge(&mut settings, &json!({"tolerance_seconds": 60}));
        assert_eq!(
            settings,
            json!({"header_prefix": "svix", "tolerance_seconds": 60})
        );
    }
}
