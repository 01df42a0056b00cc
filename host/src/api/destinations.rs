//! `/api/v1/destinations`: where events go, and which events each wants.
//!
//! A destination's signing secret is shown once, when it is created; later
//! answers show its first characters only. What happened to each delivery is
//! `deliveries`; sending events again is `replays`.

use super::{ApiError, ApiResult, JsonBody};
use crate::changes::Changes;
use crate::delivery::Delivery;
use crate::delivery::router::{self};
use crate::delivery::ssrf;
use crate::sealing::MasterKey;
use crate::store::Database;
use crate::store::destinations::{self, CoalesceConfig, Destination, Target};
use crate::store::outbox::{self};
use crate::store::writer::Writer;
use crate::store::{new_id, now_ms, rfc3339, sources};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use base64::Engine as _;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

crate::sub_state! {
    /// What the destination, delivery and replay routes use.
    pub struct DestinationsApi {
        db: Database,
        master_key: Arc<MasterKey>,
        writer: Writer,
        delivery: Arc<Delivery>,
        changes: Arc<Changes>,
    }
}

#[derive(Deserialize)]
pub struct NewDestination {
    name: String,
    /// `kind` (`http` | `nats`) and its fields.
    #[serde(flatten)]
    target: Target,
    /// `whsec_` + base64; generated when absent (HTTP only).
    secret: Option<String>,
    #[serde(default = "every_type")]
    event_types: Vec<String>,
    source_ids: Option<Vec<String>>,
    filter: Option<String>,
    coalesce: Option<CoalesceConfig>,
    #[serde(default = "default_max_in_flight")]
    max_in_flight: i64,
}

fn every_type() -> Vec<String> {
    vec!["*".into()]
}

fn default_max_in_flight() -> i64 {
    16
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationChange {
    name: Option<String>,
    enabled: Option<bool>,
    event_types: Option<Vec<String>>,
    /// `null` clears (every source); absent leaves it.
    #[serde(default, deserialize_with = "super::sources::present")]
    source_ids: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "super::sources::present")]
    filter: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::sources::present")]
    coalesce: Option<Option<CoalesceConfig>>,
    max_in_flight: Option<i64>,
}

pub async fn create(
    State(app): State<DestinationsApi>,
    JsonBody(new): JsonBody<NewDestination>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let secret = match (&new.target, new.secret) {
        (Target::Http { .. }, None) => Some(new_secret()),
        (Target::Http { .. }, Some(secret)) => Some(secret),
        (Target::Nats { .. }, None) => None,
        (Target::Nats { .. }, Some(_)) => {
            return Err(ApiError::invalid(
                "NATS destinations are not signed: remove `secret`",
            ));
        }
    };
    let now = now_ms();
    let destination = Destination {
        id: new_id("dst"),
        name: new.name,
        target: new.target,
        secret,
        event_types: new.event_types,
        source_ids: new.source_ids,
        filter: new.filter,
        coalesce: new.coalesce,
        max_in_flight: new.max_in_flight,
        enabled: true,
        disabled_reason: None,
        created_at: now,
        updated_at: now,
    };
    validate(&app, &destination).await?;
    destinations::insert(&app.db.pool, &app.master_key, &destination)
        .await
        .map_err(|e| unique_name(e, &destination.name))?;
    app.changes.destinations_changed().await?;
    tracing::info!(destination = %destination.id, kind = destination.target.kind(), "destination created");
    let mut body = destination_json(&destination);
    body["secret"] = json!(destination.secret);
    Ok((StatusCode::CREATED, Json(body)))
}

pub async fn list(State(app): State<DestinationsApi>) -> ApiResult<Json<Value>> {
    let all = destinations::list(&app.db.pool, &app.master_key).await?;
    let mut shown = Vec::with_capacity(all.len());
    for d in &all {
        shown.push(shown_with_pending(&app, d).await?);
    }
    Ok(Json(Value::Array(shown)))
}

pub async fn show(
    State(app): State<DestinationsApi>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        shown_with_pending(&app, &find(&app, &id).await?).await?,
    ))
}

/// A destination as shown, with its pending deliveries: those waiting for
/// an attempt, or held while it is disabled.
async fn shown_with_pending(app: &DestinationsApi, d: &Destination) -> ApiResult<Value> {
    let mut body = destination_json(d);
    body["pending_deliveries"] = json!(outbox::pending_of(&app.db.pool, &d.id).await?);
    Ok(body)
}

