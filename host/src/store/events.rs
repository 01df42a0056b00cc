//! Stored events: what the API lists, streams and replays.

use anyhow::Result;
use sqlx::SqlitePool;

/// An event about to be stored.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub id: String,
    pub event_type: String,
    pub dedup_id: String,
    pub subject: Option<String>,
    pub occurred_at: Option<i64>,
    pub data: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredEvent {
    pub seq: i64,
    pub id: String,
    pub source_id: String,
    #[sqlx(rename = "type")]
    pub event_type: String,
    pub dedup_id: String,
    pub subject: Option<String>,
    pub occurred_at: Option<i64>,
    pub received_at: i64,
    pub plugin: String,
    pub plugin_version: String,
    pub plugin_hash: String,
    pub request_id: String,
    pub data: String,
}

/// Which events to list: oldest first, after `after_seq`; `event_type` is a
/// glob pattern (SQLite `GLOB`: `*`, `?`, `[...]`).
#[derive(Debug, Default)]
pub struct EventFilter {
    pub source_id: Option<String>,
    pub event_type: Option<String>,
    pub after_seq: i64,
    pub limit: i64,
}

const COLUMNS: &str = "seq, id, source_id, type, dedup_id, subject, occurred_at, received_at, plugin, plugin_version, plugin_hash, request_id, data";

pub async fn list(pool: &SqlitePool, filter: &EventFilter) -> Result<Vec<StoredEvent>> {
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events
         WHERE seq > ? AND (? IS NULL OR source_id = ?) AND (? IS NULL OR type GLOB ?)
         ORDER BY seq LIMIT ?"
    ))
    .bind(filter.after_seq)
    .bind(&filter.source_id)
    .bind(&filter.source_id)
    .bind(&filter.event_type)
    .bind(&filter.event_type)
    .bind(filter.limit)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

pub async fn get(pool: &SqlitePool, id: &str) -> Result<Option<StoredEvent>> {
    let row = sqlx::query_as(&format!("SELECT {COLUMNS} FROM events WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row)
}

/// A source's events received in `[since, until)` (ms), oldest first, after
/// `after_seq`: the pages of a replay.
pub async fn received_between(
    pool: &SqlitePool,
    source_id: &str,
    since: i64,
    until: i64,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<StoredEvent>> {
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events
         WHERE source_id = ? AND received_at >= ? AND received_at < ? AND seq > ?
         ORDER BY seq LIMIT ?"
    ))
    .bind(source_id)
    .bind(since)
    .bind(until)
    .bind(after_seq)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}
