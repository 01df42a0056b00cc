//! SQLite's side of the group commit: the only write connection, whole
//! transactions on the writer's thread.
//!
//! The transaction runs with cached prepared statements through rusqlite, on
//! the same SQLite library sqlx links: with sqlx every statement was a
//! hand-off to the connection's own thread, and on a busy 2-core machine
//! those hand-offs, not the fsync, limited ingest. Kept over sqlx because an
//! alternating A/B of the two builds (2026-12-04, four runs each) gave
//! rusqlite 37 % more durable ingest, ahead in every pair (BENCHMARKS.md,
//! "End-to-end ingest on loopback"). Each job runs in a savepoint, so one that
//! fails is undone alone.
//! The connection checkpoints the WAL itself after a commit that takes it past
//! [`CHECKPOINT_PAGES`]: as the only writer it sees every frame backfilled,
//! so the next transaction restarts the WAL from its beginning (a
//! checkpointer on another connection never caught up, and the WAL grew by
//! ~100 MB/s under load).

use crate::store::claim::{self, ClaimRequest, ClaimedRow, ClaimedRowWithKey};
use crate::store::events::{self, StoredEvent};
use crate::store::ids::new_id;
use crate::store::outbox::{self, AttemptRecord, NextStep, Route};
use crate::store::requests::{self, RequestRecord};
use crate::store::retention::{self, Prune};
use crate::store::stats;
use crate::store::writer::{Batches, Done, Effects, IngestJob, Job, JobResult, Release};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// WAL pages after which the writer copies the WAL back into the database.
const CHECKPOINT_PAGES: u32 = 1000;
/// Bytes the WAL file is truncated to after it restarts.
const WAL_SIZE_LIMIT: i64 = 64 << 20;

pub(super) struct SqliteBatches {
    conn: Connection,
}

impl SqliteBatches {
    /// The write connection, with the same durability settings as the pool.
    pub(super) fn open(path: &Path) -> rusqlite::Result<SqliteBatches> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "wal_autocheckpoint", CHECKPOINT_PAGES)?;
        conn.query_row(
            &format!("PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}"),
            [],
            |_| Ok(()),
        )?;
        conn.pragma_update(None, "foreign_keys", true)?;
        Ok(SqliteBatches { conn })
    }

    pub(super) fn last_event_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?)
    }
}

impl Batches for SqliteBatches {
    fn commit(&mut self, batch: &mut [Job], effects: &mut Effects) -> Result<Vec<JobResult>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut results = Vec::with_capacity(batch.len());
        for job in batch.iter_mut() {
            let mut own = Effects::default();
            let result = in_savepoint(&tx, |tx| apply(tx, job, &mut own));
            match result {
                Ok(done) => {
                    effects.merge(own);
                    results.push(Ok(done));
                }
                Err(e) => {
                    tracing::warn!("a job failed and was undone alone: {e}");
                    results.push(Err(e.to_string()));
                }
            }
        }
        // The log rows of the jobs that were written, counted per key.
        let written = batch
            .iter()
            .zip(&results)
            .filter(|(_, result)| result.is_ok())
            .map(|(job, _)| job);
        let mut upsert = tx.prepare_cached(stats::UPSERT)?;
        for ((minute, source, outcome), n) in stats::tally(written) {
            upsert.execute(params![minute, source, outcome, n])?;
        }
        drop(upsert);
        let done = batch
            .iter()
            .zip(&results)
            .filter_map(|(job, result)| Some((job, result.as_ref().ok()?)));
        let mut add = tx.prepare_cached(stats::ADD_EVENTS)?;
        for (source, n) in stats::stored_by_source(done) {
            add.execute(params![source, n])?;
        }
        drop(add);
        tx.commit()?;
        Ok(results)
    }
}

/// Runs `work` in a savepoint: its writes are undone if it fails.
fn in_savepoint<T>(
    conn: &Connection,
    work: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    // Cached like the inserts, not parsed again for every job.
    conn.prepare_cached("SAVEPOINT job")?.execute([])?;
    match work(conn) {
        Ok(value) => {
            conn.prepare_cached("RELEASE job")?.execute([])?;
            Ok(value)
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK TO job; RELEASE job")?;
            Err(e)
        }
    }
}

