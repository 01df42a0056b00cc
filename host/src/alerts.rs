//! Alerts as events: what an operator must hear about reaches them through
//! the same outbox as every vendor's events, not only as a metric someone
//! must already be watching.
//!
//! The server raises an [`Alert`] when a 410 disables a destination, a
//! delivery becomes a dead letter, an adapter is quarantined for a source, a
//! new adapter file is rejected, or a secret is about to expire. Each is
//! stored as an event of the built-in source [`SOURCE_ID`] (`hookyard`), with
//! a type such as `hookyard.destination.disabled`, and routed like any other:
//! a destination subscribes with `source_ids: ["hookyard"]` and its event
//! types, filters and retries apply. Two rules keep alerts from feeding on
//! themselves: an alert about a destination is never routed to that
//! destination, and a dead letter of an alert raises none (two failing alert
//! destinations would otherwise alert each other forever).
//!
//! The drainer stores the alert of an attempt's result in the transaction
//! that records it ([`crate::store::writer::RecordJob`]); the others are
//! written on their own, off the path that raised them. Each alert's dedup id
//! names what it is about, so one raised twice is stored once.

pub mod expiry;

use crate::delivery::Delivery;
use crate::delivery::router::EventView;
use crate::metrics::Metrics;
use crate::store::events::NewEvent;
use crate::store::ids::new_id;
use crate::store::requests::AdapterRef;
use crate::store::rfc3339;
use crate::store::writer::{IngestJob, Stored, Writer};
use serde_json::{Value, json};
use std::sync::Arc;

/// The built-in source the server's own events come from.
pub const SOURCE_ID: &str = "hookyard";

/// Something an operator must hear about.
#[derive(Debug, Clone)]
pub enum Alert {
    /// A receiver answered 410 Gone: the destination was disabled.
    DestinationDisabled {
        destination_id: String,
        destination_name: String,
        reason: String,
    },
    /// A delivery used its last attempt.
    DeliveryDead {
        destination_id: String,
        destination_name: String,
        delivery_ids: Vec<String>,
        event_ids: Vec<String>,
        attempts: usize,
        last_status: Option<u16>,
        last_error: Option<String>,
    },
    /// An adapter failed too often in a row for a source and is not run
    /// for it until `until` (ms).
    AdapterQuarantined {
        source_id: String,
        adapter: String,
        version: String,
        until: i64,
    },
    /// A new or changed adapter file failed validation.
    AdapterRejected {
        file: String,
        /// The file's content hash: the same bytes are rejected once.
        hash: String,
        error: String,
        /// `name version` of what keeps serving from that file, if any.
        keeps_serving: Option<String>,
    },
    /// A source's secret expires within the warning window.
    SecretExpiring {
        source_id: String,
        secret_id: String,
        prefix: String,
        expires_at: i64,
    },
}

