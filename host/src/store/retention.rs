//! Pruning: what each kind of row costs to keep is bounded by a retention.
//!
//! Every statement deletes at most one small batch, oldest first by `seq`
//! (the order rows were written in, so the scan stops after the batch), and
//! runs on its own: a writer waiting behind it waits for one batch, never for
//! a whole pass. Each statement states its whole condition, so what a
//! concurrent writer did between two statements (a replay that puts an old
//! event back in line) is seen by the next one. The same SQL runs on both
//! backends.

use super::requests;
use anyhow::Result;
use sqlx::AnyPool;

/// Rows one statement deletes at most.
pub const BATCH: i64 = 500;

/// The kinds of rows with a retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Events, with their finished deliveries and attempts. An event with a
    /// delivery still pending or dead (replayable) is kept.
    Events,
    /// Finished deliveries (delivered or dead) and their attempts.
    Deliveries,
    /// The request log.
    Requests,
    /// Raw copies of requests (the log row stays).
    RawRequests,
    AuditLog,
    ShadowDiffs,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Events => "events",
            Kind::Deliveries => "deliveries",
            Kind::Requests => "requests",
            Kind::RawRequests => "raw_requests",
            Kind::AuditLog => "audit_log",
            Kind::ShadowDiffs => "shadow_diffs",
        }
    }
}

/// An event that may go: old, and nothing of it waits for delivery.
const EVENT_GOES: &str = "e.received_at < $1 AND NOT EXISTS
    (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.state <> 'delivered')";

/// Deletes one batch of `kind` older than `cutoff_ms`; returns the rows of
/// that kind deleted (0: nothing left).
pub async fn prune_batch(pool: &AnyPool, kind: Kind, cutoff_ms: i64) -> Result<u64> {
    Ok(match kind {
        Kind::Events => {
            // The batch: the oldest events that may go. Their delivered rows
            // and attempts first, then the events (rechecked).
            let batch = format!(
                "SELECT e.id FROM events e WHERE {EVENT_GOES} ORDER BY e.seq LIMIT {BATCH}"
            );
            let deliveries = format!(
                "SELECT id FROM deliveries WHERE state = 'delivered' AND event_id IN ({batch})"
            );
            let mut tx = pool.begin().await?;
            for statement in [
                format!("DELETE FROM delivery_attempts WHERE delivery_id IN ({deliveries})"),
                format!("DELETE FROM deliveries WHERE id IN ({deliveries})"),
            ] {
                sqlx::query(&statement)
                    .bind(cutoff_ms)
                    .execute(&mut *tx)
                    .await?;
            }
            let deleted = sqlx::query(&format!(
                "DELETE FROM events WHERE seq IN (SELECT e.seq FROM events e WHERE {EVENT_GOES}
                   ORDER BY e.seq LIMIT {BATCH})"
            ))
            .bind(cutoff_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            deleted
        }
        Kind::Deliveries => {
            let batch = format!(
                "SELECT id FROM deliveries WHERE state IN ('delivered', 'dead') AND first_at < $1
                   ORDER BY seq LIMIT {BATCH}"
            );
            let mut tx = pool.begin().await?;
            sqlx::query(&format!(
                "DELETE FROM delivery_attempts WHERE delivery_id IN ({batch})"
            ))
            .bind(cutoff_ms)
            .execute(&mut *tx)
            .await?;
            let deleted = sqlx::query(&format!("DELETE FROM deliveries WHERE id IN ({batch})"))
                .bind(cutoff_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            deleted
        }
        Kind::Requests => delete_oldest(pool, "requests", "received_at < $1", cutoff_ms).await?,
        Kind::RawRequests => requests::drop_raw_batch(pool, cutoff_ms).await?,
        Kind::AuditLog => delete_oldest(pool, "audit_log", "at < $1", cutoff_ms).await?,
        Kind::ShadowDiffs => {
            delete_oldest(pool, "shadow_diffs", "recorded_at < $1", cutoff_ms).await?
        }
    })
}

/// Deletes one batch of the request log beyond its newest `keep` rows.
pub async fn cap_requests(pool: &AnyPool, keep: i64) -> Result<u64> {
    delete_oldest(
        pool,
        "requests",
        "seq <= (SELECT MAX(seq) FROM requests) - $1",
        keep,
    )
    .await
}

async fn delete_oldest(pool: &AnyPool, table: &str, condition: &str, bound: i64) -> Result<u64> {
    Ok(sqlx::query(&format!(
        "DELETE FROM {table} WHERE seq IN
           (SELECT seq FROM {table} WHERE {condition} ORDER BY seq LIMIT {BATCH})"
    ))
    .bind(bound)
    .execute(pool)
    .await?
    .rows_affected())
}
