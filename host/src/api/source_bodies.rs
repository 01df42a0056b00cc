//! The request bodies of `/api/v1/sources`: a new source and a change of
//! one, with the bounds the validation layer checks before the handler runs.

use super::ApiResult;
use super::extract::{MAX_NAME, MAX_SECRET, Validate, check_len, check_list, check_name};
use crate::event_policy::UnknownTypes;
use crate::limits::Limits;
use crate::store::retention::SourceRetention;
use crate::store::rfc3339;
use crate::store::secrets::SecretInfo;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A new source: `POST /api/v1/sources`.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSource {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// A preset name (`GET /api/v1/presets`).
    #[schema(min_length = 1, max_length = 200)]
    pub preset: String,
    /// Secrets that verify its requests (at most 500, each at most 1024 characters).
    #[serde(default)]
    #[schema(max_items = 500)]
    pub secrets: Vec<String>,
    /// Settings over the preset's; must fit the adapter's `settings_schema`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub settings: Option<Value>,
    /// Accepted event types (globs); absent or null accepts all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 500)]
    pub event_types: Option<Vec<String>>,
    #[serde(default)]
    pub unknown_types: UnknownTypes,
    /// A kept adapter version to stay on; absent follows the latest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200)]
    pub adapter_version: Option<String>,
    /// The source's own limits; fields left out take the server's defaults.
    #[serde(default)]
    pub limits: Limits,
    /// The source's own retention in days; kinds left out take the server's.
    #[serde(default)]
    pub retention: SourceRetention,
    /// `false` creates it disabled: the one way to create a source whose
    /// preset needs a secret without one (add it, then enable).
    #[serde(default = "enabled_by_default")]
    #[schema(default = true)]
    pub enabled: bool,
}

impl Validate for NewSource {
    fn validate(&self) -> ApiResult<()> {
        check_name("name", &self.name, MAX_NAME)?;
        check_len("preset", &self.preset, MAX_NAME)?;
        check_list("secrets", &self.secrets, MAX_SECRET)?;
        if let Some(types) = &self.event_types {
            check_list("event_types", types, MAX_NAME)?;
        }
        if let Some(version) = &self.adapter_version {
            check_len("adapter_version", version, MAX_NAME)?;
        }
        Ok(())
    }
}

fn enabled_by_default() -> bool {
    true
}

/// A change of a source: `PATCH /api/v1/sources/{id}`; absent fields stay.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SourceChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Replaces every secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 500)]
    pub secrets: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub settings: Option<Value>,
    /// `null` clears the list (accept all); absent leaves it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>, max_items = 500)]
    pub event_types: Option<Option<Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_types: Option<UnknownTypes>,
    /// `null` follows the latest version again; absent leaves it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub adapter_version: Option<Option<String>>,
    /// Replaces the source's own limits (`{}` = the server's defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Limits>,
    /// Replaces the source's own retention (`{}` = the server's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<SourceRetention>,
}

impl Validate for SourceChange {
    fn validate(&self) -> ApiResult<()> {
        if let Some(name) = &self.name {
            check_name("name", name, MAX_NAME)?;
        }
        if let Some(secrets) = &self.secrets {
            check_list("secrets", secrets, MAX_SECRET)?;
        }
        if let Some(Some(types)) = &self.event_types {
            check_list("event_types", types, MAX_NAME)?;
        }
        if let Some(Some(version)) = &self.adapter_version {
            check_len("adapter_version", version, MAX_NAME)?;
        }
        Ok(())
    }
}

/// Tells an explicit `null` (Some(None)) from an absent field (None).
pub(super) fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A source's secret as answers show it: never its value.
#[derive(Serialize, ToSchema)]
pub struct SecretView {
    pub id: String,
    /// The first characters: at most 6, and a quarter of the secret.
    pub prefix: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; `null`: never.
    pub expires_at: Option<String>,
    /// Whether it verifies now.
    pub active: bool,
}

pub fn secret_view(secret: &SecretInfo, now: i64) -> SecretView {
    SecretView {
        id: secret.id.clone(),
        prefix: secret.prefix.clone(),
        created_at: rfc3339(secret.created_at),
        expires_at: secret.expires_at.map(rfc3339),
        active: secret.active_at(now),
    }
}
