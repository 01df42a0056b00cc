//! An adapter's manifest in host types: what the API shows and what the
//! host checks at load time (names, versions, the settings schema, presets
//! that fit it, fetch origins that parse).

use super::bindings::v02::hookyard::adapter::types;
use crate::fetch::origins::Origin;
use anyhow::{Context as _, Result, bail};
use serde::Serialize;

/// The adapter's self-description, in host types (serializable for the API).
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub name: String,
    pub version: String,
    pub display_name: String,
    pub description: String,
    pub docs_url: String,
    pub secrets: Vec<SecretSpec>,
    pub settings_schema: serde_json::Value,
    pub event_types: Vec<EventTypeInfo>,
    pub discriminator: Discriminator,
    pub presets: Vec<Preset>,
    /// Where the adapter may fetch keys from, as declared (contract 0.2).
    pub fetch_origins: Vec<String>,
    /// The same, parsed.
    #[serde(skip)]
    pub origins: Vec<Origin>,
    /// The contract version the component exports (`0.2.0`, `0.1.0`).
    pub contract: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecretSpec {
    pub label: String,
    pub help: String,
    pub required: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventTypeInfo {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Discriminator {
    pub location: &'static str,
    pub path: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Preset {
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub settings: serde_json::Value,
}

impl Manifest {
    /// Whether a source without secrets must reject everything.
    pub fn requires_secret(&self) -> bool {
        self.secrets.iter().any(|s| s.required)
    }

    /// Checks settings against the adapter's settings schema; the error
    /// names where in the settings each problem is (`settings/tolerance:
    /// ...`). A misspelt key is refused only where the schema says
    /// `additionalProperties: false`.
    pub fn check_settings(&self, settings: &serde_json::Value) -> Result<(), String> {
        check_against(&self.settings_schema, settings)
    }
}

/// `settings` against a JSON Schema; every problem, with its place.
fn check_against(schema: &serde_json::Value, settings: &serde_json::Value) -> Result<(), String> {
    let validator = jsonschema::validator_for(schema)
        .map_err(|e| format!("the adapter's settings schema is not a JSON Schema: {e}"))?;
    let problems: Vec<String> = validator
        .iter_errors(settings)
        .map(|error| format!("settings{}: {error}", error.instance_path()))
        .collect();
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("; ")),
    }
}

pub(super) fn convert_manifest(
    raw: types::AdapterManifest,
    contract: &'static str,
) -> Result<Manifest> {
    let valid_name = |name: &str| {
        !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !valid_name(&raw.name) {
        bail!(
            "manifest name {:?} must be 1-64 characters of a-z, 0-9 and -",
            raw.name
        );
    }
    if raw.version.is_empty() {
        bail!("manifest of {} has no version", raw.name);
    }
    let settings_schema: serde_json::Value = serde_json::from_str(&raw.settings_schema)
        .with_context(|| format!("settings schema of {} is not JSON", raw.name))?;
    if let Err(e) = jsonschema::validator_for(&settings_schema) {
        bail!("settings schema of {} is not a JSON Schema: {e}", raw.name);
    }
    let mut presets = Vec::with_capacity(raw.presets.len());
    for preset in raw.presets {
        if !valid_name(&preset.name) {
            bail!("preset name {:?} of {} is not valid", preset.name, raw.name);
        }
        let settings = serde_json::from_str(&preset.settings)
            .with_context(|| format!("settings of preset {} are not JSON", preset.name))?;
        // A preset is settings a source starts from: they must pass the
        // check every source's settings pass.
        if let Err(e) = check_against(&settings_schema, &settings) {
            bail!(
                "the settings of preset {} do not fit the settings schema: {e}",
                preset.name
            );
        }
        presets.push(Preset {
            name: preset.name,
            display_name: preset.display_name,
            description: preset.description,
            settings,
        });
    }
    let origins = raw
        .fetch_origins
        .iter()
        .map(|o| Origin::parse(o, false))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("manifest of {}: {e}", raw.name))?;
    Ok(Manifest {
        fetch_origins: raw.fetch_origins,
        origins,
        contract,
        discriminator: Discriminator {
            location: match raw.discriminator.location {
                types::DiscriminatorLocation::Header => "header",
                types::DiscriminatorLocation::Body => "body",
                types::DiscriminatorLocation::Query => "query",
                types::DiscriminatorLocation::Fixed => "fixed",
            },
            path: raw.discriminator.path,
            note: raw.discriminator.note,
        },
        secrets: raw
            .secrets
            .into_iter()
            .map(|s| SecretSpec {
                label: s.label,
                help: s.help,
                required: s.required,
            })
            .collect(),
        event_types: raw
            .event_types
            .into_iter()
            .map(|e| EventTypeInfo {
                name: e.name,
                description: e.description,
            })
            .collect(),
        name: raw.name,
        version: raw.version,
        display_name: raw.display_name,
        description: raw.description,
        docs_url: raw.docs_url,
        settings_schema,
        presets,
    })
}
