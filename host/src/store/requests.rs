//! The request log: every request to `/webhooks`, its outcome and reason,
//! and, where it may be processed again, the raw request, sealed.
//!
//! A raw request is kept as the vendor sent it (headers, query, body), secrets
//! it carries included, so reprocessing verifies exactly what arrived; it is
//! sealed under the master key and bound to its request id, so nothing of it
//! is in clear at rest. What the log shows (the query, the reason) is
//! redacted instead.

use crate::runtime::VerifyFailure;
use crate::sealing::{Keyring, MasterKey};
use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};
use sqlx::AnyPool;

/// The adapter build that handled a request.
#[derive(Debug, Clone)]
pub struct AdapterRef {
    pub name: String,
    pub version: String,
    pub hash: String,
}

/// One request-log row about to be written.
#[derive(Debug, Clone)]
pub struct RequestRecord {
    pub id: String,
    pub source_id: Option<String>,
    pub received_at: i64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub remote_ip: Option<String>,
    pub user_agent: Option<String>,
    pub outcome: LogOutcome,
    pub reason: Option<String>,
    /// Why `verify` refused it, when the outcome is `rejected`.
    pub rejection: Option<VerifyFailure>,
    pub status: u16,
    pub latency_us: i64,
    pub adapter: Option<AdapterRef>,
    pub event_count: i64,
    /// The raw request, kept where it may be processed again.
    pub raw: Option<RawRequest>,
}

impl RequestRecord {
    /// The key the request is counted under in the per-minute stats: its
    /// outcome, a rejection split by its reason code (`bad_signature`, ...).
    pub fn count_key(&self) -> &'static str {
        match (self.outcome, self.rejection) {
            (LogOutcome::Rejected, Some(failure)) => failure.code(),
            (outcome, _) => outcome.as_str(),
        }
    }
}

/// What became of a request, as the request log (and its metrics) names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogOutcome {
    Accepted,
    /// Every event was already stored: a redelivery.
    Duplicate,
    /// The adapter answered a vendor handshake itself.
    Handshake,
    /// Verified, but the source's event types kept none of its events.
    Ignored,
    /// `verify` refused it, or the source has no active secret.
    Rejected,
    UnknownSource,
    SourceDisabled,
    IpNotAllowed,
    PayloadTooLarge,
    BadRequest,
    /// The adapter failed (trap, deadline, not loaded, quarantined): kept for
    /// reprocessing.
    AdapterFailed,
    /// Verified, but the adapter could not read the payload: kept for
    /// reprocessing.
    Unreadable,
    UnknownEventType,
    StorageFailed,
}

impl LogOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            LogOutcome::Accepted => "accepted",
            LogOutcome::Duplicate => "duplicate",
            LogOutcome::Handshake => "handshake",
            LogOutcome::Ignored => "ignored",
            LogOutcome::Rejected => "rejected",
            LogOutcome::UnknownSource => "unknown_source",
            LogOutcome::SourceDisabled => "source_disabled",
            LogOutcome::IpNotAllowed => "ip_not_allowed",
            LogOutcome::PayloadTooLarge => "payload_too_large",
            LogOutcome::BadRequest => "bad_request",
            LogOutcome::AdapterFailed => "adapter_failed",
            LogOutcome::Unreadable => "unreadable",
            LogOutcome::UnknownEventType => "unknown_event_type",
            LogOutcome::StorageFailed => "storage_failed",
        }
    }

    /// Whether the request waits in quarantine for reprocessing.
    pub fn is_quarantined(self) -> bool {
        matches!(self, LogOutcome::AdapterFailed | LogOutcome::Unreadable)
    }
}

/// A raw request sealed for its row.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The master key that sealed it.
    pub key_id: String,
    pub sealed: Vec<u8>,
}

/// What a raw request holds once opened: the request as the vendor sent it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawParts {
    /// The raw query string, without `?`.
    pub query: String,
    /// `[name, value]` pairs, in order.
    pub headers: Vec<(String, String)>,
    #[serde(skip)]
    pub body: Vec<u8>,
}

impl RawRequest {
    /// Seals `parts` for the request-log row `request_id`: the length of the
    /// JSON of query and headers (4 bytes, big-endian), that JSON, the body.
    pub fn seal(key: &MasterKey, request_id: &str, parts: &RawParts) -> RawRequest {
        let head = serde_json::to_vec(parts).expect("strings serialize");
        let mut plain = Vec::with_capacity(4 + head.len() + parts.body.len());
        plain.extend_from_slice(&(head.len() as u32).to_be_bytes());
        plain.extend_from_slice(&head);
        plain.extend_from_slice(&parts.body);
        RawRequest {
            key_id: key.id.clone(),
            sealed: key.seal(&plain, &raw_context(request_id)),
        }
    }

