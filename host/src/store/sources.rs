//! Sources: a webhook endpoint, its adapter preset, secrets and settings.

use super::now_ms;
use crate::event_policy::{EventPolicy, UnknownTypes};
use anyhow::Result;
use serde_json::Value;
use sqlx::SqlitePool;

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub name: String,
    pub preset: String,
    pub plugin: String,
    pub key: String,
    /// Newest first; every one verifies (rotation).
    pub secrets: Vec<String>,
    pub settings: Value,
    /// Which event types the source keeps.
    pub policy: EventPolicy,
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
    secrets: String,
    settings: String,
    event_types: Option<String>,
    unknown_types: String,
    enabled: bool,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<Row> for Source {
    type Error = anyhow::Error;
    fn try_from(row: Row) -> Result<Source> {
        Ok(Source {
            secrets: serde_json::from_str(&row.secrets)?,
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
            id: row.id,
            name: row.name,
            preset: row.preset,
            plugin: row.plugin,
            key: row.key,
            enabled: row.enabled,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

const COLUMNS: &str = "id, name, preset, plugin, key, secrets, settings, event_types, \
    unknown_types, enabled, created_at, updated_at";

pub async fn insert(pool: &SqlitePool, source: &Source) -> Result<()> {
    sqlx::query(
        "INSERT INTO sources (id, name, preset, plugin, key, secrets, settings, event_types,
            unknown_types, enabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&source.id)
    .bind(&source.name)
    .bind(&source.preset)
    .bind(&source.plugin)
    .bind(&source.key)
    .bind(serde_json::to_string(&source.secrets)?)
    .bind(source.settings.to_string())
    .bind(event_types_json(source)?)
    .bind(source.policy.unknown_types.as_str())
    .bind(source.enabled)
    .bind(source.created_at)
    .bind(source.updated_at)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<Source>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sources ORDER BY created_at, id"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(Source::try_from).collect()
}

pub async fn get(pool: &SqlitePool, id: &str) -> Result<Option<Source>> {
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM sources WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(Source::try_from).transpose()
}

/// Writes every mutable field of `source` back.
pub async fn update(pool: &SqlitePool, source: &Source) -> Result<()> {
    sqlx::query(
        "UPDATE sources SET name = ?, key = ?, secrets = ?, settings = ?, event_types = ?,
            unknown_types = ?, enabled = ?, updated_at = ? WHERE id = ?",
    )
    .bind(&source.name)
    .bind(&source.key)
    .bind(serde_json::to_string(&source.secrets)?)
    .bind(source.settings.to_string())
    .bind(event_types_json(source)?)
    .bind(source.policy.unknown_types.as_str())
    .bind(source.enabled)
    .bind(now_ms())
    .bind(&source.id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Deletes a source; its events and request log stay.
pub async fn delete(pool: &SqlitePool, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM sources WHERE id = ?")
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
