//! The drainer: claims due outbox rows, attempts them, records the results.
//!
//! One task loops over the enabled destinations and claims, per destination,
//! as many due batches as it has room for (`super::slots::Slots`); each batch is
//! attempted on its own task once one of the destination's `max_in_flight`
//! attempt slots is free. The result is written through the
//! group-commit writer: delivered, retried at the next time on the schedule
//! (or the receiver's `Retry-After`), dead-lettered after the last attempt,
//! or — on 410 Gone — the destination is disabled and its rows wait; the last
//! two raise an alert (`crate::alerts`), written with the result. A row is
//! only marked delivered after the receiver's 2xx or JetStream's PubAck; if
//! the process dies before the result is written, the row is attempted again
//! after restart with the same message id. When nothing is due, the loop
//! sleeps until the next row falls due, new rows are committed, or an attempt
//! frees a slot. At shutdown it claims nothing more, gives the attempts in
//! flight a grace period to finish and be recorded, and frees the leases of
//! those still running, so their rows go out at once after a restart or from
//! another replica.

use super::Delivery;
use super::router::ActiveDestination;
use super::transport::{Message, Verdict};
use crate::alerts::{self, Alert, Alerts};
use crate::changes::Changes;
use crate::metrics::Metrics;
use crate::store::claim::Claimed;
use crate::store::destinations::Destination;
use crate::store::outbox::{self, AttemptRecord, NextStep};
use crate::store::writer::{Release, Writer};
use crate::store::{now_ms, rfc3339};
use crate::tasks::Stop;
use crate::telemetry::spans;
use sqlx::AnyPool;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::OwnedSemaphorePermit;
use tokio::task::{Id, JoinSet};
use tracing::Instrument as _;

/// Most batches claimed at once for one destination.
const CLAIM_LIMIT: usize = 256;
/// Longest sleep when idle: picks up changes nobody signalled.
const IDLE_POLL: Duration = Duration::from_secs(1);
/// How often the outbox-depth gauge is refreshed.
const DEPTH_EVERY: Duration = Duration::from_secs(1);

/// What the drainer works with.
pub struct Drainer {
    pub writer: Writer,
    pub delivery: Arc<Delivery>,
    pub pool: AnyPool,
    pub metrics: Arc<Metrics>,
    /// Told when a 410 disabled a destination.
    pub changes: Arc<Changes>,
    /// Dead letters and disabled destinations are alerts.
    pub alerts: Alerts,
    /// How long attempts in flight at shutdown may take to finish.
    pub grace: Duration,
}

/// The attempts running, with the delivery rows each holds a lease on.
#[derive(Default)]
struct InFlight {
    tasks: JoinSet<()>,
    rows: HashMap<Id, Vec<String>>,
}

impl InFlight {
    fn spawn(&mut self, rows: Vec<String>, attempt: impl Future<Output = ()> + Send + 'static) {
        let id = self.tasks.spawn(attempt).id();
        self.rows.insert(id, rows);
    }

    /// Forgets the attempts that ended.
    fn reap(&mut self) {
        while let Some(ended) = self.tasks.try_join_next_with_id() {
            self.forget(ended);
        }
    }

    /// Forgets one ended attempt's rows (finished, failed or aborted).
    fn forget(&mut self, ended: Result<(Id, ()), tokio::task::JoinError>) {
        self.rows
            .remove(&ended.map_or_else(|e| e.id(), |(id, ())| id));
    }

    /// Waits up to `grace` for every attempt; aborts the rest and returns
    /// the rows they held.
    async fn finish(mut self, grace: Duration) -> Vec<String> {
        let all = async {
            while let Some(ended) = self.tasks.join_next_with_id().await {
                self.forget(ended);
            }
        };
        if tokio::time::timeout(grace, all).await.is_ok() {
            return Vec::new();
        }
        self.tasks.shutdown().await;
        self.rows.into_values().flatten().collect()
    }
}

