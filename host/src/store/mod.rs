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
pub mod destinations;
pub mod events;
pub mod outbox;
mod postgres;
pub mod requests;
pub mod secrets;
pub mod sources;
mod sqlite;
pub mod uploads;
pub mod writer;

use crate::metrics::Metrics;
use anyhow::Result;
use backend::{Backend, ChangeNotice};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor as _};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use writer::Writer;

/// The shared pool, and the backend behind it.
#[derive(Clone)]
pub struct Database {
    pub pool: AnyPool,
    backend: Arc<dyn Backend>,
}

impl Database {
    /// Opens (creating a SQLite file if needed) and migrates the database at
    /// `url`: `sqlite://FILE` or `postgres://…`.
    pub async fn open(url: &str) -> Result<Database> {
        sqlx::any::install_default_drivers();
        let shown = redact_password(url);
        let backend: Arc<dyn Backend> = if url.starts_with("sqlite:") {
            Arc::new(sqlite::Sqlite::open(url).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Arc::new(postgres::Postgres::open(url, &shown).await?)
        } else {
            anyhow::bail!(
                "unsupported database URL {shown:?}: use sqlite://FILE or postgres://HOST/DATABASE"
            );
        };
        let sqlite = !backend.replicated();
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        conn.execute(sqlite::POOL_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(|e| anyhow::anyhow!("opening {shown}: {e}"))?;
        Ok(Database { pool, backend })
    }

    /// Whether several servers may share this database (PostgreSQL).
    pub fn replicated(&self) -> bool {
        self.backend.replicated()
    }

    /// The SQL that matches `column` against a glob pattern (`*`, `?`) bound
    /// as placeholder `$n`, and the value to bind for `pattern`.
    pub fn glob(&self, column: &str, n: usize, pattern: &str) -> (String, String) {
        self.backend.glob(column, n, pattern)
    }

    /// Starts the group-commit writer (its thread, the backend's transaction).
    pub async fn start_writer(&self, metrics: Arc<Metrics>) -> Result<Writer> {
        let (batches, last_event_seq) = self.backend.batches().await?;
        Writer::start(batches, last_event_seq, metrics)
    }

    /// Takes one request from a source's rate budget shared by the replicas:
    /// `None` if it fits, else how long until it would.
    pub async fn take_shared_rate(
        &self,
        source_id: &str,
        per_second: NonZeroU32,
        burst: NonZeroU32,
    ) -> Result<Option<Duration>> {
        self.backend.take_rate(source_id, per_second, burst).await
    }

    /// Tells the other servers on the database about a committed change.
    pub async fn announce(&self, change: &str) -> Result<()> {
        self.backend.announce(change).await
    }

    /// The other servers' changes; `None` where none can share the database.
    pub fn changes(&self) -> Option<mpsc::Receiver<ChangeNotice>> {
        self.backend.changes()
    }

    pub(crate) fn feed(&self) -> &'static backend::FeedDialect {
        self.backend.feed()
    }
}

/// The URL without its password, for messages.
fn redact_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
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

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(
            redact_password("postgres://u:hunter2@db:5432/x"),
            "postgres://u:***@db:5432/x"
        );
        assert_eq!(redact_password("sqlite://a.db"), "sqlite://a.db");
    }
}