    /// Opens what [`RawRequest::seal`] sealed for `request_id`, with
    /// whichever key of the ring sealed it.
    pub fn open(&self, keys: &Keyring, request_id: &str) -> Result<RawParts> {
        let Some(key) = keys.get(&self.key_id) else {
            bail!(
                "the raw copy of request {request_id} is sealed under master key {}, which this \
                 server does not hold",
                self.key_id
            );
        };
        self.open_with(key, request_id)
    }

    /// Opens what [`RawRequest::seal`] sealed for `request_id` under `key`.
    pub fn open_with(&self, key: &MasterKey, request_id: &str) -> Result<RawParts> {
        if key.id != self.key_id {
            bail!(
                "the raw copy of request {request_id} is sealed under master key {}, not {}",
                self.key_id,
                key.id
            );
        }
        let plain = key.open(&self.sealed, &raw_context(request_id))?;
        let (length, rest) = plain
            .split_first_chunk::<4>()
            .context("a sealed raw request is too short")?;
        let length = u32::from_be_bytes(*length) as usize;
        if rest.len() < length {
            bail!("a sealed raw request is cut short");
        }
        let (head, body) = rest.split_at(length);
        let mut parts: RawParts =
            serde_json::from_slice(head).context("the head of a sealed raw request")?;
        parts.body = body.to_vec();
        Ok(parts)
    }
}

