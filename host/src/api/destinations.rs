//! `/api/v1/destinations`: where events go, and which events each wants.
//!
//! A destination's signing secret is shown once, when it is created; later
//! answers show its first characters only. What happened to each delivery is
//! `deliveries`; sending events again is `replays`.

pub use super::destination_bodies::{DestinationChange, NewDestination};
use super::{ApiError, ApiPath, ApiResult, JsonBody};
use crate::changes::Changes;
use crate::delivery::Delivery;
use crate::delivery::preview;
use crate::delivery::router::{self, Subscription};
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
use serde::Serialize;
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

/// Creates a destination; answers it with its signing `secret` (shown once).
#[utoipa::path(
    post,
    path = "/api/v1/destinations",
    tag = "destinations",
    request_body = NewDestination,
    responses(
        (status = 201, description = "The destination, with its secret", body = DestinationView),
        (status = 409, description = "A destination of that name exists", body = super::ErrorBody)
    )
)]
pub async fn create(
    State(app): State<DestinationsApi>,
    JsonBody(new): JsonBody<NewDestination>,
) -> ApiResult<(StatusCode, Json<DestinationView>)> {
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
    body.secret = destination.secret.clone();
    body.warnings = Some(warnings(&app, &destination).await?);
    Ok((StatusCode::CREATED, Json(body)))
}

/// Every destination, each with its pending deliveries.
#[utoipa::path(
    get,
    path = "/api/v1/destinations",
    tag = "destinations",
    responses((status = 200, description = "Every destination", body = [DestinationView]))
)]
pub async fn list(State(app): State<DestinationsApi>) -> ApiResult<Json<Vec<DestinationView>>> {
    let all = destinations::list(&app.db.pool, &app.master_key).await?;
    let mut shown = Vec::with_capacity(all.len());
    for d in &all {
        shown.push(shown_with_pending(&app, d).await?);
    }
    Ok(Json(shown))
}

/// One destination with its pending deliveries.
#[utoipa::path(
    get,
    path = "/api/v1/destinations/{id}",
    tag = "destinations",
    params(("id" = String, Path, max_length = 200, description = "The destination's id")),
    responses((status = 200, description = "The destination", body = DestinationView))
)]
pub async fn show(
    State(app): State<DestinationsApi>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DestinationView>> {
    Ok(Json(
        shown_with_pending(&app, &find(&app, &id).await?).await?,
    ))
}

/// A destination as shown, with its pending deliveries: those waiting for
/// an attempt, or held while it is disabled.
async fn shown_with_pending(app: &DestinationsApi, d: &Destination) -> ApiResult<DestinationView> {
    let mut body = destination_json(d);
    body.pending_deliveries = Some(outbox::pending_of(&app.db.pool, &d.id).await?);
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
        (status = 200, description = "The destination as changed", body = DestinationView),
        (status = 409, description = "A destination of that name exists", body = super::ErrorBody)
    )
)]
pub async fn update(
    State(app): State<DestinationsApi>,
    ApiPath(id): ApiPath<String>,
    JsonBody(change): JsonBody<DestinationChange>,
) -> ApiResult<Json<DestinationView>> {
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
    let mut body = shown_with_pending(&app, &find(&app, &id).await?).await?;
    body.warnings = Some(warnings(&app, &d).await?);
    Ok(Json(body))
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
        check_sources(app, ids, "source_ids").await?;
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

/// What a destination's creation or change answers as `warnings`: the
/// preview's warning about its filter, if any (never a refusal).
async fn warnings(app: &DestinationsApi, d: &Destination) -> ApiResult<Vec<String>> {
    if d.filter.is_none() {
        return Ok(Vec::new());
    }
    let subscription = Subscription::compile(
        &d.event_types,
        d.source_ids.as_deref(),
        d.filter.as_deref(),
        None,
    )
    .map_err(ApiError::invalid)?;
    let found = preview::preview(
        &app.db,
        &d.event_types,
        d.source_ids.as_deref(),
        &subscription,
    )
    .await?;
    Ok(found.warning.into_iter().collect())
}

/// Every id of `ids` is a source's (or the built-in source of alerts);
/// else 422 about `field`.
pub(super) async fn check_sources(
    app: &DestinationsApi,
    ids: &[String],
    field: &str,
) -> ApiResult<()> {
    let known: Vec<String> = sources::list(&app.db.pool)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    match ids
        .iter()
        .find(|id| !known.contains(id) && *id != crate::alerts::SOURCE_ID)
    {
        Some(unknown) => Err(ApiError::invalid(format!("unknown source {unknown:?}")).at(field)),
        None => Ok(()),
    }
}

/// A name taken by another destination is the caller's conflict (409), on
/// either backend; any other failure is the server's.
fn unique_name(error: anyhow::Error, name: &str) -> ApiError {
    let taken = error.chain().any(|cause| {
        matches!(cause.downcast_ref::<sqlx::Error>(),
            Some(sqlx::Error::Database(db)) if db.is_unique_violation())
    });
    if taken || error.to_string().contains("UNIQUE") {
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

/// A destination as answers show it: its signing secret's first characters
/// only (the whole secret once, when it is created).
#[derive(Serialize, ToSchema)]
pub struct DestinationView {
    pub id: String,
    pub name: String,
    /// `kind` (`http` | `nats`) and its fields.
    #[serde(flatten)]
    pub target: Target,
    /// The signing secret's first characters (HTTP).
    pub secret_prefix: Option<String>,
    pub event_types: Vec<String>,
    /// `null`: every source.
    pub source_ids: Option<Vec<String>>,
    pub filter: Option<String>,
    pub coalesce: Option<CoalesceConfig>,
    pub max_in_flight: i64,
    pub enabled: bool,
    /// Why the server disabled it, if it did.
    pub disabled_reason: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Deliveries waiting for an attempt, or held while it is disabled
    /// (not in the answer to its creation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_deliveries: Option<i64>,
    /// The signing secret: only in the answer to its creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Only in the answers to its creation and change: what may be wrong,
    /// though it was accepted (a filter that matches none of the recent
    /// events of its types); empty when nothing seems wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
}

fn destination_json(d: &Destination) -> DestinationView {
    DestinationView {
        id: d.id.clone(),
        name: d.name.clone(),
        target: d.target.clone(),
        secret_prefix: d
            .secret
            .as_ref()
            .map(|s| format!("{}…", &s[..s.len().min(10)])),
        event_types: d.event_types.clone(),
        source_ids: d.source_ids.clone(),
        filter: d.filter.clone(),
        coalesce: d.coalesce.clone(),
        max_in_flight: d.max_in_flight,
        enabled: d.enabled,
        disabled_reason: d.disabled_reason.clone(),
        created_at: rfc3339(d.created_at),
        updated_at: rfc3339(d.updated_at),
        pending_deliveries: None,
        secret: None,
        warnings: None,
    }
}
