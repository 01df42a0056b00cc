//! Group commit: ingest writes are gathered and committed together, one
//! transaction per batch; also the outbox writes, whose form each backend
//! decides.
//!
//! On SQLite one thread owns the only write connection and commits the
//! requests that arrived meanwhile in one transaction (below); on PostgreSQL
//! a task does the same on pooled connections ([`super::postgres`]).
//!
//! Ingest handlers send a job and wait for its reply, which comes only after
//! the `COMMIT` that made it durable; that is what allows the 2xx. While one
//! batch commits (an fsync), the next one gathers, so throughput grows with
//! concurrency while every answer still waits for its own fsync. The whole
//! transaction runs on this one thread with cached prepared statements
//! (rusqlite, on the same SQLite library sqlx links): with sqlx every statement
//! was a hand-off to another thread, and on a busy 2-core machine those
//! hand-offs, not the fsync, limited ingest (BENCHMARKS.md). Deduplication
//! happens inside the transaction (`ON CONFLICT DO NOTHING` on the
//! `(source_id, dedup_id)` key), so two concurrent redeliveries cannot both
//! store an event. The outbox rows of each new event are written in the same
//! transaction ([`super::outbox`]). Delivery attempts' results join the
//! batches like ingest jobs ([`Commit::Record`]); the drainer's claims and
//! replays run here too on SQLite. Every job of a batch runs in its own
//! savepoint: one that fails is undone and answered alone, and its
//! neighbours commit (a failing attempt record once failed the claims beside
//! it, and the same delivery went out again and again).

use super::events::{self, NewEvent};
use super::outbox::{self, AttemptRecord, Claimed, Route};
use super::requests::{self, AdapterRef, RequestRecord};
use super::{Backend, Database, postgres};
use crate::metrics::Metrics;
use anyhow::{Context as _, Result};
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Notify, mpsc, oneshot, watch};

/// Most jobs committed in one transaction.
pub(super) const MAX_BATCH: usize = 512;
/// Jobs waiting for the writer before senders wait too (back-pressure).
pub(super) const QUEUE: usize = 4096;

/// Verified events of one request, with its request-log row.
pub struct IngestJob {
    pub source_id: String,
    pub adapter: AdapterRef,
    pub request_id: String,
    pub received_at: i64,
    pub events: Vec<NewEvent>,
    /// Where each event goes (same order as `events`); written only for the
    /// events that are new.
    pub routes: Vec<Vec<Route>>,
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

/// Called once the batch holding the job committed (`Ok`) or failed.
type Finish = Box<dyn FnOnce(Result<(), String>) + Send>;
/// Work on the write connection, inside the batch's transaction.
type Work = Box<dyn FnOnce(&Connection) -> Finish + Send>;
/// Where a committed job's result goes: what the transaction made of an
/// ingest job, or only that a log or attempt row was written.
pub(super) type Reply<T> = oneshot::Sender<Result<T>>;

/// What both backends commit in batches.
pub(super) enum Commit {
    Ingest(Box<IngestJob>, Reply<Stored>),
    Log(Box<RequestRecord>, Reply<()>),
    /// A delivery attempt's result, written at the given time (ms).
    Record(Box<(AttemptRecord, i64)>, Reply<()>),
}

impl Commit {
    /// Answers the job once its transaction committed (with what it made of
    /// an ingest job; `None` for the others) or failed.
    pub(super) fn reply(self, result: Result<Option<Stored>>) {
        // The handler may have given up (client gone); the data is committed anyway.
        match self {
            Commit::Ingest(_, sender) => {
                let stored = result.and_then(|stored| {
                    stored.ok_or_else(|| anyhow::anyhow!("the writer returned no result"))
                });
                let _ = sender.send(stored);
            }
            Commit::Log(_, sender) | Commit::Record(_, sender) => {
                let _ = sender.send(result.map(drop));
            }
        }
    }
}

/// The SQLite thread's jobs: commits, and other work on its connection.
enum Job {
    Commit(Commit),
    Run(Work),
}

/// What committed data tells the rest of the server.
pub struct Signals {
    /// Woken after a commit that wrote outbox rows.
    pub outbox: Notify,
    /// The highest committed event `seq`, for consumers tailing events.
    pub events: watch::Sender<i64>,
}

/// Handle to the writer; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    engine: Engine,
    pub signals: Arc<Signals>,
}

