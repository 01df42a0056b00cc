//! Management API tokens and the audit log.
//!
//! One shared admin token cannot be handed to a dashboard that only reads, nor
//! revoked without rotating it everywhere; so operators create named tokens,
//! each limited to a [`Scope`], and revoke one without touching the others.
//! Only a token's SHA-256 is stored (see migration `0008_access.sql`), and the
//! token itself is shown once, when it is created. Every management change —
//! allowed or refused — is appended to `audit_log` with who made it.

use super::clock::now_ms;
use super::ids::new_id;
use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

/// What a token may do; each scope includes the ones before it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Read sources, events, deliveries, plugins; tail the event stream.
    Read,
    /// Also change sources, secrets, destinations; replay and reprocess.
    Write,
    /// Also install adapters, manage tokens, read the audit log.
    Admin,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }

    fn parse(text: &str) -> Result<Scope> {
        Ok(match text {
            "read" => Scope::Read,
            "write" => Scope::Write,
            "admin" => Scope::Admin,
            other => bail!("unknown scope {other:?}"),
        })
    }
}

/// A token as listed: never the token itself.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub scope: String,
    pub prefix: String,
    pub created_at: i64,
    pub created_by: String,
    pub revoked_at: Option<i64>,
}

const INFO: &str = "id, name, scope, prefix, created_at, created_by, revoked_at";

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a token named `name`; returns it with the token, shown only now.
/// Fails if a live token already has that name.
pub async fn create(
    pool: &AnyPool,
    name: &str,
    scope: Scope,
    created_by: &str,
) -> Result<(TokenInfo, String)> {
    let token = super::ids::random_token("hyk", 40);
    let info = TokenInfo {
        id: new_id("tok"),
        name: name.to_string(),
        scope: scope.as_str().to_string(),
        prefix: token[..8].to_string(),
        created_at: now_ms(),
        created_by: created_by.to_string(),
        revoked_at: None,
    };
    sqlx::query(
        "INSERT INTO api_tokens (id, name, scope, sha256, prefix, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&info.id)
    .bind(&info.name)
    .bind(&info.scope)
    .bind(digest(&token))
    .bind(&info.prefix)
    .bind(info.created_at)
    .bind(&info.created_by)
    .execute(pool)
    .await?;
    Ok((info, token))
}

/// Every token, live and revoked, oldest first.
pub async fn list(pool: &AnyPool) -> Result<Vec<TokenInfo>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {INFO} FROM api_tokens ORDER BY created_at, id"
    ))
    .fetch_all(pool)
    .await?)
}

/// Revokes the live token with this id or name; `None` if there is none.
pub async fn revoke(pool: &AnyPool, id_or_name: &str) -> Result<Option<TokenInfo>> {
    Ok(sqlx::query_as(&format!(
        "UPDATE api_tokens SET revoked_at = $1
         WHERE (id = $2 OR name = $2) AND revoked_at IS NULL RETURNING {INFO}"
    ))
    .bind(now_ms())
    .bind(id_or_name)
    .fetch_optional(pool)
    .await?)
}

/// The name and scope of the live token `token`, if it is one.
pub async fn lookup(pool: &AnyPool, token: &str) -> Result<Option<(String, Scope)>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT name, scope FROM api_tokens WHERE sha256 = $1 AND revoked_at IS NULL",
    )
    .bind(digest(token))
    .fetch_optional(pool)
    .await?;
    row.map(|(name, scope)| Ok((name, Scope::parse(&scope)?)))
        .transpose()
}

/// One management change, as the audit log keeps it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub method: String,
    pub path: String,
    pub status: i64,
    pub remote_ip: Option<String>,
}

pub async fn record(pool: &AnyPool, entry: &AuditEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, method, path, status, remote_ip)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entry.at)
    .bind(&entry.actor)
    .bind(&entry.method)
    .bind(&entry.path)
    .bind(entry.status)
    .bind(&entry.remote_ip)
    .execute(pool)
    .await?;
    Ok(())
}

/// The newest `limit` entries before sequence number `before`, newest first.
pub async fn audit_log(pool: &AnyPool, limit: i64, before: Option<i64>) -> Result<Vec<AuditEntry>> {
    Ok(sqlx::query_as(
        "SELECT seq, at, actor, method, path, status, remote_ip FROM audit_log
         WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
