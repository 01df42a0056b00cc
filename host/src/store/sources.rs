//! Sources: a webhook endpoint, its adapter preset, settings, limits and
//! retention.
//! Their secrets are rows of their own, sealed ([`super::secrets`]).

use super::clock::now_ms;
use super::retention::SourceRetention;
use crate::event_policy::{EventPolicy, UnknownTypes};
use crate::limits::Limits;
use anyhow::Result;
use serde_json::Value;
use sqlx::AnyPool;

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub name: String,
    pub preset: String,
    pub plugin: String,
    pub key: String,
    /// The key before the last rotation and when it stops working (ms), if
    /// that rotation gave it a grace period.
    pub previous_key: Option<(String, i64)>,
    pub settings: Value,
    /// Which event types the source keeps.
    pub policy: EventPolicy,
    /// The adapter version the source is pinned to; `None` follows the latest.
    pub adapter_version: Option<String>,
    /// The source's own limits (the rest come from the server's defaults).
    pub limits: Limits,
    /// The source's own retention (the rest is the server's).
    pub retention: SourceRetention,
    pub enabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    preset: String,
    plugin: String,
    key: String,
    previous_key: Option<String>,
    previous_key_expires_at: Option<i64>,
    settings: String,
    event_types: Option<String>,
    unknown_types: String,
    adapter_version: Option<String>,
    limits: String,
    event_retention_days: Option<i64>,
    request_retention_days: Option<i64>,
    raw_retention_days: Option<i64>,
    enabled: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<Row> for Source {
    type Error = anyhow::Error;
    fn try_from(row: Row) -> Result<Source> {
        Ok(Source {
            previous_key: row.previous_key.zip(row.previous_key_expires_at),
            settings: serde_json::from_str(&row.settings)?,
            policy: EventPolicy {
                event_types: row
                    .event_types
                    .as_deref()
                    .map(serde_json::from_str)
                    .transpose()?,
                unknown_types: UnknownTypes::parse(&row.unknown_types).ok_or_else(|| {
                    anyhow::anyhow!("source {}: unknown_types {:?}", row.id, row.unknown_types)
                })?,
            },
            limits: serde_json::from_str(&row.limits)?,
            retention: SourceRetention {
                event_days: days(row.event_retention_days),
                request_days: days(row.request_retention_days),
                raw_days: days(row.raw_retention_days),
            },
            id: row.id,
            name: row.name,
            preset: row.preset,
            plugin: row.plugin,
            key: row.key,
            adapter_version: row.adapter_version,
            enabled: row.enabled != 0,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Days as stored (a negative value, written by hand, keeps forever).
fn days(stored: Option<i64>) -> Option<u32> {
    stored.map(|days| u32::try_from(days).unwrap_or(0))
}

const COLUMNS: &str = "id, name, preset, plugin, key, previous_key, previous_key_expires_at, \
    settings, event_types, unknown_types, adapter_version, limits, event_retention_days, \
    request_retention_days, raw_retention_days, enabled, created_at, updated_at";

pub async fn insert(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    source: &Source,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sources (id, name, preset, plugin, key, previous_key, previous_key_expires_at,
            settings, event_types, unknown_types, adapter_version, limits, enabled, created_at,
            updated_at, event_retention_days, request_retention_days, raw_retention_days)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(&source.id)
    .bind(&source.name)
    .bind(&source.preset)
    .bind(&source.plugin)
    .bind(&source.key)
    .bind(source.previous_key.as_ref().map(|(key, _)| key))
    .bind(source.previous_key.as_ref().map(|&(_, at)| at))
    .bind(source.settings.to_string())
    .bind(event_types_json(source)?)
    .bind(source.policy.unknown_types.as_str())
    .bind(&source.adapter_version)
    .bind(serde_json::to_string(&source.limits)?)
    .bind(i64::from(source.enabled))
    .bind(source.created_at)
    .bind(source.updated_at)
    .bind(source.retention.event_days.map(i64::from))
    .bind(source.retention.request_days.map(i64::from))
    .bind(source.retention.raw_days.map(i64::from))
    .execute(executor)
    .await?;
    Ok(())
}

pub async fn list(pool: &AnyPool) -> Result<Vec<Source>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sources ORDER BY created_at, id"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(Source::try_from).collect()
}

pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<Source>> {
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM sources WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(Source::try_from).transpose()
}

/// Writes every mutable field of `source` back.
pub async fn update(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    source: &Source,
) -> Result<()> {
    sqlx::query(
        "UPDATE sources SET name = $1, key = $2, previous_key = $3, previous_key_expires_at = $4,
            settings = $5, event_types = $6, unknown_types = $7, adapter_version = $8, limits = $9,
            enabled = $10, updated_at = $11, event_retention_days = $12,
            request_retention_days = $13, raw_retention_days = $14 WHERE id = $15",
    )
    .bind(&source.name)
    .bind(&source.key)
    .bind(source.previous_key.as_ref().map(|(key, _)| key))
    .bind(source.previous_key.as_ref().map(|&(_, at)| at))
    .bind(source.settings.to_string())
    .bind(event_types_json(source)?)
    .bind(source.policy.unknown_types.as_str())
    .bind(&source.adapter_version)
    .bind(serde_json::to_string(&source.limits)?)
    .bind(i64::from(source.enabled))
    .bind(now_ms())
    .bind(source.retention.event_days.map(i64::from))
    .bind(source.retention.request_days.map(i64::from))
    .bind(source.retention.raw_days.map(i64::from))
    .bind(&source.id)
    .execute(executor)
    .await?;
    Ok(())
}

/// Deletes a source; its events and request log stay.
pub async fn delete(pool: &AnyPool, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM sources WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

fn event_types_json(source: &Source) -> Result<Option<String>> {
    Ok(source
        .policy
        .event_types
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?)
}
