//! PostgreSQL's side of the group commit: one transaction per batch on a
//! pooled connection, one statement per table for all of its rows.
//!
//! The loop runs on the writer's thread; each batch is driven to completion
//! there on the server's runtime (`Handle::block_on`). Rows go in as arrays
//! (`unnest`): a round trip per row cost more than the commit itself. Several
//! replicas write at once, so claims take rows with `FOR UPDATE SKIP LOCKED`
//! ([`crate::store::claim`]). A failing statement fails the whole batch,
//! which the loop then commits again one job at a time.

use crate::store::claim::{self, ClaimRequest, Claimed, ClaimedRow, ClaimedRowWithKey};
use crate::store::events::{self, NewEvent, StoredEvent};
use crate::store::outbox::{self, AttemptRecord, CoalesceRoute, NextStep, Route};
use crate::store::requests::RequestRecord;
use crate::store::retention::Prune;
use crate::store::stats;
use crate::store::writer::{Batches, Done, Effects, IngestJob, Job, JobResult, Release};
use anyhow::Result;
use sqlx::postgres::PgPool;
use sqlx::{PgConnection, Row as _};
use std::collections::HashMap;
use tokio::runtime::Handle;

pub(super) struct PgBatches {
    pub(super) pool: PgPool,
    pub(super) runtime: Handle,
}

impl Batches for PgBatches {
    fn commit(&mut self, batch: &mut [Job], effects: &mut Effects) -> Result<Vec<JobResult>> {
        self.runtime.block_on(commit(&self.pool, batch, effects))
    }
}