#[derive(Clone)]
enum Engine {
    Sqlite(mpsc::Sender<Job>),
    Postgres(postgres::Writer),
}

impl Writer {
    /// Starts the writer: SQLite's thread with its own connection, or the
    /// PostgreSQL batching task.
    pub async fn start(db: &Database, metrics: Arc<Metrics>) -> Result<Writer> {
        let (engine, signals) = match &db.backend {
            Backend::Sqlite(path) => {
                let conn = open(path).with_context(|| {
                    format!("opening the write connection to {}", path.display())
                })?;
                let last_seq: i64 =
                    conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?;
                let signals = Signals::new(last_seq);
                let (jobs, queue) = mpsc::channel(QUEUE);
                let thread_signals = signals.clone();
                std::thread::Builder::new()
                    .name("hookyard-writer".into())
                    .spawn(move || run(conn, queue, metrics, thread_signals))
                    .context("starting the writer thread")?;
                (Engine::Sqlite(jobs), signals)
            }
            Backend::Postgres(pool) => {
                let last_seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events")
                    .fetch_one(pool)
                    .await?;
                let signals = Signals::new(last_seq);
                let writer = postgres::Writer::start(pool.clone(), metrics, signals.clone());
                (Engine::Postgres(writer), signals)
            }
        };
        Ok(Writer { engine, signals })
    }

    /// Stores the events and the raw request; returns once committed.
    pub async fn ingest(&self, job: IngestJob) -> Result<Stored> {
        self.commit(|reply| Commit::Ingest(Box::new(job), reply))
            .await
    }

    /// Appends a request-log row; returns once committed.
    pub async fn log(&self, record: RequestRecord) -> Result<()> {
        self.commit(|reply| Commit::Log(Box::new(record), reply))
            .await
    }

    async fn commit<T>(&self, job: impl FnOnce(Reply<T>) -> Commit) -> Result<T> {
        let (reply, answer) = oneshot::channel();
        let sent = match &self.engine {
            Engine::Sqlite(jobs) => jobs.send(Job::Commit(job(reply))).await.is_ok(),
            Engine::Postgres(writer) => writer.send(job(reply)).await,
        };
        if !sent {
            anyhow::bail!("the database writer has stopped");
        }
        answer
            .await
            .map_err(|_| anyhow::anyhow!("the database writer dropped the job"))?
    }

    /// Frees the leases left by a process that died mid-attempt. Only on
    /// SQLite, where this process is the only drainer: on PostgreSQL a lease
    /// may be another live replica's, and expired ones are claimable anyway.
    pub async fn release_leases(&self) -> Result<usize> {
        match &self.engine {
            Engine::Sqlite(jobs) => run_on(jobs, outbox::release_leases).await,
            Engine::Postgres(_) => Ok(0),
        }
    }

    /// Claims up to `limit` due batches of a destination until `lease_until`.
    pub async fn claim(
        &self,
        destination_id: String,
        limit: usize,
        now: i64,
        lease_until: i64,
    ) -> Result<Vec<Claimed>> {
        match &self.engine {
            Engine::Sqlite(jobs) => {
                run_on(jobs, move |conn| {
                    outbox::claim(conn, &destination_id, limit, now, lease_until)
                })
                .await
            }
            Engine::Postgres(writer) => {
                postgres::claim(&writer.pool, &destination_id, limit, now, lease_until).await
            }
        }
    }

    /// Writes an attempt's result and frees its rows' lease. It rides the
    /// group commit like ingest: with many attempts in flight, one
    /// transaction (one fsync) records the results of all that finished.
    pub async fn record(&self, record: AttemptRecord, now: i64) -> Result<()> {
        self.commit(|reply| Commit::Record(Box::new((record, now)), reply))
            .await
    }

