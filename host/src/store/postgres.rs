//! PostgreSQL's write path: group commit for ingest, row claims for the outbox.
//!
//! Ingest gathers concurrent requests (and delivery attempts' results) into
//! one transaction, as on SQLite: a task takes what arrived while the
//! previous batch committed and commits it on a pooled connection, so one WAL
//! flush serves the whole batch, with one statement per table for all of its
//! rows (arrays and `unnest`: a round trip per row cost more than the
//! commit). Unlike
//! SQLite, several replicas write at once, so the outbox is claimed with
//! `FOR UPDATE SKIP LOCKED`: each replica's drainer takes rows no other
//! transaction holds, and leases them (`lease_until`) for the attempt, which
//! happens outside the transaction. Statements are the shared ones of
//! [`super::outbox`], [`super::events`] and [`super::requests`].

use super::events::{self, NewEvent, StoredEvent};
use super::outbox::{self, AttemptRecord, Claimed, ClaimedRow, CoalesceRoute, NextStep, Route};
use super::requests::{self, RequestRecord};
use super::writer::{Commit, Effects, IngestJob, MAX_BATCH, QUEUE, Signals, Stored};
use crate::metrics::Metrics;
use anyhow::Result;
use sqlx::postgres::PgPool;
use sqlx::{PgConnection, Row as _};
use std::collections::HashMap;
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

/// Applies every job in one transaction; results come back in order. The
/// events of the whole batch go in with one statement and the request-log
/// rows with another (arrays, `unnest`): a round trip per row would cost more
/// than the commit itself.
async fn commit(
    pool: &PgPool,
    batch: &mut [Commit],
    effects: &mut Effects,
) -> Result<Vec<Option<Stored>>> {
    let mut tx = pool.begin().await?;
    let inserted = insert_events(&mut tx, batch).await?;
    // The new events of each job, and their outbox rows, before the jobs
    // are concluded (which needs them mutably).
    let mut new_ids = Vec::with_capacity(batch.len());
    let mut deliveries = DeliveryColumns::default();
    for job in batch.iter() {
        let mut ids = Vec::new();
        if let Commit::Ingest(job, _) = job {
            for (index, event) in job.events.iter().enumerate() {
                let Some(&seq) = inserted.get(&event.id) else {
                    continue;
                };
                let routes = job.routes_of(index);
                for route in routes {
                    deliveries.push(&event.id, route, job.received_at);
                }
                effects.stored_event(seq, !routes.is_empty());
                ids.push(event.id.clone());
            }
        }
        new_ids.push(ids);
    }
    insert_deliveries(&mut tx, deliveries).await?;
    let results = batch
        .iter_mut()
        .zip(new_ids)
        .map(|(job, ids)| match job {
            Commit::Ingest(job, _) => Some(job.conclude(ids)),
            _ => None,
        })
        .collect();
    let records = batch.iter().filter_map(|job| match job {
        Commit::Ingest(job, _) => Some(&job.record),
        Commit::Log(record, _) => Some(record.as_ref()),
        Commit::Record(..) => None,
    });
    insert_requests(&mut tx, records).await?;
    let attempts = batch.iter().filter_map(|job| match job {
        Commit::Record(attempt, _) => Some((&attempt.0, attempt.1)),
        _ => None,
    });
    record_attempts(&mut tx, attempts).await?;
    tx.commit().await?;
    Ok(results)
}

/// Inserts the events of every ingest job in `batch`, skipping known dedup
/// ids (also between two jobs of the batch); the new ones' `seq` by event id.
async fn insert_events(conn: &mut PgConnection, batch: &[Commit]) -> Result<HashMap<String, i64>> {
    let mut columns = EventColumns::default();
    for job in batch {
        if let Commit::Ingest(job, _) = job {
            for event in &job.events {
                columns.push(job, event);
            }
        }
    }
    if columns.id.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, i64)> = sqlx::query_as(events::INSERT_MANY)
        .bind(columns.id)
        .bind(columns.source_id)
        .bind(columns.event_type)
        .bind(columns.dedup_id)
        .bind(columns.subject)
        .bind(columns.occurred_at)
        .bind(columns.received_at)
        .bind(columns.plugin)
        .bind(columns.plugin_version)
        .bind(columns.plugin_hash)
        .bind(columns.request_id)
        .bind(columns.data)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// [`events::INSERT_MANY`]'s arrays, one element per event.
#[derive(Default)]
struct EventColumns<'a> {
    id: Vec<&'a str>,
    source_id: Vec<&'a str>,
    event_type: Vec<&'a str>,
    dedup_id: Vec<&'a str>,
    subject: Vec<Option<&'a str>>,
    occurred_at: Vec<Option<i64>>,
    received_at: Vec<i64>,
    plugin: Vec<&'a str>,
    plugin_version: Vec<&'a str>,
    plugin_hash: Vec<&'a str>,
    request_id: Vec<&'a str>,
    data: Vec<&'a str>,
}

