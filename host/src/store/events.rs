//! Stored events: what the API lists, streams and replays.

use super::Database;
use anyhow::Result;
use sqlx::AnyPool;

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
/// glob pattern (`*` any run of characters, `?` one).
#[derive(Debug, Default)]
pub struct EventFilter {
    pub source_id: Option<String>,
    pub event_type: Option<String>,
    pub after_seq: i64,
    pub limit: i64,
}

/// The columns of [`StoredEvent`], in its order.
macro_rules! columns {
    () => {
        "seq, id, source_id, type, dedup_id, subject, occurred_at, received_at, plugin, \
         plugin_version, plugin_hash, request_id, data"
    };
}
const COLUMNS: &str = columns!();

/// One event by id (both backends' write paths read claimed events with it).
pub(super) const BY_ID: &str = concat!("SELECT ", columns!(), " FROM events WHERE id = $1");

/// Events by a list of ids, on PostgreSQL (claims read all theirs at once).
pub(super) const BY_IDS: &str = concat!("SELECT ", columns!(), " FROM events WHERE id = ANY($1)");

/// A new event, skipped when its `(source_id, dedup_id)` is known; returns
/// the new row's `seq`, or no row for a duplicate.
pub(super) const INSERT: &str = "INSERT INTO events (id, source_id, type, dedup_id, subject,
        occurred_at, received_at, plugin, plugin_version, plugin_hash, request_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (source_id, dedup_id) DO NOTHING
     RETURNING seq";

/// [`INSERT`] for many events at once on PostgreSQL, one array per column;
/// returns `(id, seq)` of the new rows (a dedup id repeated within the arrays
/// is inserted once).
pub(super) const INSERT_MANY: &str = "INSERT INTO events (id, source_id, type, dedup_id, subject,
        occurred_at, received_at, plugin, plugin_version, plugin_hash, request_id, data)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
        $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
     ON CONFLICT (source_id, dedup_id) DO NOTHING
     RETURNING id, seq";

pub async fn list(db: &Database, filter: &EventFilter) -> Result<Vec<StoredEvent>> {
    let (type_matches, pattern) = db.glob("type", 5, filter.event_type.as_deref().unwrap_or(""));
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events
         WHERE seq > $1 AND ($2 IS NULL OR source_id = $3) AND ($4 IS NULL OR {type_matches})
         ORDER BY seq LIMIT $6"
    ))
    .bind(filter.after_seq)
    .bind(&filter.source_id)
    .bind(&filter.source_id)
    .bind(&filter.event_type)
    .bind(pattern)
    .bind(filter.limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows)
}

pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<StoredEvent>> {
    let row = sqlx::query_as(BY_ID).bind(id).fetch_optional(pool).await?;
    Ok(row)
}

/// A source's events received in `[since, until)` (ms), oldest first, after
/// `after_seq`: the pages of a replay.
pub async fn received_between(
    pool: &AnyPool,
    source_id: &str,
    since: i64,
    until: i64,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<StoredEvent>> {
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events
         WHERE source_id = $1 AND received_at >= $2 AND received_at < $3 AND seq > $4
         ORDER BY seq LIMIT $5"
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
