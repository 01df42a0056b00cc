//! Stored events: what the API lists, streams and replays.

use anyhow::Result;
use sqlx::AnyPool;

/// An event about to be stored.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub id: String,
    pub event_type: String,
    pub dedup_id: String,
    pub subject: Option<String>,
    pub occurred_at: Option<i64>,
    pub data: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredEvent {
    pub seq: i64,
    /// The id of the transaction that stored it, on PostgreSQL (0 on SQLite
    /// and where a query does not read it); see [`EventCursor`].
    #[sqlx(default)]
    pub xid: i64,
    pub id: String,
    pub source_id: String,
    #[sqlx(rename = "type")]
    pub event_type: String,
    pub dedup_id: String,
    pub subject: Option<String>,
    pub occurred_at: Option<i64>,
    pub received_at: i64,
    pub plugin: String,
    pub plugin_version: String,
    pub plugin_hash: String,
    pub request_id: String,
    pub data: String,
}

impl StoredEvent {
    /// The feed position right after this event.
    pub fn cursor(&self) -> EventCursor {
        EventCursor {
            xid: self.xid,
            seq: self.seq,
        }
    }
}

/// A position in the event feed, which a consumer tailing events resumes
/// from without missing one.
///
/// On SQLite one writer commits events in `seq` order, so `seq` alone is the
/// position (written as `"42"`). On PostgreSQL, several replicas commit
/// concurrently and a transaction can commit after another that took a
/// higher `seq`: a reader who had moved past that `seq` would skip the late
/// one. So the feed there is ordered by the storing transaction's id, then
/// `seq` (written as `"812-42"`), and only shows transactions older than
/// every one still running (`pg_snapshot_xmin`): whatever commits later has
/// a newer transaction id and sorts after everything already read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct EventCursor {
    pub xid: i64,
    pub seq: i64,
}

impl std::fmt::Display for EventCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.xid {
            0 => write!(f, "{}", self.seq),
            xid => write!(f, "{xid}-{}", self.seq),
        }
    }
}

impl std::str::FromStr for EventCursor {
    type Err = ();

    fn from_str(text: &str) -> Result<EventCursor, ()> {
        let number = |text: &str| text.parse::<i64>().ok().filter(|n| *n >= 0).ok_or(());
        match text.split_once('-') {
            Some((xid, seq)) => Ok(EventCursor {
                xid: number(xid)?,
                seq: number(seq)?,
            }),
            None => Ok(EventCursor {
                xid: 0,
                seq: number(text)?,
            }),
        }
    }
}

/// Which events to list: oldest first, after `after`; `event_type` is a
/// glob pattern (`*` any run of characters, `?` one); `since` (ms) keeps
/// those received at or after it.
#[derive(Debug, Default)]
pub struct EventFilter {
    pub source_id: Option<String>,
    pub event_type: Option<String>,
    pub since: Option<i64>,
    pub after: EventCursor,
    pub limit: i64,
}

/// The columns of [`StoredEvent`], in its order.
macro_rules! columns {
    () => {
        "seq, id, source_id, type, dedup_id, subject, occurred_at, received_at, plugin, \
         plugin_version, plugin_hash, request_id, data"
    };
}
pub(super) const COLUMNS: &str = columns!();

/// One event by id (both backends' write paths read claimed events with it).
pub(super) const BY_ID: &str = concat!("SELECT ", columns!(), " FROM events WHERE id = $1");

/// Events by a list of ids, on PostgreSQL (claims read all theirs at once).
pub(super) const BY_IDS: &str = concat!("SELECT ", columns!(), " FROM events WHERE id = ANY($1)");

/// A new event, skipped when its `(source_id, dedup_id)` is known; returns
/// the new row's `seq`, or no row for a duplicate.
pub(super) const INSERT: &str = "INSERT INTO events (id, source_id, type, dedup_id, subject,
        occurred_at, received_at, plugin, plugin_version, plugin_hash, request_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (source_id, dedup_id) DO NOTHING
     RETURNING seq";

/// [`INSERT`] for many events at once on PostgreSQL, one array per column;
/// returns `(id, seq)` of the new rows (a dedup id repeated within the arrays
/// is inserted once).
pub(super) const INSERT_MANY: &str = "INSERT INTO events (id, source_id, type, dedup_id, subject,
        occurred_at, received_at, plugin, plugin_version, plugin_hash, request_id, data)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
        $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
     ON CONFLICT (source_id, dedup_id) DO NOTHING
     RETURNING id, seq";

pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<StoredEvent>> {
    let row = sqlx::query_as(BY_ID).bind(id).fetch_optional(pool).await?;
    Ok(row)
}

/// A source's events received in `[since, until)` (ms), oldest first, after
/// `after_seq`: the pages of a replay.
pub async fn received_between(
    pool: &AnyPool,
    source_id: &str,
    since: i64,
    until: i64,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<StoredEvent>> {
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events
         WHERE source_id = $1 AND received_at >= $2 AND received_at < $3 AND seq > $4
         ORDER BY seq LIMIT $5"
    ))
    .bind(source_id)
    .bind(since)
    .bind(until)
    .bind(after_seq)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::EventCursor;

    #[test]
    fn cursors_read_back_as_written_and_reject_anything_else() {
        for cursor in [
            EventCursor { xid: 0, seq: 42 },
            EventCursor { xid: 812, seq: 42 },
        ] {
            assert_eq!(cursor.to_string().parse(), Ok(cursor));
        }
        assert_eq!("42".parse(), Ok(EventCursor { xid: 0, seq: 42 }));
        assert_eq!("812-42".parse(), Ok(EventCursor { xid: 812, seq: 42 }));
        for bad in ["", "x", "-1", "1-", "-", "1-2-3", "1.5"] {
            assert_eq!(bad.parse::<EventCursor>(), Err(()), "{bad:?}");
        }
    }
}
