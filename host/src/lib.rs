//! Hookyard: a webhook gateway whose per-vendor logic runs in sandboxed
//! WebAssembly components ("adapters").
//!
//! Read in this order: [`cli`] (commands) → [`serve`] (wiring) → [`ingest`]
//! (the request path) → [`runtime`] (the sandbox) → [`store`] (durability).

pub mod api;
pub mod app;
pub mod cli;
pub mod client;
pub mod event_policy;
pub mod ingest;
pub mod metrics;
pub mod plugin_cmd;
pub mod preset_docs;
pub mod registry;
pub mod runtime;
pub mod scaffold;
pub mod serve;
pub mod store;