    /// Puts a destination's dead letters back in line; returns how many.
    pub async fn requeue_dead(&self, destination_id: String, now: i64) -> Result<usize> {
        match &self.engine {
            Engine::Sqlite(jobs) => {
                run_on(jobs, move |conn| {
                    outbox::requeue_dead(conn, &destination_id, now)
                })
                .await
            }
            Engine::Postgres(writer) => {
                postgres::requeue_dead(&writer.pool, &destination_id, now).await
            }
        }
    }

    /// Adds delivery rows for stored events (replays): `(event id, routes)`.
    pub async fn enqueue(&self, planned: Vec<(String, Vec<Route>)>, now: i64) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(jobs) => {
                run_on(jobs, move |conn| {
                    for (event_id, routes) in &planned {
                        outbox::insert_routes(conn, event_id, routes, now)?;
                    }
                    Ok(())
                })
                .await
            }
            Engine::Postgres(writer) => postgres::enqueue(&writer.pool, &planned, now).await,
        }
    }
}

impl Signals {
    fn new(last_event_seq: i64) -> Arc<Signals> {
        Arc::new(Signals {
            outbox: Notify::new(),
            events: watch::channel(last_event_seq).0,
        })
    }
}

/// Runs `work` on the SQLite write connection inside a group-commit
/// transaction (in its own savepoint) and returns its result once committed.
async fn run_on<T: Send + 'static>(
    jobs: &mpsc::Sender<Job>,
    work: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T> {
    {
        let (reply, answer) = oneshot::channel();
        let job = Job::Run(Box::new(move |conn: &Connection| {
            let result = in_savepoint(conn, work);
            Box::new(move |committed: Result<(), String>| {
                let outcome = match (committed, result) {
                    (Ok(()), Ok(value)) => Ok(value),
                    (_, Err(e)) => Err(anyhow::Error::from(e)),
                    (Err(e), Ok(_)) => Err(anyhow::anyhow!("commit failed: {e}")),
                };
                let _ = reply.send(outcome);
            }) as Finish
        }));
        jobs.send(job)
            .await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("the database writer dropped the job"))?
    }
}

/// WAL pages after which the writer copies the WAL back into the database.
const CHECKPOINT_PAGES: u32 = 1000;
/// Bytes the WAL file is truncated to after it restarts.
const WAL_SIZE_LIMIT: i64 = 64 << 20;

/// The write connection, with the same durability settings as the pool.
///
/// The writer checkpoints itself, right after a commit that takes the WAL past
/// [`CHECKPOINT_PAGES`]: as the only writer it sees every frame backfilled, so
/// the next transaction restarts the WAL from its beginning. A checkpointer on
/// another connection never caught up with a writer committing hundreds of
/// times a second, so the WAL never restarted and grew by ~100 MB/s under load
/// (1.09 GB after a 10-second benchmark; BENCHMARKS.md).
fn open(path: &std::path::Path) -> rusqlite::Result<Connection> {
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
    Ok(conn)
}

/// Runs `work` in a savepoint: its writes are undone if it fails.
fn in_savepoint<T>(
    conn: &Connection,
    work: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.execute_batch("SAVEPOINT job")?;
    match work(conn) {
        Ok(value) => {
            conn.execute_batch("RELEASE job")?;
            Ok(value)
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK TO job; RELEASE job")?;
            Err(e)
        }
    }
}

