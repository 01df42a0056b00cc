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
        let conn = SqliteConnection::connect_with(&db.options).await.context("opening the write connection")?;
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
        self.submit(Job::Log(Box::new(record), reply), answer).await.map(drop)
    }

    async fn submit(&self, job: Job, answer: oneshot::Receiver<Result<Stored>>) -> Result<Stored> {
        self.jobs.send(job).await.map_err(|_| anyhow::anyhow!("the database writer has stopped"))?;
        answer.await.map_err(|_| anyhow::anyhow!("the database writer dropped the job"))?
    }
}

async fn run(mut conn: SqliteConnection, mut queue: mpsc::Receiver<Job>, metrics: Arc<Metrics>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        metrics.observe_batch(batch.len());
        match commit(&mut conn, &mut batch).await {
            Ok(results) => {
                for (job, result) in batch.drain(..).zip(results) {
                    reply(job, Ok(result));
                }
            }
            // One bad job must not fail its neighbours: retry each alone.
            Err(e) if batch.len() > 1 => {
                tracing::warn!("batch of {} failed ({e:#}); committing one by one", batch.len());
                for job in batch.drain(..) {
                    let mut single = vec![job];
                    let result = commit(&mut conn, &mut single).await.map(|mut r| r.remove(0));
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
async fn commit(conn: &mut SqliteConnection, batch: &mut [Job]) -> Result<Vec<Stored>> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let mut results = Vec::with_capacity(batch.len());
    for job in batch.iter_mut() {
        results.push(match job {
            Job::Ingest(job, _) => apply(&mut tx, job).await?,
            Job::Log(record, _) => {
                requests::insert(&mut tx, record).await?;
                Stored::Duplicate
            }
        });
    }
    tx.commit().await?;
    Ok(results)
}

async fn apply(conn: &mut SqliteConnection, job: &mut IngestJob) -> Result<Stored> {
    let mut inserted = Vec::with_capacity(job.events.len());
    for event in &job.events {
        let done = sqlx::query(
            "INSERT INTO events (id, source_id, type, dedup_id, subject, occurred_at, received_at,
                plugin, plugin_version, plugin_hash, request_id, data)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (source_id, dedup_id) DO NOTHING",
        )
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
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 1 {
            inserted.push(event.id.clone());
        }
    }
    let duplicate = inserted.is_empty() && !job.events.is_empty();
    job.record.outcome = if duplicate { "duplicate" } else { "accepted" }.into();
    job.record.event_count = inserted.len() as i64;
    if duplicate {
        job.record.raw = None; // the first delivery's copy is kept already
    }
    requests::insert(conn, &job.record).await?;
    Ok(if duplicate { Stored::Duplicate } else { Stored::Accepted(inserted) })
}