impl Alert {
    pub fn event_type(&self) -> &'static str {
        match self {
            Alert::DestinationDisabled { .. } => "hookyard.destination.disabled",
            Alert::DeliveryDead { .. } => "hookyard.delivery.dead",
            Alert::AdapterQuarantined { .. } => "hookyard.adapter.quarantined",
            Alert::AdapterRejected { .. } => "hookyard.adapter.rejected",
            Alert::SecretExpiring { .. } => "hookyard.secret.expiring",
        }
    }

    /// The destination the alert is about: it never carries the alert.
    pub fn about_destination(&self) -> Option<&str> {
        match self {
            Alert::DestinationDisabled { destination_id, .. }
            | Alert::DeliveryDead { destination_id, .. } => Some(destination_id),
            _ => None,
        }
    }

    /// What the alert is about (the event's subject).
    fn subject(&self) -> &str {
        match self {
            Alert::DestinationDisabled { destination_id, .. }
            | Alert::DeliveryDead { destination_id, .. } => destination_id,
            Alert::AdapterQuarantined { source_id, .. }
            | Alert::SecretExpiring { source_id, .. } => source_id,
            Alert::AdapterRejected { file, .. } => file,
        }
    }

    /// Names the occurrence: the same alert raised twice is stored once.
    fn dedup_id(&self, now: i64) -> String {
        match self {
            Alert::DestinationDisabled { destination_id, .. } => {
                format!("destination.disabled:{destination_id}:{now}")
            }
            Alert::DeliveryDead { delivery_ids, .. } => {
                format!("delivery.dead:{}:{now}", delivery_ids.join(","))
            }
            Alert::AdapterQuarantined {
                source_id, until, ..
            } => format!("adapter.quarantined:{source_id}:{until}"),
            Alert::AdapterRejected { file, hash, .. } => {
                format!("adapter.rejected:{file}:{hash}")
            }
            Alert::SecretExpiring {
                secret_id,
                expires_at,
                ..
            } => format!("secret.expiring:{secret_id}:{expires_at}"),
        }
    }

    /// The event's data: what happened, in words and fields.
    fn data(&self) -> Value {
        match self {
            Alert::DestinationDisabled {
                destination_id,
                destination_name,
                reason,
            } => json!({
                "destination_id": destination_id,
                "destination_name": destination_name,
                "reason": reason,
                "summary": format!("destination {destination_name} was disabled: {reason}; \
                    its deliveries wait until it is enabled again"),
            }),
            Alert::DeliveryDead {
                destination_id,
                destination_name,
                delivery_ids,
                event_ids,
                attempts,
                last_status,
                last_error,
            } => json!({
                "destination_id": destination_id,
                "destination_name": destination_name,
                "delivery_ids": delivery_ids,
                "event_ids": event_ids,
                "attempts": attempts,
                "last_status": last_status,
                "last_error": last_error,
                "summary": format!("{} deliveries to {destination_name} are dead letters after \
                    {attempts} attempts; replay them with `hookyard destination replay-dead`",
                    delivery_ids.len()),
            }),
            Alert::AdapterQuarantined {
                source_id,
                adapter,
                version,
                until,
            } => json!({
                "source_id": source_id,
                "adapter": adapter,
                "version": version,
                "until": rfc3339(*until),
                "summary": format!("adapter {adapter} {version} failed {} times in a row for \
                    source {source_id}; its requests are refused (raw kept) until {}",
                    crate::quarantine::QUARANTINE_AFTER, rfc3339(*until)),
            }),
            Alert::AdapterRejected {
                file,
                hash,
                error,
                keeps_serving,
            } => json!({
                "file": file,
                "sha256": hash,
                "error": error,
                "keeps_serving": keeps_serving,
                "summary": match keeps_serving {
                    Some(old) => format!("adapter file {file} was rejected ({error}); {old} keeps serving"),
                    None => format!("adapter file {file} was rejected ({error})"),
                },
            }),
            Alert::SecretExpiring {
                source_id,
                secret_id,
                prefix,
                expires_at,
            } => json!({
                "source_id": source_id,
                "secret_id": secret_id,
                "prefix": prefix,
                "expires_at": rfc3339(*expires_at),
                "summary": format!("secret {prefix}… of source {source_id} expires at {}; \
                    add its successor before then", rfc3339(*expires_at)),
            }),
        }
    }
}

/// Raises alerts: builds their events and routes, and stores them.
#[derive(Clone)]
pub struct Alerts {
    writer: Writer,
    delivery: Arc<Delivery>,
    metrics: Arc<Metrics>,
}

impl Alerts {
    pub fn new(writer: Writer, delivery: Arc<Delivery>, metrics: Arc<Metrics>) -> Alerts {
        Alerts {
            writer,
            delivery,
            metrics,
        }
    }

    /// The alert as an event of the `hookyard` source, with its routes
    /// (never to the destination it is about), to store at `now`.
    pub fn job(&self, alert: &Alert, now: i64) -> IngestJob {
        let event = NewEvent {
            id: new_id("evt"),
            event_type: alert.event_type().into(),
            dedup_id: alert.dedup_id(now),
            subject: Some(alert.subject().into()),
            occurred_at: Some(now),
            data: alert.data().to_string(),
        };
        let mut routes = self.delivery.routes(&EventView::new(
            &event.id,
            SOURCE_ID,
            &event.event_type,
            event.subject.as_deref(),
            &event.data,
        ));
        routes.retain(|route| Some(route.destination_id.as_str()) != alert.about_destination());
        IngestJob {
            source_id: SOURCE_ID.into(),
            adapter: AdapterRef {
                name: SOURCE_ID.into(),
                version: env!("CARGO_PKG_VERSION").into(),
                hash: String::new(),
            },
            // No request brought it: its own id stands in, so each alert's
            // deliveries are a trace of their own (`telemetry`).
            request_id: event.id.clone(),
            received_at: now,
            events: vec![event],
            routes: vec![routes],
            record: None,
        }
    }

    /// Stores an alert on its own (not with an attempt's result); failures
    /// are logged, the alert's cause already was.
    pub async fn raise(&self, alert: Alert) {
        let job = self.job(&alert, crate::store::now_ms());
        match self.writer.ingest(job).await {
            Ok(Stored::Accepted(_)) => self.stored(&alert),
            // Raised before (a later check, another replica).
            Ok(Stored::Duplicate) => {}
            Err(e) => tracing::error!(alert = alert.event_type(), "storing an alert: {e:#}"),
        }
    }

    /// Counts an alert once it is stored.
    pub fn stored(&self, alert: &Alert) {
        self.metrics.count_alert(alert.event_type());
    }

    /// [`Alerts::raise`] without waiting: for paths that must not wait for a
    /// commit (the request path).
    pub fn raise_later(&self, alert: Alert) {
        let alerts = self.clone();
        tokio::spawn(async move { alerts.raise(alert).await });
    }
}
