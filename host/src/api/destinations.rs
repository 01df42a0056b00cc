//! `/api/v1/destinations`: where events go, and which events each wants.
//!
//! A destination's signing secret is shown once, when it is created; later
//! answers show its first characters only. What happened to each delivery is
//! `deliveries`; sending events again is `replays`.

use super::extract::{
    MAX_FILTER, MAX_HEADER_NAME, MAX_HEADER_VALUE, MAX_ID, MAX_ITEMS, MAX_NAME, MAX_SECRET,
    MAX_URL, Validate, check_len, check_list, check_name, check_range, out_of_bounds,
};
use super::{ApiError, ApiPath, ApiResult, JsonBody};
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
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine as _;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;
use utoipa::ToSchema;

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

/// A new destination: `POST /api/v1/destinations`. Unknown fields are
/// refused ([`Validate`]: serde cannot deny them beside a flattened field).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewDestination {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// `kind` (`http` | `nats`) and its fields.
    #[serde(flatten)]
    pub target: Target,
    /// `whsec_` + base64; generated when absent (HTTP only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 1024)]
    pub secret: Option<String>,
    #[serde(default = "every_type")]
    #[schema(max_items = 500)]
    pub event_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 500)]
    pub source_ids: Option<Vec<String>>,
    /// A JSONPath filter over the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 4096)]
    pub filter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coalesce: Option<CoalesceConfig>,
    #[serde(default = "default_max_in_flight")]
    #[schema(minimum = 1, maximum = 1000, default = 16)]
    pub max_in_flight: i64,
    /// Whatever else was sent: refused.
    #[serde(flatten, skip_serializing)]
    #[schema(ignore)]
    pub unknown: std::collections::BTreeMap<String, Value>,
}

impl Validate for NewDestination {
    fn validate(&self) -> ApiResult<()> {
        // The flattened target sees the same entries: its own fields are known.
        let target_fields: &[&str] = match self.target {
            Target::Http { .. } => &["kind", "url", "headers", "timeout_ms"],
            Target::Nats { .. } => &["kind", "url", "subject"],
        };
        if let Some(field) = self
            .unknown
            .keys()
            .find(|key| !target_fields.contains(&key.as_str()))
        {
            return Err(out_of_bounds(field, format!("unknown field `{field}`")));
        }
        check_name("name", &self.name, MAX_NAME)?;
        check_target(&self.target)?;
        if let Some(secret) = &self.secret {
            check_len("secret", secret, MAX_SECRET)?;
        }
        check_list("event_types", &self.event_types, MAX_NAME)?;
        if let Some(ids) = &self.source_ids {
            check_list("source_ids", ids, MAX_ID)?;
        }
        if let Some(filter) = &self.filter {
            check_len("filter", filter, MAX_FILTER)?;
        }
        if let Some(coalesce) = &self.coalesce {
            check_coalesce(coalesce)?;
        }
        check_range("max_in_flight", self.max_in_flight, 1..=1000)
    }
}

fn check_target(target: &Target) -> ApiResult<()> {
    match target {
        Target::Http {
            url,
            headers,
            timeout_ms,
        } => {
            check_name("url", url, MAX_URL)?;
            if headers.len() > MAX_ITEMS {
                return Err(out_of_bounds(
                    "headers",
                    format!("headers must have at most {MAX_ITEMS} entries"),
                ));
            }
            for (name, value) in headers {
                check_name("headers", name, MAX_HEADER_NAME)?;
                check_len(&format!("headers.{name}"), value, MAX_HEADER_VALUE)?;
            }
            check_range("timeout_ms", *timeout_ms, 1..=120_000)
        }
        Target::Nats { url, subject } => {
            check_name("url", url, MAX_URL)?;
            check_name("subject", subject, MAX_NAME)
        }
    }
}

/// The longest coalescing wait: a day.
const MAX_COALESCE_MS: u64 = 86_400_000;

fn check_coalesce(coalesce: &CoalesceConfig) -> ApiResult<()> {
    check_name("coalesce.key", &coalesce.key, MAX_FILTER)?;
    check_range("coalesce.quiet_ms", coalesce.quiet_ms, 1..=MAX_COALESCE_MS)?;
    check_range(
        "coalesce.max_wait_ms",
        coalesce.max_wait_ms,
        1..=MAX_COALESCE_MS,
    )
}

fn every_type() -> Vec<String> {
    vec!["*".into()]
}

fn default_max_in_flight() -> i64 {
    16
}

/// A change of a destination: `PATCH /api/v1/destinations/{id}`; absent
/// fields stay.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DestinationChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 500)]
    pub event_types: Option<Vec<String>>,
    /// `null` clears (every source); absent leaves it.
    #[serde(
        default,
        deserialize_with = "super::sources::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>, max_items = 500)]
    pub source_ids: Option<Option<Vec<String>>>,
    /// `null` clears it.
    #[serde(
        default,
        deserialize_with = "super::sources::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 4096)]
    pub filter: Option<Option<String>>,
    /// `null` clears it.
    #[serde(
        default,
        deserialize_with = "super::sources::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<CoalesceConfig>)]
    pub coalesce: Option<Option<CoalesceConfig>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 1000)]
    pub max_in_flight: Option<i64>,
}

