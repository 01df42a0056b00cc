//! Asana webhooks: `X-Hook-Signature: <hex HMAC-SHA256(X-Hook-Secret, raw
//! body)>` (Asana developer docs, "Webhooks" → "Security"; "Establish a
//! webhook"). The secret is not chosen: while `POST /webhooks` is in flight,
//! Asana sends this URL a handshake, a `POST` with an `X-Hook-Secret` header
//! that must be echoed with a `200`. This adapter answers it, on any source
//! (the secret does not exist before), and stores it as a `handshake` event
//! whose data is `{"x_hook_secret": …}`: paste that value here as the
//! source's secret. Anyone who knows the URL can send a handshake, so check
//! that the one you paste arrived while you created the webhook. Every other
//! request must be signed; no secret configured rejects it (fail closed).
//!
//! A delivery is `{"events": [ … ]}` (empty for the 8-hourly heartbeat):
//! one event per element, its type the `action` (`changed`, `added`,
//! `removed`, `deleted`, `undeleted`), its subject
//! `resource.resource_type/resource.gid` (`task/1203…`), its time
//! `created_at`. Asana sends no event id: deliveries (resent for up to 24
//! hours) are deduplicated on the body's hash and index. No timestamp is
//! signed. Each webhook has its own secret; keep an old one while replacing a
//! webhook.

use hookyard_sdk::prelude::*;

pub struct Asana;

const SECRET_HEADER: &str = "X-Hook-Secret";
const SIGNATURE: &str = "X-Hook-Signature";

/// The handshake's secret: an `X-Hook-Secret` on an unsigned request.
fn handshake(request: &Request) -> Option<&str> {
    let secret = request
        .header(SECRET_HEADER)
        .map(str::trim)
        .filter(|s| !s.is_empty())?;
    request.header(SIGNATURE).is_none().then_some(secret)
}

impl Declared for Asana {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("asana", "Asana", "Asana task, project, story and other resource changes")
            .docs("https://developers.asana.com/docs/webhooks-guide")
            .secret("X-Hook-Secret", "The X-Hook-Secret of the webhook: create it (POST /api/1.0/webhooks with this source's URL as target); Asana's handshake arrives here as a `handshake` event whose data.x_hook_secret is the value to paste.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac(SIGNATURE, Hmac::Sha256, Encoding::Hex),
    )
    .each("/events")
    .event_type(Field::pointer("/action"))
    .subject(Field::joined(&[Field::pointer("/resource/resource_type"), Field::pointer("/resource/gid")], "/"))
    .time(Time::rfc3339("/created_at"));

    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        match handshake(request) {
            Some(_) => Self::DECLARATION
                .check_settings(&context.settings)
                .map_err(VerifyError::Malformed),
            None => Self::DECLARATION.verify(request, context),
        }
    }

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let Some(secret) = handshake(request) else {
            return Self::DECLARATION.handle_in(request, context);
        };
        let event = Event {
            event_type: "handshake".into(),
            dedup_id: Some(format!(
                "x-hook-secret:{}",
                hex_encode(&crypto::sha256(secret.as_bytes()))
            )),
            occurred_at: None,
            subject: None,
            data: json!({ "x_hook_secret": secret }).to_string(),
        };
        let echo = Header {
            name: SECRET_HEADER.into(),
            value: secret.into(),
        };
        let response = DirectResponse {
            status: 200,
            headers: vec![echo],
            body: vec![],
        };
        Ok(Outcome::Reply(Reply {
            events: vec![event],
            response: Some(response),
            follow_up: None,
        }))
    }
}

hookyard_sdk::export_adapter!(Asana);
