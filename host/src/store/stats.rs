//! What the console's overview shows, read without scanning the request log:
//! per-minute counts of the log (`request_counts`), kept by the group commit
//! in the transaction that writes the log rows, and counts the indexes answer.
//!
//! Each batch adds one row per distinct `(minute, source, outcome)` key
//! ([`tally`]); a rejection is counted under its reason code
//! (`bad_signature`, ...), see
//! [`super::requests::RequestRecord::count_key`]. The events
//! stored are counted per source the same way ([`stored_by_source`]).

use super::writer::{CountKey, Done, Job, Stored};
use anyhow::Result;
use sqlx::AnyPool;
use std::collections::BTreeMap;

/// The batch's log rows and its counts of throttled requests ([`Job::Count`]),
/// by key (in key order, so replicas upsert the same rows in the same order
/// and cannot deadlock).
pub(super) fn tally<'a>(jobs: impl Iterator<Item = &'a Job>) -> BTreeMap<CountKey, i64> {
    let mut counts = BTreeMap::new();
    for job in jobs {
        if let Job::Count(throttled) = job {
            for (key, n) in throttled {
                *counts.entry(key.clone()).or_insert(0) += n;
            }
        }
        let Some(record) = job.request_record() else {
            continue;
        };
        let key = (
            record.received_at.div_euclid(60_000),
            record.source_id.clone().unwrap_or_default(),
            record.count_key(),
        );
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

/// The events a batch stored (its jobs with what each made), by source.
pub(super) fn stored_by_source<'a>(
    jobs: impl Iterator<Item = (&'a Job, &'a Done)>,
) -> BTreeMap<&'a str, i64> {
    let mut counts = BTreeMap::new();
    for (job, done) in jobs {
        match (job, done) {
            (Job::Ingest(job, _), Done::Stored(Stored::Accepted(ids))) => {
                *counts.entry(job.source_id.as_str()).or_insert(0) += ids.len() as i64;
            }
            // An attempt's alert: a new event each time (its dedup id names
            // the attempt).
            (Job::Record(record, _), Done::Written) => {
                if let Some(alert) = &record.alert {
                    *counts.entry(alert.source_id.as_str()).or_insert(0) +=
                        alert.events.len() as i64;
                }
            }
            _ => {}
        }
    }
    counts
}

/// Adds `$2` to a source's stored events.
pub(super) const ADD_EVENTS: &str = "INSERT INTO event_counts (source_id, n) VALUES ($1, $2)
     ON CONFLICT (source_id) DO UPDATE SET n = event_counts.n + excluded.n";

/// Adds `$4` to the count of one key (SQLite: once per key of a batch).
pub(super) const UPSERT: &str = "INSERT INTO request_counts (minute, source_id, outcome, n)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (minute, source_id, outcome) DO UPDATE SET n = request_counts.n + excluded.n";

/// The counts from epoch minute `since` on (of one source, if given), in
/// buckets of `width` minutes: `(bucket index, outcome, n)`, read off the
/// primary key.
pub async fn counts_since(
    pool: &AnyPool,
    since: i64,
    width: i64,
    source_id: Option<&str>,
) -> Result<Vec<(i64, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT (minute - $1) / $2 AS bucket, outcome, CAST(SUM(n) AS BIGINT) FROM request_counts
         WHERE minute >= $3 AND ($4 IS NULL OR source_id = $5)
         GROUP BY 1, outcome",
    )
    .bind(since)
    .bind(width)
    .bind(since)
    .bind(source_id)
    .bind(source_id)
    .fetch_all(pool)
    .await?)
}

/// What is kept: events stored (kept per source in `event_counts` by the
/// group commit, as the request counts are), deliveries pending and dead
/// (counted on the `(state, due_at)` index).
#[derive(Debug, Default)]
pub struct Totals {
    pub events_stored: i64,
    pub outbox_pending: i64,
    pub dead_letters: i64,
}

/// [`Totals`] now (of one source, if given).
pub async fn totals(pool: &AnyPool, source_id: Option<&str>) -> Result<Totals> {
    let events_stored = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM event_counts
         WHERE $1 IS NULL OR source_id = $2",
    )
    .bind(source_id)
    .bind(source_id)
    .fetch_one(pool)
    .await?;
    let deliveries = |state: &'static str| async move {
        let count: i64 = match source_id {
            None => {
                sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE state = $1")
                    .bind(state)
                    .fetch_one(pool)
                    .await?
            }
            Some(id) => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM deliveries d JOIN events e ON e.id = d.event_id
                     WHERE d.state = $1 AND e.source_id = $2",
                )
                .bind(state)
                .bind(id)
                .fetch_one(pool)
                .await?
            }
        };
        anyhow::Ok(count)
    };
    Ok(Totals {
        events_stored,
        outbox_pending: deliveries("pending").await?,
        dead_letters: deliveries("dead").await?,
    })
}
