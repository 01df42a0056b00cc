//! `POST /api/v1/sources/{id}/test-event`: a realistic signed request to a
//! source, made by its own adapter's `sign` (what `hookyard send` uses) with
//! the source's newest active secret, sent in process through the same
//! request path as a vendor's ([`crate::ingest::inject`]): logged in the
//! request log with its real outcome, counted, routed, delivered.

use super::extract::{MAX_NAME, Validate, check_len};
use super::{ApiError, ApiPath, ApiResult, OptionalJsonBody};
use crate::ingest::{self, Ingest, Outcome};
use crate::runtime::SignInput;
use crate::store::now_ms;
use crate::store::writer::Stored;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::net::{IpAddr, Ipv4Addr};
use utoipa::ToSchema;

/// What to send: `POST /api/v1/sources/{id}/test-event`.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TestEvent {
    /// A type of the preset's event catalog; the catalog's first when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200)]
    pub event_type: Option<String>,
}

impl Validate for TestEvent {
    fn validate(&self) -> ApiResult<()> {
        match &self.event_type {
            Some(t) => check_len("event_type", t, MAX_NAME),
            None => Ok(()),
        }
    }
}

/// What became of the test event, as the request log has it.
#[derive(Serialize, ToSchema)]
pub struct TestEventResult {
    /// The HTTP status the source's endpoint answered.
    pub status: u16,
    /// The request log's outcome (`accepted`, `duplicate`, `rejected`, ...;
    /// `rate_limited` or `too_many_concurrent` when throttled, not logged).
    pub outcome: String,
    /// Why, in words (the request log's `reason`).
    pub reason: Option<String>,
    /// The request-log row.
    pub request_id: String,
    /// The events stored.
    pub event_ids: Vec<String>,
}

/// The test event comes from the server itself.
const FROM: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Signs a test event with the source's adapter and sends it to the source
/// through the request path; answers what became of it.
#[utoipa::path(
    post,
    path = "/api/v1/sources/{id}/test-event",
    tag = "sources",
    params(("id" = String, Path, max_length = 200, description = "The source's id")),
    request_body = TestEvent,
    responses(
        (status = 200, description = "What became of the request", body = TestEventResult),
        (status = 409, description = "The source has no active secret, or no adapter serves its preset", body = super::ErrorBody),
        (status = 422, description = "The adapter cannot sign, or the type is not in its catalog", body = super::ErrorBody)
    )
)]
pub async fn send(
    State(app): State<Ingest>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    OptionalJsonBody(body): OptionalJsonBody<TestEvent>,
) -> ApiResult<Json<TestEventResult>> {
    let active = app
        .sources
        .source_by_id(&id)
        .ok_or_else(|| ApiError::not_found("source"))?;
    let Some(preset) = &active.preset else {
        return Err(conflict(format!(
            "no loaded adapter serves the source's preset {}",
            active.source.preset
        )));
    };
    let manifest = &preset.adapter.manifest;
    let now = now_ms();
    let secret = match active.secrets_at(now).into_iter().next() {
        Some(secret) => secret,
        None if manifest.requires_secret() => {
            return Err(conflict(
                "the source has no active secret: add one to sign with".to_string(),
            ));
        }
        None => String::new(),
    };
    let event_type = event_type(manifest, body.event_type)?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let path = format!("/webhooks/{}", active.source.key);
    let url = ingest::public_url(&app, host, &path);
    let delivery_id = uuid::Uuid::now_v7().to_string();
    let signed = preset
        .adapter
        .sign(&SignInput {
            body: test_body(
                &manifest.discriminator,
                event_type.as_deref(),
                &delivery_id,
                now,
            ),
            secret,
            event_type: event_type.clone(),
            delivery_id,
            url: url.clone(),
            settings: active.settings_json.clone(),
            now_ms: now,
        })
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "cannot_sign",
                format!("{e:#}"),
            )
        })?;
    let request = to_request(signed, host)?;
    let (request_id, outcome) = ingest::inject(&app, &active.source.key, request, FROM).await;
    Ok(Json(TestEventResult {
        status: outcome.status().as_u16(),
        outcome: outcome.label().to_string(),
        reason: outcome.reason(),
        event_ids: match &outcome {
            Outcome::Stored(Stored::Accepted(ids)) => ids.clone(),
            _ => Vec::new(),
        },
        request_id,
    }))
}

fn conflict(message: String) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "conflict", message)
}

/// The type asked for, which must be in the catalog; else the catalog's
/// first (none for an adapter without a catalog).
fn event_type(
    manifest: &crate::runtime::Manifest,
    wanted: Option<String>,
) -> ApiResult<Option<String>> {
    let catalog = || manifest.event_types.iter().map(|t| t.name.as_str());
    match wanted {
        None => Ok(catalog().next().map(str::to_string)),
        Some(wanted) if catalog().any(|t| t == wanted) => Ok(Some(wanted)),
        Some(wanted) => {
            let hint = crate::suggest::did_you_mean(&wanted, catalog())
                .map_or_else(String::new, |question| format!("; {question}"));
            Err(ApiError::invalid(format!(
                "{wanted:?} is not in the {} adapter's event catalog{hint}",
                manifest.name
            ))
            .at("event_type"))
        }
    }
}

/// A body the adapter can read as an event of `event_type`: the type where
/// the adapter reads it (a JSON pointer into the body), a unique `id` (so
/// each test event is new), and `hookyard_test: true`.
fn test_body(
    discriminator: &crate::runtime::Discriminator,
    event_type: Option<&str>,
    delivery_id: &str,
    now: i64,
) -> Vec<u8> {
    let mut body = json!({
        "id": format!("evt_test_{delivery_id}"),
        "created": now / 1000,
        "hookyard_test": true,
    });
    if let (Some(event_type), "body") = (event_type, discriminator.location) {
        set_pointer(&mut body, &discriminator.path, json!(event_type));
    }
    body.to_string().into_bytes()
}

/// Sets the value at a JSON pointer, making the objects on the way.
fn set_pointer(root: &mut Value, pointer: &str, value: Value) {
    let Some(path) = pointer.strip_prefix('/') else {
        return;
    };
    let mut node = root;
    let tokens: Vec<String> = path
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    for (i, token) in tokens.iter().enumerate() {
        if !node.is_object() {
            *node = json!({});
        }
        let object = node.as_object_mut().expect("made an object above");
        if i + 1 == tokens.len() {
            object.insert(token.clone(), value);
            return;
        }
        node = object.entry(token.clone()).or_insert_with(|| json!({}));
    }
}

/// The signed request as the request path takes it, to the source's path
/// with whatever query the adapter added.
fn to_request(
    signed: crate::runtime::SignedRequest,
    host: Option<&str>,
) -> ApiResult<axum::extract::Request> {
    let url = reqwest::Url::parse(&signed.url).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot_sign",
            format!("the adapter signed a bad URL: {e}"),
        )
    })?;
    let path_and_query = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    };
    let mut builder = axum::http::Request::builder()
        .method(signed.method.as_str())
        .uri(path_and_query)
        .header(header::USER_AGENT, "hookyard test-event");
    if let Some(host) = host {
        builder = builder.header(header::HOST, host);
    }
    for h in &signed.headers {
        builder = builder.header(h.name.as_str(), h.value.as_str());
    }
    builder.body(Body::from(signed.body)).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot_sign",
            format!("the adapter signed a request that is not HTTP: {e}"),
        )
    })
}
