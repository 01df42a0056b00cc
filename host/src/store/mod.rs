//! Durable state: the database, its migrations, and one module per aggregate.
//!
//! SQLite is embedded by default: WAL journal, `synchronous=FULL`, so a commit
//! survives power loss. Reads go through a small pool; all ingest writes go
//! through the single group-commit [`writer`], because one writer committing
//! batches is several times faster than a transaction per request with the
//! same durability.

pub mod access;
pub mod destinations;
pub mod events;
pub mod outbox;
pub mod requests;
pub mod secrets;
pub mod sources;
pub mod uploads;
pub mod writer;

use anyhow::{Context as _, Result};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// The read pool plus the options to open the writer's own connection.
#[derive(Clone)]
pub struct Database {
    pub pool: SqlitePool,
    options: SqliteConnectOptions,
}

impl Database {
    /// Opens (creating if needed) and migrates the database at `url`
    /// (`sqlite://path.db` or `sqlite::memory:`).
    pub async fn open(url: &str) -> Result<Database> {
        if !url.starts_with("sqlite:") {
            anyhow::bail!(
                "unsupported database URL {url:?}: use sqlite://FILE (PostgreSQL is not supported yet)"
            );
        }
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("parsing database URL {url}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Deleted and overwritten content is zeroed, not left in free
            // pages: secrets moved out of the old clear-text column go away.
            .pragma("secure_delete", "ON")
            // Only the group-commit writer checkpoints (see `writer::open`).
            .pragma("wal_autocheckpoint", "0");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.clone())
            .await
            .with_context(|| format!("opening {url}"))?;
        sqlx::migrate!("../migrations/sqlite")
            .run(&pool)
            .await
            .context("migrating the database")?;
        Ok(Database { pool, options })
    }
}

/// Milliseconds since the Unix epoch, the unit of every stored timestamp.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// RFC 3339 rendering of a stored timestamp, for the API.
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A bearer credential: `prefix`, `_` and `len` random alphanumerics
/// (about 5.95 bits each: 32 give 190 bits).
pub fn random_token(prefix: &str, len: usize) -> String {
    use rand::Rng as _;
    let random: String = rand::rng()
        .sample_iter(&rand::distr::Alphanumeric)
        .take(len)
        .map(char::from)
        .collect();
    format!("{prefix}_{random}")
}

/// A new random id with a readable prefix, time-ordered (UUIDv7).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::now_v7().simple())
}