impl Drainer {
    /// Drains until `stop`; then lets the attempts in flight finish within
    /// [`Drainer::grace`] and frees the leases of those that did not.
    pub async fn run(self: Arc<Self>, mut stop: Stop) {
        let mut attempts = InFlight::default();
        if let Err(e) = drain(&self, &mut attempts, &mut stop).await {
            tracing::error!("the outbox drainer stopped: {e:#}");
        }
        let running = attempts.tasks.len();
        let cut_short = attempts.finish(self.grace).await;
        if cut_short.is_empty() {
            if running > 0 {
                tracing::info!("{running} delivery attempts in flight finished before stopping");
            }
            return;
        }
        match self.writer.release_leases(Release::These(cut_short)).await {
            Ok(released) => tracing::warn!(
                deliveries = released,
                "delivery attempts still running after {:?} were stopped; their leases are freed",
                self.grace
            ),
            Err(e) => tracing::error!("freeing the leases of stopped attempts: {e:#}"),
        }
    }
}

/// Claims and attempts until `stop`. A stop is seen between claims, never
/// inside one: a claim cut off after the writer took it would leave leased
/// rows that no attempt tracks.
async fn drain(app: &Arc<Drainer>, attempts: &mut InFlight, stop: &mut Stop) -> anyhow::Result<()> {
    let released = app.writer.release_leases(Release::Orphaned).await?;
    if released > 0 {
        tracing::warn!(
            deliveries = released,
            "deliveries were in flight when the server stopped; attempting them again"
        );
    }
    let mut depth_at = Instant::now() - DEPTH_EVERY;
    while !stop.is_requested() {
        // Finished attempts leave the set.
        attempts.reap();
        let mut claimed_any = false;
        for destination in app.delivery.table().iter() {
            if destination.destination.enabled {
                claimed_any |= claim_and_send(app, destination, attempts).await;
            }
        }
        if depth_at.elapsed() >= DEPTH_EVERY {
            depth_at = Instant::now();
            match outbox::pending_count(&app.pool).await {
                Ok(depth) => app.metrics.set_outbox_depth(depth),
                Err(e) => tracing::warn!("reading the outbox depth: {e:#}"),
            }
        }
        if claimed_any {
            continue;
        }
        let table = app.delivery.table();
        let enabled = table
            .iter()
            .filter(|d| d.destination.enabled)
            .map(|d| d.destination.id.as_str());
        let wait = match outbox::next_wake(&app.pool, enabled, now_ms()).await {
            Ok(Some(at)) => Duration::from_millis((at - now_ms()).max(0) as u64),
            Ok(None) => IDLE_POLL,
            Err(e) => {
                tracing::warn!("reading the next due delivery: {e:#}");
                IDLE_POLL
            }
        };
        tokio::select! {
            _ = app.writer.signals.outbox.notified() => {}
            _ = tokio::time::sleep(wait.clamp(Duration::from_millis(20), IDLE_POLL)) => {}
            _ = stop.requested() => {}
        }
    }
    Ok(())
}

/// Claims what one destination has room for and starts the attempts.
async fn claim_and_send(
    app: &Arc<Drainer>,
    destination: &Arc<ActiveDestination>,
    attempts: &mut InFlight,
) -> bool {
    let free = destination.slots.claimed.available_permits();
    if free == 0 {
        return false;
    }
    let now = now_ms();
    let lease_until = now + super::lease(&destination.destination).as_millis() as i64;
    let id = destination.destination.id.clone();
    let claimed = app
        .writer
        .claim(id, free.min(CLAIM_LIMIT), now, lease_until)
        .await;
    let batches = match claimed {
        Ok(batches) => batches,
        Err(e) => {
            tracing::warn!(destination = %destination.destination.id, "claiming deliveries: {e:#}");
            return false;
        }
    };
    let any = !batches.is_empty();
    for batch in batches {
        let Ok(claim) = destination.slots.claimed.clone().try_acquire_owned() else {
            // A reload shrank the slots meanwhile: the lease runs out and
            // the batch is claimed again.
            break;
        };
        let rows = batch.deliveries.iter().map(|row| row.id.clone()).collect();
        attempts.spawn(
            rows,
            attempt(app.clone(), destination.clone(), batch, claim),
        );
    }
    any
}

