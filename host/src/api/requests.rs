//! `/api/v1/requests`: the request log, newest first: every request to
//! `/webhooks` with its outcome and why, and whether its raw copy is kept;
//! `/api/v1/follow-ups`: the calls adapters asked for after their requests.

use super::events::EventsApi;
use super::extract::{Validate, check_limit};
use super::{ApiQuery, ApiResult, page_size, parse_cursor, parse_since};
use crate::store::follow_ups;
use crate::store::requests::{self, RequestFilter};
use crate::store::rfc3339;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    /// Only this source's requests.
    #[param(max_length = 200)]
    source_id: Option<String>,
    /// Only requests with this outcome.
    #[param(max_length = 200)]
    outcome: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 1000, default = 100)]
    limit: Option<i64>,
    /// A `next_cursor` from an earlier page.
    #[param(max_length = 200)]
    cursor: Option<String>,
    /// RFC 3339: only requests received at or after this time.
    #[param(max_length = 64, format = DateTime)]
    since: Option<String>,
}

impl Validate for RequestQuery {
    fn validate(&self) -> ApiResult<()> {
        check_limit(self.limit)
    }
}

/// The request log, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/requests",
    tag = "requests",
    params(RequestQuery),
    responses((status = 200, description = "A page of requests and the `next_cursor`", body = RequestPage))
)]
pub async fn list(
    State(app): State<EventsApi>,
    ApiQuery(query): ApiQuery<RequestQuery>,
) -> ApiResult<Json<RequestPage>> {
    let filter = RequestFilter {
        source_id: query.source_id,
        outcome: query.outcome,
        since: parse_since(query.since.as_deref())?,
        before_seq: parse_cursor(query.cursor.as_deref())?,
        limit: page_size(query.limit),
    };
    let rows = requests::list(&app.db.pool, &filter).await?;
    let next_cursor = (rows.len() as i64 == filter.limit)
        .then(|| rows.last().map(|r| r.seq.to_string()))
        .flatten();
    let data = rows
        .into_iter()
        .map(|r| RequestView {
            id: r.id,
            source_id: r.source_id,
            received_at: rfc3339(r.received_at),
            method: r.method,
            path: r.path,
            remote_ip: r.remote_ip,
            user_agent: r.user_agent,
            outcome: r.outcome,
            reason: r.reason,
            status: r.status,
            latency_us: r.latency_us,
            plugin: r.plugin,
            plugin_version: r.plugin_version,
            event_count: r.event_count,
            raw_kept: r.raw_kept != 0,
            reprocessed_as: r.reprocessed_as,
        })
        .collect();
    Ok(Json(RequestPage { data, next_cursor }))
}

/// A page of the request log.
#[derive(Serialize, ToSchema)]
pub struct RequestPage {
    pub data: Vec<RequestView>,
    /// Pass it as `cursor` for the next page; `null` at the end.
    pub next_cursor: Option<String>,
}

/// One request to `/webhooks` and what became of it.
#[derive(Serialize, ToSchema)]
pub struct RequestView {
    pub id: String,
    /// `null` when the key matched no source.
    pub source_id: Option<String>,
    /// RFC 3339.
    pub received_at: String,
    pub method: String,
    pub path: String,
    pub remote_ip: Option<String>,
    pub user_agent: Option<String>,
    /// `accepted`, `duplicate`, `rejected`, ...
    pub outcome: String,
    /// Why, in words.
    pub reason: Option<String>,
    /// The status answered.
    pub status: i64,
    pub latency_us: i64,
    pub plugin: Option<String>,
    pub plugin_version: Option<String>,
    pub event_count: i64,
    /// Whether the raw request is kept (for reprocessing).
    pub raw_kept: bool,
    /// The request-log row of the reprocessing that took it out of quarantine.
    pub reprocessed_as: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FollowUpQuery {
    /// Only the follow-ups of this request.
    #[param(max_length = 200)]
    request_id: Option<String>,
    /// Only follow-ups in this state: `pending`, `done`, `failed`, `refused`.
    #[param(max_length = 20)]
    state: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 1000, default = 100)]
    limit: Option<i64>,
}

impl Validate for FollowUpQuery {
    fn validate(&self) -> ApiResult<()> {
        check_limit(self.limit)
    }
}

/// Follow-up calls adapters asked for (SNS `SubscribeURL`), newest first,
/// with their last attempt.
#[utoipa::path(
    get,
    path = "/api/v1/follow-ups",
    tag = "requests",
    params(FollowUpQuery),
    responses((status = 200, description = "Follow-up calls", body = FollowUpList))
)]
pub async fn follow_ups(
    State(app): State<EventsApi>,
    ApiQuery(query): ApiQuery<FollowUpQuery>,
) -> ApiResult<Json<FollowUpList>> {
    let rows = follow_ups::list(
        &app.db.pool,
        query.request_id.as_deref(),
        query.state.as_deref(),
        page_size(query.limit),
    )
    .await?;
    let data = rows
        .into_iter()
        .map(|r| FollowUpView {
            next_attempt_at: (r.state == "pending").then(|| rfc3339(r.due_at)),
            id: r.id,
            request_id: r.request_id,
            source_id: r.source_id,
            url: r.url_shown,
            state: r.state,
            attempts: r.attempts,
            last_status: r.last_status,
            last_error: r.last_error,
            created_at: rfc3339(r.created_at),
            updated_at: rfc3339(r.updated_at),
        })
        .collect();
    Ok(Json(FollowUpList { data }))
}

#[derive(Serialize, ToSchema)]
pub struct FollowUpList {
    pub data: Vec<FollowUpView>,
}

/// One follow-up call and how its attempts went.
#[derive(Serialize, ToSchema)]
pub struct FollowUpView {
    pub id: String,
    /// The request whose adapter asked for it.
    pub request_id: String,
    pub source_id: String,
    /// The URL called, without its query (which may hold a token).
    pub url: String,
    /// `pending`, `done`, `failed` (attempts used up) or `refused` (not
    /// under the source's fetch origins: never sent).
    pub state: String,
    pub attempts: i64,
    /// RFC 3339; set while pending.
    pub next_attempt_at: Option<String>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}
