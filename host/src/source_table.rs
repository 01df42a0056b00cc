//! The in-memory source table: what the request path finds a source by.
//!
//! Ingest must find a source by key without touching the database, so every
//! source lives in memory in a map swapped atomically after each management
//! change and each adapter swap (see `watcher`). Each entry carries what the
//! request path needs, resolved once: the preset (hence the adapter, or the
//! pinned version), the settings merged over the preset's defaults, already
//! serialized for the adapter, its secrets opened (the only place they are in
//! clear) with their expiry, and the guards enforcing its limits (kept across
//! reloads while the limits stay the same). A key rotated with a grace period
//! maps to the same entry until the grace ends.

use crate::catalog::{Catalog, PresetEntry, presets_of};
use crate::fetch::{FetchScope, Fetcher};
use crate::limits::{Guards, Limits};
use crate::registry::Registry;
use crate::runtime::InstancePool;
use crate::sealing::MasterKey;
use crate::store::sources::{self, Source};
use crate::store::{Database, now_ms, secrets};
use anyhow::Result;
use arc_swap::ArcSwap;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Mutex;

/// A source ready for the request path.
pub struct ActiveSource {
    pub source: Source,
    /// `None` when no loaded adapter offers the source's preset (or the
    /// version it is pinned to is not kept).
    pub preset: Option<PresetEntry>,
    /// The preset's settings with the source's own merged over them.
    pub settings_json: String,
    /// The source's limits over the server's defaults, with their state.
    pub guards: Arc<Guards>,
    /// Newest first, with when each stops verifying (ms; `None`: never).
    secrets: Vec<(String, Option<i64>)>,
    /// Adapter instances that served this source and may serve it again;
    /// a rebuild keeps them only while the adapter, the settings and the
    /// secrets stay the same.
    pub instances: Arc<InstancePool>,
    /// What its adapter may fetch: the adapter's declared origins, or the
    /// source's own (`limits.fetch_origins`); `None` when there are none.
    pub fetch: Option<FetchScope>,
}

impl ActiveSource {
    /// The secrets that verify at `now` (ms), newest first.
    pub fn secrets_at(&self, now: i64) -> Vec<String> {
        self.secrets
            .iter()
            .filter(|(_, expires)| expires.is_none_or(|at| now < at))
            .map(|(value, _)| value.clone())
            .collect()
    }

    /// Whether the source's adapter calls may reuse an instance (its limits
    /// may turn that off; the server's `--adapter-reuse 1` does for all).
    pub fn reuses_instances(&self) -> bool {
        self.guards.limits.reuse_instances != Some(false)
    }
}

/// The source table and the catalog it was bound against, swapped as one, so
/// what the API shows is what requests use.
#[derive(Default)]
struct Serving {
    catalog: Arc<Catalog>,
    sources: HashMap<String, Arc<ActiveSource>>,
}

/// The source table and what it is rebuilt from.
pub struct SourceTable {
    serving: ArcSwap<Serving>,
    /// Serializes rebuilds of `serving`, so the last one to store saw both
    /// the newest database rows and the newest adapter catalog.
    rebuilding: Mutex<()>,
    db: Database,
    registry: Arc<Registry>,
    key: Arc<MasterKey>,
    /// Limits of sources that do not set their own.
    default_limits: Limits,
    /// Fetches keys for the adapters of sources that may.
    fetcher: Arc<Fetcher>,
}

impl SourceTable {
    /// A table built from the database and the registry's catalog now.
    pub async fn new(
        db: Database,
        registry: Arc<Registry>,
        key: Arc<MasterKey>,
        default_limits: Limits,
        fetcher: Arc<Fetcher>,
    ) -> Result<SourceTable> {
        let table = SourceTable {
            fetcher,
            serving: ArcSwap::from_pointee(Serving::default()),
            rebuilding: Mutex::new(()),
            db,
            registry,
            key,
            default_limits,
        };
        table.reload().await?;
        Ok(table)
    }

