//! Source secrets, sealed at rest, each with an optional expiry.
//!
//! Rotating a vendor's signing secret without rejecting anything means
//! holding the old and the new one at once, and retiring the old one at a
//! known time; so secrets are rows of their own (`source_secrets`), newest
//! first, each sealed under the master key (`sealing`) and bound to its row.
//! Only the first characters (`prefix`) are stored in clear, for people to
//! tell secrets apart. [`reseal`] runs at startup: it moves secrets still in
//! the pre-encryption `sources.secrets` column into sealed rows and re-seals
//! rows sealed under a previous master key.

use super::clock::now_ms;
use super::ids::new_id;
use crate::sealing::{Keyring, MasterKey};
use anyhow::{Context as _, Result, bail};
use sqlx::{AnyConnection, AnyPool};

/// A secret as the API shows it: never the value.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SecretInfo {
    pub id: String,
    pub source_id: String,
    pub prefix: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

impl SecretInfo {
    /// Whether the secret still verifies at `now` (ms).
    pub fn active_at(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }
}

/// A secret with its value, for the request path only.
pub struct OpenSecret {
    pub info: SecretInfo,
    pub value: String,
}

#[derive(sqlx::FromRow)]
struct SealedRow {
    #[sqlx(flatten)]
    info: SecretInfo,
    key_id: String,
    sealed: Vec<u8>,
}

const INFO: &str = "id, source_id, prefix, created_at, expires_at";

/// What the row is bound to: a sealed value cannot be moved to another row.
fn context(source_id: &str, secret_id: &str) -> String {
    format!("source_secrets/{source_id}/{secret_id}")
}

/// The part of a secret the API shows: up to 6 characters, and never more
/// than a quarter of it.
fn prefix(value: &str) -> String {
    let shown = (value.chars().count() / 4).min(6);
    value.chars().take(shown).collect()
}

/// Every secret of every source, opened; per source newest first.
pub async fn open_all(pool: &AnyPool, key: &MasterKey) -> Result<Vec<OpenSecret>> {
    let rows: Vec<SealedRow> = sqlx::query_as(&format!(
        "SELECT {INFO}, key_id, sealed FROM source_secrets ORDER BY source_id, created_at DESC, id DESC"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            if row.key_id != key.id {
                bail!(
                    "secret {} is sealed under master key {}, not the current {}",
                    row.info.id,
                    row.key_id,
                    key.id
                );
            }
            let value = key.open(&row.sealed, &context(&row.info.source_id, &row.info.id))?;
            Ok(OpenSecret {
                value: String::from_utf8(value).context("a secret is not UTF-8")?,
                info: row.info,
            })
        })
        .collect()
}

/// The secrets of one source, newest first, without their values.
pub async fn list(pool: &AnyPool, source_id: &str) -> Result<Vec<SecretInfo>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {INFO} FROM source_secrets WHERE source_id = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(source_id)
    .fetch_all(pool)
    .await?)
}

/// The secrets (of every source) that expire after `from` and by `until`
/// (ms): what the expiry alert warns about.
pub async fn expiring(pool: &AnyPool, from: i64, until: i64) -> Result<Vec<SecretInfo>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {INFO} FROM source_secrets WHERE expires_at > $1 AND expires_at <= $2
         ORDER BY expires_at"
    ))
    .bind(from)
    .bind(until)
    .fetch_all(pool)
    .await?)
}

