//! Group commit: every write of the request path and the outbox goes through
//! one loop that gathers what arrived meanwhile and commits it in one
//! transaction, whichever the backend.
//!
//! Handlers send a [`Job`] and wait for its reply, which comes only after the
//! `COMMIT` that made it durable: that is what allows the 2xx. While one batch
//! commits (an fsync), the next one gathers, so throughput grows with
//! concurrency while every answer still waits for its own commit. The loop
//! runs on a thread of its own and hands each batch to the backend's
//! [`Batches`] (`sqlite::batches`: the only write connection, one savepoint
//! per job; `postgres::batches`: one statement per table for the whole
//! batch). Deduplication happens inside the transaction (`ON CONFLICT DO
//! NOTHING` on `(source_id, dedup_id)`), so two concurrent redeliveries
//! cannot both store an event, and the outbox rows of each new event are
//! written in the event's transaction. Claims, attempt results, requeues and
//! replays ride the same batches. One job that fails is answered alone: a
//! backend undoes it on its own (a savepoint), or the loop commits the batch
//! again one job at a time (a failing attempt record once failed the claims
//! beside it, and the same delivery went out again and again).

use super::claim::{ClaimRequest, Claimed};
use super::events::NewEvent;
use super::outbox::{AttemptRecord, Route};
use super::requests::{AdapterRef, LogOutcome, RequestRecord};
use super::retention::Prune;
use crate::metrics::Metrics;
use anyhow::{Context as _, Result};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{Notify, mpsc, oneshot, watch};

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
    /// Where each event goes (same order as `events`); written only for the
    /// events that are new.
    pub routes: Vec<Vec<Route>>,
    /// Written with outcome `accepted` or `duplicate`, decided here;
    /// `None` for the server's own events (`crate::alerts`), which no
    /// request brought.
    pub record: Option<RequestRecord>,
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
        if let Some(record) = &mut self.record {
            record.outcome = if duplicate {
                LogOutcome::Duplicate
            } else {
                LogOutcome::Accepted
            };
            record.event_count = inserted.len() as i64;
            if duplicate {
                record.raw = None;
            }
        }
        if duplicate {
            Stored::Duplicate
        } else {
            Stored::Accepted(inserted)
        }
    }
}

/// What the transaction made of an ingest job.
#[derive(Debug)]
pub enum Stored {
    /// Ids of the events that were new.
    Accepted(Vec<String>),
    /// Every event was already stored: a redelivery.
    Duplicate,
}

/// A delivery attempt's result, written at `now` (ms), with the alert it
/// raises (a dead letter, a destination disabled) stored in the same
/// transaction: the state change and its alert are committed together.
pub struct RecordJob {
    pub attempt: AttemptRecord,
    pub now: i64,
    pub alert: Option<IngestJob>,
}

/// Where a committed job's answer goes.
type Reply<T> = oneshot::Sender<Result<T>>;

/// The writes a batch is made of.
pub(super) enum Job {
    Ingest(Box<IngestJob>, Reply<Stored>),
    Log(Box<RequestRecord>, Reply<()>),
    Record(Box<RecordJob>, Reply<()>),
    Claim(ClaimRequest, Reply<Vec<Claimed>>),
    /// A destination's dead letters back in line, due at the given time.
    RequeueDead(String, i64, Reply<usize>),
    /// Delivery rows for stored events (replays), written at the given time.
    Enqueue(Vec<(String, Vec<Route>)>, i64, Reply<()>),
    /// Leases to free: left by a process that died mid-attempt, or held by
    /// this one's attempts cut short at shutdown.
    ReleaseLeases(Release, Reply<usize>),
    /// Nothing to write: answered once everything queued before it is
    /// committed.
    Flush(Reply<()>),
    /// One batch of pruning; answered with the rows (or pages) it freed.
    Prune(Prune, Reply<usize>),
    /// Requests counted in the per-minute stats without a log row
    /// (throttled ones), by key; nobody waits for it.
    Count(BTreeMap<CountKey, i64>),
}

/// One per-minute count's key (`stats`): epoch minute, source id (`""`: no
/// known source), outcome.
pub(super) type CountKey = (i64, String, &'static str);

/// The key throttled requests are counted under (they have no log row).
pub(super) const THROTTLED: &str = "throttled";

/// Which leases [`Writer::release_leases`] frees.
#[derive(Debug)]
pub enum Release {
    /// Every lease, at start: a process that died mid-attempt left them (a
    /// backend that several replicas share keeps them: a lease may be
    /// another live replica's, and expired ones are claimable anyway).
    Orphaned,
    /// The leases of these pending rows (attempts this process gave up).
    These(Vec<String>),
}

/// What a backend made of one job, before it is committed.
#[derive(Debug)]
pub(super) enum Done {
    Stored(Stored),
    Written,
    Claimed(Vec<Claimed>),
    Count(usize),
}

/// One job's result within its batch: done, or why it failed alone.
pub(super) type JobResult = std::result::Result<Done, String>;

/// A backend's way of committing a batch: every job in one transaction, the
/// results in order. `Err` only when the transaction as a whole failed
/// (begin or commit), and then nothing of it was written.
pub(super) trait Batches: Send + 'static {
    fn commit(&mut self, batch: &mut [Job], effects: &mut Effects) -> Result<Vec<JobResult>>;
}

