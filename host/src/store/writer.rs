//! Group commit: one task owns the only write connection and commits the
//! requests that arrived meanwhile in one transaction.
//!
//! Ingest handlers send a job and wait for its reply, which comes only after
//! the `COMMIT` that made it durable; that is what allows the 2xx. While one
//! batch commits (an fsync), the next one gathers, so throughput grows with
//! concurrency while every answer still waits for its own fsync. Deduplication
//! happens inside the transaction (`ON CONFLICT DO NOTHING` on the
//! `(source_id, dedup_id)` key), so two concurrent redeliveries cannot both
//! store an event.

use super::Database;
use super::events::NewEvent;
use super::requests::{self, AdapterRef, RequestRecord};
use crate::metrics::Metrics;
use anyhow::{Context as _, Result};
use sqlx::{Connection, SqliteConnection};
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Most jobs committed in one transaction.
const MAX_BATCH: usize = 512;
/// Jobs waiting for the writer before senders wait too (back-pressure).
const QUEUE: usize = 4096;

/// Verified events of one request, with its request-log row.
pub struct IngestJob {
    pub source_id: String,
    pub adapter: AdapterRef,
    pub request_id: String,
    pub received_at: i64,
    pub events: Vec<NewEvent>,
    /// Written with outcome `accepted` or `duplicate`, decided here.
    pub record: RequestRecord,
}

/// What the transaction made of an ingest job.
#[derive(Debug)]
pub enum Stored {
    /// Ids of the events that were new.
    Accepted(Vec<String>),
    /// Every event was already stored: a redelivery.
    Duplicate,
}

enum Job {
    Ingest(Box<IngestJob>, oneshot::Sender<Result<Stored>>),
    Log(Box<RequestRecord>, oneshot::Sender<Result<Stored>>),
}

/// Handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the write connection and starts the task.
    pub async fn start(db: &Database, metrics: Arc<Metrics>) -> Result<Writer> {
        let conn = SqliteConnection::connect_with(&db.options)
            .await
            .context("opening the write connection")?;
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(conn, queue, metrics));
        Ok(Writer { jobs })
    }

    /// Stores the events and the raw request; returns once committed.
    pub async fn ingest(&self, job: IngestJob) -> Result<Stored> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Ingest(Box::new(job), reply), answer).await
    }

    /// Appends a request-log row; returns once committed.
    pub async fn log(&self, record: RequestRecord) -> Result<()> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Log(Box::new(record), reply), answer)
            .await
            .map(drop)
    }

    async fn submit(&self, job: Job, answer: oneshot::Receiver<Result<Stored>>) -> Result<Stored> {
        self.jobs
            .send(job)
            .await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("the database writer dropped the job"))?
    }
}

async fn run(mut conn: SqliteConnection, mut queue: mpsc::Receiver<Job>, metrics: Arc<Metrics>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let started = std::time::Instant::now();
        let committed = commit(&mut conn, &mut batch).await;
        metrics.observe_commit(batch.len(), started.elapsed());
        match committed {
            Ok(results) => {
                for (job, result) in batch.drain(..).zip(results) {
                    reply(job, Ok(result));
                }
            }
            // One bad job must not fail its neighbours: retry each alone.
            Err(e) if batch.len() > 1 => {
                tracing::warn!(
                    "batch of {} failed ({e:#}); committing one by one",
                    batch.len()
                );
                for job in batch.drain(..) {
                    let mut single = vec![job];
                    let result = commit(&mut conn, &mut single)
                        .await
                        .map(|mut r| r.remove(0));
                    reply(single.remove(0), result);
                }
            }
            Err(e) => {
                tracing::error!("commit failed: {e:#}");
                for job in batch.drain(..) {
                    reply(job, Err(anyhow::anyhow!("commit failed: {e:#}")));
                }
            }
        }
    }
}

fn reply(job: Job, result: Result<Stored>) {
    let sender = match job {
        Job::Ingest(_, sender) | Job::Log(_, sender) => sender,
    };
    // The handler may have given up (client gone); the data is committed anyway.
    let _ = sender.send(result);
}

/// Applies every job in one transaction; nothing is written unless all are.
/// Whatever the batch size, that is two multi-row INSERTs per table chunk, not
/// one statement per row: each statement is a round trip to SQLite's thread.
async fn commit(conn: &mut SqliteConnection, batch: &mut [Job]) -> Result<Vec<Stored>> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let inserted = insert_events(&mut tx, batch).await?;
    let mut results = Vec::with_capacity(batch.len());
    for job in batch.iter_mut() {
        results.push(match job {
            Job::Ingest(job, _) => settle(job, &inserted),
            Job::Log(..) => Stored::Duplicate,
        });
    }
    let records: Vec<&RequestRecord> = batch
        .iter()
        .map(|job| match job {
            Job::Ingest(job, _) => &job.record,
            Job::Log(record, _) => record.as_ref(),
        })
        .collect();
    requests::insert_many(&mut tx, &records).await?;
    tx.commit().await?;
    Ok(results)
}

/// Most event rows in one INSERT (12 columns each).
const EVENTS_PER_INSERT: usize = 1000;

/// Inserts every event of the batch, skipping (source, dedup id) pairs that
/// exist; returns the ids of the rows actually inserted.
async fn insert_events(conn: &mut SqliteConnection, batch: &[Job]) -> Result<HashSet<String>> {
    let rows: Vec<(&IngestJob, &NewEvent)> = batch
        .iter()
        .filter_map(|job| match job {
            Job::Ingest(job, _) => Some(job.as_ref()),
            Job::Log(..) => None,
        })
        .flat_map(|job| job.events.iter().map(move |event| (job, event)))
        .collect();
    let mut inserted = HashSet::with_capacity(rows.len());
    for chunk in rows.chunks(EVENTS_PER_INSERT) {
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO events (id, source_id, type, dedup_id, subject, occurred_at, received_at,
                plugin, plugin_version, plugin_hash, request_id, data) ",
        );
        insert.push_values(chunk, |mut row, (job, event)| {
            row.push_bind(&event.id)
                .push_bind(&job.source_id)
                .push_bind(&event.event_type)
                .push_bind(&event.dedup_id)
                .push_bind(&event.subject)
                .push_bind(event.occurred_at)
                .push_bind(job.received_at)
                .push_bind(&job.adapter.name)
                .push_bind(&job.adapter.version)
                .push_bind(&job.adapter.hash)
                .push_bind(&job.request_id)
                .push_bind(&event.data);
        });
        insert.push(" ON CONFLICT (source_id, dedup_id) DO NOTHING RETURNING id");
        let ids: Vec<(String,)> = insert.build_query_as().fetch_all(&mut *conn).await?;
        inserted.extend(ids.into_iter().map(|(id,)| id));
    }
    Ok(inserted)
}

/// Decides a job's outcome from what was inserted, and completes its log row.
fn settle(job: &mut IngestJob, inserted: &HashSet<String>) -> Stored {
    let ids: Vec<String> = job
        .events
        .iter()
        .filter(|e| inserted.contains(&e.id))
        .map(|e| e.id.clone())
        .collect();
    let duplicate = ids.is_empty() && !job.events.is_empty();
    job.record.outcome = if duplicate { "duplicate" } else { "accepted" }.into();
    job.record.event_count = ids.len() as i64;
    if duplicate {
        job.record.raw = None; // the first delivery's copy is kept already
    }
    if duplicate {
        Stored::Duplicate
    } else {
        Stored::Accepted(ids)
    }
}
