//! Cal.com webhooks (bookings, payments, meetings, recordings, routing forms,
//! out-of-office, no-shows): `X-Cal-Signature-256: <hex HMAC-SHA256(secret,
//! raw body)>`, no prefix (Cal.com's `sendPayload`; docs "Verifying the
//! authenticity of the received payload"). A webhook without a secret sends
//! the literal `no-secret-provided`, which is refused here (`malformed`), so
//! set one. No timestamp is signed (a captured request can be replayed;
//! deduplication catches exact repeats). The payload version is in the
//! unsigned `X-Cal-Webhook-Version` header (`2021-10-20`).
//!
//! What to paste: the secret you type in the webhook's "Secret" field
//! (Settings → Developer → Webhooks → New / edit, or `secret` in API v2's
//! `POST /v2/webhooks`); Cal.com hides it after saving. Rotating: add the new
//! secret here, change it on the webhook, then remove the old one. There is no
//! handshake; the form's "Ping test" sends a signed `PING` event.
//!
//! The body is `{triggerEvent, createdAt, payload: {…}}` (`MEETING_STARTED` and
//! `MEETING_ENDED` carry the booking's fields at the top level instead): the
//! event type is `triggerEvent`, the subject the booking's `uid` (`payload.uid`,
//! else the top-level `uid`), the time `createdAt`. Cal.com sends no delivery
//! id, so events are deduplicated on the body's hash. A custom "payload
//! template" replaces this body: the template must keep `triggerEvent`, and a
//! template that is not JSON is refused (`malformed`). Catalog: `events.txt`,
//! API v2's 21 triggers and the form's `PING`.

use hookyard_sdk::prelude::*;

pub struct CalCom;

impl Declared for CalCom {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("cal-com", "Cal.com", "Cal.com bookings, payments, meetings, recordings, routing forms and out-of-office")
            .docs("https://cal.com/docs/developing/guides/automation/webhooks")
            .secret("Webhook secret", "The secret you typed in the webhook's Secret field (Cal.com Settings → Developer → Webhooks → the webhook; or `secret` when creating it with API v2). Cal.com hides it once saved: paste the same value here.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Cal-Signature-256", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::pointer("/triggerEvent"))
    .subject(Field::first(&[Field::pointer("/payload/uid"), Field::pointer("/uid")]))
    .time(Time::rfc3339("/createdAt"))
    .sign_headers(&[("X-Cal-Webhook-Version", "2021-10-20")]);
}

hookyard_sdk::export_adapter!(CalCom);