impl Job {
    /// The request-log row the job writes, if it writes one.
    pub(super) fn request_record(&self) -> Option<&RequestRecord> {
        match self {
            Job::Ingest(job, _) => job.record.as_ref(),
            Job::Log(record, _) => Some(record),
            _ => None,
        }
    }

    /// The events the job stores, if it stores any: a request's, or the
    /// alert an attempt's result raises.
    pub(super) fn new_events(&self) -> Option<&IngestJob> {
        match self {
            Job::Ingest(job, _) => Some(job),
            Job::Record(record, _) => record.alert.as_ref(),
            _ => None,
        }
    }

    /// Answers the job with its result (once its transaction committed).
    fn reply(self, result: std::result::Result<Done, String>) {
        let error = |e: String| anyhow::anyhow!(e);
        // The handler may have given up (client gone): the data is committed
        // anyway, so an answer nobody waits for is dropped.
        match (self, result) {
            (Job::Ingest(_, tx), Ok(Done::Stored(stored))) => drop(tx.send(Ok(stored))),
            (
                Job::Log(_, tx) | Job::Record(_, tx) | Job::Enqueue(_, _, tx) | Job::Flush(tx),
                Ok(Done::Written),
            ) => drop(tx.send(Ok(()))),
            (Job::Claim(_, tx), Ok(Done::Claimed(claimed))) => drop(tx.send(Ok(claimed))),
            (
                Job::RequeueDead(_, _, tx) | Job::ReleaseLeases(_, tx) | Job::Prune(_, tx),
                Ok(Done::Count(n)),
            ) => drop(tx.send(Ok(n))),
            (Job::Count(_), Ok(_)) => {}
            (Job::Count(counts), Err(e)) => {
                tracing::warn!("{} throttled request counts lost: {e}", counts.len());
            }
            (job, result) => {
                let e = result
                    .err()
                    .unwrap_or_else(|| "the writer's answer does not fit".into());
                match job {
                    Job::Ingest(_, tx) => drop(tx.send(Err(error(e)))),
                    Job::Log(_, tx)
                    | Job::Record(_, tx)
                    | Job::Enqueue(_, _, tx)
                    | Job::Flush(tx) => drop(tx.send(Err(error(e)))),
                    Job::Claim(_, tx) => drop(tx.send(Err(error(e)))),
                    Job::RequeueDead(_, _, tx) | Job::ReleaseLeases(_, tx) | Job::Prune(_, tx) => {
                        drop(tx.send(Err(error(e))))
                    }
                    Job::Count(_) => tracing::warn!("throttled request counts lost: {e}"),
                }
            }
        }
    }
}

/// What committed data tells the rest of the server.
pub struct Signals {
    /// Woken after a commit that wrote outbox rows.
    pub outbox: Notify,
    /// The highest committed event `seq`, for consumers tailing events.
    pub events: watch::Sender<i64>,
}

/// What a batch wrote that others wait for; announced after its commit.
#[derive(Default, Debug)]
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

    /// Notes delivery rows made due (replays, requeues).
    pub(super) fn outbox_rows(&mut self) {
        self.outbox_rows = true;
    }

    /// Adds what another job of the same batch wrote.
    pub(super) fn merge(&mut self, other: Effects) {
        self.outbox_rows |= other.outbox_rows;
        if let Some(seq) = other.last_event_seq {
            self.stored_event(seq, false);
        }
    }

    fn announce(&self, signals: &Signals) {
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

/// Handle to the writer; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
    pub signals: Arc<Signals>,
    /// Throttled requests not counted yet: the next batch takes them.
    uncounted: Uncounted,
}

type Uncounted = Arc<Mutex<BTreeMap<CountKey, i64>>>;

impl Writer {
    /// Starts the group-commit loop on a thread of its own over `batches`;
    /// `last_event_seq` is where the event signal starts.
    pub(super) fn start(
        batches: Box<dyn Batches>,
        last_event_seq: i64,
        metrics: Arc<Metrics>,
    ) -> Result<Writer> {
        let signals = Arc::new(Signals {
            outbox: Notify::new(),
            events: watch::channel(last_event_seq).0,
        });
        let (jobs, queue) = mpsc::channel(QUEUE);
        let loop_signals = signals.clone();
        let uncounted = Uncounted::default();
        let loop_uncounted = uncounted.clone();
        std::thread::Builder::new()
            .name("hookyard-writer".into())
            .spawn(move || run(batches, queue, metrics, loop_signals, loop_uncounted))
            .context("starting the writer thread")?;
        Ok(Writer {
            jobs,
            signals,
            uncounted,
        })
    }

    /// Stores the events and the raw request; returns once committed.
    pub async fn ingest(&self, job: IngestJob) -> Result<Stored> {
        self.send(|reply| Job::Ingest(Box::new(job), reply)).await
    }

