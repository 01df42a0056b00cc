//! Pruning: what each kind of row costs to keep is bounded by a retention.
//!
//! A [`Prune`] job deletes at most one small batch, oldest first by `seq`
//! (the order rows were written in, so the scan stops after the batch). It
//! rides the group commit like any write (`writer`), so on SQLite the one
//! write connection stays the only one and checkpoints the WAL as usual, and
//! a request waits behind at most one batch. Each statement states its whole
//! condition, so what another job did in between (a replay that puts an old
//! event back in line) is seen by the next one. The same SQL runs on both
//! backends.

use serde::{Deserialize, Serialize};

/// Rows one statement deletes at most.
pub const BATCH: u64 = 500;
/// Free pages one [`Prune::GiveBackPages`] job gives back at most (8 MiB of
/// 4 KiB pages).
pub const PAGES: i64 = 2048;

/// The kinds of rows with a retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Events, with their delivered rows and attempts. An event with a
    /// delivery still pending or dead (replayable) is kept.
    Events,
    /// Finished deliveries (delivered or dead) and their attempts.
    Deliveries,
    /// The request log.
    Requests,
    /// Raw copies of requests (the log row stays).
    RawRequests,
    AuditLog,
    ShadowDiffs,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Events => "events",
            Kind::Deliveries => "deliveries",
            Kind::Requests => "requests",
            Kind::RawRequests => "raw_requests",
            Kind::AuditLog => "audit_log",
            Kind::ShadowDiffs => "shadow_diffs",
        }
    }
}

/// A source's own retention, in days, for the kinds that belong to a
/// source; absent takes the server's default, `0` keeps them forever.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRetention {
    /// Days its events are kept (`--event-retention-days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 36_500)]
    pub event_days: Option<u32>,
    /// Days its request-log rows are kept (`--request-retention-days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 36_500)]
    pub request_days: Option<u32>,
    /// Days its raw requests are kept for reprocessing
    /// (`--raw-retention-days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 36_500)]
    pub raw_days: Option<u32>,
}

/// The longest retention a source may set: a century.
const MAX_DAYS: u32 = 36_500;

impl SourceRetention {
    /// Days within bounds; the error names the field.
    pub fn validate(&self) -> Result<(), String> {
        for (field, days) in [
            ("event_days", self.event_days),
            ("request_days", self.request_days),
            ("raw_days", self.raw_days),
        ] {
            if days.is_some_and(|days| days > MAX_DAYS) {
                return Err(format!(
                    "{field}: at most {MAX_DAYS} days (0 keeps forever)"
                ));
            }
        }
        Ok(())
    }

    /// The source's own days for `kind`, if it sets them.
    pub fn days(&self, kind: Kind) -> Option<u32> {
        match kind {
            Kind::Events => self.event_days,
            Kind::Requests => self.request_days,
            Kind::RawRequests => self.raw_days,
            _ => None,
        }
    }
}

impl Kind {
    /// The `sources` column of a source's own retention of this kind, for
    /// the kinds that have one.
    pub fn source_column(self) -> Option<&'static str> {
        match self {
            Kind::Events => Some("event_retention_days"),
            Kind::Requests => Some("request_retention_days"),
            Kind::RawRequests => Some("raw_retention_days"),
            _ => None,
        }
    }
}

/// Whose rows a [`Prune::Older`] job prunes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every row but those of sources with their own retention of the kind.
    Default,
    /// One source's rows (bound as `$2`).
    Source(String),
}

/// One pruning job.
#[derive(Debug, Clone)]
pub enum Prune {
    /// A batch of `Kind` received (written) before a time (ms), of a scope.
    Older(Kind, i64, Scope),
    /// A batch of the request log beyond its newest rows.
    BeyondNewest(i64),
    /// Free pages back to the file system (SQLite files with
    /// `auto_vacuum=INCREMENTAL`; nothing elsewhere).
    GiveBackPages,
}

/// An event that may go: old, and nothing of it waits for delivery.
const EVENT_GOES: &str = "e.received_at < $1 AND NOT EXISTS
    (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.state <> 'delivered')";

