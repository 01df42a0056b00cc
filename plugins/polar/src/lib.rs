//! Polar webhooks (polar.sh), signed the Standard Webhooks way: headers
//! `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature:
//! v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")>`, within 300 s
//! of the host clock (Polar's SDKs' tolerance). Unlike the spec, Polar's key
//! is the secret's own text (Polar base64-encodes it before handing it to
//! the Standard Webhooks libraries); as Polar's SDKs do, a secret that is
//! also valid base64 (after an optional `whsec_`) is tried decoded as well.
//!
//! Paste the endpoint's secret: Polar dashboard → your organization →
//! Settings → Webhooks → Add Endpoint (format **Raw**; the Discord and Slack
//! formats are for chat and are not handled here) → the secret you set or
//! generated there (Regenerate Secret replaces it: keep the old one here too
//! until deliveries signed with it stop). There is no handshake.
//!
//! The body is `{type, timestamp, data}`: the event type is `type`, the
//! subject `data.id`, the time `timestamp`, the dedup id the `webhook-id`
//! header (the same on retries). Catalog: `events.txt`, the 42 types of
//! polar-sdk 1.0.2.

use hookyard_sdk::prelude::*;

pub struct Polar;

impl Declared for Polar {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("polar", "Polar", "Polar checkouts, orders, subscriptions, customers, benefits and refunds")
            .docs("https://polar.sh/docs/integrate/webhooks/delivery")
            .secret("Webhook secret", "The endpoint's secret: Polar dashboard → organization Settings → Webhooks → the endpoint (format Raw) → the secret you set or generated. Paste it exactly as shown.")
            .events_file(include_str!("../events.txt")),
        &Scheme::standard_webhooks().key(StandardKey::TextOrBase64),
    )
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::header("webhook-id"))
    .subject(Field::pointer("/data/id"))
    .time(Time::rfc3339("/timestamp"));
}

hookyard_sdk::export_adapter!(Polar);