impl Validate for DestinationChange {
    fn validate(&self) -> ApiResult<()> {
        if let Some(name) = &self.name {
            check_name("name", name, MAX_NAME)?;
        }
        if let Some(types) = &self.event_types {
            check_list("event_types", types, MAX_NAME)?;
        }
        if let Some(Some(ids)) = &self.source_ids {
            check_list("source_ids", ids, MAX_ID)?;
        }
        if let Some(Some(filter)) = &self.filter {
            check_len("filter", filter, MAX_FILTER)?;
        }
        if let Some(Some(coalesce)) = &self.coalesce {
            check_coalesce(coalesce)?;
        }
        if let Some(max) = self.max_in_flight {
            check_range("max_in_flight", max, 1..=1000)?;
        }
        Ok(())
    }
}

/// Creates a destination; answers it with its signing `secret` (shown once).
#[utoipa::path(
    post,
    path = "/api/v1/destinations",
    tag = "destinations",
    request_body = NewDestination,
    responses(
        (status = 201, description = "The destination, with its secret", body = Object),
        (status = 409, description = "A destination of that name exists", body = super::ErrorBody)
    )
)]
pub async fn create(
    State(app): State<DestinationsApi>,
    JsonBody(new): JsonBody<NewDestination>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let secret = match (&new.target, new.secret) {
        (Target::Http { .. }, None) => Some(new_secret()),
        (Target::Http { .. }, Some(secret)) => Some(secret),
        (Target::Nats { .. }, None) => None,
        (Target::Nats { .. }, Some(_)) => {
            return Err(
                ApiError::invalid("NATS destinations are not signed: remove `secret`").at("secret"),
            );
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

/// Every destination, each with its pending deliveries.
#[utoipa::path(
    get,
    path = "/api/v1/destinations",
    tag = "destinations",
    responses((status = 200, description = "Every destination", body = [Object]))
)]
pub async fn list(State(app): State<DestinationsApi>) -> ApiResult<Json<Value>> {
    let all = destinations::list(&app.db.pool, &app.master_key).await?;
    let mut shown = Vec::with_capacity(all.len());
    for d in &all {
        shown.push(shown_with_pending(&app, d).await?);
    }
    Ok(Json(Value::Array(shown)))
}

/// One destination with its pending deliveries.
#[utoipa::path(
    get,
    path = "/api/v1/destinations/{id}",
    tag = "destinations",
    params(("id" = String, Path, max_length = 200, description = "The destination's id")),
    responses((status = 200, description = "The destination", body = Object))
)]
pub async fn show(
    State(app): State<DestinationsApi>,
    ApiPath(id): ApiPath<String>,
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

/// Changes a destination: the fields present, the others stay.
#[utoipa::path(
    patch,
    path = "/api/v1/destinations/{id}",
    tag = "destinations",
    params(("id" = String, Path, max_length = 200, description = "The destination's id")),
    request_body = DestinationChange,
    responses(
        (status = 200, description = "The destination as changed", body = Object),
        (status = 409, description = "A destination of that name exists", body = super::ErrorBody)
    )
)]
pub async fn update(
    State(app): State<DestinationsApi>,
    ApiPath(id): ApiPath<String>,
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

/// Deletes a destination.
#[utoipa::path(
    delete,
    path = "/api/v1/destinations/{id}",
    tag = "destinations",
    params(("id" = String, Path, max_length = 200, description = "The destination's id")),
    responses((status = 204, description = "Deleted"))
)]
pub async fn delete(
    State(app): State<DestinationsApi>,
    ApiPath(id): ApiPath<String>,
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
    if let Some(secret) = &d.secret
        && (!secret.starts_with("whsec_") || standardwebhooks::Webhook::new(secret).is_err())
    {
        return Err(ApiError::invalid(
            "secret must be `whsec_` followed by base64 (omit it to have one generated)",
        )
        .at("secret"));
    }
    if let Some(c) = &d.coalesce
        && (c.quiet_ms == 0 || c.quiet_ms > c.max_wait_ms)
    {
        return Err(ApiError::invalid(
            "coalesce: quiet_ms must be positive and at most max_wait_ms",
        )
        .at("coalesce.quiet_ms"));
    }
    if let Some(ids) = &d.source_ids {
        let known: Vec<String> = sources::list(&app.db.pool)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        if let Some(unknown) = ids.iter().find(|id| !known.contains(id)) {
            return Err(ApiError::invalid(format!("unknown source {unknown:?}")).at("source_ids"));
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
