//! `/api/v1/stats`: the console's overview. Requests per bucket by outcome
//! over the last hour or day, read from the per-minute counts the group
//! commit keeps (`store::stats`), never from the request log itself; and
//! what is kept now: events, pending deliveries, dead letters, quarantined
//! adapters.

use super::extract::Validate;
use super::{ApiError, ApiQuery, ApiResult};
use crate::source_table::SourceTable;
use crate::store::{Database, now_ms, rfc3339, stats};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

crate::sub_state! {
    /// What the stats read.
    pub struct StatsApi {
        db: Database,
        sources: Arc<SourceTable>,
    }
}

/// The span the buckets cover.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Window {
    /// 60 buckets of one minute.
    #[default]
    Hour,
    /// 96 buckets of fifteen minutes.
    Day,
}

impl Window {
    /// Minutes per bucket, and buckets.
    fn shape(self) -> (i64, i64) {
        match self {
            Window::Hour => (1, 60),
            Window::Day => (15, 96),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// `hour` (default) or `day`.
    #[param(inline)]
    window: Option<Window>,
    /// Only this source (its id).
    #[param(max_length = 200)]
    source: Option<String>,
}

impl Validate for StatsQuery {}

/// Requests of one bucket by outcome.
#[derive(Serialize, ToSchema)]
pub struct Bucket {
    /// RFC 3339: where the bucket starts.
    pub start: String,
    /// Requests by outcome: the request log's outcomes, a rejection under
    /// its reason code (`bad_signature`, `missing_signature`,
    /// `timestamp_out_of_tolerance`, `malformed`, `unauthorized`), and
    /// `throttled` (over a rate or concurrency limit; not logged). Outcomes
    /// with no request are left out (`{}` for an empty bucket).
    pub counts: BTreeMap<String, i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Stats {
    pub window: Window,
    /// 60 (hour) or 900 (day).
    pub bucket_seconds: i64,
    /// Oldest first; every bucket of the window, empty ones too. The last
    /// one is the bucket running now.
    pub buckets: Vec<Bucket>,
    /// The buckets' counts added up.
    pub totals: BTreeMap<String, i64>,
    pub events_stored: i64,
    /// Deliveries waiting for an attempt (or held while their destination
    /// is disabled).
    pub outbox_pending: i64,
    /// Deliveries that ran out of attempts.
    pub dead_letters: i64,
    /// Sources whose adapter is quarantined now (it failed again and
    /// again).
    pub quarantined_adapters: i64,
}

/// Requests per bucket by outcome, and what is kept now.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    tag = "stats",
    params(StatsQuery),
    responses(
        (status = 200, description = "The overview", body = Stats),
        (status = 404, description = "No source has that id", body = super::ErrorBody)
    )
)]
pub async fn show(
    State(app): State<StatsApi>,
    ApiQuery(query): ApiQuery<StatsQuery>,
) -> ApiResult<Json<Stats>> {
    let source = query.source.as_deref();
    if let Some(id) = source
        && app.sources.source_by_id(id).is_none()
    {
        return Err(ApiError::not_found("source").at("source"));
    }
    let window = query.window.unwrap_or_default();
    let (width, count) = window.shape();
    let now = now_ms();
    let last = now.div_euclid(60_000).div_euclid(width) * width;
    let first = last - (count - 1) * width;
    let mut buckets: Vec<BTreeMap<String, i64>> = vec![BTreeMap::new(); count as usize];
    let mut totals = BTreeMap::new();
    for (index, outcome, n) in stats::counts_since(&app.db.pool, first, width, source).await? {
        // A minute ahead of this server's clock (another replica's) is left out.
        let Some(bucket) = usize::try_from(index).ok().and_then(|i| buckets.get_mut(i)) else {
            continue;
        };
        *bucket.entry(outcome.clone()).or_insert(0) += n;
        *totals.entry(outcome).or_insert(0) += n;
    }
    let kept = stats::totals(&app.db.pool, source).await?;
    Ok(Json(Stats {
        window,
        bucket_seconds: width * 60,
        buckets: buckets
            .into_iter()
            .enumerate()
            .map(|(i, counts)| Bucket {
                start: rfc3339((first + i as i64 * width) * 60_000),
                counts,
            })
            .collect(),
        totals,
        events_stored: kept.events_stored,
        outbox_pending: kept.outbox_pending,
        dead_letters: kept.dead_letters,
        quarantined_adapters: app.sources.quarantined(now, source) as i64,
    }))
}
