//! Hookyard: a webhook gateway whose per-vendor logic runs in sandboxed
//! WebAssembly components ("adapters").
//!
//! Read in this order: [`cli`] (commands) → [`serve`] (wiring) → [`ingest`]
//! (the request path) → [`runtime`] (the sandbox) → [`store`] (durability) →
//! [`delivery`] (the outbox and destinations).

pub mod admin_token;
pub mod api;
pub mod app;
pub mod catalog;
pub mod changes;
pub mod cli;
pub mod client_ip;
pub mod delivery;
pub mod event_policy;
pub mod fixture_runner;
pub mod ingest;
pub mod limits;
pub mod metrics;
pub mod plugin_cmd;
pub mod preset_docs;
pub mod quarantine;
pub mod registry;
pub mod reprocess;
pub mod runtime;
pub mod scaffold;
pub mod sealing;
pub mod serve;
pub mod shadow;
pub mod source_table;
pub mod store;
pub mod suggest;
pub mod tasks;
pub mod watcher;
