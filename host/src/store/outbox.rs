//! The outbox: delivery rows written with the events, claimed with a lease
//! ([`super::claim`]), and closed as `delivered` or `dead`.
//!
//! Rows for new events are inserted in the same transaction as the events (an
//! acknowledged event always has its deliveries); every statement that
//! changes the outbox runs in the group commit ([`super::writer`]), so SQLite
//! keeps a single writer and the drainer's commits share fsyncs with ingest.
//! This module holds those statements, shared by both backends' batches, the
//! types they exchange with the drainer, and the reads the API and the
//! drainer make through the shared pool.
//!
//! The shared statements number their placeholders `$1`, `$2`, … in the
//! order they first appear: sqlx binds by number, rusqlite by position, and
//! SQLite gives `$n` parameters positions in order of appearance.

use anyhow::Result;
use sqlx::AnyPool;

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

/// One new delivery row: id, event, destination, due, coalescing key, first.
pub(super) const INSERT_DELIVERY: &str =
    "INSERT INTO deliveries (id, event_id, destination_id, due_at, coalesce_key, first_at)
     VALUES ($1, $2, $3, $4, $5, $6)";

/// [`INSERT_DELIVERY`] for many rows at once on PostgreSQL, one array per column.
pub(super) const INSERT_DELIVERIES: &str =
    "INSERT INTO deliveries (id, event_id, destination_id, due_at, coalesce_key, first_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[])";

/// One attempt (started, duration, status, error, the receiver's status
/// line and body) of delivery `$7`, numbered after those before it.
pub(super) const RECORD_ATTEMPT: &str = "INSERT INTO delivery_attempts (delivery_id, attempt,
        started_at, duration_us, status, error, response_status_line, response_body)
     SELECT id, attempts + 1, $1, $2, $3, $4, $5, $6 FROM deliveries WHERE id = $7";

/// Delivery `$6`'s state after an attempt; frees its lease.
pub(super) const RECORD_RESULT: &str =
    "UPDATE deliveries SET attempts = attempts + 1, lease_until = 0,
        last_status = $1, last_error = $2,
        state = $3, due_at = COALESCE($4, due_at), delivered_at = $5
     WHERE id = $6 AND state = 'pending'";

/// [`RECORD_ATTEMPT`] and [`RECORD_RESULT`] for many deliveries at once on
/// PostgreSQL, one array per column, each row's own values.
pub(super) const RECORD_ATTEMPTS: &str = "INSERT INTO delivery_attempts (delivery_id, attempt,
        started_at, duration_us, status, error, response_status_line, response_body)
     SELECT d.id, d.attempts + 1, u.started_at, u.duration_us, u.status, u.error, u.line, u.body
     FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[],
            $7::text[])
        AS u (id, started_at, duration_us, status, error, line, body)
     JOIN deliveries d ON d.id = u.id";
pub(super) const RECORD_RESULTS: &str =
    "UPDATE deliveries d SET attempts = d.attempts + 1, lease_until = 0,
        last_status = u.status, last_error = u.error,
        state = u.state, due_at = COALESCE(u.due_at, d.due_at), delivered_at = u.delivered_at
     FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
        AS u (id, status, error, state, due_at, delivered_at)
     WHERE d.id = u.id AND d.state = 'pending'";

/// Disables destination `$3` (it answered 410 Gone) with reason `$1`.
pub(super) const DISABLE_DESTINATION: &str =
    "UPDATE destinations SET enabled = 0, disabled_reason = $1, updated_at = $2 WHERE id = $3";

/// Puts destination `$2`'s dead letters back in line, due at `$1`. The
/// attempt count stays (the attempt log is numbered by it); the retry
/// schedule starts again from `retry_base`.
pub(super) const REQUEUE_DEAD: &str =
    "UPDATE deliveries SET state = 'pending', retry_base = attempts, due_at = $1, lease_until = 0
     WHERE destination_id = $2 AND state = 'dead'";

/// What a row's state, due time and delivery time become after an attempt.
pub(super) fn next_state(next: &NextStep, now: i64) -> (&'static str, Option<i64>, Option<i64>) {
    match next {
        NextStep::Delivered => ("delivered", None, Some(now)),
        NextStep::RetryAt(at) => ("pending", Some(*at), None),
        NextStep::Dead => ("dead", None, None),
        NextStep::DisableDestination(_) => ("pending", Some(now), None),
    }
}

