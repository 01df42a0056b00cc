//! The request log: every request to `/webhooks`, its outcome and reason.

use anyhow::Result;
use sqlx::AnyPool;

/// The adapter build that handled a request.
#[derive(Debug, Clone)]
pub struct AdapterRef {
    pub name: String,
    pub version: String,
    pub hash: String,
}

/// One request-log row about to be written.
#[derive(Debug, Clone)]
pub struct RequestRecord {
    pub id: String,
    pub source_id: Option<String>,
    pub received_at: i64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub remote_ip: Option<String>,
    pub user_agent: Option<String>,
    /// `accepted`, `duplicate`, `handshake`, `rejected`, `adapter_failed`, ...
    pub outcome: String,
    pub reason: Option<String>,
    pub status: u16,
    pub latency_us: i64,
    pub adapter: Option<AdapterRef>,
    pub event_count: i64,
    /// The raw request, kept where it may be processed again.
    pub raw: Option<RawRequest>,
}

#[derive(Debug, Clone)]
pub struct RawRequest {
    /// JSON array of `[name, value]` pairs.
    pub headers: String,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoggedRequest {
    pub seq: i64,
    pub id: String,
    pub source_id: Option<String>,
    pub received_at: i64,
    pub method: String,
    pub path: String,
    pub remote_ip: Option<String>,
    pub user_agent: Option<String>,
    pub outcome: String,
    pub reason: Option<String>,
    pub status: i64,
    pub latency_us: i64,
    pub plugin: Option<String>,
    pub plugin_version: Option<String>,
    pub event_count: i64,
    /// 1 when the raw request is kept (an integer on every backend).
    pub raw_kept: i64,
    /// The request-log row of the reprocessing that took it out of quarantine.
    pub reprocessed_as: Option<String>,
}

/// One request-log row, its columns in the order of [`RequestRecord`]'s fields.
pub(super) const INSERT: &str = "INSERT INTO requests (id, source_id, received_at, method, path,
        query, remote_ip, user_agent, outcome, reason, status, latency_us, plugin, plugin_version,
        plugin_hash, event_count, headers, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";

/// [`INSERT`] for many rows at once on PostgreSQL, one array per column.
pub(super) const INSERT_MANY: &str =
    "INSERT INTO requests (id, source_id, received_at, method, path,
        query, remote_ip, user_agent, outcome, reason, status, latency_us, plugin, plugin_version,
        plugin_hash, event_count, headers, body)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],
        $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[],
        $13::text[], $14::text[], $15::text[], $16::bigint[], $17::text[], $18::bytea[])";

/// Appends one request-log row (on the SQLite writer's thread, inside its
/// transaction).
pub(super) fn insert(conn: &rusqlite::Connection, record: &RequestRecord) -> rusqlite::Result<()> {
    let adapter = record.adapter.as_ref();
    let raw = record.raw.as_ref();
    conn.prepare_cached(INSERT)?.execute(rusqlite::params![
        record.id,
        record.source_id,
        record.received_at,
        record.method,
        record.path,
        record.query,
        record.remote_ip,
        record.user_agent,
        record.outcome,
        record.reason,
        record.status,
        record.latency_us,
        adapter.map(|a| &a.name),
        adapter.map(|a| &a.version),
        adapter.map(|a| &a.hash),
        record.event_count,
        raw.map(|r| &r.headers),
        raw.map(|r| &r.body),
    ])?;
    Ok(())
}

/// Newest first, before `before_seq` (0 = from the newest); `since` (ms)
/// keeps those received at or after it.
#[derive(Debug, Default)]
pub struct RequestFilter {
    pub source_id: Option<String>,
    pub outcome: Option<String>,
    pub since: Option<i64>,
    pub before_seq: i64,
    pub limit: i64,
}

pub async fn list(pool: &AnyPool, filter: &RequestFilter) -> Result<Vec<LoggedRequest>> {
    let rows = sqlx::query_as(
        "SELECT seq, id, source_id, received_at, method, path, remote_ip, user_agent, outcome, reason, status,
                latency_us, plugin, plugin_version, event_count,
                CASE WHEN body IS NULL THEN 0 ELSE 1 END AS raw_kept,
                reprocessed_as
         FROM requests
         WHERE ($1 = 0 OR seq < $2) AND ($3 IS NULL OR source_id = $4) AND ($5 IS NULL OR outcome = $6)
           AND ($8 IS NULL OR received_at >= $9)
         ORDER BY seq DESC LIMIT $7",
    )
    .bind(filter.before_seq)
    .bind(filter.before_seq)
    .bind(&filter.source_id)
    .bind(&filter.source_id)
    .bind(&filter.outcome)
    .bind(&filter.outcome)
    .bind(filter.limit)
    .bind(filter.since)
    .bind(filter.since)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

/// A quarantined request: the adapter failed on it and its raw copy is kept.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Quarantined {
    pub id: String,
    pub received_at: i64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub remote_ip: Option<String>,
    /// JSON array of `[name, value]` pairs.
    pub headers: String,
    pub body: Vec<u8>,
}

/// The quarantined requests of a source received at or after `since_ms`,
/// oldest first.
pub async fn quarantined(
    pool: &AnyPool,
    source_id: &str,
    since_ms: i64,
) -> Result<Vec<Quarantined>> {
    let rows = sqlx::query_as(
        "SELECT id, received_at, method, path, query, remote_ip, headers, body FROM requests
         WHERE source_id = $1 AND outcome = 'adapter_failed' AND reprocessed_at IS NULL
           AND received_at >= $2 AND headers IS NOT NULL AND body IS NOT NULL
         ORDER BY seq",
    )
    .bind(source_id)
    .bind(since_ms)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

/// Takes a request out of quarantine: `run_id` processed it without failing.
pub async fn mark_reprocessed(pool: &AnyPool, id: &str, run_id: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE requests SET reprocessed_at = $1, reprocessed_as = $2 WHERE id = $3")
        .bind(at)
        .bind(run_id)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Drops the raw copies of requests received before `cutoff_ms`, a batch at a
/// time so the writer never waits long; returns how many.
pub async fn drop_raw_before(pool: &AnyPool, cutoff_ms: i64) -> Result<u64> {
    let mut dropped = 0;
    loop {
        let done = sqlx::query(
            "UPDATE requests SET headers = NULL, body = NULL WHERE seq IN
               (SELECT seq FROM requests WHERE received_at < $1 AND body IS NOT NULL LIMIT 500)",
        )
        .bind(cutoff_ms)
        .execute(pool)
        .await?
        .rows_affected();
        dropped += done;
        if done == 0 {
            return Ok(dropped);
        }
    }
}
