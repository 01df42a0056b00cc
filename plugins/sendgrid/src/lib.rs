//! Twilio SendGrid Event Webhook with signature verification enabled:
//! `X-Twilio-Email-Event-Webhook-Signature` is a base64 DER ECDSA P-256 /
//! SHA-256 signature over `X-Twilio-Email-Event-Webhook-Timestamp` followed by
//! the raw body, checked with the account's verification key (a base64 DER
//! SubjectPublicKeyInfo; a PEM block is accepted too). The secret is a
//! **public** key, so `sign` cannot be offered. The timestamp must be within
//! 300 s (`tolerance_seconds`). Unconfirmed: SendGrid names no window and does
//! not say whether its retries (for up to 24 h) are signed anew; if retried
//! batches arrive stale, raise `tolerance_seconds`. The body is a JSON
//! array of up to ~1000 events: one Hookyard event per element, typed by its
//! `event` (`delivered`, `open`, `bounce`, ...), deduplicated on `sg_event_id`,
//! occurring at its `timestamp`, about its `email`. There is no handshake.
//! Each Event Webhook (SendGrid allows several) has its own key pair;
//! regenerating it (disable and re-enable signing) replaces the key at once,
//! so keep both keys active briefly while deliveries signed with the old one
//! drain.

use hookyard_sdk::prelude::*;

/// A verification key as pasted: base64 DER, or a PEM block around it.
pub use hookyard_sdk::scheme::public_key_der as decode_public_key;

pub struct SendGrid;

impl Declared for SendGrid {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("sendgrid", "Twilio SendGrid", "SendGrid Event Webhook: delivery, engagement and unsubscribe events")
            .docs("https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features")
            .secret("Verification key", "The Event Webhook's public verification key (base64, starts with MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE): SendGrid → Settings → Mail Settings → Event Webhooks → edit the webhook → Security features → enable Signed Event Webhook → Verification Key. It is a public key, not an API key.")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("the body is an array; each element's event"),
        // ECDSA P-256 over the timestamp header and the body, checked with the
        // public verification keys the source holds as secrets.
        &Scheme::public_key_timestamp_then_body(
            "X-Twilio-Email-Event-Webhook-Signature",
            "X-Twilio-Email-Event-Webhook-Timestamp",
            KeyAlgorithm::EcdsaP256,
            Encoding::Base64,
        )
        .tolerance_note("Largest accepted difference, in seconds and in either direction, between X-Twilio-Email-Event-Webhook-Timestamp and the host clock; default 300 (SendGrid documents no window: raise it if retried batches arrive stale)"),
    )
    .each("")
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::pointer("/sg_event_id"))
    .subject(Field::pointer("/email"))
    .time(Time::unix_seconds("/timestamp"));
}

hookyard_sdk::export_adapter!(SendGrid);