/// One job's writes.
fn apply(conn: &Connection, job: &mut Job, effects: &mut Effects) -> rusqlite::Result<Done> {
    Ok(match job {
        Job::Ingest(job, _) => Done::Stored(ingest(conn, job, effects)?),
        Job::Log(record, _) => {
            insert_request(conn, record)?;
            Done::Written
        }
        Job::Record(record, _) => {
            record_attempt(conn, &record.attempt, record.now)?;
            if let Some(alert) = &mut record.alert {
                ingest(conn, alert, effects)?;
            }
            Done::Written
        }
        Job::Claim(request, _) => Done::Claimed(claim(conn, request)?),
        Job::RequeueDead(destination_id, now, _) => {
            let requeued =
                conn.execute(outbox::REQUEUE_DEAD, params![*now, destination_id.as_str()])?;
            if requeued > 0 {
                effects.outbox_rows();
            }
            Done::Count(requeued)
        }
        Job::Enqueue(planned, now, _) => {
            for (event_id, routes) in planned.iter() {
                insert_routes(conn, event_id, routes, *now)?;
            }
            effects.outbox_rows();
            Done::Written
        }
        Job::ReleaseLeases(Release::Orphaned, _) => {
            Done::Count(conn.execute(outbox::RELEASE_LEASES, [])?)
        }
        Job::ReleaseLeases(Release::These(ids), _) => {
            let mut released = 0;
            for id in ids {
                released += conn.execute(outbox::RELEASE_LEASE, [id.as_str()])?;
            }
            if released > 0 {
                effects.outbox_rows();
            }
            Done::Count(released)
        }
        Job::Flush(_) => Done::Written,
        Job::Prune(Prune::GiveBackPages, _) => Done::Count(give_back_pages(conn)?),
        Job::Prune(prune, _) => {
            let mut count = 0;
            for statement in prune.statements() {
                count = match prune.source() {
                    Some(source) => conn.execute(&statement, params![prune.bound(), source])?,
                    None => conn.execute(&statement, [prune.bound()])?,
                };
            }
            Done::Count(count)
        }
        // Written with the batch's other counts.
        Job::Count(_) => Done::Written,
    })
}

/// Gives up to [`retention::PAGES`] free pages back to the file system, in a
/// file with `auto_vacuum=INCREMENTAL` (older files reuse them instead).
fn give_back_pages(conn: &Connection) -> rusqlite::Result<usize> {
    let mode: i64 = conn.query_row("PRAGMA auto_vacuum", [], |row| row.get(0))?;
    let free = |conn: &Connection| -> rusqlite::Result<i64> {
        conn.query_row("PRAGMA freelist_count", [], |row| row.get(0))
    };
    let before = free(conn)?;
    if mode != 2 || before == 0 {
        return Ok(0);
    }
    // It frees one page per step (a row each).
    let mut vacuum = conn.prepare(&format!("PRAGMA incremental_vacuum({})", retention::PAGES))?;
    let mut steps = vacuum.query([])?;
    while steps.next()?.is_some() {}
    Ok((before - free(conn)?).max(0) as usize)
}

/// Inserts one request's events (skipping known dedup ids), their outbox rows
/// and its log row.
fn ingest(
    conn: &Connection,
    job: &mut IngestJob,
    effects: &mut Effects,
) -> rusqlite::Result<crate::store::writer::Stored> {
    let mut insert = conn.prepare_cached(events::INSERT)?;
    let mut inserted = Vec::with_capacity(job.events.len());
    for (index, event) in job.events.iter().enumerate() {
        let seq: Option<i64> = insert
            .query_row(
                params![
                    event.id,
                    job.source_id,
                    event.event_type,
                    event.dedup_id,
                    event.subject,
                    event.occurred_at,
                    job.received_at,
                    job.adapter.name,
                    job.adapter.version,
                    job.adapter.hash,
                    job.request_id,
                    event.data,
                ],
                |row| row.get(0),
            )
            .optional()?;
        let Some(seq) = seq else { continue };
        let routes = job.routes_of(index);
        insert_routes(conn, &event.id, routes, job.received_at)?;
        effects.stored_event(seq, !routes.is_empty());
        inserted.push(event.id.clone());
    }
    let stored = job.conclude(inserted);
    if let Some(record) = &job.record {
        insert_request(conn, record)?;
    }
    Ok(stored)
}

/// Appends one request-log row.
fn insert_request(conn: &Connection, record: &RequestRecord) -> rusqlite::Result<()> {
    let adapter = record.adapter.as_ref();
    let raw = record.raw.as_ref();
    conn.prepare_cached(requests::INSERT)?.execute(params![
        record.id,
        record.source_id,
        record.received_at,
        record.method,
        record.path,
        record.query,
        record.remote_ip,
        record.user_agent,
        record.outcome.as_str(),
        record.reason,
        record.status,
        record.latency_us,
        adapter.map(|a| &a.name),
        adapter.map(|a| &a.version),
        adapter.map(|a| &a.hash),
        record.event_count,
        raw.map(|r| &r.key_id),
        raw.map(|r| &r.sealed),
    ])?;
    Ok(())
}

/// Inserts the delivery rows of one stored event.
fn insert_routes(
    conn: &Connection,
    event_id: &str,
    routes: &[Route],
    now: i64,
) -> rusqlite::Result<()> {
    let mut insert = conn.prepare_cached(outbox::INSERT_DELIVERY)?;
    for route in routes {
        let coalesce = route.coalesce.as_ref();
        insert.execute(params![
            new_id("dlv"),
            event_id,
            route.destination_id,
            route.due_at(now),
            coalesce.map(|c| &c.key),
            now
        ])?;
        if let Some(coalesce) = coalesce {
            conn.prepare_cached(outbox::COALESCE_DUE)?.execute(params![
                coalesce.max_wait_ms,
                route.due_at(now),
                route.destination_id,
                coalesce.key
            ])?;
        }
    }
    Ok(())
}

