//! Alchemy Notify (webhooks): `X-Alchemy-Signature` is the hex HMAC-SHA256 of
//! the raw body, keyed with the webhook's signing key (`whsec_…`, used as-is,
//! not base64-decoded). Alchemy signs no timestamp and has no handshake.
//!
//! The event type is the body's `type` (`ADDRESS_ACTIVITY`, `GRAPHQL`, …), the
//! dedup id its `id` (`whevt_…`, the same on Alchemy's retries), the subject the
//! `webhookId` (`wh_…`), the time `createdAt`. Each webhook has its own signing
//! key, which Alchemy does not rotate on its own: when you replace a webhook,
//! keep the old and new keys active until the old webhook is gone.

use hookyard_sdk::prelude::*;

pub struct Alchemy;

impl Declared for Alchemy {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("alchemy", "Alchemy", "Alchemy Notify webhooks: address, NFT, mined/dropped transaction and custom (GraphQL) activity")
            .docs("https://www.alchemy.com/docs/reference/notify-api-quickstart")
            .secret("Signing key", "The webhook's signing key (whsec_…): Alchemy dashboard → Webhooks → open the webhook → \"Signing Key\" at the top right. Each webhook has its own key.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Alchemy-Signature", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/webhookId"))
    .time(Time::rfc3339("/createdAt"))
    .content_type("application/json; charset=utf-8");
}

hookyard_sdk::export_adapter!(Alchemy);