impl<'a> EventColumns<'a> {
    fn push(&mut self, job: &'a IngestJob, event: &'a NewEvent) {
        self.id.push(&event.id);
        self.source_id.push(&job.source_id);
        self.event_type.push(&event.event_type);
        self.dedup_id.push(&event.dedup_id);
        self.subject.push(event.subject.as_deref());
        self.occurred_at.push(event.occurred_at);
        self.received_at.push(job.received_at);
        self.plugin.push(&job.adapter.name);
        self.plugin_version.push(&job.adapter.version);
        self.plugin_hash.push(&job.adapter.hash);
        self.request_id.push(&job.request_id);
        self.data.push(&event.data);
    }
}

/// Appends request-log rows, one statement for all of them.
async fn insert_requests<'a>(
    conn: &mut PgConnection,
    records: impl Iterator<Item = &'a RequestRecord>,
) -> Result<()> {
    let mut columns = RequestColumns::default();
    for record in records {
        columns.push(record);
    }
    if columns.id.is_empty() {
        return Ok(());
    }
    sqlx::query(requests::INSERT_MANY)
        .bind(columns.id)
        .bind(columns.source_id)
        .bind(columns.received_at)
        .bind(columns.method)
        .bind(columns.path)
        .bind(columns.query)
        .bind(columns.remote_ip)
        .bind(columns.user_agent)
        .bind(columns.outcome)
        .bind(columns.reason)
        .bind(columns.status)
        .bind(columns.latency_us)
        .bind(columns.plugin)
        .bind(columns.plugin_version)
        .bind(columns.plugin_hash)
        .bind(columns.event_count)
        .bind(columns.raw_key_id)
        .bind(columns.raw_sealed)
        .execute(conn)
        .await?;
    Ok(())
}

/// [`requests::INSERT_MANY`]'s arrays, one element per request.
#[derive(Default)]
struct RequestColumns<'a> {
    id: Vec<&'a str>,
    source_id: Vec<Option<&'a str>>,
    received_at: Vec<i64>,
    method: Vec<&'a str>,
    path: Vec<&'a str>,
    query: Vec<&'a str>,
    remote_ip: Vec<Option<&'a str>>,
    user_agent: Vec<Option<&'a str>>,
    outcome: Vec<&'a str>,
    reason: Vec<Option<&'a str>>,
    status: Vec<i64>,
    latency_us: Vec<i64>,
    plugin: Vec<Option<&'a str>>,
    plugin_version: Vec<Option<&'a str>>,
    plugin_hash: Vec<Option<&'a str>>,
    event_count: Vec<i64>,
    raw_key_id: Vec<Option<&'a str>>,
    raw_sealed: Vec<Option<&'a [u8]>>,
}

impl<'a> RequestColumns<'a> {
    fn push(&mut self, record: &'a RequestRecord) {
        let adapter = record.adapter.as_ref();
        let raw = record.raw.as_ref();
        self.id.push(&record.id);
        self.source_id.push(record.source_id.as_deref());
        self.received_at.push(record.received_at);
        self.method.push(&record.method);
        self.path.push(&record.path);
        self.query.push(&record.query);
        self.remote_ip.push(record.remote_ip.as_deref());
        self.user_agent.push(record.user_agent.as_deref());
        self.outcome.push(&record.outcome);
        self.reason.push(record.reason.as_deref());
        self.status.push(i64::from(record.status));
        self.latency_us.push(record.latency_us);
        self.plugin.push(adapter.map(|a| a.name.as_str()));
        self.plugin_version
            .push(adapter.map(|a| a.version.as_str()));
        self.plugin_hash.push(adapter.map(|a| a.hash.as_str()));
        self.event_count.push(record.event_count);
        self.raw_key_id.push(raw.map(|r| r.key_id.as_str()));
        self.raw_sealed.push(raw.map(|r| r.sealed.as_slice()));
    }
}