/// Writes an attempt's result and frees its rows' lease.
fn record_attempt(conn: &Connection, record: &AttemptRecord, now: i64) -> rusqlite::Result<()> {
    let mut attempt = conn.prepare_cached(outbox::RECORD_ATTEMPT)?;
    let mut update = conn.prepare_cached(outbox::RECORD_RESULT)?;
    let (state, due_at, delivered_at) = outbox::next_state(&record.next, now);
    let answer = record.answer.as_ref();
    for id in &record.delivery_ids {
        attempt.execute(params![
            record.started_at,
            record.duration_us,
            record.status,
            record.error,
            answer.map(|a| &a.status_line),
            answer.map(|a| &a.body),
            id
        ])?;
        update.execute(params![
            record.status,
            record.error,
            state,
            due_at,
            delivered_at,
            id
        ])?;
    }
    if let NextStep::DisableDestination(reason) = &record.next {
        conn.execute(
            outbox::DISABLE_DESTINATION,
            params![reason, now, record.destination_id],
        )?;
    }
    Ok(())
}

/// The claim algorithm ([`claim`](mod@crate::store::claim)) on the write connection.
fn claim(
    conn: &Connection,
    request: &ClaimRequest,
) -> rusqlite::Result<Vec<crate::store::claim::Claimed>> {
    let rows = conn
        .prepare_cached(&claim::CLAIM.replace("{lock}", ""))?
        .query_map(
            params![
                request.destination_id,
                request.now,
                request.limit as i64,
                request.lease_until
            ],
            |row| {
                Ok(ClaimedRowWithKey {
                    row: ClaimedRow {
                        seq: row.get(0)?,
                        id: row.get(1)?,
                        attempts: row.get(2)?,
                        retry_base: row.get(3)?,
                    },
                    event_id: row.get(4)?,
                    coalesce_key: row.get(5)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let batches = claim::batches(rows);
    let mut by_id = HashMap::new();
    for id in claim::event_ids(&batches) {
        by_id.insert(id.clone(), event(conn, &id)?);
    }
    claim::assemble(batches, &by_id).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))
}

fn event(conn: &Connection, id: &str) -> rusqlite::Result<StoredEvent> {
    conn.prepare_cached(events::BY_ID)?.query_row([id], |row| {
        Ok(StoredEvent {
            seq: row.get(0)?,
            xid: 0,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::events::NewEvent;
    use crate::store::requests::AdapterRef;
    use crate::store::writer::Stored;
    use tokio::sync::oneshot;

    fn log_row(id: &str) -> RequestRecord {
        RequestRecord {
            id: id.into(),
            source_id: None,
            received_at: 1,
            method: "POST".into(),
            path: "/webhooks/x".into(),
            query: String::new(),
            remote_ip: None,
            user_agent: None,
            outcome: crate::store::requests::LogOutcome::UnknownSource,
            reason: None,
            rejection: None,
            status: 404,
            latency_us: 1,
            adapter: None,
            event_count: 0,
            raw: None,
        }
    }

    fn ingest_job(event_id: &str, dedup: &str) -> IngestJob {
        IngestJob {
            source_id: "src_1".into(),
            adapter: AdapterRef {
                name: "a".into(),
                version: "1".into(),
                hash: "h".into(),
            },
            request_id: format!("req_{event_id}"),
            received_at: 1,
            events: vec![NewEvent {
                id: event_id.into(),
                event_type: "t".into(),
                dedup_id: dedup.into(),
                subject: None,
                occurred_at: None,
                data: "{}".into(),
            }],
            routes: vec![vec![]],
            record: Some(log_row(&format!("req_{event_id}"))),
        }
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |row| row.get(0)).unwrap()
    }

    /// One bad job in a batch fails alone: the jobs beside it commit, and
    /// each gets its own answer.
    #[tokio::test]
    async fn one_bad_job_does_not_fail_its_neighbours() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        super::super::Sqlite::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let mut batches = SqliteBatches::open(&path).unwrap();
        insert_request(&batches.conn, &log_row("req_taken")).unwrap();

        let mut batch = vec![
            Job::Ingest(Box::new(ingest_job("evt_a", "d-a")), oneshot::channel().0),
            // The request log's id is unique: this row cannot be written.
            Job::Log(Box::new(log_row("req_taken")), oneshot::channel().0),
            Job::ReleaseLeases(Release::Orphaned, oneshot::channel().0),
            Job::Ingest(Box::new(ingest_job("evt_b", "d-b")), oneshot::channel().0),
        ];
        let mut effects = Effects::default();
        let results = batches.commit(&mut batch, &mut effects).unwrap();
        assert!(matches!(results[0], Ok(Done::Stored(Stored::Accepted(_)))));
        assert!(results[1].is_err(), "the bad job gets its error");
        assert!(matches!(results[2], Ok(Done::Count(0))));
        assert!(matches!(results[3], Ok(Done::Stored(Stored::Accepted(_)))));
        let conn = &batches.conn;
        assert_eq!(count(conn, "SELECT COUNT(*) FROM events"), 2);
        assert_eq!(
            count(
                conn,
                "SELECT COUNT(*) FROM requests WHERE id IN ('req_evt_a', 'req_evt_b')"
            ),
            2
        );
    }
}