pub async fn update(
    State(app): State<DestinationsApi>,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<DestinationChange>,
) -> ApiResult<Json<Value>> {
    let mut d = find(&app, &id).await?;
    if let Some(name) = change.name {
        d.name = name;
    }
    if let Some(enabled) = change.enabled {
        d.enabled = enabled;
        if enabled {
            d.disabled_reason = None;
        }
    }
    if let Some(types) = change.event_types {
        d.event_types = types;
    }
    if let Some(ids) = change.source_ids {
        d.source_ids = ids;
    }
    if let Some(filter) = change.filter {
        d.filter = filter;
    }
    if let Some(coalesce) = change.coalesce {
        d.coalesce = coalesce;
    }
    if let Some(max) = change.max_in_flight {
        d.max_in_flight = max;
    }
    validate(&app, &d).await?;
    destinations::update(&app.db.pool, &app.master_key, &d)
        .await
        .map_err(|e| unique_name(e, &d.name))?;
    app.changes.destinations_changed().await?;
    // Enabling may have made waiting rows due.
    app.writer.signals.outbox.notify_one();
    Ok(Json(
        shown_with_pending(&app, &find(&app, &id).await?).await?,
    ))
}

pub async fn delete(
    State(app): State<DestinationsApi>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if !destinations::delete(&app.db.pool, &id).await? {
        return Err(ApiError::not_found("destination"));
    }
    app.changes.destinations_changed().await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn find(app: &DestinationsApi, id: &str) -> ApiResult<Destination> {
    destinations::get(&app.db.pool, &app.master_key, id)
        .await?
        .ok_or_else(|| ApiError::not_found("destination"))
}

/// Everything a destination needs to work, checked before it is stored.
async fn validate(app: &DestinationsApi, d: &Destination) -> ApiResult<()> {
    if d.name.trim().is_empty() {
        return Err(ApiError::invalid("name must not be empty"));
    }
    if !(1..=1000).contains(&d.max_in_flight) {
        return Err(ApiError::invalid(
            "max_in_flight must be between 1 and 1000",
        ));
    }
    if let Target::Http { timeout_ms, .. } = &d.target
        && !(1..=120_000).contains(timeout_ms)
    {
        return Err(ApiError::invalid("timeout_ms must be between 1 and 120000"));
    }
    if let Some(secret) = &d.secret
        && (!secret.starts_with("whsec_") || standardwebhooks::Webhook::new(secret).is_err())
    {
        return Err(ApiError::invalid(
            "secret must be `whsec_` followed by base64 (omit it to have one generated)",
        ));
    }
    if let Some(c) = &d.coalesce
        && (c.quiet_ms == 0 || c.quiet_ms > c.max_wait_ms)
    {
        return Err(ApiError::invalid(
            "coalesce: quiet_ms must be positive and at most max_wait_ms",
        ));
    }
    if let Some(ids) = &d.source_ids {
        let known: Vec<String> = sources::list(&app.db.pool)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        if let Some(unknown) = ids.iter().find(|id| !known.contains(id)) {
            return Err(ApiError::invalid(format!("unknown source {unknown:?}")));
        }
    }
    router::validate(d).map_err(ApiError::invalid)?;
    app.delivery.transport(d).map_err(ApiError::invalid)?;
    if let Target::Http { url, .. } = &d.target
        && let Ok(url) = reqwest::Url::parse(url)
    {
        ssrf::check_destination(&app.delivery.config.policy, &url)
            .await
            .map_err(ApiError::invalid)?;
    }
    Ok(())
}

fn unique_name(error: anyhow::Error, name: &str) -> ApiError {
    if error.to_string().contains("UNIQUE") {
        ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("a destination named {name:?} exists"),
        )
    } else {
        error.into()
    }
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> String {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(key)
    )
}

fn destination_json(d: &Destination) -> Value {
    let mut body = json!({
        "id": d.id,
        "name": d.name,
        "secret_prefix": d.secret.as_ref().map(|s| format!("{}…", &s[..s.len().min(10)])),
        "event_types": d.event_types,
        "source_ids": d.source_ids,
        "filter": d.filter,
        "coalesce": d.coalesce,
        "max_in_flight": d.max_in_flight,
        "enabled": d.enabled,
        "disabled_reason": d.disabled_reason,
        "created_at": rfc3339(d.created_at),
        "updated_at": rfc3339(d.updated_at),
    });
    if let (Value::Object(body), Ok(Value::Object(target))) =
        (&mut body, serde_json::to_value(&d.target))
    {
        body.extend(target);
    }
    body
}
