//! Prometheus metrics served at `/metrics`.
//!
//! One registry for the process, with typed handles so call sites cannot
//! misspell a metric: requests by source and outcome, adapter call latency by
//! adapter, events stored by source, events the source's event policy skipped
//! or flagged as unknown types, adapter files rejected by hot loading, the
//! group-commit batch size (how much the writer is coalescing) and commit
//! duration; for delivery, the outbox depth, attempts by destination and
//! outcome with their latency, and dead letters; alerts raised, by type.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Duration;

type Labels = Vec<(&'static str, String)>;
type HistogramFamily = Family<Labels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    requests: Family<Labels, Counter>,
    adapter_seconds: HistogramFamily,
    adapter_failures: Family<Labels, Counter>,
    events_stored: Family<Labels, Counter>,
    events_skipped: Family<Labels, Counter>,
    unknown_event_types: Family<Labels, Counter>,
    adapter_rejections: Family<Labels, Counter>,
    batch_size: Histogram,
    commit_seconds: Histogram,
    outbox_depth: Gauge,
    delivery_attempts: Family<Labels, Counter>,
    delivery_seconds: HistogramFamily,
    dead_letters: Family<Labels, Counter>,
    alerts: Family<Labels, Counter>,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("hookyard");
        let requests = Family::<Labels, Counter>::default();
        registry.register(
            "requests",
            "Webhook requests by source and outcome",
            requests.clone(),
        );
        let adapter_seconds: HistogramFamily = Family::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_005, 2.0, 20))
        });
        registry.register(
            "adapter_call_seconds",
            "Time spent in adapter verify + handle, per adapter",
            adapter_seconds.clone(),
        );
        let adapter_failures = Family::<Labels, Counter>::default();
        registry.register(
            "adapter_failures",
            "Adapter calls that trapped, timed out or could not start",
            adapter_failures.clone(),
        );
        let events_stored = Family::<Labels, Counter>::default();
        registry.register(
            "events_stored",
            "Events committed, by source",
            events_stored.clone(),
        );
        let events_skipped = Family::<Labels, Counter>::default();
        registry.register(
            "events_skipped",
            "Verified events not stored because of the source's event types, by source",
            events_skipped.clone(),
        );
        let unknown_event_types = Family::<Labels, Counter>::default();
        registry.register(
            "unknown_event_types",
            "Events whose type the adapter's catalog does not list, by source and adapter",
            unknown_event_types.clone(),
        );
        let adapter_rejections = Family::<Labels, Counter>::default();
        registry.register(
            "adapter_rejections",
            "Adapter files that failed validation (the last good version kept serving), by file",
            adapter_rejections.clone(),
        );
        let batch_size = Histogram::new(exponential_buckets(1.0, 2.0, 11));
        registry.register(
            "commit_batch_size",
            "Jobs per group-commit transaction",
            batch_size.clone(),
        );
        let commit_seconds = Histogram::new(exponential_buckets(0.000_05, 2.0, 14));
        registry.register(
            "commit_seconds",
            "Duration of one group-commit transaction",
            commit_seconds.clone(),
        );
        let outbox_depth = Gauge::default();
        registry.register(
            "outbox_depth",
            "Deliveries waiting to be attempted or retried",
            outbox_depth.clone(),
        );
        let delivery_attempts = Family::<Labels, Counter>::default();
        registry.register(
            "delivery_attempts",
            "Delivery attempts by destination and outcome (delivered, retry, dead, gone)",
            delivery_attempts.clone(),
        );
        let delivery_seconds: HistogramFamily =
            Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.000_5, 2.0, 16)));
        registry.register(
            "delivery_attempt_seconds",
            "Duration of one delivery attempt, per destination",
            delivery_seconds.clone(),
        );
        let dead_letters = Family::<Labels, Counter>::default();
        registry.register(
            "dead_letters",
            "Deliveries given up after the last attempt, per destination",
            dead_letters.clone(),
        );
        let alerts = Family::<Labels, Counter>::default();
        registry.register(
            "alerts",
            "Alerts raised as events of the hookyard source, by type",
            alerts.clone(),
        );
        Metrics {
            alerts,
            registry,
            outbox_depth,
            delivery_attempts,
            delivery_seconds,
            dead_letters,
            requests,
            adapter_seconds,
            adapter_failures,
            events_stored,
            events_skipped,
            unknown_event_types,
            adapter_rejections,
            batch_size,
            commit_seconds,
        }
    }

    pub fn count_request(&self, source: &str, outcome: &str) {
        self.requests
            .get_or_create(&vec![
                ("source", source.into()),
                ("outcome", outcome.into()),
            ])
            .inc();
    }

    pub fn observe_adapter_call(&self, adapter: &str, elapsed: Duration) {
        self.adapter_seconds
            .get_or_create(&vec![("adapter", adapter.into())])
            .observe(elapsed.as_secs_f64());
    }

    pub fn count_adapter_failure(&self, adapter: &str, kind: &str) {
        self.adapter_failures
            .get_or_create(&vec![("adapter", adapter.into()), ("kind", kind.into())])
            .inc();
    }

    pub fn count_events_stored(&self, source: &str, count: usize) {
        self.events_stored
            .get_or_create(&vec![("source", source.into())])
            .inc_by(count as u64);
    }

    pub fn count_event_skipped(&self, source: &str) {
        self.events_skipped
            .get_or_create(&vec![("source", source.into())])
            .inc();
    }

    pub fn count_unknown_event_type(&self, source: &str, adapter: &str) {
        self.unknown_event_types
            .get_or_create(&vec![
                ("source", source.into()),
                ("adapter", adapter.into()),
            ])
            .inc();
    }

    pub fn count_alert(&self, event_type: &str) {
        self.alerts
            .get_or_create(&vec![("type", event_type.into())])
            .inc();
    }

    pub fn count_adapter_rejected(&self, file: &str) {
        self.adapter_rejections
            .get_or_create(&vec![("file", file.into())])
            .inc();
    }

    pub fn observe_commit(&self, jobs: usize, elapsed: Duration) {
        self.batch_size.observe(jobs as f64);
        self.commit_seconds.observe(elapsed.as_secs_f64());
    }

    pub fn set_outbox_depth(&self, depth: i64) {
        self.outbox_depth.set(depth);
    }

    /// One attempt of a batch of `rows` deliveries to `destination`.
    pub fn observe_delivery(
        &self,
        destination: &str,
        outcome: &str,
        rows: usize,
        elapsed: Duration,
    ) {
        self.delivery_attempts
            .get_or_create(&vec![
                ("destination", destination.into()),
                ("outcome", outcome.into()),
            ])
            .inc();
        self.delivery_seconds
            .get_or_create(&vec![("destination", destination.into())])
            .observe(elapsed.as_secs_f64());
        if outcome == "dead" {
            self.dead_letters
                .get_or_create(&vec![("destination", destination.into())])
                .inc_by(rows as u64);
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
