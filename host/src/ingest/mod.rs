//! `/webhooks/{key}`: the request path, top to bottom.
//!
//! key lookup (memory) → the source's limits (IP allowlist, rate,
//! concurrency, body size) → fail closed without a secret → not while the
//! source's adapter is quarantined → adapter `verify` + `handle` (a future on
//! this task, bounded by the instance pool) → the source's event policy →
//! the destinations each event goes to → dedup and durable commit of events,
//! their outbox rows and the raw request (group commit) → only then 2xx.
//!
//! Read in this order: [`edge`] (the axum handler: what arrived, what is
//! answered and logged), [`gate`] (everything before the adapter),
//! [`adapt`](mod@adapt) (the adapter call and what follows it, shared with
//! reprocessing), [`events`] (the event policy and the rows), [`outcome`]
//! (how a request ended: one typed value decides the status, the error code,
//! the log row's outcome and the metric), [`record`] (the request-log row:
//! the raw request sealed, what is shown redacted).
//!
//! Every request, whatever its fate, lands in the request log, except those
//! over a rate or concurrency limit: a flood must not turn into database
//! writes, so those are only counted (metrics, and the per-minute stats,
//! written with the next batch). When the adapter fails (trap,
//! timeout, handle error) the raw request is kept so it can be processed
//! again (quarantine, see `reprocess`), and the vendor gets 503 so it
//! retries. A shadow candidate, if any, gets a copy of each adapter call
//! (`shadow`).

mod adapt;
mod edge;
mod events;
mod gate;
mod outcome;
mod record;
mod state;

pub use adapt::adapt;
pub use edge::{finish, inject, receive};
// The OpenAPI description of `receive`, for the router that documents it.
#[doc(hidden)]
pub use edge::__path_receive;
pub use events::new_events;
pub use gate::public_url;
pub use outcome::{Outcome, Refusal, Refused, Throttle, direct_response};
pub use record::{Origin, Trace};
pub use state::Ingest;
