//! PostgreSQL's write path: group commit for ingest, row claims for the outbox.
//!
//! Ingest gathers concurrent requests into one transaction, as on SQLite: a
//! task takes what arrived while the previous batch committed and commits it
//! on a pooled connection, so one WAL flush serves the whole batch. Unlike
//! SQLite, several replicas write at once, so the outbox is claimed with
//! `FOR UPDATE SKIP LOCKED`: each replica's drainer takes rows no other
//! transaction holds, and leases them (`lease_until`) for the attempt, which
//! happens outside the transaction. Statements are the shared ones of
//! [`super::outbox`], [`super::events`] and [`super::requests`].

use super::events::{self, StoredEvent};
use super::outbox::{self, AttemptRecord, Claimed, ClaimedRow, NextStep, Route};
use super::requests::{self, RequestRecord};
use super::writer::{Commit, Effects, IngestJob, MAX_BATCH, QUEUE, Signals, Stored};
use crate::metrics::Metrics;
use anyhow::Result;
use sqlx::postgres::PgPool;
use sqlx::{PgConnection, Row as _};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;

/// Handle to the batching task.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Commit>,
    pub pool: PgPool,
}

impl Writer {
    pub fn start(pool: PgPool, metrics: Arc<Metrics>, signals: Arc<Signals>) -> Writer {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool.clone(), queue, metrics, signals));
        Writer { jobs, pool }
    }

    /// Queues a commit; false when the task has stopped.
    pub(super) async fn send(&self, commit: Commit) -> bool {
        self.jobs.send(commit).await.is_ok()
    }
}

async fn run(
    pool: PgPool,
    mut queue: mpsc::Receiver<Commit>,
    metrics: Arc<Metrics>,
    signals: Arc<Signals>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let started = Instant::now();
        let mut effects = Effects::default();
        let committed = commit(&pool, &mut batch, &mut effects).await;
        metrics.observe_commit(batch.len(), started.elapsed());
        match committed {
            Ok(results) => {
                effects.announce(&signals);
                for (job, result) in batch.drain(..).zip(results) {
                    job.reply(Ok(result));
                }
            }
            // One bad job must not fail its neighbours: retry each alone.
            Err(e) if batch.len() > 1 => {
                tracing::warn!(
                    "batch of {} failed ({e}); committing one by one",
                    batch.len()
                );
                for job in batch.drain(..) {
                    let mut single = vec![job];
                    let mut effects = Effects::default();
                    let result = commit(&pool, &mut single, &mut effects)
                        .await
                        .map(|mut r| r.remove(0));
                    if result.is_ok() {
                        effects.announce(&signals);
                    }
                    single.remove(0).reply(result);
                }
            }
            Err(e) => {
                tracing::error!("commit failed: {e:#}");
                for job in batch.drain(..) {
                    job.reply(Err(anyhow::anyhow!("commit failed: {e:#}")));
                }
            }
        }
    }
}

/// Applies every job in one transaction; results come back in order.
async fn commit(pool: &PgPool, batch: &mut [Commit], effects: &mut Effects) -> Result<Vec<Stored>> {
    let mut tx = pool.begin().await?;
    let mut results = Vec::with_capacity(batch.len());
    for job in batch.iter_mut() {
        match job {
            Commit::Ingest(job, _) => results.push(apply(&mut tx, job, effects).await?),
            Commit::Log(record, _) => {
                insert_request(&mut tx, record).await?;
                results.push(Stored::Duplicate);
            }
        }
    }
    tx.commit().await?;
    Ok(results)
}

/// Inserts one request's events (skipping known dedup ids), their outbox rows
/// and its log row.
async fn apply(
    conn: &mut PgConnection,
    job: &mut IngestJob,
    effects: &mut Effects,
) -> Result<Stored> {
    let mut inserted = Vec::with_capacity(job.events.len());
    for (index, event) in job.events.iter().enumerate() {
        let seq: Option<i64> = sqlx::query_scalar(events::INSERT)
            .bind(&event.id)
            .bind(&job.source_id)
            .bind(&event.event_type)
            .bind(&event.dedup_id)
            .bind(&event.subject)
            .bind(event.occurred_at)
            .bind(job.received_at)
            .bind(&job.adapter.name)
            .bind(&job.adapter.version)
            .bind(&job.adapter.hash)
            .bind(&job.request_id)
            .bind(&event.data)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(seq) = seq else { continue };
        let routes = job.routes_of(index);
        insert_routes(&mut *conn, &event.id, routes, job.received_at).await?;
        effects.stored_event(seq, !routes.is_empty());
        inserted.push(event.id.clone());
    }
    let stored = job.conclude(inserted);
    insert_request(conn, &job.record).await?;
    Ok(stored)
}

