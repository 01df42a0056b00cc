//! Instance reuse within one source: a fresh instance per request costs
//! more than the adapter's own work (instantiating, and for JavaScript and
//! Python starting their engine), so an instance that served a request well
//! may serve the next ones of the same source.
//!
//! Only within one trust domain: a source's [`InstancePool`] lives in its
//! entry of the source table, which is rebuilt on every change of a source,
//! its secrets or settings, or the adapters, so an instance never serves
//! another source, another adapter version, or settings it did not start
//! with. An instance goes back to the pool only after a call that ended
//! well (events or a direct answer): a trap, a timeout, a verify or handle
//! error, output over the limit drop it at once. It is dropped too after
//! [`Reuse::max_uses`] requests, [`Reuse::max_idle`] without one, or once its
//! memory grew past [`Reuse::max_memory_bytes`]. Idle instances hold pool
//! slots of their own (the engine's pool has room for
//! [`Reuse::max_idle_instances`] more), so they never make a live call wait.
//! Adapters must not rely on state between calls (docs/adapter-contract.md).

use super::host::AdapterState;
use super::instance::Instance;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use wasmtime::Store;

/// Idle instances one source keeps at most: sequential requests need one,
/// a few concurrent ones a second.
const PER_SOURCE: usize = 2;

/// When an instance may serve again.
#[derive(Debug, Clone)]
pub struct Reuse {
    /// Requests one instance serves at most; 1 turns reuse off (a fresh
    /// instance per request).
    pub max_uses: u32,
    /// An idle instance older than this is dropped.
    pub max_idle: Duration,
    /// An instance whose linear memory grew past this is dropped.
    pub max_memory_bytes: usize,
    /// Idle instances kept at most, over every source.
    pub max_idle_instances: u32,
}

impl Default for Reuse {
    fn default() -> Self {
        Reuse {
            max_uses: 128,
            max_idle: Duration::from_secs(30),
            max_memory_bytes: 32 << 20,
            max_idle_instances: 64,
        }
    }
}

impl Reuse {
    pub fn enabled(&self) -> bool {
        self.max_uses > 1 && self.max_idle_instances > 0
    }
}

/// An instance between two requests of its source.
pub(super) struct Idle {
    pub store: Store<AdapterState>,
    pub instance: Instance,
    /// Hex SHA-256 of the adapter it instantiates.
    pub adapter: String,
    /// Requests it served.
    pub uses: u32,
    since: Instant,
    /// Its place among the idle instances of the whole server.
    _slot: OwnedSemaphorePermit,
}

/// One source's idle instances.
#[derive(Default)]
pub struct InstancePool {
    idle: Mutex<Vec<Idle>>,
}

impl InstancePool {
    /// An idle instance of `adapter` that may serve another request.
    pub(super) fn take(&self, adapter: &str, reuse: &Reuse) -> Option<Idle> {
        let mut idle = self.idle.lock().expect("not poisoned");
        idle.retain(|i| i.since.elapsed() < reuse.max_idle && i.adapter == adapter);
        idle.pop()
    }

    /// Keeps an instance that served `uses` requests well, if it may serve
    /// again and there is room.
    pub(super) fn put(
        &self,
        store: Store<AdapterState>,
        instance: Instance,
        adapter: &str,
        uses: u32,
        reuse: &Reuse,
        budget: &Arc<Semaphore>,
    ) {
        if uses >= reuse.max_uses || store.data().memory_bytes() > reuse.max_memory_bytes {
            return;
        }
        let mut idle = self.idle.lock().expect("not poisoned");
        if idle.len() >= PER_SOURCE {
            return;
        }
        let Ok(slot) = budget.clone().try_acquire_owned() else {
            return;
        };
        idle.push(Idle {
            store,
            instance,
            adapter: adapter.to_string(),
            uses,
            since: Instant::now(),
            _slot: slot,
        });
    }

    /// Idle instances now (for tests and metrics).
    pub fn idle(&self) -> usize {
        self.idle.lock().expect("not poisoned").len()
    }
}
