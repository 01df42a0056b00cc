//! SQLite, embedded: the default backend, for one server.
//!
//! The file runs in WAL mode with `synchronous=FULL`, so a commit survives
//! power loss. Reads go through the shared sqlx pool; every write goes
//! through the group commit on the one write connection ([`batches`]). No
//! other server can share the file, so there are no rate budgets in the
//! database and no change notices.

pub(super) mod backup;
mod batches;

use super::backend::{Backend, ChangeFeed, FeedDialect};
use super::writer::Batches;
use anyhow::{Context as _, Result};
use futures_util::future::BoxFuture;
use sqlx::ConnectOptions as _;
use sqlx::sqlite::{SqliteAutoVacuum, SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// Set on every pooled connection: the durability of the writer's.
pub(super) const POOL_PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;
    PRAGMA busy_timeout = 10000;
    -- Deleted and overwritten content is zeroed, not left in free pages:
    -- secrets moved out of the old clear-text column go away.
    PRAGMA secure_delete = ON;
    -- Only the group-commit writer checkpoints (see `batches`).
    PRAGMA wal_autocheckpoint = 0;";

/// One writer commits events in `seq` order, so `seq` alone is the position.
static FEED: FeedDialect = FeedDialect {
    position: "0 AS xid, 1 AS settled",
    after: "$1 = 0 AND seq > $2",
    order: "seq",
    head: "SELECT 0, COALESCE(MAX(seq), 0) FROM events",
};

pub(super) struct Sqlite {
    /// The file the write connection opens.
    path: PathBuf,
}

impl Sqlite {
    /// Creates and migrates the file with one connection, WAL on (a setting
    /// of the file, so every later connection has it).
    pub(super) async fn open(url: &str) -> Result<Sqlite> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("parsing database URL {url}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("secure_delete", "ON")
            // Takes effect on a new file only: pruning can then give space
            // back (`store::retention`).
            .auto_vacuum(SqliteAutoVacuum::Incremental);
        let mut conn = options
            .connect()
            .await
            .with_context(|| format!("opening {url}"))?;
        sqlx::migrate!("../migrations/sqlite")
            .run(&mut conn)
            .await
            .context("migrating the database")?;
        Ok(Sqlite {
            path: options.get_filename().to_path_buf(),
        })
    }
}

impl Backend for Sqlite {
    fn replicated(&self) -> bool {
        false
    }

    fn glob(&self, column: &str, n: usize, pattern: &str) -> (String, String) {
        (format!("{column} GLOB ${n}"), pattern.to_string())
    }

    fn feed(&self) -> &'static FeedDialect {
        &FEED
    }

    fn batches(&self) -> BoxFuture<'_, Result<(Box<dyn Batches>, i64)>> {
        Box::pin(async move {
            let batches = batches::SqliteBatches::open(&self.path).with_context(|| {
                format!("opening the write connection to {}", self.path.display())
            })?;
            let last_seq = batches.last_event_seq()?;
            Ok((Box::new(batches) as Box<dyn Batches>, last_seq))
        })
    }

    fn take_rate<'a>(
        &'a self,
        _source_id: &'a str,
        _per_second: NonZeroU32,
        _burst: NonZeroU32,
    ) -> BoxFuture<'a, Result<Option<Duration>>> {
        Box::pin(async { Ok(None) })
    }

    fn announce<'a>(&'a self, _change: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async { Ok(()) })
    }

    fn changes(&self) -> Option<ChangeFeed> {
        None
    }
}
