//! The storage seam: what differs between SQLite and PostgreSQL, in one
//! trait, each backend in a folder of its own (`sqlite/`, `postgres/`).
//!
//! Everything else is shared: reads and management writes are the same SQL on
//! both, through sqlx's `Any` pool; the group-commit loop
//! ([`super::writer`]) and the claim algorithm ([`super::claim`]) are written
//! once. A backend provides the transaction that commits a batch
//! ([`Batches`]), the few statements whose dialect differs (globs, the event
//! feed's order), and what only a database shared by replicas has: rate
//! budgets in the database, and change notices between servers. Callers ask
//! for capabilities ([`Backend::replicated`]), never for the backend's name.

use super::writer::Batches;
use anyhow::Result;
use futures_util::future::BoxFuture;
use std::num::NonZeroU32;
use std::time::Duration;
use tokio::sync::mpsc;

/// How the event feed is ordered and positioned in one backend's SQL (see
/// `events::EventCursor`).
pub(crate) struct FeedDialect {
    /// Selected beside the event: its transaction (`xid`) and whether every
    /// older transaction has ended (`settled`, 0 or 1).
    pub position: &'static str,
    /// Rows after the cursor `($1 xid, $2 seq)`.
    pub after: &'static str,
    pub order: &'static str,
    /// The feed's head now, as `(xid, seq)`.
    pub head: &'static str,
}

/// A change another server on the database made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeNotice {
    /// What it announced (`sources`, `destinations`, `adapters`).
    Change(String),
    /// Notices may have been missed (the listening connection dropped):
    /// rebuild everything.
    Resync,
}

/// The other servers' changes: the notices, and the future that listens for
/// them. Whoever reads the notices runs `listen` in the same task, so the
/// listening connection ends with the reader (no detached task).
pub struct ChangeFeed {
    pub notices: mpsc::Receiver<ChangeNotice>,
    pub listen: BoxFuture<'static, ()>,
}

pub(super) trait Backend: Send + Sync + 'static {
    /// Whether several servers may share this database (PostgreSQL).
    fn replicated(&self) -> bool;

    /// The SQL matching `column` against a glob pattern (`*`, `?`) bound as
    /// placeholder `$n`, and the value to bind for `pattern`.
    fn glob(&self, column: &str, n: usize, pattern: &str) -> (String, String);

    fn feed(&self) -> &'static FeedDialect;

    /// The transaction the group-commit loop commits batches with, and the
    /// highest event `seq` stored so far.
    fn batches(&self) -> BoxFuture<'_, Result<(Box<dyn Batches>, i64)>>;

    /// Takes one request from a source's rate budget kept in the database
    /// for every replica: `None` if it fits, else how long until it would.
    /// A backend no replica shares has no such budget (the in-memory one is
    /// the whole budget): `None`.
    fn take_rate<'a>(
        &'a self,
        source_id: &'a str,
        per_second: NonZeroU32,
        burst: NonZeroU32,
    ) -> BoxFuture<'a, Result<Option<Duration>>>;

    /// Tells the other servers on the database about a committed change.
    fn announce<'a>(&'a self, change: &'a str) -> BoxFuture<'a, Result<()>>;

    /// The other servers' changes, as they are announced; `None` where no
    /// other server can share the database.
    fn changes(&self) -> Option<ChangeFeed>;
}
