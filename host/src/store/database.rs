//! The shared pool and the backend behind it: what the rest of the server
//! holds to read, to write through the group commit, and to ask the backend
//! for what only it can do.

use super::backend::{Backend, ChangeFeed, FeedDialect};
use super::events::{COLUMNS, EventCursor, EventFilter, StoredEvent};
use super::writer::Writer;
use super::{postgres, sqlite};
use crate::metrics::Metrics;
use anyhow::Result;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor as _};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    pub fn changes(&self) -> Option<ChangeFeed> {
        self.backend.changes()
    }

    pub(crate) fn feed(&self) -> &'static FeedDialect {
        self.backend.feed()
    }
}

/// How long a page of the feed waits for write transactions older than its
/// newest events to end (one may still commit an event that sorts before
/// them) before it answers without those events; and how often it looks.
const SETTLE_WAIT: Duration = Duration::from_secs(1);
const SETTLE_POLL: Duration = Duration::from_millis(5);

/// A feed row, and whether every transaction older than it has ended.
#[derive(sqlx::FromRow)]
struct FeedRow {
    #[sqlx(flatten)]
    event: StoredEvent,
    settled: i64,
}

/// The event feed: its order and position depend on the backend.
impl Database {
    /// The events after `filter.after`, in feed order (see [`EventCursor`]).
    /// On PostgreSQL, events that a running older transaction could still
    /// precede are left out; while there are such, the page waits for those
    /// transactions to end (up to [`SETTLE_WAIT`]), so an acknowledged event is
    /// in the next page read, as on SQLite.
    pub async fn events_after(&self, filter: &EventFilter) -> Result<Vec<StoredEvent>> {
        let db = self;
        let (type_matches, pattern) =
            db.glob("type", 6, filter.event_type.as_deref().unwrap_or(""));
        let feed = db.feed();
        let (position, after, order) = (feed.position, feed.after, feed.order);
        let sql = format!(
            "SELECT {COLUMNS}, {position} FROM events
             WHERE {after} AND ($3 IS NULL OR source_id = $4) AND ($5 IS NULL OR {type_matches})
               AND ($8 IS NULL OR received_at >= $9)
             ORDER BY {order} LIMIT $7"
        );
        let started = Instant::now();
        loop {
            let rows: Vec<FeedRow> = sqlx::query_as(&sql)
                .bind(filter.after.xid)
                .bind(filter.after.seq)
                .bind(&filter.source_id)
                .bind(&filter.source_id)
                .bind(&filter.event_type)
                .bind(&pattern)
                .bind(filter.limit)
                .bind(filter.since)
                .bind(filter.since)
                .fetch_all(&db.pool)
                .await?;
            // Unsettled rows have the newest transaction ids: they come last.
            let settled = rows.iter().take_while(|row| row.settled == 1).count();
            if settled == rows.len() || started.elapsed() >= SETTLE_WAIT {
                return Ok(rows
                    .into_iter()
                    .take(settled)
                    .map(|row| row.event)
                    .collect());
            }
            tokio::time::sleep(SETTLE_POLL).await;
        }
    }

    /// The newest `limit` events (newest first) whose type matches one of
    /// the glob patterns `types`, of the sources `source_ids` (`None`: any).
    pub async fn newest_events(
        &self,
        types: &[String],
        source_ids: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<StoredEvent>> {
        let mut binds: Vec<String> = Vec::new();
        let mut conditions = Vec::new();
        if !types.iter().any(|t| t == "*") {
            let mut any = Vec::new();
            for pattern in types {
                let (sql, value) = self.glob("type", binds.len() + 1, pattern);
                any.push(sql);
                binds.push(value);
            }
            conditions.push(format!("({})", any.join(" OR ")));
        }
        if let Some(ids) = source_ids {
            let mut any = Vec::new();
            for id in ids {
                binds.push(id.clone());
                any.push(format!("${}", binds.len()));
            }
            // No source at all selects nothing.
            any.push("NULL".into());
            conditions.push(format!("source_id IN ({})", any.join(", ")));
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE {} ORDER BY seq DESC LIMIT {limit}",
            if conditions.is_empty() {
                "1 = 1".to_string()
            } else {
                conditions.join(" AND ")
            }
        );
        let mut query = sqlx::query_as(&sql);
        for value in &binds {
            query = query.bind(value);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// Where the feed is now: a consumer starting here sees only events that
    /// become visible from now on.
    pub async fn feed_head(&self) -> Result<EventCursor> {
        let db = self;
        let (xid, seq) = sqlx::query_as(db.feed().head).fetch_one(&db.pool).await?;
        Ok(EventCursor { xid, seq })
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
