//! Durable state: the database, its migrations, and one module per aggregate.
//!
//! Two backends sit behind one seam ([`backend::Backend`], one folder each:
//! `sqlite/`, embedded and the default, WAL and `synchronous=FULL` so a
//! commit survives power loss; `postgres/`, for several replicas on one
//! database). Reads and management writes are the same SQL on both, through
//! sqlx's `Any` pool (placeholders `$1`, integers for flags, no dialect-only
//! functions); the request path's and the outbox's writes go through the one
//! group commit ([`writer`]), whose transaction each backend provides, and
//! claims through the one claim algorithm ([`claim`]).

pub mod access;
pub mod backend;
pub mod claim;
mod clock;
mod database;
pub mod destinations;
pub mod events;
pub mod follow_ups;
pub(crate) mod ids;
pub mod outbox;
mod postgres;
pub mod requests;
pub mod retention;
pub mod secrets;
pub mod sources;
mod sqlite;
pub mod stats;
pub mod uploads;
pub mod writer;

pub use clock::{now_ms, rfc3339};
pub use sqlite::backup::BackupSummary;

/// Writes a consistent copy of the database at `url` to `to` while servers
/// may be using it. SQLite only: PostgreSQL has `pg_dump` (docs/operating.md).
pub fn backup(url: &str, to: &std::path::Path) -> anyhow::Result<BackupSummary> {
    if !url.starts_with("sqlite:") {
        anyhow::bail!(
            "hookyard backup copies a SQLite database; back up PostgreSQL with pg_dump \
             (docs/operating.md, \"Backups\"), and keep the master key too"
        );
    }
    sqlite::backup::backup(url, to)
}
pub use database::Database;
pub use ids::{new_id, random_token};