fn run(
    mut conn: Connection,
    mut queue: mpsc::Receiver<Job>,
    metrics: Arc<Metrics>,
    signals: Arc<Signals>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let started = Instant::now();
        let mut finishers = Vec::new();
        let mut effects = Effects::default();
        let committed = commit(&mut conn, &mut batch, &mut finishers, &mut effects);
        metrics.observe_commit(batch.len(), started.elapsed());
        let commit_error = committed.as_ref().err().map(|e| e.to_string());
        for finish in finishers {
            finish(commit_error.clone().map_or(Ok(()), Err));
        }
        if committed.is_ok() {
            effects.announce(&signals);
        }
        batch.retain(|job| !matches!(job, Job::Run(_)));
        match committed {
            Ok(results) => {
                for (job, result) in batch.drain(..).zip(results) {
                    reply(job, result.map_err(anyhow::Error::from));
                }
            }
            Err(e) => {
                tracing::error!("commit failed: {e}");
                for job in batch.drain(..) {
                    reply(job, Err(anyhow::anyhow!("commit failed: {e}")));
                }
            }
        }
    }
}

fn reply(job: Job, result: Result<Option<Stored>>) {
    if let Job::Commit(commit) = job {
        commit.reply(result);
    }
}

/// What a batch wrote that others wait for; announced after its commit.
#[derive(Default)]
pub(super) struct Effects {
    outbox_rows: bool,
    last_event_seq: Option<i64>,
}

impl Effects {
    /// Notes a new event, and whether it has deliveries.
    pub(super) fn stored_event(&mut self, seq: i64, with_deliveries: bool) {
        self.last_event_seq = Some(self.last_event_seq.map_or(seq, |last| last.max(seq)));
        self.outbox_rows |= with_deliveries;
    }

    /// Adds what another job of the same batch wrote.
    pub(super) fn merge(&mut self, other: Effects) {
        self.outbox_rows |= other.outbox_rows;
        if let Some(seq) = other.last_event_seq {
            self.stored_event(seq, false);
        }
    }

    pub(super) fn announce(&self, signals: &Signals) {
        if self.outbox_rows {
            signals.outbox.notify_one();
        }
        if let Some(seq) = self.last_event_seq {
            signals.events.send_if_modified(|last| {
                let newer = seq > *last;
                if newer {
                    *last = seq;
                }
                newer
            });
        }
    }
}

/// Applies every job in one transaction, each in its own savepoint: a job
/// that fails is undone alone and answered with its error, and its
/// neighbours still commit (one bad job must not fail the others). `Run`
/// jobs consume themselves and leave a finisher, called after commit; the
/// other jobs' results come back in order (what the transaction made of each
/// ingest job; `None` for log and attempt rows). The batch fails as a whole
/// only when the transaction itself cannot begin or commit.
#[allow(clippy::type_complexity)]
fn commit(
    conn: &mut Connection,
    batch: &mut [Job],
    finishers: &mut Vec<Finish>,
    effects: &mut Effects,
) -> rusqlite::Result<Vec<rusqlite::Result<Option<Stored>>>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(batch.len());
    for job in batch.iter_mut() {
        match job {
            Job::Run(_) => {
                let Job::Run(work) = std::mem::replace(job, Job::Run(Box::new(noop_work))) else {
                    unreachable!("matched Run above")
                };
                finishers.push(work(&tx));
            }
            Job::Commit(commit) => {
                let mut own = Effects::default();
                let result = in_savepoint(&tx, |tx| apply_commit(tx, commit, &mut own));
                if result.is_ok() {
                    effects.merge(own);
                } else if let Err(e) = &result {
                    tracing::warn!("a job failed and was undone alone: {e}");
                }
                results.push(result);
            }
        }
    }
    tx.commit()?;
    Ok(results)
}

/// One commit job's writes.
fn apply_commit(
    tx: &Connection,
    commit: &mut Commit,
    effects: &mut Effects,
) -> rusqlite::Result<Option<Stored>> {
    match commit {
        Commit::Ingest(job, _) => apply(tx, job, effects).map(Some),
        Commit::Log(record, _) => requests::insert(tx, record).map(|_| None),
        Commit::Record(attempt, _) => {
            let (record, now) = attempt.as_ref();
            outbox::record(tx, record, *now).map(|_| None)
        }
    }
}

/// Stands in for a `Run` job already consumed.
fn noop_work(_: &Connection) -> Finish {
    Box::new(|_| {})
}