impl Prune {
    /// The statements of a [`Prune::Older`] or [`Prune::BeyondNewest`] job,
    /// each with `$1` bound to [`Prune::bound`] (and `$2` to the source of a
    /// [`Scope::Source`]); the last one's row count is the job's.
    pub(super) fn statements(&self) -> Vec<String> {
        match self {
            Prune::Older(Kind::Events, _, scope) => {
                let of = scope.clause(Kind::Events, "e.source_id");
                // The batch: the oldest events that may go. Their delivered
                // rows and attempts first, then the events (rechecked).
                let batch = format!(
                    "SELECT e.id FROM events e WHERE {EVENT_GOES}{of} ORDER BY e.seq LIMIT {BATCH}"
                );
                let deliveries = format!(
                    "SELECT id FROM deliveries WHERE state = 'delivered' AND event_id IN ({batch})"
                );
                // The events' count per source (`stats`) goes down by what
                // the last statement deletes: the same selection in the same
                // transaction (exact on SQLite's one writer; on PostgreSQL a
                // replica replaying one of these very events in between would
                // leave the count one low).
                let events = format!(
                    "SELECT e.seq FROM events e WHERE {EVENT_GOES}{of} ORDER BY e.seq LIMIT {BATCH}"
                );
                vec![
                    format!("DELETE FROM delivery_attempts WHERE delivery_id IN ({deliveries})"),
                    format!("DELETE FROM deliveries WHERE id IN ({deliveries})"),
                    format!(
                        "UPDATE event_counts SET n = n - (SELECT COUNT(*) FROM events x
                           WHERE x.source_id = event_counts.source_id AND x.seq IN ({events}))"
                    ),
                    format!("DELETE FROM events WHERE seq IN ({events})"),
                ]
            }
            Prune::Older(Kind::Deliveries, _, _) => {
                let batch = format!(
                    "SELECT id FROM deliveries WHERE state IN ('delivered', 'dead')
                       AND first_at < $1 ORDER BY seq LIMIT {BATCH}"
                );
                vec![
                    format!("DELETE FROM delivery_attempts WHERE delivery_id IN ({batch})"),
                    format!("DELETE FROM deliveries WHERE id IN ({batch})"),
                ]
            }
            // The per-minute counts (`stats`) and the follow-up calls that
            // are settled go with the log they belong to (follow-ups are a
            // handshake per subscription: few, no batching needed).
            Prune::Older(Kind::Requests, _, scope) => {
                let of = scope.clause(Kind::Requests, "source_id");
                vec![
                    format!("DELETE FROM request_counts WHERE minute < $1 / 60000{of}"),
                    format!(
                        "DELETE FROM follow_ups WHERE created_at < $1 AND state <> 'pending'{of}"
                    ),
                    oldest("requests", &format!("received_at < $1{of}")),
                ]
            }
            Prune::Older(Kind::RawRequests, _, scope) => {
                let of = scope.clause(Kind::RawRequests, "source_id");
                vec![format!(
                    "UPDATE requests SET raw_key_id = NULL, raw_sealed = NULL WHERE seq IN
                       (SELECT seq FROM requests WHERE received_at < $1{of}
                        AND raw_sealed IS NOT NULL ORDER BY seq LIMIT {BATCH})"
                )]
            }
            Prune::Older(Kind::AuditLog, _, _) => vec![oldest("audit_log", "at < $1")],
            Prune::Older(Kind::ShadowDiffs, _, _) => {
                vec![oldest("shadow_diffs", "recorded_at < $1")]
            }
            Prune::BeyondNewest(_) => vec![oldest(
                "requests",
                "seq <= (SELECT MAX(seq) FROM requests) - $1",
            )],
            Prune::GiveBackPages => Vec::new(),
        }
    }

    /// What `$1` is bound to.
    pub(super) fn bound(&self) -> i64 {
        match self {
            Prune::Older(_, cutoff_ms, _) => *cutoff_ms,
            Prune::BeyondNewest(keep) => *keep,
            Prune::GiveBackPages => PAGES,
        }
    }

    /// What `$2` is bound to, if the statements have it.
    pub(super) fn source(&self) -> Option<&str> {
        match self {
            Prune::Older(_, _, Scope::Source(id)) => Some(id),
            _ => None,
        }
    }
}

impl Scope {
    /// The condition on `column` (a row's source id) that keeps a job of
    /// `kind` to its scope; empty for kinds no source sets.
    fn clause(&self, kind: Kind, column: &str) -> String {
        let Some(own) = kind.source_column() else {
            return String::new();
        };
        match self {
            // Rows of no source (a request to an unknown key) are the
            // default's; `NOT IN` alone would skip them.
            Scope::Default => format!(
                " AND ({column} IS NULL OR {column} NOT IN
                   (SELECT id FROM sources WHERE {own} IS NOT NULL))"
            ),
            Scope::Source(_) => format!(" AND {column} = $2"),
        }
    }
}

fn oldest(table: &str, condition: &str) -> String {
    format!(
        "DELETE FROM {table} WHERE seq IN
           (SELECT seq FROM {table} WHERE {condition} ORDER BY seq LIMIT {BATCH})"
    )
}
