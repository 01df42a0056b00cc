//! Durable state: the database, its migrations, and one module per aggregate.
//!
//! Two backends sit behind one interface. SQLite is embedded by default: WAL
//! journal, `synchronous=FULL`, so a commit survives power loss. PostgreSQL
//! (`postgres://…`) lets several replicas share one database. Reads and
//! management writes are the same SQL on both, through sqlx's `Any` pool
//! (placeholders `$1`, integers for flags, no dialect-only functions). The
//! ingest and outbox writes, where the backends differ most, go through the
//! group-commit [`writer`]: a thread with its own SQLite connection, or
//! batched transactions with row claims on PostgreSQL ([`postgres`]).

pub mod access;
pub mod destinations;
pub mod events;
pub mod outbox;
pub mod postgres;
pub mod rate_budgets;
pub mod requests;
pub mod secrets;
pub mod sources;
pub mod uploads;
pub mod writer;

use anyhow::{Context as _, Result};
use sqlx::any::AnyPoolOptions;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AnyPool, ConnectOptions as _, Executor as _};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// The shared pool, and what only one backend has.
#[derive(Clone)]
pub struct Database {
    pub pool: AnyPool,
    pub backend: Backend,
}

#[derive(Clone)]
pub enum Backend {
    /// The file the writer thread opens its own connection to.
    Sqlite(PathBuf),
    /// A typed pool for the write path (arrays, row locks, notifications).
    Postgres(PgPool),
}

/// Set on every pooled SQLite connection: the durability of the writer's.
const SQLITE_PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;
    PRAGMA busy_timeout = 10000;
    -- Deleted and overwritten content is zeroed, not left in free pages:
    -- secrets moved out of the old clear-text column go away.
    PRAGMA secure_delete = ON;
    -- Only the group-commit writer checkpoints (see `writer`).
    PRAGMA wal_autocheckpoint = 0;";

impl Database {
    /// Opens (creating a SQLite file if needed) and migrates the database at
    /// `url`: `sqlite://FILE` or `postgres://…`.
    pub async fn open(url: &str) -> Result<Database> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite(open_sqlite(url).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .connect(url)
                .await
                .with_context(|| format!("connecting to {}", redact_password(url)))?;
            sqlx::migrate!("../migrations/postgres")
                .run(&pool)
                .await
                .context("migrating the database")?;
            Backend::Postgres(pool)
        } else {
            anyhow::bail!(
                "unsupported database URL {:?}: use sqlite://FILE or postgres://HOST/DATABASE",
                redact_password(url)
            );
        };
        let sqlite = matches!(backend, Backend::Sqlite(_));
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        conn.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .with_context(|| format!("opening {}", redact_password(url)))?;
        Ok(Database { pool, backend })
    }

    /// The SQL that matches `column` against a glob pattern (`*`, `?`) bound
    /// as placeholder `$n`, and the value to bind for `pattern`.
    pub fn glob(&self, column: &str, n: usize, pattern: &str) -> (String, String) {
        match self.backend {
            Backend::Sqlite(_) => (format!("{column} GLOB ${n}"), pattern.to_string()),
            Backend::Postgres(_) => (
                format!("{column} LIKE ${n} ESCAPE '\\'"),
                glob_to_like(pattern),
            ),
        }
    }
}

/// Creates and migrates the SQLite file with one connection, WAL on (a
/// setting of the file, so every later connection has it).
async fn open_sqlite(url: &str) -> Result<PathBuf> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("parsing database URL {url}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true)
        .pragma("secure_delete", "ON");
    let mut conn = options
        .connect()
        .await
        .with_context(|| format!("opening {url}"))?;
    sqlx::migrate!("../migrations/sqlite")
        .run(&mut conn)
        .await
        .context("migrating the database")?;
    Ok(options.get_filename().to_path_buf())
}

/// `*` and `?` as SQL `LIKE`'s `%` and `_`; `%`, `_` and `\` taken literally.
fn glob_to_like(pattern: &str) -> String {
    let mut like = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        match c {
            '*' => like.push('%'),
            '?' => like.push('_'),
            '%' | '_' | '\\' => {
                like.push('\\');
                like.push(c);
            }
            c => like.push(c),
        }
    }
    like
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
    use super::{glob_to_like, redact_password};

    #[test]
    fn globs_become_like_patterns_with_like_wildcards_escaped() {
        assert_eq!(glob_to_like("invoice.*"), "invoice.%");
        assert_eq!(glob_to_like("a?c"), "a_c");
        assert_eq!(glob_to_like("50%_off\\*"), "50\\%\\_off\\\\%");
    }

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(
            redact_password("postgres://u:hunter2@db:5432/x"),
            "postgres://u:***@db:5432/x"
        );
        assert_eq!(redact_password("sqlite://a.db"), "sqlite://a.db");
    }
}