/// Seals and stores a new secret.
pub async fn add(
    conn: &mut AnyConnection,
    key: &MasterKey,
    source_id: &str,
    value: &str,
    expires_at: Option<i64>,
) -> Result<SecretInfo> {
    let info = SecretInfo {
        id: new_id("sec"),
        source_id: source_id.to_string(),
        prefix: prefix(value),
        created_at: now_ms(),
        expires_at,
    };
    let sealed = key.seal(value.as_bytes(), &context(source_id, &info.id));
    sqlx::query(
        "INSERT INTO source_secrets (id, source_id, prefix, key_id, sealed, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&info.id)
    .bind(&info.source_id)
    .bind(&info.prefix)
    .bind(&key.id)
    .bind(sealed)
    .bind(info.created_at)
    .bind(info.expires_at)
    .execute(conn)
    .await?;
    Ok(info)
}

/// Replaces every secret of a source with `values` (newest first).
pub async fn replace(
    conn: &mut AnyConnection,
    key: &MasterKey,
    source_id: &str,
    values: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM source_secrets WHERE source_id = $1")
        .bind(source_id)
        .execute(&mut *conn)
        .await?;
    // Oldest first, so that ids (time-ordered) and creation times keep the order.
    for value in values.iter().rev() {
        add(&mut *conn, key, source_id, value, None).await?;
    }
    Ok(())
}

/// Sets or clears a secret's expiry; false when the source has no such secret.
pub async fn set_expiry(
    pool: &AnyPool,
    source_id: &str,
    secret_id: &str,
    expires_at: Option<i64>,
) -> Result<bool> {
    let done =
        sqlx::query("UPDATE source_secrets SET expires_at = $1 WHERE source_id = $2 AND id = $3")
            .bind(expires_at)
            .bind(source_id)
            .bind(secret_id)
            .execute(pool)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes a secret; false when the source has no such secret.
pub async fn remove(pool: &AnyPool, source_id: &str, secret_id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM source_secrets WHERE source_id = $1 AND id = $2")
        .bind(source_id)
        .bind(secret_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Seals secrets still in clear in `sources.secrets` (databases from before
/// encryption) and re-seals those under the previous master key, in one
/// transaction. Returns how many rows it sealed. Fails, changing nothing,
/// when a secret is sealed under a key the ring does not hold.
pub async fn reseal(pool: &AnyPool, keys: &Keyring) -> Result<usize> {
    let mut tx = pool.begin().await?;
    let mut sealed = 0;

    let legacy: Vec<(String, String)> =
        sqlx::query_as("SELECT id, secrets FROM sources WHERE secrets <> '[]'")
            .fetch_all(&mut *tx)
            .await?;
    for (source_id, secrets) in legacy {
        let values: Vec<String> = serde_json::from_str(&secrets)
            .with_context(|| format!("the secrets column of source {source_id}"))?;
        let existing = sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM source_secrets WHERE source_id = $1",
        )
        .bind(&source_id)
        .fetch_one(&mut *tx)
        .await?;
        if existing > 0 {
            bail!("source {source_id} has secrets both in clear and sealed");
        }
        replace(&mut tx, &keys.current, &source_id, &values).await?;
        sqlx::query("UPDATE sources SET secrets = '[]' WHERE id = $1")
            .bind(&source_id)
            .execute(&mut *tx)
            .await?;
        sealed += values.len();
    }

    let stale: Vec<SealedRow> = sqlx::query_as(&format!(
        "SELECT {INFO}, key_id, sealed FROM source_secrets WHERE key_id <> $1"
    ))
    .bind(&keys.current.id)
    .fetch_all(&mut *tx)
    .await?;
    for row in stale {
        let Some(old) = keys.get(&row.key_id) else {
            bail!(
                "secret {} of source {} is sealed under master key {}, which is neither the \
                 current key ({}) nor the previous one: start with the key it was sealed under \
                 as HOOKYARD_PREVIOUS_MASTER_KEY (or --previous-master-key-file)",
                row.info.id,
                row.info.source_id,
                row.key_id,
                keys.current.id
            );
        };
        let context = context(&row.info.source_id, &row.info.id);
        let value = old.open(&row.sealed, &context)?;
        sqlx::query("UPDATE source_secrets SET key_id = $1, sealed = $2 WHERE id = $3")
            .bind(&keys.current.id)
            .bind(keys.current.seal(&value, &context))
            .bind(&row.info.id)
            .execute(&mut *tx)
            .await?;
        sealed += 1;
    }
    tx.commit().await?;
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    use super::prefix;

    #[test]
    fn the_prefix_shows_at_most_a_quarter_and_six_characters() {
        assert_eq!(prefix("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "whsec_");
        assert_eq!(prefix("abcdefgh"), "ab");
        assert_eq!(prefix("abc"), "");
    }
}
