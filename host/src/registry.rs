//! The loaded adapters and the presets they offer, behind one atomic pointer.
//!
//! Requests read the current [`Catalog`] without locking (`ArcSwap::load`); a
//! reload builds a whole new catalog and swaps it in, so a request in flight
//! keeps the adapter it started with. Presets are what end users pick: an
//! adapter offers one preset per entry of its manifest's `presets`, or one
//! named after itself when it lists none.

use crate::runtime::{LoadedAdapter, Runtime};
use anyhow::Result;
use arc_swap::ArcSwap;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// A preset: an adapter plus default settings.
#[derive(Clone)]
pub struct PresetEntry {
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub adapter: Arc<LoadedAdapter>,
    /// Defaults merged under each source's own settings.
    pub settings: Value,
}

/// One consistent view of every adapter and preset.
#[derive(Default)]
pub struct Catalog {
    pub adapters: BTreeMap<String, Arc<LoadedAdapter>>,
    pub presets: BTreeMap<String, PresetEntry>,
}

impl Catalog {
    fn build(adapters: BTreeMap<String, Arc<LoadedAdapter>>) -> Catalog {
        let mut presets = BTreeMap::new();
        for adapter in adapters.values() {
            let manifest = &adapter.manifest;
            if manifest.presets.is_empty() {
                presets.insert(
                    manifest.name.clone(),
                    PresetEntry {
                        name: manifest.name.clone(),
                        display_name: manifest.display_name.clone(),
                        description: manifest.description.clone(),
                        adapter: adapter.clone(),
                        settings: Value::Object(Default::default()),
                    },
                );
            }
            for preset in &manifest.presets {
                if let Some(owner) = presets.get(&preset.name) {
                    tracing::warn!(
                        preset = %preset.name,
                        "preset offered by both {} and {}; keeping the first",
                        owner.adapter.manifest.name,
                        manifest.name
                    );
                    continue;
                }
                presets.insert(
                    preset.name.clone(),
                    PresetEntry {
                        name: preset.name.clone(),
                        display_name: preset.display_name.clone(),
                        description: preset.description.clone(),
                        adapter: adapter.clone(),
                        settings: preset.settings.clone(),
                    },
                );
            }
        }
        Catalog { adapters, presets }
    }
}

pub struct Registry {
    current: ArcSwap<Catalog>,
}

impl Registry {
    /// Loads every `*.wasm` file of `dir`. A file that fails to load is logged
    /// and skipped: one broken adapter must not keep the others from serving.
    pub async fn load_dir(runtime: &Arc<Runtime>, dir: &Path) -> Result<Registry> {
        let mut adapters = BTreeMap::new();
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| anyhow::anyhow!("reading plugins directory {}: {e}", dir.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|ext| ext == "wasm"))
            .collect();
        paths.sort();
        for path in paths {
            match runtime.load_file(&path).await {
                Ok(adapter) => {
                    let name = adapter.manifest.name.clone();
                    tracing::info!(adapter = %name, version = %adapter.manifest.version, file = %path.display(), "adapter loaded");
                    if adapters.insert(name.clone(), adapter).is_some() {
                        tracing::warn!(adapter = %name, "two files declare this adapter; the later file ({}) wins", path.display());
                    }
                }
                Err(e) => tracing::error!(file = %path.display(), "adapter rejected: {e:#}"),
            }
        }
        Ok(Registry {
            current: ArcSwap::from_pointee(Catalog::build(adapters)),
        })
    }

    pub fn catalog(&self) -> Arc<Catalog> {
        self.current.load_full()
    }
}
