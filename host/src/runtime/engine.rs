//! Engine configuration and every sandbox limit, in one place.
//!
//! Wasmtime's knobs (pooling sizes, memory cap, deadline, epoch tick) decide how
//! much one misbehaving adapter can hurt the server, so they are declared
//! together in [`RuntimeLimits`] and applied only here. A background thread
//! advances the engine's epoch every [`EPOCH_TICK`]; adapter calls are futures
//! that yield at every tick, so a looping adapter never holds a thread for
//! long and is dropped when its call timeout fires.

use super::bindings::{v01, v02};
use super::cache::CompileCache;
use super::error::wasm_error;
use super::host::AdapterState;
use super::reuse::Reuse;
use anyhow::{Context as _, Result};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};
use wasmtime::component::{HasSelf, Linker};
use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

/// How often the epoch advances; the granularity of call deadlines.
pub const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Core instances one adapter instance may use, on average over the pool.
const CORE_INSTANCES_PER_ADAPTER: u32 = 64;

/// Bytes of each pool slot kept mapped between instances (see `Runtime::new`).
const KEEP_RESIDENT: usize = 512 << 10;

/// The limits one adapter call runs under.
#[derive(Debug, Clone)]
pub struct RuntimeLimits {
    /// Wall-clock budget for `verify` + `handle` of one request together.
    pub call_timeout: Duration,
    /// Cap on one instance's linear memory.
    pub memory_bytes: usize,
    /// How many adapter instances may be alive at once (pool slots).
    pub max_instances: u32,
    /// Largest output of one `handle` (events, or a direct answer), in bytes:
    /// more is a failure, not tens of MiB written to the database.
    pub output_bytes: usize,
    /// When an instance may serve another request of its source.
    pub reuse: Reuse,
}

impl Default for RuntimeLimits {
    fn default() -> Self {
        RuntimeLimits {
            call_timeout: Duration::from_millis(1000),
            memory_bytes: 64 << 20,
            max_instances: 256,
            output_bytes: 16 << 20,
            reuse: Reuse::default(),
        }
    }
}

/// The process-wide wasmtime engine, linker and compile cache.
pub struct Runtime {
    pub(super) engine: Engine,
    pub(super) linker: Linker<AdapterState>,
    pub(super) limits: RuntimeLimits,
    pub(super) cache: CompileCache,
    /// Adapter calls running at once: one slot per pool instance.
    slots: Semaphore,
    /// Instances kept idle for reuse, over every source: each holds one of
    /// the pool's extra slots.
    pub(super) idle: Arc<Semaphore>,
}

impl Runtime {
    /// Builds the engine and starts the epoch ticker. `cache_dir` holds
    /// precompiled components; `None` compiles every time.
    pub fn new(limits: RuntimeLimits, cache_dir: Option<PathBuf>) -> Result<Arc<Runtime>> {
        let mut pool = PoolingAllocationConfig::default();
        // Room for the calls running and the instances kept idle.
        let idle = if limits.reuse.enabled() {
            limits.reuse.max_idle_instances
        } else {
            0
        };
        let instances = limits.max_instances + idle;
        pool.total_component_instances(instances)
            // A Rust or JavaScript adapter instantiates 3 core modules, a
            // componentize-py one 38 (libc, libpython, one per extension
            // module). Only a counter: nothing is reserved per slot.
            .total_core_instances(instances * CORE_INSTANCES_PER_ADAPTER)
            .total_memories(instances * 2)
            .total_tables(instances * 8)
            .total_stacks(instances)
            .max_memory_size(limits.memory_bytes)
            // Reset the first pages of a slot with memset rather than
            // madvise: the next instance then runs without page faults.
            .linear_memory_keep_resident(KEEP_RESIDENT)
            .table_keep_resident(KEEP_RESIDENT)
            // On Linux 6.7+, ask the kernel which of those pages the instance
            // dirtied and reset only them, instead of all KEEP_RESIDENT bytes.
            .pagemap_scan(Enabled::Auto);

        let mut config = Config::new();
        config
            .epoch_interruption(true)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
            .wasm_component_model(true)
            .max_wasm_stack(512 << 10);
        let engine = Engine::new(&config)
            .map_err(wasm_error)
            .context("configuring the wasmtime engine")?;

        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)
            .map_err(wasm_error)
            .context("linking WASI")?;
        // Both contract versions' imports: a component picks its own.
        v02::AdapterWorld::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)
            .map_err(wasm_error)
            .context("linking host imports")?;
        v01::AdapterWorld::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)
            .map_err(wasm_error)
            .context("linking the 0.1 host imports")?;

        let ticker = engine.weak();
        std::thread::Builder::new()
            .name("hookyard-epoch".into())
            .spawn(move || {
                while let Some(engine) = ticker.upgrade() {
                    engine.increment_epoch();
                    drop(engine);
                    std::thread::sleep(EPOCH_TICK);
                }
            })
            .context("starting the epoch ticker")?;

        let cache = CompileCache::new(&engine, cache_dir);
        Ok(Arc::new(Runtime {
            engine,
            linker,
            slots: Semaphore::new(limits.max_instances as usize),
            idle: Arc::new(Semaphore::new(idle as usize)),
            limits,
            cache,
        }))
    }

    /// Waits for a free adapter-call slot: calls beyond the instance pool's
    /// size wait here instead of failing to instantiate.
    pub(super) async fn slot(&self) -> SemaphorePermit<'_> {
        self.slots
            .acquire()
            .await
            .expect("the semaphore is never closed")
    }

    /// A free slot now, or none (a shadow run never makes live calls wait).
    pub(super) fn free_slot(&self) -> Option<SemaphorePermit<'_>> {
        self.slots.try_acquire().ok()
    }
}
