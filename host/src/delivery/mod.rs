//! Delivery: verified events reach destinations as durably as they arrived.
//!
//! Ingest writes one outbox row per (event, destination) in the event's own
//! transaction ([`router`] decides which, [`crate::store::outbox`] stores
//! them); the [`drainer`] claims due rows with a lease, sends them over a
//! [`transport`] (HTTP with Standard Webhooks signatures behind the [`ssrf`]
//! guard, or NATS JetStream), and records each attempt; failures are retried
//! on the [`retry`] schedule and end as dead letters, kept and replayable.
//! This module holds the in-memory destination table both sides read;
//! [`preview`] runs a subscription over recent events before it is saved.

pub mod drainer;
pub mod preview;
pub mod retry;
pub mod router;
pub mod slots;
pub mod ssrf;
pub mod transport;

use crate::sealing::MasterKey;
use crate::store::destinations::{self, Destination, Target};
use anyhow::Result;
use arc_swap::ArcSwap;
use retry::RetrySchedule;
use router::{ActiveDestination, EventView};
use sqlx::AnyPool;
use ssrf::AddressPolicy;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use transport::{HttpTransport, NatsTransport, Transport};

/// Server-wide delivery settings.
#[derive(Debug, Clone, Default)]
pub struct DeliveryConfig {
    pub retry: RetrySchedule,
    pub policy: Arc<AddressPolicy>,
}

/// The destination table and what every attempt shares.
pub struct Delivery {
    pub config: DeliveryConfig,
    http: reqwest::Client,
    table: ArcSwap<Vec<Arc<ActiveDestination>>>,
}

impl Delivery {
    pub fn new(config: DeliveryConfig) -> Delivery {
        Delivery {
            http: ssrf::http_client(config.policy.clone()),
            config,
            table: ArcSwap::from_pointee(Vec::new()),
        }
    }

    pub fn table(&self) -> Arc<Vec<Arc<ActiveDestination>>> {
        self.table.load_full()
    }

    /// Where a new event goes.
    pub fn routes(&self, event: &EventView<'_>) -> Vec<crate::store::outbox::Route> {
        router::routes(&self.table.load(), event)
    }

    /// Rebuilds the table from the database; call after a change. Attempt
    /// slots and NATS connections of unchanged destinations carry over.
    pub async fn reload(&self, pool: &AnyPool, key: &MasterKey) -> Result<()> {
        let old: HashMap<String, Arc<ActiveDestination>> = self
            .table
            .load()
            .iter()
            .map(|d| (d.destination.id.clone(), d.clone()))
            .collect();
        let mut table = Vec::new();
        for destination in destinations::list(pool, key).await? {
            let previous = old.get(&destination.id);
            let slots = match previous {
                Some(p) if p.destination.max_in_flight == destination.max_in_flight => {
                    p.slots.clone()
                }
                _ => Arc::new(slots::Slots::new(destination.max_in_flight)),
            };
            let transport = match previous {
                Some(p)
                    if p.destination.target == destination.target
                        && p.destination.secret == destination.secret =>
                {
                    p.transport.clone()
                }
                _ => Arc::new(self.transport(&destination).unwrap_or_else(|e| {
                    tracing::error!(destination = %destination.id, "unusable destination: {e}");
                    Transport::Unusable(e)
                })),
            };
            match ActiveDestination::new(destination, slots, transport) {
                Ok(active) => table.push(Arc::new(active)),
                Err(e) => tracing::error!("unusable destination: {e}"),
            }
        }
        self.table.store(Arc::new(table));
        Ok(())
    }

    /// The transport of a destination; errors say what is wrong with it.
    pub fn transport(&self, destination: &Destination) -> Result<Transport, String> {
        match &destination.target {
            Target::Http {
                url,
                headers,
                timeout_ms,
            } => {
                let url = reqwest::Url::parse(url).map_err(|e| format!("url {url:?}: {e}"))?;
                ssrf::check_url(&self.config.policy, &url)?;
                let secret = destination
                    .secret
                    .clone()
                    .ok_or("an HTTP destination needs a signing secret")?;
                Ok(Transport::Http(HttpTransport {
                    client: self.http.clone(),
                    policy: self.config.policy.clone(),
                    url,
                    headers: headers
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    timeout: Duration::from_millis(*timeout_ms),
                    secret,
                }))
            }
            Target::Nats { url, subject } => {
                if subject.trim().is_empty() {
                    return Err("a NATS destination needs a subject".into());
                }
                Ok(Transport::Nats(NatsTransport::new(
                    url.clone(),
                    subject.clone(),
                )))
            }
        }
    }
}

/// How long a claim holds a row: longer than a claimed batch can wait for an
/// attempt slot (one attempt ahead of it, see [`slots::Slots`]) plus its
/// own attempt.
pub fn lease(destination: &Destination) -> Duration {
    match &destination.target {
        Target::Http { timeout_ms, .. } => Duration::from_millis(2 * *timeout_ms + 30_000),
        Target::Nats { .. } => Duration::from_secs(60),
    }
}