/// After a row joins coalescing key `$4` of destination `$3`, the whole
/// group waits for quiet again (due at `$2`), but never past the oldest
/// row's maximum wait (`$1` after it was written).
pub(super) const COALESCE_DUE: &str = "UPDATE deliveries SET due_at = (
        SELECT CASE WHEN MIN(first_at) + $1 < $2 THEN MIN(first_at) + $1 ELSE $2 END
        FROM deliveries
        WHERE destination_id = $3 AND coalesce_key = $4 AND state = 'pending' AND attempts = 0)
     WHERE destination_id = $3 AND coalesce_key = $4 AND state = 'pending' AND attempts = 0";

impl Route {
    /// When its row is due if written at `now`: at once, or once quiet.
    pub(super) fn due_at(&self, now: i64) -> i64 {
        now + self.coalesce.as_ref().map_or(0, |c| c.quiet_ms)
    }
}

/// What a receiver answered, kept with the attempt so an operator sees why
/// it refused.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiverAnswer {
    /// `HTTP/1.1 500 Internal Server Error`
    pub status_line: String,
    /// The first KiB of the body, as text (invalid UTF-8 replaced).
    pub body: String,
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
    /// What the receiver answered, if it did.
    pub answer: Option<ReceiverAnswer>,
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

/// Frees every lease: on a single node (SQLite), leases left at start-up
/// belong to a process that died mid-attempt.
pub(super) const RELEASE_LEASES: &str =
    "UPDATE deliveries SET lease_until = 0 WHERE state = 'pending' AND lease_until > 0";
/// One row's lease (SQLite: one statement per id).
pub(super) const RELEASE_LEASE: &str =
    "UPDATE deliveries SET lease_until = 0 WHERE id = ?1 AND state = 'pending'";
/// Several rows' leases (PostgreSQL: the ids as one array).
pub(super) const RELEASE_LEASES_OF: &str =
    "UPDATE deliveries SET lease_until = 0 WHERE id = ANY($1) AND state = 'pending'";

/// Pending rows, for the outbox-depth gauge.
pub async fn pending_count(pool: &AnyPool) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'")
            .fetch_one(pool)
            .await?,
    )
}

/// A destination's pending rows: waiting to be attempted, or held while it
/// is disabled (read off the `(destination_id, state, seq)` index).
pub async fn pending_of(pool: &AnyPool, destination_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM deliveries WHERE destination_id = $1 AND state = 'pending'",
    )
    .bind(destination_id)
    .fetch_one(pool)
    .await?)
}

/// When the drainer should look again: the earliest due time of a pending,
/// unleased row of one of `destination_ids` (the enabled ones), read off
/// the `(destination_id, state, due_at)` index. Leases that run out are not
/// looked for: the drainer looks at least once a second anyway.
pub async fn next_wake(
    pool: &AnyPool,
    destination_ids: impl Iterator<Item = &str>,
    now: i64,
) -> Result<Option<i64>> {
    let mut earliest: Option<i64> = None;
    for id in destination_ids {
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT due_at FROM deliveries
             WHERE destination_id = $1 AND state = 'pending' AND lease_until <= $2
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

pub async fn list(pool: &AnyPool, filter: &DeliveryFilter) -> Result<Vec<DeliveryRow>> {
    Ok(sqlx::query_as(
        "SELECT seq, id, event_id, destination_id, state, attempts, due_at, coalesce_key,
            first_at, last_status, last_error, delivered_at
         FROM deliveries
         WHERE seq > $1 AND ($2 IS NULL OR destination_id = $3) AND ($4 IS NULL OR event_id = $5)
           AND ($6 IS NULL OR state = $7)
         ORDER BY seq LIMIT $8",
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

pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<DeliveryRow>> {
    Ok(sqlx::query_as(
        "SELECT seq, id, event_id, destination_id, state, attempts, due_at, coalesce_key,
            first_at, last_status, last_error, delivered_at
         FROM deliveries WHERE id = $1",
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
    pub response_status_line: Option<String>,
    pub response_body: Option<String>,
}

pub async fn attempts(pool: &AnyPool, delivery_id: &str) -> Result<Vec<AttemptRow>> {
    Ok(sqlx::query_as(
        "SELECT attempt, started_at, duration_us, status, error, response_status_line,
            response_body
         FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt",
    )
    .bind(delivery_id)
    .fetch_all(pool)
    .await?)
}
