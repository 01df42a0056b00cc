//! Tally form webhooks: `Tally-Signature: <base64 HMAC-SHA256(signing
//! secret, JSON payload)>` (Tally help, "Webhooks" → "Add a signing secret").
//! Tally's example hashes `JSON.stringify` of the parsed body, which is the
//! compact JSON Tally sends; this adapter checks the raw body as received.
//!
//! Paste the signing secret you set on the webhook: form → Integrations →
//! Webhooks → the endpoint → "Signing secret". One secret per webhook: to
//! rotate, add the new one here, change it in Tally, then remove the old one
//! once retries are over.
//!
//! Events: the type is `eventType` (`FORM_RESPONSE`, Tally's only trigger),
//! the dedup id `eventId`, the subject `data.formId`, the time `createdAt`.
//! No timestamp is signed; there is no handshake.

use hookyard_sdk::prelude::*;

pub struct Tally;

impl Declared for Tally {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("tally", "Tally", "Tally form submissions")
            .docs("https://tally.so/help/webhooks")
            .secret("Signing secret", "The signing secret of the webhook: your form → Integrations → Webhooks → edit the endpoint → Signing secret. Paste the same value here.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("Tally-Signature", Hmac::Sha256, Encoding::Base64),
    )
    .event_type(Field::pointer("/eventType"))
    .dedup_id(Field::pointer("/eventId"))
    .subject(Field::pointer("/data/formId"))
    .time(Time::rfc3339("/createdAt"));
}

hookyard_sdk::export_adapter!(Tally);
