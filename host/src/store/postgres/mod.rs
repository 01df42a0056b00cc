//! PostgreSQL: several replicas on one database.
//!
//! Any replica ingests and drains the outbox: its group commit runs on pooled
//! connections ([`batches`]), and claims skip rows another replica holds. What
//! only a shared database has lives here too: rate budgets every replica
//! takes from ([`rate_budgets`]), and change notices (`LISTEN/NOTIFY` on
//! [`CHANNEL`]) so each replica rebuilds what another one changed. The event
//! feed orders by the storing transaction, then `seq`, and shows a
//! transaction only once every older one has ended (`events::EventCursor`).

mod batches;
mod rate_budgets;

use super::backend::{Backend, ChangeFeed, ChangeNotice, FeedDialect};
use super::writer::Batches;
use anyhow::{Context as _, Result};
use futures_util::future::BoxFuture;
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use std::num::NonZeroU32;
use std::time::Duration;
use tokio::sync::mpsc;

/// The notification channel of change notices.
const CHANNEL: &str = "hookyard_changes";

static FEED: FeedDialect = FeedDialect {
    position: "xid::text::bigint AS xid,
             (xid < pg_snapshot_xmin(pg_current_snapshot()))::int::bigint AS settled",
    after: "(xid, seq) > ($1::bigint::text::xid8, $2)",
    order: "xid, seq",
    head: "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, 0",
};

pub(super) struct Postgres {
    /// A typed pool for the write path (arrays, row locks, notifications).
    pool: PgPool,
}

impl Postgres {
    /// Connects and migrates (the schema is created on first start).
    pub(super) async fn open(url: &str, shown_url: &str) -> Result<Postgres> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect(url)
            .await
            .with_context(|| format!("connecting to {shown_url}"))?;
        sqlx::migrate!("../migrations/postgres")
            .run(&pool)
            .await
            .context("migrating the database")?;
        Ok(Postgres { pool })
    }
}

impl Backend for Postgres {
    fn replicated(&self) -> bool {
        true
    }

    fn glob(&self, column: &str, n: usize, pattern: &str) -> (String, String) {
        (
            format!("{column} LIKE ${n} ESCAPE '\\'"),
            glob_to_like(pattern),
        )
    }

    fn feed(&self) -> &'static FeedDialect {
        &FEED
    }

    fn batches(&self) -> BoxFuture<'_, Result<(Box<dyn Batches>, i64)>> {
        Box::pin(async move {
            let last_seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events")
                .fetch_one(&self.pool)
                .await?;
            let batches = batches::PgBatches {
                pool: self.pool.clone(),
                runtime: tokio::runtime::Handle::current(),
            };
            Ok((Box::new(batches) as Box<dyn Batches>, last_seq))
        })
    }

    fn take_rate<'a>(
        &'a self,
        source_id: &'a str,
        per_second: NonZeroU32,
        burst: NonZeroU32,
    ) -> BoxFuture<'a, Result<Option<Duration>>> {
        Box::pin(rate_budgets::take(&self.pool, source_id, per_second, burst))
    }

    fn announce<'a>(&'a self, change: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(change)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
    }

    fn changes(&self) -> Option<ChangeFeed> {
        let (notices, received) = mpsc::channel(64);
        let pool = self.pool.clone();
        let listening = Box::pin(async move {
            loop {
                if let Err(e) = listen(&pool, &notices).await {
                    tracing::warn!("listening for other replicas' changes: {e:#}");
                }
                if notices.is_closed() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
                // Whatever was announced meanwhile is missed.
                if notices.send(ChangeNotice::Resync).await.is_err() {
                    return;
                }
            }
        });
        Some(ChangeFeed {
            notices: received,
            listen: listening,
        })
    }
}

/// Forwards notices until the connection drops (then `Resync`, and the next
/// call reconnects) or nobody listens any more.
async fn listen(pool: &PgPool, notices: &mpsc::Sender<ChangeNotice>) -> Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let notice = match listener.try_recv().await? {
            Some(notice) => ChangeNotice::Change(notice.payload().to_string()),
            None => ChangeNotice::Resync,
        };
        if notices.send(notice).await.is_err() {
            return Ok(());
        }
    }
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

#[cfg(test)]
mod tests {
    use super::glob_to_like;

    #[test]
    fn globs_become_like_patterns_with_like_wildcards_escaped() {
        assert_eq!(glob_to_like("invoice.*"), "invoice.%");
        assert_eq!(glob_to_like("a?c"), "a_c");
        assert_eq!(glob_to_like("50%_off\\*"), "50\\%\\_off\\\\%");
    }
}
