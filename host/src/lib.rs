//! Hookyard: a webhook gateway whose per-vendor logic runs in sandboxed
//! WebAssembly components ("adapters").
//!
//! Read in this order:
//!
//! 1. [`cli`]: the commands; `serve` starts the server.
//! 2. [`serve`]: the wiring. It opens the [`store`], loads the adapters
//!    ([`runtime`], [`registry`], [`catalog`]), builds the in-memory
//!    [`source_table`] and the destination table ([`delivery`]), puts the
//!    parts in the router's state ([`app`]: each handler takes the parts it
//!    uses) and starts the background [`tasks`] (the drainer, the [`changes`]
//!    listener, the [`shadow`] worker, the pruning of [`retention`], the
//!    [`watcher`], the secret expiry check of [`alerts`]); [`shutdown`]
//!    stops them all within a bound; with an OTLP endpoint, [`telemetry`]
//!    exports traces of requests and deliveries.
//! 3. [`ingest`]: the request path, top to bottom, from the HTTP edge through
//!    the gate ([`limits`], [`client_ip`], [`quarantine`]), the adapter call,
//!    the [`event_policy`] and routing, to the durable commit; one typed
//!    outcome decides the answer and the request-log row.
//! 4. [`runtime`]: the sandbox (wasmtime, limits, the call slots).
//! 5. [`store`]: durability. One seam (`store::backend`), a folder per
//!    backend, one group-commit loop (`store::writer`) and one claim
//!    algorithm (`store::claim`); secrets and raw requests are sealed with
//!    [`sealing`].
//! 6. [`delivery`]: the outbox drainer, routing, transports, retries;
//!    [`alerts`]: the server's own events (a destination disabled, dead
//!    letters, ...), delivered like any other.
//! 7. [`api`]: the management API, one file per resource; [`changes`] tells
//!    the other replicas what changed; [`test_event`] sends a source a
//!    signed test event through the request path. [`console`] serves the
//!    web UI, a client of the API.
//!
//! The offline tools (`plugin test`, `plugin docs`, `send`) are
//! [`plugin_cmd`], [`fixture_runner`], [`preset_docs`] and [`scaffold`].
//! No module imports another that imports it back (`tools/module_cycles.py`).

pub mod admin_token;
pub mod alerts;
pub mod api;
pub mod app;
pub mod catalog;
pub mod changes;
pub mod cli;
pub mod client_ip;
pub mod console;
pub mod delivery;
pub mod event_policy;
pub mod fetch;
pub mod fixture_runner;
pub mod follow_ups;
pub mod ingest;
pub mod limits;
pub mod metrics;
pub mod plugin_cmd;
pub mod preset_docs;
pub mod quarantine;
pub mod registry;
pub mod reprocess;
pub mod retention;
pub mod runtime;
pub mod scaffold;
pub mod sealing;
pub mod serve;
pub mod shadow;
pub mod shutdown;
pub mod source_table;
pub mod store;
pub mod suggest;
pub mod tasks;
pub mod telemetry;
pub mod test_event;
pub mod watcher;
