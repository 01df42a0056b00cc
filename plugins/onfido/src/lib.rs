//! Onfido (Entrust Identity Verification) webhooks: `X-SHA2-Signature: <hex
//! HMAC-SHA256(webhook token, raw body)>`, as onfido-python's
//! `WebhookEventVerifier` checks it. The older `X-Signature` (HMAC-SHA1) that
//! Onfido also sends is not used. No timestamp is signed.
//!
//! Paste the webhook's token: it is returned once, as `token`, when the
//! webhook is registered (Onfido Dashboard → Developers → Webhooks → Create
//! webhook, or `POST /v3.6/webhooks`). Each webhook has its own token; to
//! replace one, register a new webhook and keep both tokens here until the
//! old webhook is deleted. There is no handshake.
//!
//! The body is `{payload: {resource_type, action, object: {id, status,
//! started_at_iso8601, completed_at_iso8601, href}}}`: the event type is
//! `payload.action`, the subject `payload.object.id`, the time the object's
//! completion (else start) time. Onfido sends no event id, so deliveries are
//! deduplicated on the body's hash. Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

pub struct Onfido;

impl Declared for Onfido {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("onfido", "Onfido", "Onfido (Entrust) identity verification: checks, reports, Studio workflow runs and watchlist monitors")
            .docs("https://documentation.onfido.com/api/latest/#webhooks")
            .secret("Webhook token", "The webhook's token, returned once when you register the webhook: Onfido Dashboard → Developers → Webhooks → Create webhook (or the token field of POST /v3.6/webhooks). Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-SHA2-Signature", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::pointer("/payload/action"))
    .subject(Field::pointer("/payload/object/id"))
    .time(Time::first(&[
        Time::rfc3339("/payload/object/completed_at_iso8601"),
        Time::rfc3339("/payload/object/started_at_iso8601"),
    ]));
}

hookyard_sdk::export_adapter!(Onfido);
