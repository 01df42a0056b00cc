//! What serves: the loaded adapters by name and the presets they offer.
//!
//! Presets are what end users pick: an adapter offers one preset per entry of
//! its manifest's `presets`, or one named after itself when it lists none.
//! The registry builds a whole new catalog after each scan and swaps it in.

use crate::runtime::LoadedAdapter;
use serde_json::Value;
use std::collections::BTreeMap;
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
    pub(crate) fn build(adapters: BTreeMap<String, Arc<LoadedAdapter>>) -> Catalog {
        let mut presets: BTreeMap<String, PresetEntry> = BTreeMap::new();
        for adapter in adapters.values() {
            for preset in presets_of(adapter) {
                if let Some(owner) = presets.get(&preset.name) {
                    tracing::warn!(
                        preset = %preset.name,
                        "preset offered by both {} and {}; keeping the first",
                        owner.adapter.manifest.name,
                        adapter.manifest.name
                    );
                    continue;
                }
                presets.insert(preset.name.clone(), preset);
            }
        }
        Catalog { adapters, presets }
    }
}

/// The presets an adapter offers: its manifest's, or one named after itself
/// when it lists none.
pub fn presets_of(adapter: &Arc<LoadedAdapter>) -> Vec<PresetEntry> {
    let manifest = &adapter.manifest;
    if manifest.presets.is_empty() {
        return vec![PresetEntry {
            name: manifest.name.clone(),
            display_name: manifest.display_name.clone(),
            description: manifest.description.clone(),
            adapter: adapter.clone(),
            settings: Value::Object(Default::default()),
        }];
    }
    manifest
        .presets
        .iter()
        .map(|preset| PresetEntry {
            name: preset.name.clone(),
            display_name: preset.display_name.clone(),
            description: preset.description.clone(),
            adapter: adapter.clone(),
            settings: preset.settings.clone(),
        })
        .collect()
}