/// The associated data binding a sealed raw request to its row.
fn raw_context(request_id: &str) -> String {
    format!("raw request {request_id}")
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoggedRequest {
    pub seq: i64,
    pub id: String,
    pub source_id: Option<String>,
    pub received_at: i64,
    pub method: String,
    pub path: String,
    pub remote_ip: Option<String>,
    pub user_agent: Option<String>,
    pub outcome: String,
    pub reason: Option<String>,
    pub status: i64,
    pub latency_us: i64,
    pub plugin: Option<String>,
    pub plugin_version: Option<String>,
    pub event_count: i64,
    /// 1 when the raw request is kept (an integer on every backend).
    pub raw_kept: i64,
    /// The request-log row of the reprocessing that took it out of quarantine.
    pub reprocessed_as: Option<String>,
}

/// One request-log row, its columns in the order of [`RequestRecord`]'s fields.
pub(super) const INSERT: &str = "INSERT INTO requests (id, source_id, received_at, method, path,
        query, remote_ip, user_agent, outcome, reason, status, latency_us, plugin, plugin_version,
        plugin_hash, event_count, raw_key_id, raw_sealed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";

/// Newest first, before `before_seq` (0 = from the newest); `since` (ms)
/// keeps those received at or after it.
#[derive(Debug, Default)]
pub struct RequestFilter {
    pub source_id: Option<String>,
    pub outcome: Option<String>,
    pub since: Option<i64>,
    pub before_seq: i64,
    pub limit: i64,
}

pub async fn list(pool: &AnyPool, filter: &RequestFilter) -> Result<Vec<LoggedRequest>> {
    let rows = sqlx::query_as(
        "SELECT seq, id, source_id, received_at, method, path, remote_ip, user_agent, outcome, reason, status,
                latency_us, plugin, plugin_version, event_count,
                CASE WHEN raw_sealed IS NULL THEN 0 ELSE 1 END AS raw_kept,
                reprocessed_as
         FROM requests
         WHERE ($1 = 0 OR seq < $2) AND ($3 IS NULL OR source_id = $4) AND ($5 IS NULL OR outcome = $6)
           AND ($8 IS NULL OR received_at >= $9)
         ORDER BY seq DESC LIMIT $7",
    )
    .bind(filter.before_seq)
    .bind(filter.before_seq)
    .bind(&filter.source_id)
    .bind(&filter.source_id)
    .bind(&filter.outcome)
    .bind(&filter.outcome)
    .bind(filter.limit)
    .bind(filter.since)
    .bind(filter.since)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

/// A quarantined request: the adapter failed on it (or could not read it)
/// and its raw copy is kept.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Quarantined {
    pub id: String,
    pub received_at: i64,
    pub method: String,
    pub path: String,
    pub remote_ip: Option<String>,
    pub raw_key_id: String,
    pub raw_sealed: Vec<u8>,
}

impl Quarantined {
    pub fn raw(&self) -> RawRequest {
        RawRequest {
            key_id: self.raw_key_id.clone(),
            sealed: self.raw_sealed.clone(),
        }
    }
}

/// The quarantined requests of a source received at or after `since_ms`,
/// oldest first.
pub async fn quarantined(
    pool: &AnyPool,
    source_id: &str,
    since_ms: i64,
) -> Result<Vec<Quarantined>> {
    let rows = sqlx::query_as(
        "SELECT id, received_at, method, path, remote_ip, raw_key_id, raw_sealed FROM requests
         WHERE source_id = $1 AND outcome IN ('adapter_failed', 'unreadable')
           AND reprocessed_at IS NULL AND received_at >= $2 AND raw_sealed IS NOT NULL
         ORDER BY seq",
    )
    .bind(source_id)
    .bind(since_ms)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

/// Takes a request out of quarantine: `run_id` processed it without failing.
pub async fn mark_reprocessed(pool: &AnyPool, id: &str, run_id: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE requests SET reprocessed_at = $1, reprocessed_as = $2 WHERE id = $3")
        .bind(at)
        .bind(run_id)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// A raw copy kept in clear by an earlier version: seq, id, query, headers
/// (JSON pairs), body.
type LegacyRaw = (i64, String, String, Option<String>, Option<Vec<u8>>);

/// Seals raw copies kept in clear by earlier versions (`headers`, `body`)
/// and re-seals those sealed under a previous master key, a batch at a time;
/// returns how many. A copy sealed under a key the ring does not hold stops
/// the start, as a secret does: fail closed, nothing is lost.
pub async fn reseal(pool: &AnyPool, keys: &Keyring) -> Result<usize> {
    let mut done = 0;
    loop {
        let legacy: Vec<LegacyRaw> = sqlx::query_as(
            "SELECT seq, id, query, headers, body FROM requests
             WHERE body IS NOT NULL OR headers IS NOT NULL LIMIT 500",
        )
        .fetch_all(pool)
        .await?;
        if legacy.is_empty() {
            break;
        }
        let mut tx = pool.begin().await?;
        for (seq, id, query, headers, body) in legacy {
            let headers: Vec<(String, String)> = match headers {
                Some(text) => serde_json::from_str(&text)
                    .with_context(|| format!("the stored headers of request {id}"))?,
                None => Vec::new(),
            };
            let parts = RawParts {
                query,
                headers,
                body: body.unwrap_or_default(),
            };
            let raw = RawRequest::seal(&keys.current, &id, &parts);
            sqlx::query(
                "UPDATE requests SET raw_key_id = $1, raw_sealed = $2, headers = NULL, body = NULL
                 WHERE seq = $3",
            )
            .bind(&raw.key_id)
            .bind(&raw.sealed)
            .bind(seq)
            .execute(&mut *tx)
            .await?;
            done += 1;
        }
        tx.commit().await?;
    }
    loop {
        let stale: Vec<(i64, String, String, Vec<u8>)> = sqlx::query_as(
            "SELECT seq, id, raw_key_id, raw_sealed FROM requests
             WHERE raw_sealed IS NOT NULL AND raw_key_id <> $1 LIMIT 500",
        )
        .bind(&keys.current.id)
        .fetch_all(pool)
        .await?;
        if stale.is_empty() {
            break;
        }
        let mut tx = pool.begin().await?;
        for (seq, id, key_id, sealed) in stale {
            let parts = RawRequest { key_id, sealed }
                .open(keys, &id)
                .with_context(|| {
                    "start with the key it was sealed under as HOOKYARD_PREVIOUS_MASTER_KEY \
                 (or --previous-master-key-file)"
                })?;
            let raw = RawRequest::seal(&keys.current, &id, &parts);
            sqlx::query("UPDATE requests SET raw_key_id = $1, raw_sealed = $2 WHERE seq = $3")
                .bind(&raw.key_id)
                .bind(&raw.sealed)
                .bind(seq)
                .execute(&mut *tx)
                .await?;
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> MasterKey {
        MasterKey::parse(&MasterKey::generate()).unwrap()
    }

    #[test]
    fn a_raw_request_opens_whole_with_its_key_and_row_only() {
        let parts = RawParts {
            query: "secret=a%2Bb%2F%3D".into(),
            headers: vec![("Authorization".into(), "Bearer tok".into())],
            body: b"{\"a\":1}\x00\xff".to_vec(),
        };
        let current = key();
        let raw = RawRequest::seal(&current, "req_1", &parts);
        assert!(!raw.sealed.windows(3).any(|w| w == b"tok"));
        let ring = Keyring {
            current,
            previous: None,
        };
        assert_eq!(raw.open(&ring, "req_1").unwrap(), parts);
        assert!(raw.open(&ring, "req_2").is_err(), "bound to its row");
        let other = Keyring {
            current: key(),
            previous: None,
        };
        assert!(raw.open(&other, "req_1").is_err());
    }
}
