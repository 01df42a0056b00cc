//! Shadow mode: a candidate version runs beside the live one on real traffic,
//! without effect, and the host records where the two decided differently, so
//! an operator promotes it with evidence (`hookyard plugin rollback NAME --to
//! VERSION`: the candidate is a kept version).
//!
//! The request path only summarizes the live verdict and hands the request to
//! a queue ([`Shadows::offer`]) when the adapter has a shadow; a worker runs
//! the candidate when an adapter slot is free, compares verdicts, event types
//! and mapped data, and writes differences to `shadow_diffs`. A full queue or
//! no free slot skips the comparison: live traffic never waits for a shadow,
//! and nothing the shadow does is stored as an event or answered to a vendor.
//! Shadows live in memory: a restart ends them.

use crate::runtime::{AdapterCall, AdapterFailure, LoadedAdapter, Request, Verdict};
use crate::store::now_ms;
use anyhow::Result;
use arc_swap::ArcSwap;
use serde_json::{Value, json};
use sqlx::AnyPool;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc;

/// Requests waiting for their shadow run; more are skipped.
const QUEUE: usize = 1024;

/// A candidate version running in the shadow of the live one.
pub struct Shadow {
    pub adapter: Arc<LoadedAdapter>,
    /// Requests run through it so far, and how many differed.
    pub compared: AtomicU64,
    pub differed: AtomicU64,
    /// Requests skipped (queue full or no free adapter slot).
    pub skipped: AtomicU64,
}

/// One live request to replay through the shadow.
pub struct ShadowJob {
    shadow: Arc<Shadow>,
    live: Arc<LoadedAdapter>,
    live_summary: Value,
    request: Request,
    secrets: Vec<String>,
    settings: String,
    clock_ms: i64,
    source_id: String,
    request_id: String,
}

/// The shadows by adapter name, and the queue to their worker.
pub struct Shadows {
    by_adapter: ArcSwap<BTreeMap<String, Arc<Shadow>>>,
    queue: mpsc::Sender<ShadowJob>,
    jobs: std::sync::Mutex<Option<mpsc::Receiver<ShadowJob>>>,
}

impl Default for Shadows {
    fn default() -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE);
        Shadows {
            by_adapter: ArcSwap::from_pointee(BTreeMap::new()),
            queue,
            jobs: std::sync::Mutex::new(Some(jobs)),
        }
    }
}

impl Shadows {
    /// The shadow of adapter `name`, if any.
    pub fn get(&self, name: &str) -> Option<Arc<Shadow>> {
        self.by_adapter.load().get(name).cloned()
    }

    /// Runs `adapter` in the shadow of the live adapter of the same name,
    /// replacing any earlier shadow.
    pub fn start(&self, adapter: Arc<LoadedAdapter>) {
        let mut map = BTreeMap::clone(&self.by_adapter.load());
        let shadow = Shadow {
            adapter: adapter.clone(),
            compared: AtomicU64::new(0),
            differed: AtomicU64::new(0),
            skipped: AtomicU64::new(0),
        };
        map.insert(adapter.manifest.name.clone(), Arc::new(shadow));
        self.by_adapter.store(Arc::new(map));
    }

    /// Ends the shadow of `name`; whether there was one.
    pub fn stop(&self, name: &str) -> bool {
        let mut map = BTreeMap::clone(&self.by_adapter.load());
        let had = map.remove(name).is_some();
        self.by_adapter.store(Arc::new(map));
        had
    }

