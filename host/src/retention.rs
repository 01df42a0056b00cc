//! Retention: the server prunes what it keeps, kind by kind, so a database
//! that serves for a year does not grow for a year.
//!
//! One background task runs a pass at start and then every
//! `--prune-every-seconds`: for each kind with a retention, batches of
//! [`retention::BATCH`] rows (`store::retention`) through the group commit,
//! with a pause between batches so ingest never waits behind more than one
//! of them; then the request log's row cap; then, on SQLite, the freed pages
//! given back to the file system a step at a time. An event still waiting
//! for a delivery is never pruned. A source may keep its events, request log
//! and raw requests for days of its own (`SourceRetention`): the server's
//! days then prune every other source's rows, and the source's its own.

use crate::store::now_ms;
use crate::store::retention::{self, Kind, Prune, Scope};
use crate::store::sources;
use crate::store::writer::Writer;
use crate::tasks::Stop;
use sqlx::AnyPool;
use std::time::Duration;

/// Pause between two batches: the writer's turn.
const PAUSE: Duration = Duration::from_millis(20);
const DAY_MS: i64 = 86_400_000;

/// How long each kind is kept; 0 keeps it forever.
#[derive(Debug, Clone, clap::Args)]
pub struct RetentionConfig {
    /// Days events are kept (an event still waiting for a delivery, or with
    /// a dead letter, is kept until it is not); 0 keeps them forever.
    #[arg(long, env = "HOOKYARD_EVENT_RETENTION_DAYS", default_value_t = 90)]
    pub event_retention_days: u64,
    /// Days the request log is kept; 0 keeps it forever.
    #[arg(long, env = "HOOKYARD_REQUEST_RETENTION_DAYS", default_value_t = 30)]
    pub request_retention_days: u64,
    /// Newest request-log rows kept whatever their age; 0 = no cap.
    #[arg(long, env = "HOOKYARD_REQUEST_LOG_MAX_ROWS", default_value_t = 0)]
    pub request_log_max_rows: u64,
    /// Days raw requests (headers and body) are kept for reprocessing; 0
    /// keeps them forever.
    #[arg(long, env = "HOOKYARD_RAW_RETENTION_DAYS", default_value_t = 30)]
    pub raw_retention_days: u64,
    /// Days finished deliveries (delivered or dead) and their attempts are
    /// kept; 0 keeps them forever.
    #[arg(long, env = "HOOKYARD_DELIVERY_RETENTION_DAYS", default_value_t = 30)]
    pub delivery_retention_days: u64,
    /// Days the audit log is kept; 0 keeps it forever.
    #[arg(long, env = "HOOKYARD_AUDIT_RETENTION_DAYS", default_value_t = 365)]
    pub audit_retention_days: u64,
    /// Days shadow-run differences are kept; 0 keeps them forever.
    #[arg(long, env = "HOOKYARD_SHADOW_RETENTION_DAYS", default_value_t = 30)]
    pub shadow_retention_days: u64,
    /// Seconds between pruning passes.
    #[arg(long, env = "HOOKYARD_PRUNE_EVERY_SECONDS", default_value_t = 600)]
    pub prune_every_seconds: u64,
}

impl RetentionConfig {
    /// Each kind with its server-wide days (0: forever).
    fn kinds(&self) -> [(Kind, u64); 6] {
        [
            // Deliveries before events: an event whose dead letter expires
            // may then go in the same pass.
            (Kind::Deliveries, self.delivery_retention_days),
            (Kind::Events, self.event_retention_days),
            (Kind::Requests, self.request_retention_days),
            (Kind::RawRequests, self.raw_retention_days),
            (Kind::AuditLog, self.audit_retention_days),
            (Kind::ShadowDiffs, self.shadow_retention_days),
        ]
    }
}

/// The pruning task. It runs even when the server keeps everything: a
/// source's own retention may still prune its rows.
pub fn task(
    config: RetentionConfig,
    writer: Writer,
    pool: AnyPool,
    stop: Stop,
) -> impl Future<Output = ()> + Send + 'static {
    run(config, writer, pool, stop)
}

async fn run(config: RetentionConfig, writer: Writer, pool: AnyPool, mut stop: Stop) {
    let every = Duration::from_secs(config.prune_every_seconds.max(1));
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.requested() => return,
        }
        if let Err(e) = pass(&config, &writer, &pool, &stop).await {
            tracing::error!("pruning: {e:#}");
        }
    }
}

/// What one pass prunes, in order: each kind with its days and scope — the
/// server's days for the rows of sources without their own, then each
/// source's own days. Days of 0 keep the rows.
async fn plan(config: &RetentionConfig, pool: &AnyPool) -> anyhow::Result<Vec<(Kind, u64, Scope)>> {
    let sources = sources::list(pool).await?;
    let mut plan = Vec::new();
    for (kind, days) in config.kinds() {
        plan.push((kind, days, Scope::Default));
        for source in &sources {
            if let Some(own) = source.retention.days(kind) {
                plan.push((kind, u64::from(own), Scope::Source(source.id.clone())));
            }
        }
    }
    plan.retain(|(_, days, _)| *days > 0);
    Ok(plan)
}

/// One pass over every kind; stops early when the server stops.
async fn pass(
    config: &RetentionConfig,
    writer: &Writer,
    pool: &AnyPool,
    stop: &Stop,
) -> anyhow::Result<()> {
    let mut pruned_any = false;
    for (kind, days, scope) in plan(config, pool).await? {
        let cutoff = now_ms() - days as i64 * DAY_MS;
        let started = std::time::Instant::now();
        let source = match &scope {
            Scope::Source(id) => Some(id.clone()),
            Scope::Default => None,
        };
        let prune = Prune::Older(kind, cutoff, scope);
        let pruned = batches(stop, writer, &prune, retention::BATCH).await?;
        if pruned > 0 {
            pruned_any = true;
            tracing::info!(
                kind = kind.as_str(),
                source,
                rows = pruned,
                took_ms = started.elapsed().as_millis() as u64,
                "pruned past {days} days"
            );
        }
    }
    if config.request_log_max_rows > 0 {
        let keep = config.request_log_max_rows as i64;
        let pruned = batches(stop, writer, &Prune::BeyondNewest(keep), retention::BATCH).await?;
        if pruned > 0 {
            pruned_any = true;
            tracing::info!(rows = pruned, "request log capped at {keep} rows");
        }
    }
    if pruned_any {
        let pages = batches(stop, writer, &Prune::GiveBackPages, retention::PAGES as u64).await?;
        if pages > 0 {
            tracing::info!(pages, "free pages given back to the file system");
        }
    }
    Ok(())
}

/// Runs `prune` until a job frees less than `whole`, pausing between jobs.
async fn batches(stop: &Stop, writer: &Writer, prune: &Prune, whole: u64) -> anyhow::Result<u64> {
    let mut total = 0;
    loop {
        let freed = writer.prune(prune.clone()).await? as u64;
        total += freed;
        if freed < whole || stop.is_requested() {
            return Ok(total);
        }
        tokio::time::sleep(PAUSE).await;
    }
}
