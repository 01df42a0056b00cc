//! Making the follow-up calls adapters ask for (contract 0.2's
//! `reply.follow-up`): SNS confirms a subscription only once its
//! `SubscribeURL` is fetched, after the confirmation request is stored.
//!
//! [`record`] writes one when its request's events are stored: `pending`,
//! or `refused` at once when its URL lies under none of the source's fetch
//! origins (nothing is sent). [`task`] makes due ones through the SSRF guard
//! (no redirects, internal addresses refused unless allowed), and retries a
//! failure after 5 s, 30 s, 2 min and 10 min before it gives up (`failed`);
//! each attempt's status or error is on the row, which the API lists with
//! its request (`GET /api/v1/follow-ups?request_id=…`). A replica claims a
//! row with a lease, so one call is made by one server at a time.

use crate::delivery::ssrf::{AddressPolicy, http_client};
use crate::fetch::FetchScope;
use crate::runtime::OutgoingRequest;
use crate::sealing::MasterKey;
use crate::store::follow_ups::{self, Call, State};
use crate::store::{new_id, now_ms};
use crate::tasks::Stop;
use sqlx::AnyPool;
use std::sync::Arc;
use std::time::Duration;

/// Waits after each failed attempt; one more attempt than waits.
const BACKOFF_SECS: [i64; 4] = [5, 30, 120, 600];
/// How long one attempt may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often due follow-ups are looked for.
const POLL: Duration = Duration::from_secs(1);
/// A claimed row is not taken by another replica for this long.
const LEASE_MS: i64 = 60_000;

/// Writes the follow-up `request` asked for by request `request_id`;
/// `refused` when `scope` does not allow its URL. Returns the row's id.
pub async fn record(
    pool: &AnyPool,
    key: &MasterKey,
    request_id: &str,
    source_id: &str,
    scope: Option<&FetchScope>,
    request: OutgoingRequest,
) -> anyhow::Result<String> {
    let call = Call {
        method: request.method,
        url: request.url,
        headers: request
            .headers
            .into_iter()
            .map(|h| (h.name, h.value))
            .collect(),
        body: request.body,
    };
    let allowed = reqwest::Url::parse(&call.url)
        .ok()
        .is_some_and(|url| scope.is_some_and(|s| s.origins.iter().any(|o| o.matches(&url))));
    let refused = (!allowed).then(|| {
        format!(
            "{} is not under the source's fetch origins: not sent",
            follow_ups::shown(&call.url)
        )
    });
    let id = new_id("fup");
    follow_ups::insert(
        pool,
        key,
        &id,
        request_id,
        source_id,
        &call,
        refused.as_deref(),
        now_ms(),
    )
    .await?;
    Ok(id)
}

/// Makes due follow-ups until the server stops.
pub async fn task(pool: AnyPool, key: Arc<MasterKey>, policy: Arc<AddressPolicy>, mut stop: Stop) {
    let client = http_client(policy);
    loop {
        match follow_ups::claim_due(&pool, &key, now_ms(), LEASE_MS, 16).await {
            Ok(due) => {
                for follow_up in due {
                    attempt(&pool, &client, follow_up).await;
                }
            }
            Err(e) => tracing::warn!("looking for due follow-ups: {e:#}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = stop.requested() => return,
        }
    }
}

async fn attempt(pool: &AnyPool, client: &reqwest::Client, due: follow_ups::Due) {
    let outcome = match &due.call {
        Ok(call) => send(client, call).await,
        // Cannot be opened: no attempt can ever succeed.
        Err(e) => Err((format!("{e:#}"), false)),
    };
    let now = now_ms();
    let (state, status, error, due_at) = match outcome {
        Ok(status) if (200..300).contains(&status) => (State::Done, Some(status), None, now),
        failure => {
            let (status, error, retry) = match failure {
                Ok(status) => (Some(status), format!("answered {status}"), true),
                Err((error, retry)) => (None, error, retry),
            };
            match BACKOFF_SECS.get(due.attempts as usize).filter(|_| retry) {
                Some(wait) => (State::Pending, status, Some(error), now + wait * 1000),
                None => (State::Failed, status, Some(error), now),
            }
        }
    };
    tracing::info!(follow_up = %due.id, source = %due.source_id, state = state.as_str(),
        status, error = error.as_deref().unwrap_or(""), "follow-up attempt");
    if let Err(e) =
        follow_ups::record_attempt(pool, &due.id, state, status, error.as_deref(), due_at, now)
            .await
    {
        tracing::warn!(follow_up = %due.id, "recording a follow-up attempt: {e:#}");
    }
}

/// The status answered, or why there was none and whether to retry.
async fn send(client: &reqwest::Client, call: &Call) -> Result<u16, (String, bool)> {
    let method = reqwest::Method::from_bytes(call.method.as_bytes())
        .map_err(|_| (format!("bad method {:?}", call.method), false))?;
    let mut request = client.request(method, &call.url).timeout(TIMEOUT);
    for (name, value) in &call.headers {
        request = request.header(name, value);
    }
    if !call.body.is_empty() {
        request = request.body(call.body.clone());
    }
    match request.send().await {
        Ok(response) => Ok(response.status().as_u16()),
        Err(e) => Err((crate::fetch::error_chain(&e), true)),
    }
}
