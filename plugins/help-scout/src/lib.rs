//! Help Scout webhooks: `X-HelpScout-Signature: <base64 HMAC-SHA1(secret key,
//! raw body)>` (Help Scout developers, "Webhooks" → "Verifying": PHP
//! `base64_encode(hash_hmac('sha1', $data, KEY, true))`).
//!
//! Paste the webhook's secret key: Manage → Apps → Webhooks → the webhook →
//! "Secret Key". One key per webhook: to
//! rotate, add the new key here, change it in Help Scout, then remove the old
//! one once retries are over.
//!
//! Events: the type is the `X-HelpScout-Event` header (`convo.created`); it is
//! not covered by the signature, and Help Scout's bodies (a v2 Conversation,
//! Customer, Rating, Chat, Tag or Survey Response object, or `{id}` for
//! deletions) do not name the event. The subject is the object's `id`. Help
//! Scout sends no event id or event time: deliveries are deduplicated on the
//! body's hash. No timestamp is signed; there is no handshake.
//!
//! Catalog: the 21 events of Help Scout's "Available Events" (see `events.txt`).

use hookyard_sdk::prelude::*;

pub struct HelpScout;

impl Declared for HelpScout {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("help-scout", "Help Scout", "Help Scout conversation, customer, rating, Beacon chat, tag and survey events")
            .docs("https://developer.helpscout.com/webhooks/")
            .secret("Secret key", "The webhook's Secret Key: Help Scout → Manage → Apps → Webhooks → your webhook → Secret Key. Paste the same value here.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-HelpScout-Signature", Hmac::Sha1, Encoding::Base64),
    )
    .event_type(Field::header("X-HelpScout-Event"))
    .subject(Field::pointer("/id"));
}

hookyard_sdk::export_adapter!(HelpScout);
