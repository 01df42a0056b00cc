//! Adapters uploaded through the API, stored so every server on this database
//! loads them (see `Registry::sync_uploads`).

use anyhow::Result;
use sqlx::AnyPool;

/// Every upload's adapter name and content hash.
pub async fn list(pool: &AnyPool) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT name, hash FROM plugin_uploads ORDER BY name")
            .fetch_all(pool)
            .await?,
    )
}

/// The bytes of `name`'s upload, if it is still `hash`.
pub async fn wasm(pool: &AnyPool, name: &str, hash: &str) -> Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT wasm FROM plugin_uploads WHERE name = $1 AND hash = $2")
            .bind(name)
            .bind(hash)
            .fetch_optional(pool)
            .await?,
    )
}

/// Stores `wasm` as the upload of `name`, replacing any earlier one.
pub async fn put(pool: &AnyPool, name: &str, hash: &str, wasm: &[u8]) -> Result<()> {
    sqlx::query(
        "INSERT INTO plugin_uploads (name, hash, wasm, uploaded_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, wasm = excluded.wasm,
             uploaded_at = excluded.uploaded_at",
    )
    .bind(name)
    .bind(hash)
    .bind(wasm)
    .bind(super::clock::now_ms())
    .execute(pool)
    .await?;
    Ok(())
}

/// Points an existing upload of `name` at other bytes (a rollback), so every
/// server, and this one after a restart, follows; no-op without an upload.
pub async fn replace_if_uploaded(
    pool: &AnyPool,
    name: &str,
    hash: &str,
    wasm: &[u8],
) -> Result<()> {
    sqlx::query("UPDATE plugin_uploads SET hash = $1, wasm = $2, uploaded_at = $3 WHERE name = $4")
        .bind(hash)
        .bind(wasm)
        .bind(super::clock::now_ms())
        .bind(name)
        .execute(pool)
        .await?;
    Ok(())
}