    /// The adapters and presets the sources are bound to: what serves now.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.serving.load().catalog.clone()
    }

    /// The source whose key this is, if any: its current key, or the
    /// previous one during its grace period.
    pub fn source_by_key(&self, key: &str) -> Option<Arc<ActiveSource>> {
        let active = self.serving.load().sources.get(key).cloned()?;
        match &active.source.previous_key {
            Some((previous, until)) if previous == key && now_ms() >= *until => None,
            _ => Some(active),
        }
    }

    /// The source with this id, if any.
    pub fn source_by_id(&self, id: &str) -> Option<Arc<ActiveSource>> {
        self.serving
            .load()
            .sources
            .values()
            .find(|active| active.source.id == id)
            .cloned()
    }

    /// How many sources' adapters are quarantined at `now` (of one source,
    /// if given): each source's quarantine is its own.
    pub fn quarantined(&self, now: i64, source_id: Option<&str>) -> usize {
        self.serving
            .load()
            .sources
            .values()
            .filter(|active| source_id.is_none_or(|id| active.source.id == id))
            .filter(|active| active.guards.quarantine.until(now).is_some())
            .map(|active| active.source.id.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len()
    }

    /// Rebuilds the in-memory table from the database and the current
    /// adapter catalog; call after a change to either.
    pub async fn reload(&self) -> Result<()> {
        let _rebuilding = self.rebuilding.lock().await;
        let rows = sources::list(&self.db.pool).await?;
        let catalog = self.registry.catalog();
        let old_serving = self.serving.load();
        let previous: HashMap<&str, &ActiveSource> = old_serving
            .sources
            .values()
            .map(|active| (active.source.id.as_str(), active.as_ref()))
            .collect();
        let mut opened: HashMap<String, Vec<(String, Option<i64>)>> = HashMap::new();
        for secret in secrets::open_all(&self.db.pool, &self.key).await? {
            opened
                .entry(secret.info.source_id)
                .or_default()
                .push((secret.value, secret.info.expires_at));
        }
        let mut sources = HashMap::with_capacity(rows.len());
        for source in rows {
            let preset = match &source.adapter_version {
                None => catalog.presets.get(&source.preset).cloned(),
                // Fails closed: requests get 503 and are quarantined.
                Some(version) => match self.registry.pinned(&source.plugin, version).await {
                    Ok(adapter) => adapter.and_then(|adapter| {
                        presets_of(&adapter)
                            .into_iter()
                            .find(|p| p.name == source.preset)
                    }),
                    Err(e) => {
                        tracing::error!(source = %source.id, "loading pinned {} {version}: {e:#}", source.plugin);
                        None
                    }
                },
            };
            let mut settings = preset
                .as_ref()
                .map_or(Value::Object(Default::default()), |p| p.settings.clone());
            merge(&mut settings, &source.settings);
            let limits = source.limits.over(&self.default_limits);
            let hash = |p: &Option<PresetEntry>| p.as_ref().map(|p| p.adapter.hash.clone());
            let guards = match previous.get(source.id.as_str()) {
                Some(old) if old.guards.limits == limits => {
                    // Another adapter version ends the old one's quarantine.
                    if hash(&old.preset) != hash(&preset) {
                        old.guards.quarantine.release();
                    }
                    old.guards.clone()
                }
                _ => Arc::new(Guards::new(limits, self.db.replicated())),
            };
            let settings_json = settings.to_string();
            let secrets = opened.remove(&source.id).unwrap_or_default();
            // Idle instances serve on only for the same adapter, settings
            // and secrets (and while reuse is on for the source).
            let instances = match previous.get(source.id.as_str()) {
                Some(old)
                    if hash(&old.preset) == hash(&preset)
                        && old.settings_json == settings_json
                        && old.secrets == secrets
                        && old.guards.limits.reuse_instances == guards.limits.reuse_instances =>
                {
                    old.instances.clone()
                }
                _ => Arc::default(),
            };
            let fetch = preset.as_ref().and_then(|p| {
                let origins = guards.limits.origins(&p.adapter.manifest.origins);
                (!origins.is_empty()).then(|| FetchScope {
                    fetcher: self.fetcher.clone(),
                    origins: origins.into(),
                })
            });
            let active = Arc::new(ActiveSource {
                fetch,
                settings_json,
                secrets,
                preset,
                source,
                guards,
                instances,
            });
            if let Some((old_key, _)) = &active.source.previous_key {
                sources.insert(old_key.clone(), active.clone());
            }
            sources.insert(active.source.key.clone(), active);
        }
        drop(previous);
        drop(old_serving);
        self.serving.store(Arc::new(Serving { catalog, sources }));
        Ok(())
    }
}

/// Overlays `overlay`'s keys onto `base` (one level: settings are flat).
pub(crate) fn merge(base: &mut Value, overlay: &Value) {
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