async fn attempt(
    app: Arc<Drainer>,
    destination: Arc<ActiveDestination>,
    batch: Claimed,
    claim: OwnedSemaphorePermit,
) {
    let d = &destination.destination;
    let Ok(slot) = destination.slots.in_flight.clone().acquire_owned().await else {
        return; // never closed
    };
    let started_at = now_ms();
    let clock = Instant::now();
    let (message, span) = Message::traced(&batch, &d.id);
    let result = destination
        .transport
        .send(&message, &batch.events[0])
        .instrument(span.clone())
        .await;
    let elapsed = clock.elapsed();
    // The receiver is free for the next claimed batch; the lease keeps this
    // one from being claimed again until its result is written.
    drop(slot);
    // This attempt's place in the retry schedule (a requeued dead letter
    // starts the schedule again).
    let attempts = batch
        .deliveries
        .iter()
        .map(|row| row.attempts_on_schedule() as usize)
        .max()
        .unwrap_or(0)
        + 1;
    let now = now_ms();
    let (next, outcome) = match result.verdict {
        Verdict::Delivered => (NextStep::Delivered, "delivered"),
        Verdict::Gone => (
            NextStep::DisableDestination(format!(
                "the receiver answered 410 Gone at {}",
                rfc3339(now)
            )),
            "gone",
        ),
        Verdict::Retry(retry_after) => {
            match app.delivery.config.retry.wait_after(attempts, retry_after) {
                Some(wait) => (NextStep::RetryAt(now + wait.as_millis() as i64), "retry"),
                None => (NextStep::Dead, "dead"),
            }
        }
    };
    app.metrics
        .observe_delivery(&d.id, outcome, batch.deliveries.len(), elapsed);
    spans::record_attempt(&span, attempts, outcome, result.status);
    match &next {
        NextStep::Dead => tracing::warn!(destination = %d.id, message = %message.id, attempts,
            "dead-lettered: {}", result.error.as_deref().unwrap_or("")),
        NextStep::DisableDestination(reason) => {
            tracing::warn!(destination = %d.id, "destination disabled: {reason}")
        }
        NextStep::RetryAt(at) => tracing::debug!(destination = %d.id, message = %message.id,
            attempts, "retry at {}: {}", rfc3339(*at), result.error.as_deref().unwrap_or("")),
        NextStep::Delivered => {}
    }
    let record = AttemptRecord {
        delivery_ids: batch.deliveries.iter().map(|row| row.id.clone()).collect(),
        destination_id: d.id.clone(),
        started_at,
        duration_us: elapsed.as_micros() as i64,
        status: result.status,
        error: result.error,
        answer: result.answer,
        next: next.clone(),
    };
    let alert = alert_of(&record, &batch, d, attempts);
    let job = alert.as_ref().map(|alert| app.alerts.job(alert, now));
    match app.writer.record(record, now, job).await {
        Ok(()) => {
            if let Some(alert) = &alert {
                app.alerts.stored(alert);
            }
        }
        // The lease runs out and the batch goes out again, same message id.
        Err(e) => {
            tracing::error!(destination = %d.id, message = %message.id, "recording an attempt: {e:#}")
        }
    }
    if matches!(next, NextStep::DisableDestination(_))
        && let Err(e) = app.changes.destinations_changed().await
    {
        tracing::error!("reloading destinations: {e:#}");
    }
    // Room for another claim.
    drop(claim);
    app.writer.signals.outbox.notify_one();
}

/// The alert an attempt's result raises, if any: the destination disabled,
/// or dead letters (but not of alerts: two failing alert destinations would
/// alert each other forever).
fn alert_of(
    record: &AttemptRecord,
    batch: &Claimed,
    d: &Destination,
    attempts: usize,
) -> Option<Alert> {
    match &record.next {
        NextStep::DisableDestination(reason) => Some(Alert::DestinationDisabled {
            destination_id: d.id.clone(),
            destination_name: d.name.clone(),
            reason: reason.clone(),
        }),
        NextStep::Dead
            if batch
                .events
                .iter()
                .any(|event| event.source_id != alerts::SOURCE_ID) =>
        {
            Some(Alert::DeliveryDead {
                destination_id: d.id.clone(),
                destination_name: d.name.clone(),
                delivery_ids: record.delivery_ids.clone(),
                event_ids: batch.events.iter().map(|event| event.id.clone()).collect(),
                attempts,
                last_status: record.status,
                last_error: record.error.clone(),
            })
        }
        _ => None,
    }
}
