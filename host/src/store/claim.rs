//! The one claim algorithm both backends run: take a destination's due
//! outbox rows with a lease, with the other due rows of every coalescing key
//! among them, and hand them out as batches with their events.
//!
//! A claim is a lease (`lease_until`), not a lock held during the attempt:
//! if the process dies mid-attempt the rows become claimable again once the
//! lease ends, and the event goes out again with the same id. The rows are
//! taken by one statement, [`CLAIM`]; on PostgreSQL its `{lock}` is `FOR
//! UPDATE SKIP LOCKED`, so replicas claiming at once take different rows (a
//! coalescing key's rows that another replica holds stay with it). What a
//! backend does is run the statement and fetch the events; grouping and
//! assembly are here.

use super::events::StoredEvent;
use anyhow::{Result, anyhow};
use std::collections::HashMap;

/// What to claim: up to `limit` due rows of a destination, leased until
/// `lease_until` (ms), at `now` (ms).
#[derive(Debug, Clone)]
pub struct ClaimRequest {
    pub destination_id: String,
    pub limit: usize,
    pub now: i64,
    pub lease_until: i64,
}

/// Claims due rows of destination `$1` at `$2` until `$4`: the first `$3` in
/// due order, and the other due rows of their coalescing keys; `{lock}` is
/// empty on SQLite (one writer) and `FOR UPDATE SKIP LOCKED` on PostgreSQL.
/// Nothing is claimed for a destination disabled in the database: the
/// drainer's table learns of a 410 only after the attempt's result is
/// committed, and the row that result put back in line was claimed again
/// (and sent a second time) in between.
/// (Placeholders are numbered in the order they first appear: rusqlite binds
/// by position.)
pub(super) const CLAIM: &str = "WITH due AS (
        SELECT seq, coalesce_key FROM deliveries
        WHERE destination_id = $1 AND state = 'pending' AND due_at <= $2 AND lease_until <= $2
          AND EXISTS (SELECT 1 FROM destinations WHERE id = $1 AND enabled <> 0)
        ORDER BY due_at, seq LIMIT $3 {lock}),
     siblings AS (
        SELECT seq FROM deliveries
        WHERE destination_id = $1 AND state = 'pending' AND due_at <= $2 AND lease_until <= $2
          AND coalesce_key IN (SELECT coalesce_key FROM due WHERE coalesce_key IS NOT NULL)
        {lock})
     UPDATE deliveries SET lease_until = $4
     WHERE seq IN (SELECT seq FROM due) OR seq IN (SELECT seq FROM siblings)
     RETURNING seq, id, attempts, retry_base, event_id, coalesce_key";

/// One row as [`CLAIM`] returns it.
#[derive(Debug, Clone)]
pub(super) struct ClaimedRowWithKey {
    pub row: ClaimedRow,
    pub event_id: String,
    pub coalesce_key: Option<String>,
}

/// A claimed batch: one delivery, or the rows of one coalescing key.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The rows, oldest first; `deliveries[0]` names the batch.
    pub deliveries: Vec<ClaimedRow>,
    pub events: Vec<StoredEvent>,
    pub coalesced: bool,
}

#[derive(Debug, Clone)]
pub struct ClaimedRow {
    pub seq: i64,
    pub id: String,
    /// Attempts made before this one.
    pub attempts: i64,
    /// Attempts made before its last requeue as a dead letter: the retry
    /// schedule counts from here.
    pub retry_base: i64,
}

impl ClaimedRow {
    /// Attempts made since the row was written or last requeued, the
    /// position in the retry schedule.
    pub fn attempts_on_schedule(&self) -> i64 {
        self.attempts - self.retry_base
    }
}

/// Claimed rows in batches, oldest row first in each and batches in the
/// order of their oldest row: singles alone, the rows of one coalescing key
/// together.
pub(super) fn batches(mut rows: Vec<ClaimedRowWithKey>) -> Vec<(Vec<ClaimedRowWithKey>, bool)> {
    rows.sort_by_key(|r| r.row.seq);
    let mut batches: Vec<(Vec<ClaimedRowWithKey>, bool)> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for row in rows {
        match row.coalesce_key.clone() {
            None => batches.push((vec![row], false)),
            Some(key) => match by_key.get(&key) {
                Some(&at) => batches[at].0.push(row),
                None => {
                    by_key.insert(key, batches.len());
                    batches.push((vec![row], true));
                }
            },
        }
    }
    batches
}

/// The event ids the batches carry (an event may be in several).
pub(super) fn event_ids(batches: &[(Vec<ClaimedRowWithKey>, bool)]) -> Vec<String> {
    let mut ids: Vec<String> = batches
        .iter()
        .flat_map(|(rows, _)| rows.iter().map(|r| r.event_id.clone()))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The batches with their events, fetched by id.
pub(super) fn assemble(
    batches: Vec<(Vec<ClaimedRowWithKey>, bool)>,
    events: &HashMap<String, StoredEvent>,
) -> Result<Vec<Claimed>> {
    batches
        .into_iter()
        .map(|(rows, coalesced)| {
            let events = rows
                .iter()
                .map(|r| {
                    events.get(&r.event_id).cloned().ok_or_else(|| {
                        anyhow!(
                            "claimed delivery {} of missing event {}",
                            r.row.id,
                            r.event_id
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Claimed {
                deliveries: rows.into_iter().map(|r| r.row).collect(),
                events,
                coalesced,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, key: Option<&str>) -> ClaimedRowWithKey {
        ClaimedRowWithKey {
            row: ClaimedRow {
                seq,
                id: format!("dlv_{seq}"),
                attempts: 0,
                retry_base: 0,
            },
            event_id: format!("evt_{seq}"),
            coalesce_key: key.map(str::to_string),
        }
    }

    #[test]
    fn rows_of_one_key_go_together_and_singles_alone_in_seq_order() {
        let grouped = batches(vec![
            row(5, Some("a")),
            row(1, Some("a")),
            row(3, None),
            row(2, Some("b")),
            row(4, Some("a")),
        ]);
        let shape: Vec<(Vec<i64>, bool)> = grouped
            .iter()
            .map(|(rows, coalesced)| (rows.iter().map(|r| r.row.seq).collect(), *coalesced))
            .collect();
        assert_eq!(
            shape,
            [(vec![1, 4, 5], true), (vec![2], true), (vec![3], false)]
        );
        assert_eq!(event_ids(&grouped).len(), 5);
        assert!(
            assemble(grouped, &HashMap::new()).is_err(),
            "events are needed"
        );
    }
}