/// Inserts one request's events (skipping known dedup ids), their outbox rows
/// and its log row.
fn apply(
    conn: &Connection,
    job: &mut IngestJob,
    effects: &mut Effects,
) -> rusqlite::Result<Stored> {
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
        outbox::insert_routes(conn, &event.id, routes, job.received_at)?;
        effects.stored_event(seq, !routes.is_empty());
        inserted.push(event.id.clone());
    }
    let stored = job.conclude(inserted);
    requests::insert(conn, &job.record)?;
    Ok(stored)
}

impl IngestJob {
    /// Where the event at `index` goes (nothing when the router chose none).
    pub(super) fn routes_of(&self, index: usize) -> &[Route] {
        self.routes.get(index).map_or(&[], Vec::as_slice)
    }

    /// Settles the request-log row once the new events are known: accepted,
    /// or a duplicate (whose raw copy the first delivery already keeps).
    pub(super) fn conclude(&mut self, inserted: Vec<String>) -> Stored {
        let duplicate = inserted.is_empty() && !self.events.is_empty();
        self.record.outcome = if duplicate { "duplicate" } else { "accepted" }.into();
        self.record.event_count = inserted.len() as i64;
        if duplicate {
            self.record.raw = None;
            Stored::Duplicate
        } else {
            Stored::Accepted(inserted)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::requests::RequestRecord;

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
            outcome: "unknown_source".into(),
            reason: None,
            status: 404,
            latency_us: 1,
            adapter: None,
            event_count: 0,
            raw: None,
        }
    }

    fn ingest(event_id: &str, dedup: &str) -> IngestJob {
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
            record: log_row(&format!("req_{event_id}")),
        }
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |row| row.get(0)).unwrap()
    }

    /// One bad job in a batch fails alone: the ingest jobs and the work
    /// beside it commit, and each gets its own answer.
    #[tokio::test]
    async fn one_bad_job_does_not_fail_its_neighbours() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        Database::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let mut conn = open(&path).unwrap();
        requests::insert(&conn, &log_row("req_taken")).unwrap();

        let (ran, ran_answer) = std::sync::mpsc::channel();
        let (a, _a) = oneshot::channel();
        let (bad, _bad) = oneshot::channel();
        let (b, _b) = oneshot::channel();
        let mut batch = vec![
            Job::Commit(Commit::Ingest(Box::new(ingest("evt_a", "d-a")), a)),
            // The request log's id is unique: this row cannot be written.
            Job::Commit(Commit::Log(Box::new(log_row("req_taken")), bad)),
            Job::Run(Box::new(move |conn: &Connection| {
                let result = conn.execute(
                    "INSERT INTO requests (id, received_at, method, path, outcome, status, latency_us)
                     VALUES ('req_run', 1, 'POST', '/', 'x', 200, 1)",
                    [],
                );
                Box::new(move |committed: Result<(), String>| {
                    ran.send((result.is_ok(), committed)).unwrap();
                }) as Finish
            })),
            Job::Commit(Commit::Ingest(Box::new(ingest("evt_b", "d-b")), b)),
        ];
        let (mut finishers, mut effects) = (Vec::new(), Effects::default());
        let results = commit(&mut conn, &mut batch, &mut finishers, &mut effects).unwrap();
        for finish in finishers {
            finish(Ok(()));
        }
        assert_eq!(ran_answer.recv().unwrap(), (true, Ok(())));
        assert!(matches!(results[0], Ok(Some(Stored::Accepted(_)))));
        assert!(results[1].is_err(), "the bad job gets its error");
        assert!(matches!(results[2], Ok(Some(Stored::Accepted(_)))));
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM events"), 2);
        assert_eq!(
            count(
                &conn,
                "SELECT COUNT(*) FROM requests WHERE id IN ('req_evt_a', 'req_evt_b', 'req_run')"
            ),
            3
        );
        assert_eq!(effects.last_event_seq, Some(2));
    }
}
