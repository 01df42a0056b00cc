//! Destinations: where events are delivered, and which events each wants.
//!
//! A destination's signing secret is stored sealed under the master key
//! ([`crate::sealing`]), bound to the destination's id, like source secrets;
//! it is in clear only in memory.

use super::clock::now_ms;
use crate::sealing::{Keyring, MasterKey};
use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};
use sqlx::AnyPool;
use std::collections::BTreeMap;

/// Where deliveries go; stored as JSON in `config`, `kind` beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Target {
    /// POST of a CloudEvents JSON event, signed per Standard Webhooks.
    Http {
        #[schema(min_length = 1, max_length = 2048)]
        url: String,
        /// Sent with every delivery: at most 500, names at most 256 and
        /// values at most 4096 characters.
        #[serde(default)]
        headers: BTreeMap<String, String>,
        #[serde(default = "default_timeout_ms")]
        #[schema(minimum = 1, maximum = 120000, default = 10000)]
        timeout_ms: u64,
    },
    /// Publish to NATS JetStream; delivered once the stream acknowledges.
    Nats {
        #[schema(min_length = 1, max_length = 2048)]
        url: String,
        /// Template: `{source_id}`, `{type}`, `{subject}`, `{event_id}`.
        #[schema(min_length = 1, max_length = 200)]
        subject: String,
    },
}

fn default_timeout_ms() -> u64 {
    10_000
}

impl Target {
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Http { .. } => "http",
            Target::Nats { .. } => "nats",
        }
    }
}

/// Batch events sharing a key; deliver after a quiet period or a maximum wait.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoalesceConfig {
    /// JSONPath into the event envelope (`$.subject`, `$.data.bucket`).
    #[schema(min_length = 1, max_length = 4096)]
    pub key: String,
    /// At least 1, at most `max_wait_ms`.
    #[serde(default = "default_quiet_ms")]
    #[schema(minimum = 1, maximum = 86400000, default = 5000)]
    pub quiet_ms: u64,
    /// At most a day.
    #[serde(default = "default_max_wait_ms")]
    #[schema(minimum = 1, maximum = 86400000, default = 30000)]
    pub max_wait_ms: u64,
}

fn default_quiet_ms() -> u64 {
    5_000
}

fn default_max_wait_ms() -> u64 {
    30_000
}