    /// Counts a throttled request (`source_id`, received at `at` ms) in the
    /// per-minute stats, without a log row and without waiting: the counts
    /// gather in memory and the next batch writes them (one row per key), so
    /// a flood adds at most one small job per batch, never one per request.
    pub fn count_throttled(&self, source_id: Option<&str>, at: i64) {
        let key = (
            at.div_euclid(60_000),
            source_id.unwrap_or_default().to_string(),
            THROTTLED,
        );
        let first = {
            let mut uncounted = self.uncounted.lock().expect("not poisoned");
            let first = uncounted.is_empty();
            *uncounted.entry(key).or_insert(0) += 1;
            first
        };
        if first {
            // Wakes the loop when nothing else would; a full queue means a
            // batch is coming anyway.
            let _ = self.jobs.try_send(Job::Count(BTreeMap::new()));
        }
    }

    /// Appends a request-log row; returns once committed.
    pub async fn log(&self, record: RequestRecord) -> Result<()> {
        self.send(|reply| Job::Log(Box::new(record), reply)).await
    }

    /// Writes an attempt's result and frees its rows' lease, with the alert
    /// it raises. With many attempts in flight, one transaction records all
    /// that finished.
    pub async fn record(
        &self,
        attempt: AttemptRecord,
        now: i64,
        alert: Option<IngestJob>,
    ) -> Result<()> {
        let job = RecordJob {
            attempt,
            now,
            alert,
        };
        self.send(|reply| Job::Record(Box::new(job), reply)).await
    }

    /// Claims up to `limit` due batches of a destination until `lease_until`.
    pub async fn claim(
        &self,
        destination_id: String,
        limit: usize,
        now: i64,
        lease_until: i64,
    ) -> Result<Vec<Claimed>> {
        let request = ClaimRequest {
            destination_id,
            limit,
            now,
            lease_until,
        };
        self.send(|reply| Job::Claim(request, reply)).await
    }

    /// Puts a destination's dead letters back in line; returns how many.
    pub async fn requeue_dead(&self, destination_id: String, now: i64) -> Result<usize> {
        self.send(|reply| Job::RequeueDead(destination_id, now, reply))
            .await
    }

    /// Adds delivery rows for stored events (replays): `(event id, routes)`.
    pub async fn enqueue(&self, planned: Vec<(String, Vec<Route>)>, now: i64) -> Result<()> {
        self.send(|reply| Job::Enqueue(planned, now, reply)).await
    }

    /// Frees leases so the rows are claimed again at once; returns how many.
    pub async fn release_leases(&self, which: Release) -> Result<usize> {
        self.send(|reply| Job::ReleaseLeases(which, reply)).await
    }

    /// Deletes one batch past its retention (`store::retention`); returns
    /// how many rows, or free pages, went.
    pub async fn prune(&self, prune: Prune) -> Result<usize> {
        self.send(|reply| Job::Prune(prune, reply)).await
    }

    /// Returns once every job queued before this call is committed (or
    /// failed): what shutdown waits for.
    pub async fn flush(&self) -> Result<()> {
        self.send(Job::Flush).await
    }

    async fn send<T>(&self, job: impl FnOnce(Reply<T>) -> Job) -> Result<T> {
        let (reply, answer) = oneshot::channel();
        if self.jobs.send(job(reply)).await.is_err() {
            anyhow::bail!("the database writer has stopped");
        }
        answer
            .await
            .map_err(|_| anyhow::anyhow!("the database writer dropped the job"))?
    }
}

/// The loop: take what is queued (up to [`MAX_BATCH`]), commit it, answer.
fn run(
    mut batches: Box<dyn Batches>,
    mut queue: mpsc::Receiver<Job>,
    metrics: Arc<Metrics>,
    signals: Arc<Signals>,
    uncounted: Uncounted,
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
        let counts = std::mem::take(&mut *uncounted.lock().expect("not poisoned"));
        if !counts.is_empty() {
            batch.push(Job::Count(counts));
        }
        let started = Instant::now();
        let mut effects = Effects::default();
        let committed = batches.commit(&mut batch, &mut effects);
        metrics.observe_commit(batch.len(), started.elapsed());
        match committed {
            Ok(results) => {
                effects.announce(&signals);
                for (job, result) in batch.drain(..).zip(results) {
                    job.reply(result);
                }
            }
            // The batch failed as a whole: its jobs may still pass alone.
            Err(e) if batch.len() > 1 => {
                tracing::warn!(
                    "batch of {} failed ({e:#}); committing one by one",
                    batch.len()
                );
                for job in batch.drain(..) {
                    let mut single = vec![job];
                    let mut effects = Effects::default();
                    let result = match batches.commit(&mut single, &mut effects) {
                        Ok(mut results) => {
                            effects.announce(&signals);
                            results.remove(0)
                        }
                        Err(e) => Err(format!("commit failed: {e:#}")),
                    };
                    single.remove(0).reply(result);
                }
            }
            Err(e) => {
                tracing::error!("commit failed: {e:#}");
                for job in batch.drain(..) {
                    job.reply(Err(format!("commit failed: {e:#}")));
                }
            }
        }
    }
}
