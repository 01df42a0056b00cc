//! The outbox: delivery rows written with the events, claimed with a lease,
//! and closed as `delivered` or `dead`.
//!
//! Every statement that changes the outbox runs on the group-commit writer's
//! connection ([`super::writer`]): rows for new events are inserted in the
//! same transaction as the events (an acknowledged event always has its
//! deliveries), and the drainer's claims and results are jobs of that writer
//! too, so SQLite keeps a single writer and their commits share fsyncs with
//! ingest. A claim is a lease (`lease_until`), not a lock: if the process dies
//! mid-attempt, the row becomes claimable again once the lease ends, and the
//! event goes out again with the same id (the only case of a duplicate).
//! Reads for the API go through the pool.

use super::events::StoredEvent;
use super::new_id;
use anyhow::Result;
use rusqlite::{Connection, params};
use sqlx::SqlitePool;

/// Where one new event goes: written with the event, in its transaction.
#[derive(Debug, Clone)]
pub struct Route {
    pub destination_id: String,
    /// Set when the destination coalesces: the batch key and its timing.
    pub coalesce: Option<CoalesceRoute>,
}

#[derive(Debug, Clone)]
pub struct CoalesceRoute {
    pub key: String,
    pub quiet_ms: i64,
    pub max_wait_ms: i64,
}

/// Inserts the delivery rows of one newly stored event.
pub fn insert_routes(
    conn: &Connection,
    event_id: &str,
    routes: &[Route],
    now: i64,
) -> rusqlite::Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO deliveries (id, event_id, destination_id, due_at, coalesce_key, first_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for route in routes {
        let Some(coalesce) = &route.coalesce else {
            insert.execute(params![
                new_id("dlv"),
                event_id,
                route.destination_id,
                now,
                None::<String>,
                now
            ])?;
            continue;
        };
        insert.execute(params![
            new_id("dlv"),
            event_id,
            route.destination_id,
            now + coalesce.quiet_ms,
            coalesce.key,
            now
        ])?;
        // The whole group waits for quiet again, but never past the oldest
        // row's maximum wait.
        conn.prepare_cached(
            "UPDATE deliveries SET due_at = MIN(?1, (
                SELECT MIN(first_at) FROM deliveries
                WHERE destination_id = ?2 AND coalesce_key = ?3 AND state = 'pending' AND attempts = 0
             ) + ?4)
             WHERE destination_id = ?2 AND coalesce_key = ?3 AND state = 'pending' AND attempts = 0",
        )?
        .execute(params![
            now + coalesce.quiet_ms,
            route.destination_id,
            coalesce.key,
            coalesce.max_wait_ms
        ])?;
    }
    Ok(())
}

/// A claimed batch: one delivery, or the rows of one coalescing key.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The rows, oldest first; `ids[0]` names the batch.
    pub deliveries: Vec<ClaimedRow>,
    pub events: Vec<StoredEvent>,
    pub coalesced: bool,
}

#[derive(Debug, Clone)]
pub struct ClaimedRow {
    pub seq: i64,
    pub id: String,
    /// Attempts made before this one.
    pub attempts: i64,
}