#[derive(Debug, Clone)]
pub struct Destination {
    pub id: String,
    pub name: String,
    pub target: Target,
    /// The signing secret of HTTP destinations (`whsec_` + base64).
    pub secret: Option<String>,
    /// Glob patterns; `*` matches any run of characters.
    pub event_types: Vec<String>,
    /// `None`: events of every source.
    pub source_ids: Option<Vec<String>>,
    /// JSONPath (RFC 9535) on the event's data: delivered when it selects
    /// at least one node.
    pub filter: Option<String>,
    pub coalesce: Option<CoalesceConfig>,
    pub max_in_flight: i64,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    config: String,
    secret_key_id: Option<String>,
    secret_sealed: Option<Vec<u8>>,
    event_types: String,
    source_ids: Option<String>,
    filter: Option<String>,
    coalesce: Option<String>,
    max_in_flight: i64,
    enabled: i64,
    disabled_reason: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl Row {
    fn open(self, key: &MasterKey) -> Result<Destination> {
        let secret = match (&self.secret_key_id, &self.secret_sealed) {
            (Some(key_id), Some(sealed)) if *key_id == key.id => Some(
                String::from_utf8(key.open(sealed, &context(&self.id))?)
                    .context("a sealed destination secret is not UTF-8")?,
            ),
            (Some(key_id), Some(_)) => bail!(
                "the secret of destination {} is sealed under master key {key_id}, not {}",
                self.id,
                key.id
            ),
            _ => None,
        };
        let row = self;
        Ok(Destination {
            secret,
            target: serde_json::from_str(&row.config)?,
            event_types: serde_json::from_str(&row.event_types)?,
            source_ids: row
                .source_ids
                .as_deref()
                .map(serde_json::from_str)
                .transpose()?,
            coalesce: row
                .coalesce
                .as_deref()
                .map(serde_json::from_str)
                .transpose()?,
            id: row.id,
            name: row.name,
            filter: row.filter,
            max_in_flight: row.max_in_flight,
            enabled: row.enabled != 0,
            disabled_reason: row.disabled_reason,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

const COLUMNS: &str = "id, name, config, secret_key_id, secret_sealed, event_types, source_ids, \
    filter, coalesce, max_in_flight, enabled, disabled_reason, created_at, updated_at";

/// What a sealed secret is bound to: it opens only as this destination's.
fn context(destination_id: &str) -> String {
    format!("destination-secret\0{destination_id}")
}

/// The sealed form of a destination's secret: (key id, sealed bytes).
fn seal(d: &Destination, key: &MasterKey) -> (Option<String>, Option<Vec<u8>>) {
    match &d.secret {
        Some(secret) => (
            Some(key.id.clone()),
            Some(key.seal(secret.as_bytes(), &context(&d.id))),
        ),
        None => (None, None),
    }
}

/// The columns `insert` and `update` both write, in this order.
const FIELDS: [&str; 12] = [
    "name",
    "kind",
    "config",
    "secret_key_id",
    "secret_sealed",
    "event_types",
    "source_ids",
    "filter",
    "coalesce",
    "max_in_flight",
    "enabled",
    "disabled_reason",
];

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the values of [`FIELDS`], the secret sealed under `key`.
fn bind_fields<'q>(query: Query<'q>, key: &MasterKey, d: &'q Destination) -> Result<Query<'q>> {
    let (key_id, sealed) = seal(d, key);
    Ok(query
        .bind(&d.name)
        .bind(d.target.kind())
        .bind(serde_json::to_string(&d.target)?)
        .bind(key_id)
        .bind(sealed)
        .bind(serde_json::to_string(&d.event_types)?)
        .bind(
            d.source_ids
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?,
        )
        .bind(&d.filter)
        .bind(d.coalesce.as_ref().map(serde_json::to_string).transpose()?)
        .bind(d.max_in_flight)
        .bind(i64::from(d.enabled))
        .bind(&d.disabled_reason))
}

pub async fn insert(pool: &AnyPool, key: &MasterKey, d: &Destination) -> Result<()> {
    let n = FIELDS.len();
    let values: Vec<String> = (2..n + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO destinations (id, {}, created_at, updated_at) VALUES ($1, {}, ${}, ${})",
        FIELDS.join(", "),
        values.join(", "),
        n + 2,
        n + 3
    );
    bind_fields(sqlx::query(&sql).bind(&d.id), key, d)?
        .bind(d.created_at)
        .bind(d.updated_at)
        .execute(pool)
        .await?;
    Ok(())
}

/// Writes every mutable field back.
pub async fn update(pool: &AnyPool, key: &MasterKey, d: &Destination) -> Result<()> {
    let n = FIELDS.len();
    let assignments: Vec<String> = (FIELDS.iter().enumerate())
        .map(|(i, field)| format!("{field} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE destinations SET {}, updated_at = ${} WHERE id = ${}",
        assignments.join(", "),
        n + 1,
        n + 2
    );
    bind_fields(sqlx::query(&sql), key, d)?
        .bind(now_ms())
        .bind(&d.id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn list(pool: &AnyPool, key: &MasterKey) -> Result<Vec<Destination>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM destinations ORDER BY created_at, id"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(|row| row.open(key)).collect()
}

pub async fn get(pool: &AnyPool, key: &MasterKey, id: &str) -> Result<Option<Destination>> {
    let row: Option<Row> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM destinations WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await?;
    row.map(|row| row.open(key)).transpose()
}

/// A destination's secret as stored: in clear (before 0006) or sealed.
#[derive(sqlx::FromRow)]
struct SecretRow {
    id: String,
    secret: Option<String>,
    secret_key_id: Option<String>,
    secret_sealed: Option<Vec<u8>>,
}

/// Seals secrets still in the clear `secret` column and re-seals those
/// under the previous master key, in one transaction; returns how many.
/// Fails, changing nothing, when one is sealed under a key the ring lacks.
pub async fn reseal(pool: &AnyPool, keys: &Keyring) -> Result<usize> {
    let mut tx = pool.begin().await?;
    let rows: Vec<SecretRow> = sqlx::query_as(
        "SELECT id, secret, secret_key_id, secret_sealed FROM destinations
         WHERE secret IS NOT NULL OR (secret_key_id IS NOT NULL AND secret_key_id <> $1)",
    )
    .bind(&keys.current.id)
    .fetch_all(&mut *tx)
    .await?;
    let count = rows.len();
    for SecretRow {
        id,
        secret,
        secret_key_id,
        secret_sealed,
    } in rows
    {
        let secret = match (secret, secret_key_id, secret_sealed) {
            (Some(clear), _, _) => clear.into_bytes(),
            (None, Some(key_id), Some(sealed)) => match keys.get(&key_id) {
                Some(old) => old.open(&sealed, &context(&id))?,
                None => bail!(
                    "the secret of destination {id} is sealed under master key {key_id}, which \
                     is neither the current key nor the previous one"
                ),
            },
            _ => continue,
        };
        sqlx::query(
            "UPDATE destinations SET secret = NULL, secret_key_id = $1, secret_sealed = $2
             WHERE id = $3",
        )
        .bind(&keys.current.id)
        .bind(keys.current.seal(&secret, &context(&id)))
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(count)
}

/// Deletes a destination and the deliveries still waiting for it.
pub async fn delete(pool: &AnyPool, id: &str) -> Result<bool> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query("DELETE FROM destinations WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM deliveries WHERE destination_id = $1 AND state = 'pending'")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}
