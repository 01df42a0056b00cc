//! Rate budgets shared by the replicas on one PostgreSQL database.
//!
//! A source's rate limit is normally a token bucket in the memory of the
//! replica that receives the request, so N replicas together let N times the
//! rate through. A source whose limits say `shared_rate` keeps its bucket in
//! the database instead: the same GCRA as the in-memory limiter (`governor`),
//! one "theoretical arrival time" per source, advanced by one atomic upsert
//! per request against the database's clock. The table is unlogged, so the
//! check costs a round trip but no WAL write or fsync.

use anyhow::Result;
use sqlx::PgPool;
use std::num::NonZeroU32;
use std::time::Duration;

/// Takes one request from the budget if it fits (the new arrival time is at
/// most `burst` intervals ahead of now) and answers `(taken, wait_us)`: when
/// it does not fit, how long until it would. $1 source, $2 the interval
/// between requests at the sustained rate, $3 `burst` intervals (µs).
const TAKE: &str = "
WITH clock AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now_us),
taken AS (
    INSERT INTO rate_budgets AS b (source_id, tat_us)
    SELECT $1, now_us + $2 FROM clock
    ON CONFLICT (source_id) DO UPDATE
        SET tat_us = GREATEST(b.tat_us, (SELECT now_us FROM clock)) + $2
        WHERE GREATEST(b.tat_us, (SELECT now_us FROM clock)) + $2
            - (SELECT now_us FROM clock) <= $3
    RETURNING true AS taken, 0::bigint AS wait_us)
SELECT taken, wait_us FROM taken
UNION ALL
SELECT false, GREATEST(b.tat_us, clock.now_us) + $2 - $3 - clock.now_us
FROM rate_budgets b, clock
WHERE b.source_id = $1 AND NOT EXISTS (SELECT 1 FROM taken)";

/// One request of `source_id` against its shared budget of `rate` per second
/// with bursts of `burst`: `None` if admitted, else how long to wait.
pub async fn take(
    pool: &PgPool,
    source_id: &str,
    rate: NonZeroU32,
    burst: NonZeroU32,
) -> Result<Option<Duration>> {
    let interval_us = (1_000_000 / i64::from(rate.get())).max(1);
    let answer: Option<(bool, i64)> = sqlx::query_as(TAKE)
        .bind(source_id)
        .bind(interval_us)
        .bind(interval_us * i64::from(burst.get()))
        .fetch_optional(pool)
        .await?;
    Ok(match answer {
        Some((true, _)) => None,
        Some((false, wait_us)) => Some(Duration::from_micros(wait_us.max(1) as u64)),
        // Refused while another replica created the row: one interval.
        None => Some(Duration::from_micros(interval_us as u64)),
    })
}