/// Claims up to `limit` due batches of one destination until `lease_until`.
pub fn claim(
    conn: &Connection,
    destination_id: &str,
    limit: usize,
    now: i64,
    lease_until: i64,
) -> rusqlite::Result<Vec<Claimed>> {
    let mut due = conn.prepare_cached(
        "UPDATE deliveries SET lease_until = ?1
         WHERE seq IN (
            SELECT seq FROM deliveries
            WHERE destination_id = ?2 AND state = 'pending' AND due_at <= ?3 AND lease_until <= ?3
            ORDER BY due_at, seq LIMIT ?4)
         RETURNING seq, id, attempts, event_id, coalesce_key",
    )?;
    let rows = due
        .query_map(
            params![lease_until, destination_id, now, limit as i64],
            |row| {
                Ok((
                    ClaimedRow {
                        seq: row.get(0)?,
                        id: row.get(1)?,
                        attempts: row.get(2)?,
                    },
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    // Singles go out alone; rows of one coalescing key go out together, with
    // their due siblings the LIMIT left out.
    let mut batches: Vec<(Vec<(ClaimedRow, String)>, bool)> = Vec::new();
    let mut groups: std::collections::HashMap<String, usize> = Default::default();
    for (row, event_id, key) in rows {
        match key {
            None => batches.push((vec![(row, event_id)], false)),
            Some(key) => match groups.get(&key) {
                Some(&at) => batches[at].0.push((row, event_id)),
                None => {
                    groups.insert(key, batches.len());
                    batches.push((vec![(row, event_id)], true));
                }
            },
        }
    }
    let mut siblings = conn.prepare_cached(
        "UPDATE deliveries SET lease_until = ?1
         WHERE destination_id = ?2 AND coalesce_key = ?3 AND state = 'pending'
           AND due_at <= ?4 AND lease_until <= ?4
         RETURNING seq, id, attempts, event_id",
    )?;
    for (key, at) in &groups {
        let more = siblings.query_map(params![lease_until, destination_id, key, now], |row| {
            Ok((
                ClaimedRow {
                    seq: row.get(0)?,
                    id: row.get(1)?,
                    attempts: row.get(2)?,
                },
                row.get::<_, String>(3)?,
            ))
        })?;
        for row in more {
            batches[*at].0.push(row?);
        }
    }

    let mut claimed = Vec::with_capacity(batches.len());
    for (mut rows, coalesced) in batches {
        rows.sort_by_key(|(row, _)| row.seq);
        let mut events = Vec::with_capacity(rows.len());
        for (_, event_id) in &rows {
            events.push(event(conn, event_id)?);
        }
        claimed.push(Claimed {
            deliveries: rows.into_iter().map(|(row, _)| row).collect(),
            events,
            coalesced,
        });
    }
    Ok(claimed)
}

fn event(conn: &Connection, id: &str) -> rusqlite::Result<StoredEvent> {
    conn.prepare_cached(
        "SELECT seq, id, source_id, type, dedup_id, subject, occurred_at, received_at,
            plugin, plugin_version, plugin_hash, request_id, data
         FROM events WHERE id = ?1",
    )?
    .query_row([id], |row| {
        Ok(StoredEvent {
            seq: row.get(0)?,
            id: row.get(1)?,
            source_id: row.get(2)?,
            event_type: row.get(3)?,
            dedup_id: row.get(4)?,
            subject: row.get(5)?,
            occurred_at: row.get(6)?,
            received_at: row.get(7)?,
            plugin: row.get(8)?,
            plugin_version: row.get(9)?,
            plugin_hash: row.get(10)?,
            request_id: row.get(11)?,
            data: row.get(12)?,
        })
    })
}

/// What one attempt of a batch came to; applied to each of its rows.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    pub delivery_ids: Vec<String>,
    pub destination_id: String,
    pub started_at: i64,
    pub duration_us: i64,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub next: NextStep,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NextStep {
    Delivered,
    /// Try again at this time (ms).
    RetryAt(i64),
    Dead,
    /// The receiver answered 410 Gone: the destination is disabled and its
    /// rows wait (pending) until it is enabled again.
    DisableDestination(String),
}

/// Writes an attempt's result and frees its rows' lease.
pub fn record(conn: &Connection, record: &AttemptRecord, now: i64) -> rusqlite::Result<()> {
    let mut attempt = conn.prepare_cached(
        "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_us, status, error)
         SELECT id, attempts + 1, ?2, ?3, ?4, ?5 FROM deliveries WHERE id = ?1",
    )?;
    let mut update = conn.prepare_cached(
        "UPDATE deliveries SET attempts = attempts + 1, lease_until = 0,
            last_status = ?2, last_error = ?3,
            state = ?4, due_at = COALESCE(?5, due_at), delivered_at = ?6
         WHERE id = ?1 AND state = 'pending'",
    )?;
    let (state, due_at, delivered_at) = match &record.next {
        NextStep::Delivered => ("delivered", None, Some(now)),
        NextStep::RetryAt(at) => ("pending", Some(*at), None),
        NextStep::Dead => ("dead", None, None),
        NextStep::DisableDestination(_) => ("pending", Some(now), None),
    };
    for id in &record.delivery_ids {
        attempt.execute(params![
            id,
            record.started_at,
            record.duration_us,
            record.status,
            record.error
        ])?;
        update.execute(params![
            id,
            record.status,
            record.error,
            state,
            due_at,
            delivered_at
        ])?;
    }
    if let NextStep::DisableDestination(reason) = &record.next {
        conn.execute(
            "UPDATE destinations SET enabled = 0, disabled_reason = ?2, updated_at = ?3 WHERE id = ?1",
            params![record.destination_id, reason, now],
        )?;
    }
    Ok(())
}

/// Frees every lease: on a single node (SQLite), leases left at start-up
/// belong to a process that died mid-attempt.
pub fn release_leases(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE deliveries SET lease_until = 0 WHERE state = 'pending' AND lease_until > 0",
        [],
    )
}

/// Pending rows, for the outbox-depth gauge.
pub async fn pending_count(pool: &SqlitePool) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'")
            .fetch_one(pool)
            .await?,
    )
}

/// When the drainer should look again: the earliest due time of a pending,
/// unleased row of one of `destination_ids` (the enabled ones), read off
/// the `(destination_id, state, due_at)` index. Leases that run out are not
/// looked for: the drainer looks at least once a second anyway.
pub async fn next_wake(
    pool: &SqlitePool,
    destination_ids: impl Iterator<Item = &str>,
    now: i64,
) -> Result<Option<i64>> {
    let mut earliest: Option<i64> = None;
    for id in destination_ids {
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT due_at FROM deliveries
             WHERE destination_id = ? AND state = 'pending' AND lease_until <= ?
             ORDER BY due_at LIMIT 1",
        )
        .bind(id)
        .bind(now)
        .fetch_optional(pool)
        .await?;
        earliest = match (earliest, due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(earliest)
}

/// One row of the delivery log, for the API.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub seq: i64,
    pub id: String,
    pub event_id: String,
    pub destination_id: String,
    pub state: String,
    pub attempts: i64,
    pub due_at: i64,
    pub coalesce_key: Option<String>,
    pub first_at: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
}

#[derive(Debug, Default)]
pub struct DeliveryFilter {
    pub destination_id: Option<String>,
    pub event_id: Option<String>,
    pub state: Option<String>,
    pub after_seq: i64,
    pub limit: i64,
}

pub async fn list(pool: &SqlitePool, filter: &DeliveryFilter) -> Result<Vec<DeliveryRow>> {
    Ok(sqlx::query_as(
        "SELECT seq, id, event_id, destination_id, state, attempts, due_at, coalesce_key,
            first_at, last_status, last_error, delivered_at
         FROM deliveries
         WHERE seq > ? AND (? IS NULL OR destination_id = ?) AND (? IS NULL OR event_id = ?)
           AND (? IS NULL OR state = ?)
         ORDER BY seq LIMIT ?",
    )
    .bind(filter.after_seq)
    .bind(&filter.destination_id)
    .bind(&filter.destination_id)
    .bind(&filter.event_id)
    .bind(&filter.event_id)
    .bind(&filter.state)
    .bind(&filter.state)
    .bind(filter.limit)
    .fetch_all(pool)
    .await?)
}

pub async fn get(pool: &SqlitePool, id: &str) -> Result<Option<DeliveryRow>> {
    Ok(sqlx::query_as(
        "SELECT seq, id, event_id, destination_id, state, attempts, due_at, coalesce_key,
            first_at, last_status, last_error, delivered_at
         FROM deliveries WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub attempt: i64,
    pub started_at: i64,
    pub duration_us: i64,
    pub status: Option<i64>,
    pub error: Option<String>,
}

pub async fn attempts(pool: &SqlitePool, delivery_id: &str) -> Result<Vec<AttemptRow>> {
    Ok(sqlx::query_as(
        "SELECT attempt, started_at, duration_us, status, error FROM delivery_attempts
         WHERE delivery_id = ? ORDER BY attempt",
    )
    .bind(delivery_id)
    .fetch_all(pool)
    .await?)
}

/// Puts a destination's dead letters back in line, attempts counted anew.
pub fn requeue_dead(conn: &Connection, destination_id: &str, now: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE deliveries SET state = 'pending', attempts = 0, due_at = ?2, lease_until = 0
         WHERE destination_id = ?1 AND state = 'dead'",
        params![destination_id, now],
    )
}