/// Applies every job in one transaction; results come back in order.
async fn commit(pool: &PgPool, batch: &mut [Job], effects: &mut Effects) -> Result<Vec<JobResult>> {
    let mut tx = pool.begin().await?;
    let inserted = insert_events(&mut tx, batch).await?;
    // The new events of each job, and their outbox rows (with the replays'),
    // before the jobs are concluded (which needs them mutably).
    let mut new_ids = Vec::with_capacity(batch.len());
    let mut deliveries = DeliveryColumns::default();
    for job in batch.iter() {
        let mut ids = Vec::new();
        if let Some(job) = job.new_events() {
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
        if let Job::Enqueue(planned, now, _) = job {
            for (event_id, routes) in planned.iter() {
                for route in routes {
                    deliveries.push(event_id, route, *now);
                }
            }
            effects.outbox_rows();
        }
        new_ids.push(ids);
    }
    insert_deliveries(&mut tx, deliveries).await?;
    let mut results: Vec<Option<Done>> = batch
        .iter_mut()
        .zip(new_ids)
        .map(|(job, ids)| match job {
            Job::Ingest(job, _) => Some(Done::Stored(job.conclude(ids))),
            Job::Record(record, _) => {
                if let Some(alert) = &mut record.alert {
                    alert.conclude(ids);
                }
                Some(Done::Written)
            }
            Job::Log(..) | Job::Enqueue(..) | Job::Flush(_) | Job::Count(..) => Some(Done::Written),
            // Leases here may be another live replica's; expired ones are
            // claimable anyway.
            Job::ReleaseLeases(Release::Orphaned, _) => Some(Done::Count(0)),
            // Autovacuum reuses the space of deleted rows.
            Job::Prune(Prune::GiveBackPages, _) => Some(Done::Count(0)),
            Job::Claim(..)
            | Job::RequeueDead(..)
            | Job::ReleaseLeases(Release::These(_), _)
            | Job::Prune(..) => None,
        })
        .collect();
    let done = batch
        .iter()
        .zip(&results)
        .filter_map(|(job, done)| Some((job, done.as_ref()?)));
    log_and_count(&mut tx, batch, stats::stored_by_source(done)).await?;
    let attempts = batch.iter().filter_map(|job| match job {
        Job::Record(record, _) => Some((&record.attempt, record.now)),
        _ => None,
    });
    record_attempts(&mut tx, attempts).await?;
    for (job, result) in batch.iter().zip(results.iter_mut()) {
        match job {
            Job::RequeueDead(destination_id, now, _) => {
                let requeued = sqlx::query(outbox::REQUEUE_DEAD)
                    .bind(now)
                    .bind(destination_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected() as usize;
                if requeued > 0 {
                    effects.outbox_rows();
                }
                *result = Some(Done::Count(requeued));
            }
            Job::Claim(request, _) => {
                *result = Some(Done::Claimed(claim_rows(&mut tx, request).await?));
            }
            Job::Prune(prune, _) if !matches!(prune, Prune::GiveBackPages) => {
                let mut count = 0;
                for statement in prune.statements() {
                    let query = sqlx::query(&statement).bind(prune.bound());
                    let query = match prune.source() {
                        Some(source) => query.bind(source),
                        None => query,
                    };
                    count = query.execute(&mut *tx).await?.rows_affected() as usize;
                }
                *result = Some(Done::Count(count));
            }
            Job::ReleaseLeases(Release::These(ids), _) => {
                let released = sqlx::query(outbox::RELEASE_LEASES_OF)
                    .bind(ids)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected() as usize;
                if released > 0 {
                    effects.outbox_rows();
                }
                *result = Some(Done::Count(released));
            }
            _ => {}
        }
    }
    tx.commit().await?;
    Ok(results
        .into_iter()
        .map(|done| done.ok_or_else(|| "no result".to_string()))
        .collect())
}

/// The claim algorithm ([`claim`]) in the batch's transaction.
async fn claim_rows(conn: &mut PgConnection, request: &ClaimRequest) -> Result<Vec<Claimed>> {
    let rows = sqlx::query(&claim::CLAIM.replace("{lock}", "FOR UPDATE SKIP LOCKED"))
        .bind(&request.destination_id)
        .bind(request.now)
        .bind(request.limit as i64)
        .bind(request.lease_until)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| {
            Ok(ClaimedRowWithKey {
                row: ClaimedRow {
                    seq: row.try_get(0)?,
                    id: row.try_get(1)?,
                    attempts: row.try_get(2)?,
                    retry_base: row.try_get(3)?,
                },
                event_id: row.try_get(4)?,
                coalesce_key: row.try_get(5)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let batches = claim::batches(rows);
    let ids = claim::event_ids(&batches);
    let by_id: HashMap<String, StoredEvent> = sqlx::query_as(events::BY_IDS)
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|event: StoredEvent| (event.id.clone(), event))
        .collect();
    claim::assemble(batches, &by_id)
}

/// Inserts the events of every ingest job in `batch`, skipping known dedup
/// ids (also between two jobs of the batch); the new ones' `seq` by event id.
async fn insert_events(conn: &mut PgConnection, batch: &[Job]) -> Result<HashMap<String, i64>> {
    let mut columns = EventColumns::default();
    for job in batch.iter().filter_map(Job::new_events) {
        for event in &job.events {
            columns.push(job, event);
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

/// The batch's request-log rows and its additions to the per-minute request
/// counts and the per-source event counts, in one statement (data-modifying
/// `WITH` parts all run, read or not): one round trip instead of three, on a
/// server that shares the two cores with us (BENCHMARKS.md, "Side by side").
const LOG_AND_COUNT: &str = "WITH logged AS (
        INSERT INTO requests (id, source_id, received_at, method, path,
            query, remote_ip, user_agent, outcome, reason, status, latency_us, plugin,
            plugin_version, plugin_hash, event_count, raw_key_id, raw_sealed)
        SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],
            $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[],
            $12::bigint[], $13::text[], $14::text[], $15::text[], $16::bigint[], $17::text[],
            $18::bytea[])
    ), counted AS (
        INSERT INTO request_counts (minute, source_id, outcome, n)
        SELECT * FROM unnest($19::bigint[], $20::text[], $21::text[], $22::bigint[])
        ON CONFLICT (minute, source_id, outcome) DO UPDATE SET n = request_counts.n + excluded.n
    ), stored AS (
        INSERT INTO event_counts (source_id, n)
        SELECT * FROM unnest($23::text[], $24::bigint[])
        ON CONFLICT (source_id) DO UPDATE SET n = event_counts.n + excluded.n
    )
    SELECT 1";

/// Writes the batch's log rows and counts ([`LOG_AND_COUNT`]); nothing when
/// the batch has none.
async fn log_and_count(
    conn: &mut PgConnection,
    batch: &[Job],
    stored: std::collections::BTreeMap<&str, i64>,
) -> Result<()> {
    let mut columns = RequestColumns::default();
    for record in batch.iter().filter_map(Job::request_record) {
        columns.push(record);
    }
    let counts = stats::tally(batch.iter());
    if columns.id.is_empty() && counts.is_empty() && stored.is_empty() {
        return Ok(());
    }
    let (mut minutes, mut sources, mut outcomes, mut ns) = (vec![], vec![], vec![], vec![]);
    for ((minute, source, outcome), n) in counts {
        minutes.push(minute);
        sources.push(source);
        outcomes.push(outcome);
        ns.push(n);
    }
    let (stored_sources, stored_ns): (Vec<&str>, Vec<i64>) = stored.into_iter().unzip();
    sqlx::query(LOG_AND_COUNT)
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
        .bind(minutes)
        .bind(sources)
        .bind(outcomes)
        .bind(ns)
        .bind(stored_sources)
        .bind(stored_ns)
        .execute(conn)
        .await?;
    Ok(())
}

/// The request-log part of [`LOG_AND_COUNT`]: its arrays, one element per request.
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
        self.outcome.push(record.outcome.as_str());
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
    let ids: Vec<String> = rows
        .event_id
        .iter()
        .map(|_| crate::store::ids::new_id("dlv"))
        .collect();
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
