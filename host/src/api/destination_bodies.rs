//! The request bodies of `/api/v1/destinations`: a new destination and a
//! change of one, with the bounds the validation layer checks before the
//! handler runs.

use super::ApiResult;
use super::extract::{
    MAX_FILTER, MAX_HEADER_NAME, MAX_HEADER_VALUE, MAX_ID, MAX_ITEMS, MAX_NAME, MAX_SECRET,
    MAX_URL, Validate, check_len, check_list, check_name, check_range, out_of_bounds,
};
use crate::store::destinations::{CoalesceConfig, Target};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A new destination: `POST /api/v1/destinations`. Unknown fields are
/// refused ([`Validate`]: serde cannot deny them beside a flattened field).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewDestination {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// `kind` (`http` | `nats`) and its fields.
    #[serde(flatten)]
    pub target: Target,
    /// `whsec_` + base64; generated when absent (HTTP only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 1024)]
    pub secret: Option<String>,
    #[serde(default = "every_type")]
    #[schema(max_items = 500)]
    pub event_types: Vec<String>,
    /// Only events of these sources (absent: every source); `hookyard` is
    /// the built-in source of the server's alerts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 500)]
    pub source_ids: Option<Vec<String>>,
    /// A JSONPath filter over the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 4096)]
    pub filter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coalesce: Option<CoalesceConfig>,
    #[serde(default = "default_max_in_flight")]
    #[schema(minimum = 1, maximum = 1000, default = 16)]
    pub max_in_flight: i64,
    /// Whatever else was sent: refused.
    #[serde(flatten, skip_serializing)]
    #[schema(ignore)]
    pub unknown: std::collections::BTreeMap<String, Value>,
}

impl Validate for NewDestination {
    fn validate(&self) -> ApiResult<()> {
        // The flattened target sees the same entries: its own fields are known.
        let target_fields: &[&str] = match self.target {
            Target::Http { .. } => &["kind", "url", "headers", "timeout_ms"],
            Target::Nats { .. } => &["kind", "url", "subject"],
        };
        if let Some(field) = self
            .unknown
            .keys()
            .find(|key| !target_fields.contains(&key.as_str()))
        {
            return Err(out_of_bounds(field, format!("unknown field `{field}`")));
        }
        check_name("name", &self.name, MAX_NAME)?;
        check_target(&self.target)?;
        if let Some(secret) = &self.secret {
            check_len("secret", secret, MAX_SECRET)?;
        }
        check_list("event_types", &self.event_types, MAX_NAME)?;
        if let Some(ids) = &self.source_ids {
            check_list("source_ids", ids, MAX_ID)?;
        }
        if let Some(filter) = &self.filter {
            check_len("filter", filter, MAX_FILTER)?;
        }
        if let Some(coalesce) = &self.coalesce {
            check_coalesce(coalesce)?;
        }
        check_range("max_in_flight", self.max_in_flight, 1..=1000)
    }
}

fn check_target(target: &Target) -> ApiResult<()> {
    match target {
        Target::Http {
            url,
            headers,
            timeout_ms,
        } => {
            check_name("url", url, MAX_URL)?;
            if headers.len() > MAX_ITEMS {
                return Err(out_of_bounds(
                    "headers",
                    format!("headers must have at most {MAX_ITEMS} entries"),
                ));
            }
            for (name, value) in headers {
                check_name("headers", name, MAX_HEADER_NAME)?;
                check_len(&format!("headers.{name}"), value, MAX_HEADER_VALUE)?;
            }
            check_range("timeout_ms", *timeout_ms, 1..=120_000)
        }
        Target::Nats { url, subject } => {
            check_name("url", url, MAX_URL)?;
            check_name("subject", subject, MAX_NAME)
        }
    }
}

/// The longest coalescing wait: a day.
const MAX_COALESCE_MS: u64 = 86_400_000;

fn check_coalesce(coalesce: &CoalesceConfig) -> ApiResult<()> {
    check_name("coalesce.key", &coalesce.key, MAX_FILTER)?;
    check_range("coalesce.quiet_ms", coalesce.quiet_ms, 1..=MAX_COALESCE_MS)?;
    check_range(
        "coalesce.max_wait_ms",
        coalesce.max_wait_ms,
        1..=MAX_COALESCE_MS,
    )
}

fn every_type() -> Vec<String> {
    vec!["*".into()]
}

fn default_max_in_flight() -> i64 {
    16
}

/// A change of a destination: `PATCH /api/v1/destinations/{id}`; absent
/// fields stay.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DestinationChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 500)]
    pub event_types: Option<Vec<String>>,
    /// `null` clears (every source); absent leaves it.
    #[serde(
        default,
        deserialize_with = "super::source_bodies::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>, max_items = 500)]
    pub source_ids: Option<Option<Vec<String>>>,
    /// `null` clears it.
    #[serde(
        default,
        deserialize_with = "super::source_bodies::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 4096)]
    pub filter: Option<Option<String>>,
    /// `null` clears it.
    #[serde(
        default,
        deserialize_with = "super::source_bodies::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<CoalesceConfig>)]
    pub coalesce: Option<Option<CoalesceConfig>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 1000)]
    pub max_in_flight: Option<i64>,
}

impl Validate for DestinationChange {
    fn validate(&self) -> ApiResult<()> {
        if let Some(name) = &self.name {
            check_name("name", name, MAX_NAME)?;
        }
        if let Some(types) = &self.event_types {
            check_list("event_types", types, MAX_NAME)?;
        }
        if let Some(Some(ids)) = &self.source_ids {
            check_list("source_ids", ids, MAX_ID)?;
        }
        if let Some(Some(filter)) = &self.filter {
            check_len("filter", filter, MAX_FILTER)?;
        }
        if let Some(Some(coalesce)) = &self.coalesce {
            check_coalesce(coalesce)?;
        }
        if let Some(max) = self.max_in_flight {
            check_range("max_in_flight", max, 1..=1000)?;
        }
        Ok(())
    }
}

/// A subscription to try on recent events: `POST
/// /api/v1/destinations/preview`; the fields and rules of a destination's.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionPreview {
    /// Event-type globs, like a destination's `event_types`.
    #[serde(default = "every_type")]
    #[schema(max_items = 500)]
    pub types: Vec<String>,
    /// Source ids, like a destination's `source_ids` (`null`: every source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 500)]
    pub sources: Option<Vec<String>>,
    /// A JSONPath filter over the event's data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 4096)]
    pub filter: Option<String>,
}

impl Validate for SubscriptionPreview {
    fn validate(&self) -> ApiResult<()> {
        check_list("types", &self.types, MAX_NAME)?;
        if let Some(ids) = &self.sources {
            check_list("sources", ids, MAX_ID)?;
        }
        if let Some(filter) = &self.filter {
            check_len("filter", filter, MAX_FILTER)?;
        }
        Ok(())
    }
}