    /// Queues a comparison of a live call with its shadow, if the live adapter
    /// has one (other than itself). Never waits.
    pub fn offer(
        &self,
        live: &Arc<LoadedAdapter>,
        call: &AdapterCall<'_>,
        verdict: &Result<Verdict, AdapterFailure>,
        source_id: &str,
        request_id: &str,
    ) {
        let Some(shadow) = self.get(&live.manifest.name) else {
            return;
        };
        if shadow.adapter.hash == live.hash {
            return;
        }
        let job = ShadowJob {
            shadow: shadow.clone(),
            live: live.clone(),
            live_summary: summary(verdict),
            request: call.request.clone(),
            secrets: call.secrets.to_vec(),
            settings: call.settings.to_string(),
            clock_ms: call.now_ms,
            source_id: source_id.to_string(),
            request_id: request_id.to_string(),
        };
        if self.queue.try_send(job).is_err() {
            shadow.skipped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The worker that runs queued comparisons and records differences in
    /// `pool`, until `stop`; once per process.
    pub fn worker(
        &self,
        pool: AnyPool,
        mut stop: crate::tasks::Stop,
    ) -> Option<impl std::future::Future<Output = ()> + use<>> {
        let mut jobs = self.jobs.lock().expect("not poisoned").take()?;
        Some(async move {
            loop {
                let job = tokio::select! {
                    job = jobs.recv() => job,
                    _ = stop.requested() => None,
                };
                let Some(job) = job else { return };
                if let Err(e) = compare(&pool, job).await {
                    tracing::error!("recording a shadow difference: {e:#}");
                }
            }
        })
    }
}

async fn compare(pool: &AnyPool, job: ShadowJob) -> Result<()> {
    let shadow = &job.shadow;
    // Only a free slot: live requests must never wait for a shadow.
    let call = AdapterCall {
        request: &job.request,
        secrets: &job.secrets,
        settings: &job.settings,
        now_ms: job.clock_ms,
        tag: "shadow",
        // A candidate never shares the live version's instances, and
        // fetches nothing (a key fetch would fail it: such a shadow differs).
        pool: None,
        fetch: None,
    };
    let Some(verdict) = shadow.adapter.process_if_free(&call).await else {
        shadow.skipped.fetch_add(1, Ordering::Relaxed);
        return Ok(());
    };
    let shadow_summary = summary(&verdict);
    let Some(differs) = difference(&job.live_summary, &shadow_summary) else {
        shadow.compared.fetch_add(1, Ordering::Relaxed);
        return Ok(());
    };
    // Counted once the difference is stored (or failed to be), so a reader
    // who sees `compared` reach N also finds every recorded difference.
    let recorded = sqlx::query(
        "INSERT INTO shadow_diffs (plugin, live_version, live_hash, shadow_version, shadow_hash,
            source_id, request_id, recorded_at, differs, live, shadow)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&job.live.manifest.name)
    .bind(&job.live.manifest.version)
    .bind(&job.live.hash)
    .bind(&shadow.adapter.manifest.version)
    .bind(&shadow.adapter.hash)
    .bind(&job.source_id)
    .bind(&job.request_id)
    .bind(now_ms())
    .bind(differs)
    .bind(job.live_summary.to_string())
    .bind(shadow_summary.to_string())
    .execute(pool)
    .await;
    shadow.differed.fetch_add(1, Ordering::Relaxed);
    shadow.compared.fetch_add(1, Ordering::Relaxed);
    recorded?;
    Ok(())
}

/// A verdict as the comparison sees it.
fn summary(verdict: &Result<Verdict, AdapterFailure>) -> Value {
    match verdict {
        Ok(Verdict::Events(events)) => json!({
            "verdict": "events",
            "events": events.iter().map(|e| json!({
                "type": e.event_type,
                "dedup_id": e.dedup_id,
                "subject": e.subject,
                "occurred_at": e.occurred_at,
                "data": serde_json::from_str::<Value>(&e.data).unwrap_or_else(|_| Value::String(e.data.clone())),
            })).collect::<Vec<_>>(),
        }),
        Ok(Verdict::Rejected { failure, .. }) => {
            json!({ "verdict": "rejected", "code": failure.code() })
        }
        Ok(Verdict::Respond(response)) => {
            json!({ "verdict": "respond", "status": response.status })
        }
        Ok(Verdict::Reply(reply)) => json!({
            "verdict": "reply",
            "events": reply.events.iter().map(|e| e.event_type.clone()).collect::<Vec<_>>(),
            "status": reply.response.as_ref().map(|r| r.status),
        }),
        Ok(Verdict::HandleFailed { kind, .. }) => {
            json!({ "verdict": "handle_failed", "kind": kind })
        }
        Err(failure) => json!({ "verdict": "adapter_failed", "kind": failure.kind }),
    }
}

/// What differs first: `verdict`, then event `types`, then mapped `data`
/// (dedup ids, subjects, times, payloads); `None` when nothing does.
fn difference(live: &Value, shadow: &Value) -> Option<&'static str> {
    if live == shadow {
        return None;
    }
    if live["verdict"] != shadow["verdict"] || live["verdict"] != "events" {
        return Some("verdict");
    }
    let types = |v: &Value| -> Vec<Value> {
        v["events"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| e["type"].clone())
            .collect()
    };
    if types(live) != types(shadow) {
        return Some("types");
    }
    Some("data")
}

#[derive(sqlx::FromRow)]
struct DiffRow {
    seq: i64,
    live_version: String,
    live_hash: String,
    shadow_version: String,
    shadow_hash: String,
    source_id: String,
    request_id: String,
    recorded_at: i64,
    differs: String,
    live: String,
    shadow: String,
}

/// Recorded differences of `plugin`'s shadow runs, oldest first, after `after_seq`.
pub async fn differences(
    pool: &AnyPool,
    plugin: &str,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<Value>> {
    let rows: Vec<DiffRow> = sqlx::query_as(
        "SELECT seq, live_version, live_hash, shadow_version, shadow_hash, source_id, request_id,
                recorded_at, differs, live, shadow
         FROM shadow_diffs WHERE plugin = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(plugin)
    .bind(after_seq)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let json_of = |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    Ok(rows
        .into_iter()
        .map(|row| {
            json!({
                "seq": row.seq,
                "live_version": row.live_version,
                "live_hash": row.live_hash,
                "shadow_version": row.shadow_version,
                "shadow_hash": row.shadow_hash,
                "source_id": row.source_id,
                "request_id": row.request_id,
                "recorded_at": crate::store::rfc3339(row.recorded_at),
                "differs": row.differs,
                "live": json_of(&row.live),
                "shadow": json_of(&row.shadow),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::difference;
    use serde_json::json;

    #[test]
    fn differences_are_classified_verdict_then_types_then_data() {
        let events =
            |t: &str, d: i64| json!({"verdict": "events", "events": [{"type": t, "data": d}]});
        assert_eq!(difference(&events("a", 1), &events("a", 1)), None);
        assert_eq!(difference(&events("a", 1), &events("a", 2)), Some("data"));
        assert_eq!(difference(&events("a", 1), &events("b", 1)), Some("types"));
        let rejected = json!({"verdict": "rejected", "code": "bad_signature"});
        assert_eq!(difference(&events("a", 1), &rejected), Some("verdict"));
        let other = json!({"verdict": "rejected", "code": "malformed"});
        assert_eq!(difference(&rejected, &other), Some("verdict"));
    }
}
