//! Ably outbound webhooks (a "Generic HTTP Webhook" integration rule) in
//! batch request mode with "Sign with key": `X-Ably-Signature: <base64
//! HMAC-SHA256(keyValue, raw body)>` and `X-Ably-Key: <keyId>` (Ably docs,
//! "Outbound webhooks overview" → "Webhook security"). Ably signs only batched
//! requests, so single-request rules (enveloped or not) arrive unsigned and are
//! refused (`missing-signature`). No timestamp is signed; there is no handshake.
//!
//! What to paste: the `keyValue` of the API key the rule signs with, the part
//! after the `:` of `appId.keyId:keyValue` (dashboard → the app → API Keys),
//! not the whole key. The docs describe no rotation: while the rule moves to
//! another key, paste both keys' values (both are accepted), then remove the
//! old one.
//!
//! The body is `{items: [{webhookId, source, name, timestamp, data}]}`; each
//! item is one event: its type is `source` (Ably's four event types, `events.txt`;
//! `name` inside says `channel.opened`, `presence.message`, …), its subject
//! `data.channelId`, its time `timestamp` (Unix ms). Items carry no documented
//! unique id, so events are deduplicated on the body's hash and their index
//! (Ably may add newer items to a retried batch, so a retry can repeat events).
//! `application/x-msgpack` bodies (a rule's msgpack encoding) are not read.

use hookyard_sdk::prelude::*;

pub struct Ably;

impl Declared for Ably {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("ably", "Ably", "Ably batched webhooks: channel messages, presence, lifecycle and occupancy")
            .docs("https://ably.com/docs/platform/integrations/webhooks")
            .secret("API key value", "The secret part of the API key the integration rule signs with: in appId.keyId:keyValue, paste only keyValue, the part after the colon (Ably dashboard → your app → API Keys).")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("one request carries several items: each element of items, its source"),
        &Scheme::body_hmac("X-Ably-Signature", Hmac::Sha256, Encoding::Base64),
    )
    .each("/items")
    .event_type(Field::pointer("/source"))
    .subject(Field::pointer("/data/channelId"))
    .time(Time::unix_millis("/timestamp"))
    .sign_headers(&[("X-Ably-Version", "1.2")]);
}

hookyard_sdk::export_adapter!(Ably);
