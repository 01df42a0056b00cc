//! Vonage Messages API webhooks (inbound messages and message status
//! callbacks on SMS, MMS, RCS, WhatsApp, Messenger and Viber), signed as
//! Vonage's "signed webhooks": `Authorization: Bearer <JWT>`, HS256 keyed with
//! the account's signature secret, whose `payload_hash` claim is the hex
//! SHA-256 of the raw JSON body (developer.vonage.com, "Webhooks" → "Decoding
//! signed webhooks"; Vonage API Support, "How do I verify that the Voice API
//! Webhook request and its payload has not been tampered"). The host's
//! `verify-jwt` checks the HS256 signature (and `exp`, when present); the
//! SDK's `Scheme::jwt_body_hash` then compares `payload_hash`, required
//! here. The JWT's `iat` is not bounded (Vonage documents no window): a
//! captured request can be replayed, and deduplication catches exact repeats.
//!
//! What to paste: the signature secret of the API key the application belongs
//! to (Vonage Dashboard → API Settings → the API key → Signature secret; the
//! JWT's `api_key` claim names it). Rotating: Vonage keeps one signature secret
//! per API key; add the new one here first, change it in the dashboard, then
//! remove the old one. There is no handshake.
//!
//! The event type is `status.<status>` for a status callback, else
//! `inbound.<channel>` (`inbound.whatsapp`); the subject and dedup id the
//! `message_uuid` (with the status, for status callbacks); the time
//! `timestamp`. Catalog: `events.txt`, 5 statuses and 6 channels.

use hookyard_sdk::prelude::*;

pub struct Vonage;

impl Declared for Vonage {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("vonage", "Vonage Messages", "Vonage Messages API inbound messages and message status callbacks (SMS, MMS, RCS, WhatsApp, Messenger, Viber)")
            .docs("https://developer.vonage.com/en/getting-started/concepts/webhooks#decoding-signed-webhooks")
            .secret("Signature secret", "The signature secret of the API key your Messages application belongs to: Vonage Dashboard → API Settings → the API key → Signature secret (not the API secret).")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("status.<status> when the body has a status, else inbound.<channel>"),
        &Scheme::jwt_body_hash("Authorization", "payload_hash")
            .bearer()
            .sign_issuer("Vonage")
            .sign_issued_at()
            .sign_jwt_id(),
    )
    .event_type(Field::custom(|s| match json_string(s.record, "/status") {
        Some(status) if !status.is_empty() => Some(format!("status.{status}")),
        _ => json_string(s.record, "/channel").map(|channel| format!("inbound.{channel}")),
    }))
    .dedup_id(Field::joined(&[Field::pointer("/message_uuid"), Field::pointer("/status")], ":"))
    .subject(Field::pointer("/message_uuid"))
    .time(Time::iso8601("/timestamp"));
}

hookyard_sdk::export_adapter!(Vonage);