/// Inserts delivery rows, one statement for all of them, then, in order,
/// the due time of each coalescing group a row joined.
async fn insert_deliveries(conn: &mut PgConnection, rows: DeliveryColumns<'_>) -> Result<()> {
    if rows.event_id.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = rows.event_id.iter().map(|_| super::new_id("dlv")).collect();
    sqlx::query(outbox::INSERT_DELIVERIES)
        .bind(ids)
        .bind(&rows.event_id)
        .bind(&rows.destination_id)
        .bind(&rows.due_at)
        .bind(&rows.coalesce_key)
        .bind(&rows.first_at)
        .execute(&mut *conn)
        .await?;
    for (destination_id, coalesce, due_at) in rows.coalesced {
        sqlx::query(outbox::COALESCE_DUE)
            .bind(coalesce.max_wait_ms)
            .bind(due_at)
            .bind(destination_id)
            .bind(&coalesce.key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// [`outbox::INSERT_DELIVERIES`]'s arrays, one element per delivery row, and
/// for each row that joins a coalescing group: its destination, group and
/// due time.
#[derive(Default)]
struct DeliveryColumns<'a> {
    event_id: Vec<&'a str>,
    destination_id: Vec<&'a str>,
    due_at: Vec<i64>,
    coalesce_key: Vec<Option<&'a str>>,
    first_at: Vec<i64>,
    coalesced: Vec<(&'a str, &'a CoalesceRoute, i64)>,
}

impl<'a> DeliveryColumns<'a> {
    fn push(&mut self, event_id: &'a str, route: &'a Route, now: i64) {
        let coalesce = route.coalesce.as_ref();
        let due_at = route.due_at(now);
        self.event_id.push(event_id);
        self.destination_id.push(&route.destination_id);
        self.due_at.push(due_at);
        self.coalesce_key.push(coalesce.map(|c| c.key.as_str()));
        self.first_at.push(now);
        if let Some(coalesce) = coalesce {
            self.coalesced
                .push((&route.destination_id, coalesce, due_at));
        }
    }
}

/// Adds delivery rows for stored events (replays), in one transaction.
pub async fn enqueue(pool: &PgPool, planned: &[(String, Vec<Route>)], now: i64) -> Result<()> {
    let mut rows = DeliveryColumns::default();
    for (event_id, routes) in planned {
        for route in routes {
            rows.push(event_id, route, now);
        }
    }
    let mut tx = pool.begin().await?;
    insert_deliveries(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(())
}

fn claimed_row(row: &sqlx::postgres::PgRow) -> Result<ClaimedRow, sqlx::Error> {
    Ok(ClaimedRow {
        seq: row.try_get(0)?,
        id: row.try_get(1)?,
        attempts: row.try_get(2)?,
        retry_base: row.try_get(3)?,
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
        .map(|row| Ok((claimed_row(row)?, row.try_get(4)?, row.try_get(5)?)))
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
            batches[*at].0.push((claimed_row(row)?, row.try_get(4)?));
        }
    }

    let event_ids: Vec<&str> = batches
        .iter()
        .flat_map(|(rows, _)| rows.iter().map(|(_, event_id)| event_id.as_str()))
        .collect();
    let by_id: HashMap<String, StoredEvent> = sqlx::query_as(events::BY_IDS)
        .bind(&event_ids)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|event: StoredEvent| (event.id.clone(), event))
        .collect();
    let mut claimed = Vec::with_capacity(batches.len());
    for (mut rows, coalesced) in batches {
        rows.sort_by_key(|(row, _)| row.seq);
        let mut events = Vec::with_capacity(rows.len());
        for (_, event_id) in &rows {
            // Several deliveries (destinations) may carry one event.
            let event = by_id
                .get(event_id)
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("claimed delivery of missing event {event_id}"))?;
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

/// Writes attempts' results (`(record, written at)`) and frees their rows'
/// leases: one statement for the attempt rows and one for the deliveries'
/// states, whatever the number of attempts.
async fn record_attempts<'a>(
    conn: &mut PgConnection,
    attempts: impl Iterator<Item = (&'a AttemptRecord, i64)>,
) -> Result<()> {
    let mut columns = AttemptColumns::default();
    for (record, now) in attempts {
        columns.push(record, now);
        if let NextStep::DisableDestination(reason) = &record.next {
            sqlx::query(outbox::DISABLE_DESTINATION)
                .bind(reason)
                .bind(now)
                .bind(&record.destination_id)
                .execute(&mut *conn)
                .await?;
        }
    }
    if columns.id.is_empty() {
        return Ok(());
    }
    sqlx::query(outbox::RECORD_ATTEMPTS)
        .bind(&columns.id)
        .bind(&columns.started_at)
        .bind(&columns.duration_us)
        .bind(&columns.status)
        .bind(&columns.error)
        .bind(&columns.response_status_line)
        .bind(&columns.response_body)
        .execute(&mut *conn)
        .await?;
    sqlx::query(outbox::RECORD_RESULTS)
        .bind(&columns.id)
        .bind(&columns.status)
        .bind(&columns.error)
        .bind(&columns.state)
        .bind(&columns.due_at)
        .bind(&columns.delivered_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The arrays of [`outbox::RECORD_ATTEMPTS`] and [`outbox::RECORD_RESULTS`],
/// one element per delivery row an attempt carried.
#[derive(Default)]
struct AttemptColumns<'a> {
    id: Vec<&'a str>,
    started_at: Vec<i64>,
    duration_us: Vec<i64>,
    status: Vec<Option<i64>>,
    error: Vec<Option<&'a str>>,
    response_status_line: Vec<Option<&'a str>>,
    response_body: Vec<Option<&'a str>>,
    state: Vec<&'static str>,
    due_at: Vec<Option<i64>>,
    delivered_at: Vec<Option<i64>>,
}

impl<'a> AttemptColumns<'a> {
    fn push(&mut self, record: &'a AttemptRecord, now: i64) {
        let (state, due_at, delivered_at) = outbox::next_state(&record.next, now);
        for id in &record.delivery_ids {
            self.id.push(id);
            self.started_at.push(record.started_at);
            self.duration_us.push(record.duration_us);
            self.status.push(record.status.map(i64::from));
            self.error.push(record.error.as_deref());
            let answer = record.answer.as_ref();
            self.response_status_line
                .push(answer.map(|a| a.status_line.as_str()));
            self.response_body.push(answer.map(|a| a.body.as_str()));
            self.state.push(state);
            self.due_at.push(due_at);
            self.delivered_at.push(delivered_at);
        }
    }
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
