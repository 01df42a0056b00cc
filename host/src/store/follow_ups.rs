//! Follow-up calls: requests an adapter asked the server to make once a
//! request's events are stored (contract 0.2's `reply.follow-up`, e.g. SNS's
//! `SubscribeURL`), with their attempts' outcome for the request log.
//!
//! The call is sealed under the master key, bound to its row (a confirmation
//! URL is a credential); the API shows `url_shown`, the URL without its
//! query. Rows are written and updated through the shared pool, outside the
//! group commit: they are few (a handshake per subscription), and the
//! request they belong to is committed before its follow-up is written.

use crate::sealing::MasterKey;
use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use sqlx::AnyPool;

/// What the server sends.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Call {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A follow-up's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Pending,
    Done,
    /// Its attempts are used up.
    Failed,
    /// Its URL is not under the source's fetch origins: never sent.
    Refused,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Done => "done",
            State::Failed => "failed",
            State::Refused => "refused",
        }
    }
}

/// One row, as the API lists it.
#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub id: String,
    pub request_id: String,
    pub source_id: String,
    pub url_shown: String,
    pub state: String,
    pub attempts: i64,
    pub due_at: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A due follow-up, opened.
pub struct Due {
    pub id: String,
    pub source_id: String,
    pub attempts: i64,
    pub call: Result<Call>,
}

fn context(id: &str) -> String {
    format!("follow-up {id}")
}

/// The URL without its query or fragment.
pub fn shown(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or(url).to_string()
}

/// Writes a new follow-up; `refused` names why it will never be sent.
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    pool: &AnyPool,
    key: &MasterKey,
    id: &str,
    request_id: &str,
    source_id: &str,
    call: &Call,
    refused: Option<&str>,
    now: i64,
) -> Result<()> {
    let plain = serde_json::to_vec(call).expect("strings and bytes serialize");
    let state = match refused {
        Some(_) => State::Refused,
        None => State::Pending,
    };
    sqlx::query(
        "INSERT INTO follow_ups (id, request_id, source_id, url_shown, key_id, sealed, state,
            attempts, due_at, last_error, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $8, $8)",
    )
    .bind(id)
    .bind(request_id)
    .bind(source_id)
    .bind(shown(&call.url))
    .bind(&key.id)
    .bind(key.seal(&plain, &context(id)))
    .bind(state.as_str())
    .bind(now)
    .bind(refused)
    .execute(pool)
    .await?;
    Ok(())
}

/// Pending follow-ups due at `now`, each claimed for `lease_ms` (another
/// replica does not take it meanwhile), opened with `key`.
pub async fn claim_due(
    pool: &AnyPool,
    key: &MasterKey,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Due>> {
    let rows: Vec<(String, String, i64, i64, String, Vec<u8>)> = sqlx::query_as(
        "SELECT id, source_id, attempts, due_at, key_id, sealed FROM follow_ups
         WHERE state = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let mut due = Vec::with_capacity(rows.len());
    for (id, source_id, attempts, due_at, key_id, sealed) in rows {
        let claimed = sqlx::query(
            "UPDATE follow_ups SET due_at = $1 WHERE id = $2 AND state = 'pending' AND due_at = $3",
        )
        .bind(now + lease_ms)
        .bind(&id)
        .bind(due_at)
        .execute(pool)
        .await?
        .rows_affected();
        if claimed == 0 {
            continue;
        }
        let call = if key_id != key.id {
            Err(anyhow::anyhow!(
                "sealed under master key {key_id}, which this server does not hold"
            ))
        } else {
            key.open(&sealed, &context(&id)).and_then(|plain| {
                serde_json::from_slice(&plain).context("a sealed follow-up is not a call")
            })
        };
        due.push(Due {
            id,
            source_id,
            attempts,
            call,
        });
    }
    Ok(due)
}

/// Records one attempt: its status or error, and the state and next due time
/// that follow.
pub async fn record_attempt(
    pool: &AnyPool,
    id: &str,
    state: State,
    status: Option<u16>,
    error: Option<&str>,
    due_at: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE follow_ups SET state = $1, attempts = attempts + 1, last_status = $2,
            last_error = $3, due_at = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(state.as_str())
    .bind(status.map(i64::from))
    .bind(error)
    .bind(due_at)
    .bind(now)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Follow-ups, newest first, of one request or in one state.
pub async fn list(
    pool: &AnyPool,
    request_id: Option<&str>,
    state: Option<&str>,
    limit: i64,
) -> Result<Vec<Row>> {
    Ok(sqlx::query_as(
        "SELECT id, request_id, source_id, url_shown, state, attempts, due_at, last_status,
            last_error, created_at, updated_at FROM follow_ups
         WHERE ($1 IS NULL OR request_id = $2) AND ($3 IS NULL OR state = $4)
         ORDER BY created_at DESC, id DESC LIMIT $5",
    )
    .bind(request_id)
    .bind(request_id)
    .bind(state)
    .bind(state)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