async fn insert_request(conn: &mut PgConnection, record: &RequestRecord) -> Result<()> {
    let adapter = record.adapter.as_ref();
    let raw = record.raw.as_ref();
    sqlx::query(requests::INSERT)
        .bind(&record.id)
        .bind(&record.source_id)
        .bind(record.received_at)
        .bind(&record.method)
        .bind(&record.path)
        .bind(&record.query)
        .bind(&record.remote_ip)
        .bind(&record.user_agent)
        .bind(&record.outcome)
        .bind(&record.reason)
        .bind(i64::from(record.status))
        .bind(record.latency_us)
        .bind(adapter.map(|a| &a.name))
        .bind(adapter.map(|a| &a.version))
        .bind(adapter.map(|a| &a.hash))
        .bind(record.event_count)
        .bind(raw.map(|r| &r.headers))
        .bind(raw.map(|r| &r.body))
        .execute(conn)
        .await?;
    Ok(())
}

/// Inserts the delivery rows of one stored event.
async fn insert_routes(
    conn: &mut PgConnection,
    event_id: &str,
    routes: &[Route],
    now: i64,
) -> Result<()> {
    for route in routes {
        let coalesce = route.coalesce.as_ref();
        sqlx::query(outbox::INSERT_DELIVERY)
            .bind(super::new_id("dlv"))
            .bind(event_id)
            .bind(&route.destination_id)
            .bind(route.due_at(now))
            .bind(coalesce.map(|c| &c.key))
            .bind(now)
            .execute(&mut *conn)
            .await?;
        if let Some(coalesce) = coalesce {
            sqlx::query(outbox::COALESCE_DUE)
                .bind(coalesce.max_wait_ms)
                .bind(route.due_at(now))
                .bind(&route.destination_id)
                .bind(&coalesce.key)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Adds delivery rows for stored events (replays), in one transaction.
pub async fn enqueue(pool: &PgPool, planned: &[(String, Vec<Route>)], now: i64) -> Result<()> {
    let mut tx = pool.begin().await?;
    for (event_id, routes) in planned {
        insert_routes(&mut tx, event_id, routes, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn claimed_row(row: &sqlx::postgres::PgRow) -> Result<ClaimedRow, sqlx::Error> {
    Ok(ClaimedRow {
        seq: row.try_get(0)?,
        id: row.try_get(1)?,
        attempts: row.try_get(2)?,
    })
}

/// Claims up to `limit` due batches of one destination until `lease_until`,
/// skipping rows another replica's claim holds.
pub async fn claim(
    pool: &PgPool,
    destination_id: &str,
    limit: usize,
    now: i64,
    lease_until: i64,
) -> Result<Vec<Claimed>> {
    let mut tx = pool.begin().await?;
    let rows = sqlx::query(&outbox::CLAIM.replace("{lock}", "FOR UPDATE SKIP LOCKED"))
        .bind(lease_until)
        .bind(destination_id)
        .bind(now)
        .bind(limit as i64)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| Ok((claimed_row(row)?, row.try_get(3)?, row.try_get(4)?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;

    let (mut batches, groups) = outbox::into_batches(rows);
    for (key, at) in &groups {
        // Rows another replica claimed meanwhile wait for its commit and then
        // fail the lease test, so no row joins two batches.
        let more = sqlx::query(outbox::CLAIM_SIBLINGS)
            .bind(lease_until)
            .bind(destination_id)
            .bind(key)
            .bind(now)
            .fetch_all(&mut *tx)
            .await?;
        for row in &more {
            batches[*at].0.push((claimed_row(row)?, row.try_get(3)?));
        }
    }

    let mut claimed = Vec::with_capacity(batches.len());
    for (mut rows, coalesced) in batches {
        rows.sort_by_key(|(row, _)| row.seq);
        let mut events = Vec::with_capacity(rows.len());
        for (_, event_id) in &rows {
            let event: StoredEvent = sqlx::query_as(events::BY_ID)
                .bind(event_id)
                .fetch_one(&mut *tx)
                .await?;
            events.push(event);
        }
        claimed.push(Claimed {
            deliveries: rows.into_iter().map(|(row, _)| row).collect(),
            events,
            coalesced,
        });
    }
    tx.commit().await?;
    Ok(claimed)
}

/// Writes an attempt's result and frees its rows' lease.
pub async fn record(pool: &PgPool, record: &AttemptRecord, now: i64) -> Result<()> {
    let (state, due_at, delivered_at) = outbox::next_state(&record.next, now);
    let status = record.status.map(i64::from);
    let mut tx = pool.begin().await?;
    for id in &record.delivery_ids {
        sqlx::query(outbox::RECORD_ATTEMPT)
            .bind(record.started_at)
            .bind(record.duration_us)
            .bind(status)
            .bind(&record.error)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(outbox::RECORD_RESULT)
            .bind(status)
            .bind(&record.error)
            .bind(state)
            .bind(due_at)
            .bind(delivered_at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    if let NextStep::DisableDestination(reason) = &record.next {
        sqlx::query(outbox::DISABLE_DESTINATION)
            .bind(reason)
            .bind(now)
            .bind(&record.destination_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Puts a destination's dead letters back in line; returns how many.
pub async fn requeue_dead(pool: &PgPool, destination_id: &str, now: i64) -> Result<usize> {
    let done = sqlx::query(outbox::REQUEUE_DEAD)
        .bind(now)
        .bind(destination_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() as usize)
}
