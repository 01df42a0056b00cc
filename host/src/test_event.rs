//! Test events: a realistic signed request to a source, made by the
//! source's own adapter (`sign`, what `hookyard send` uses) with its newest
//! active secret, and sent in process through the same request path as a
//! vendor's ([`crate::ingest::inject`]): logged in the request log with its
//! real outcome, counted, stored, routed and delivered. The API's
//! `POST /api/v1/sources/{id}/test-event` is its caller.

use crate::ingest::{self, Ingest, Outcome};
use crate::runtime::{Discriminator, Manifest, SignInput, SignedRequest};
use crate::source_table::ActiveSource;
use crate::store::now_ms;
use axum::body::Body;
use axum::http::header;
use serde_json::{Value, json};
use std::net::{IpAddr, Ipv4Addr};

/// The test event comes from the server itself.
const FROM: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Why no test event could be sent.
#[derive(Debug)]
pub enum Refusal {
    /// No loaded adapter serves the source's preset (or pinned version).
    NoAdapter(String),
    /// The adapter needs a secret and the source has no active one.
    NoSecret,
    /// The type asked for is not in the adapter's catalog (the message says
    /// which are close).
    UnknownType(String),
    /// The adapter cannot sign (its vendor signs with a private key), or
    /// signed something that is not an HTTP request.
    CannotSign(String),
}

/// A test event sent: its request-log row and how the request path ended.
pub struct Sent {
    pub request_id: String,
    pub outcome: Outcome,
}

/// Signs a test event of `event_type` (the catalog's first when `None`) for
/// `active` and sends it through the request path; `host` is where the
/// caller reached the server (the URL the adapter signs, as a vendor would).
pub async fn send(
    app: &Ingest,
    active: &ActiveSource,
    event_type: Option<String>,
    host: Option<&str>,
) -> Result<Sent, Refusal> {
    let Some(preset) = &active.preset else {
        return Err(Refusal::NoAdapter(format!(
            "no loaded adapter serves the source's preset {}",
            active.source.preset
        )));
    };
    let manifest = &preset.adapter.manifest;
    let now = now_ms();
    let secret = match active.secrets_at(now).into_iter().next() {
        Some(secret) => secret,
        None if manifest.requires_secret() => return Err(Refusal::NoSecret),
        None => String::new(),
    };
    let event_type = catalog_type(manifest, event_type)?;
    let path = format!("/webhooks/{}", active.source.key);
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
            event_type,
            delivery_id,
            url: ingest::public_url(app, host, &path),
            settings: active.settings_json.clone(),
            now_ms: now,
        })
        .await
        .map_err(|e| Refusal::CannotSign(format!("{e:#}")))?;
    let request = to_request(signed, host)?;
    let (request_id, outcome) = ingest::inject(app, &active.source.key, request, FROM).await;
    Ok(Sent {
        request_id,
        outcome,
    })
}

/// The type asked for, which must be in the catalog; else the catalog's
/// first (none for an adapter without a catalog).
fn catalog_type(manifest: &Manifest, wanted: Option<String>) -> Result<Option<String>, Refusal> {
    let catalog = || manifest.event_types.iter().map(|t| t.name.as_str());
    match wanted {
        None => Ok(catalog().next().map(str::to_string)),
        Some(wanted) if catalog().any(|t| t == wanted) => Ok(Some(wanted)),
        Some(wanted) => {
            let hint = crate::suggest::did_you_mean(&wanted, catalog())
                .map_or_else(String::new, |question| format!("; {question}"));
            Err(Refusal::UnknownType(format!(
                "{wanted:?} is not in the {} adapter's event catalog{hint}",
                manifest.name
            )))
        }
    }
}

/// A body the adapter can read as an event of `event_type`: the type where
/// the adapter reads it (a JSON pointer into the body), a unique `id` (so
/// each test event is new), and `hookyard_test: true`.
fn test_body(
    discriminator: &Discriminator,
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
    signed: SignedRequest,
    host: Option<&str>,
) -> Result<axum::extract::Request, Refusal> {
    let url = reqwest::Url::parse(&signed.url)
        .map_err(|e| Refusal::CannotSign(format!("the adapter signed a bad URL: {e}")))?;
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
        Refusal::CannotSign(format!(
            "the adapter signed a request that is not HTTP: {e}"
        ))
    })
}
