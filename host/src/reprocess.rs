//! Reprocessing: requests an adapter failed on are quarantined, and run again
//! through the current adapter once it is fixed.
//!
//! A request whose adapter trapped, timed out, returned an error or was not
//! loaded is logged with outcome `adapter_failed` and its raw copy, and the
//! vendor got a 503: that row is the quarantine. [`reprocess`]
//! (`POST /api/v1/sources/{id}/reprocess`, `hookyard reprocess`) replays the
//! quarantined requests of a source received since a time through the same
//! path as live traffic ([`ingest::adapt`]), with the original receipt time as
//! the adapter's clock, so signatures and timestamp tolerances are checked as
//! they were at receipt. Events go through the usual dedup, so a request the
//! vendor redelivered meanwhile is not stored twice. Each replay is a
//! request-log row of its own (same receipt time); a quarantined row that no
//! longer failed records that row's id and leaves the quarantine. Raw copies
//! older than `--raw-retention-days` are dropped by [`crate::retention`].

use crate::ingest::Ingest;
use crate::ingest::{self, Origin, Trace};
use crate::runtime::{Header, Request};
use crate::store::requests::{self, LogOutcome, Quarantined};
use crate::store::{new_id, now_ms};
use anyhow::{Context as _, Result};
use serde::Serialize;

/// What one quarantined request became.
#[derive(Debug, Serialize)]
pub struct Replay {
    /// The quarantined request.
    pub request_id: String,
    /// The request-log row of this run.
    pub run_id: String,
    /// The run's outcome: `accepted`, `duplicate`, `rejected`, `adapter_failed`...
    pub outcome: LogOutcome,
}

/// Replays the source's quarantined requests received at or after
/// `since_ms`, oldest first. `None` when there is no such source.
pub async fn reprocess(
    app: &Ingest,
    source_id: &str,
    since_ms: i64,
) -> Result<Option<Vec<Replay>>> {
    let Some(active) = app.sources.source_by_id(source_id) else {
        return Ok(None);
    };
    let rows = requests::quarantined(&app.db.pool, source_id, since_ms).await?;
    let mut replays = Vec::with_capacity(rows.len());
    for row in rows {
        let request_id = row.id.clone();
        let request = request_of(app, &row)
            .with_context(|| format!("reading quarantined request {request_id}"))?;
        let origin = Origin {
            method: row.method,
            path: row.path,
            query: request.query.clone(),
            remote_ip: row.remote_ip,
            user_agent: Some("hookyard reprocess".into()),
        };
        let run_id = new_id("req");
        let mut trace = Trace::new(&run_id, row.received_at, false);
        trace.for_source(active.clone());
        let outcome =
            ingest::adapt(app, &active, &request, row.received_at, &origin, &mut trace).await;
        let outcome = ingest::finish(app, &origin, trace, outcome)
            .await
            .log()
            .expect("reprocessing is not throttled");
        if !outcome.is_quarantined() {
            requests::mark_reprocessed(&app.db.pool, &request_id, &run_id, now_ms()).await?;
        }
        tracing::info!(source = %source_id, request = %request_id, run = %run_id, outcome = outcome.as_str(), "reprocessed");
        replays.push(Replay {
            request_id,
            run_id,
            outcome,
        });
    }
    Ok(Some(replays))
}

/// The request as the adapter saw it at receipt, opened from its sealed copy.
fn request_of(app: &Ingest, row: &Quarantined) -> Result<Request> {
    let raw = row.raw().open_with(&app.master_key, &row.id)?;
    let host = raw
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.as_str());
    let path_and_query = match raw.query.as_str() {
        "" => row.path.clone(),
        query => format!("{}?{query}", row.path),
    };
    Ok(Request {
        method: row.method.clone(),
        url: ingest::public_url(app, host, &path_and_query),
        path: row.path.clone(),
        query: raw.query,
        headers: raw
            .headers
            .into_iter()
            .map(|(name, value)| Header { name, value })
            .collect(),
        body: raw.body,
        remote_addr: row.remote_ip.clone(),
    })
}
