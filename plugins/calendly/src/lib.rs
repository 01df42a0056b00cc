//! Calendly webhooks: `Calendly-Webhook-Signature: t=<unix>,v1=<hex>`, where
//! v1 is HMAC-SHA256 over `"{t}.{body}"` keyed with the webhook signing key
//! (Calendly's "Webhook signatures" page; the same shape as Stripe's).
//!
//! The timestamp must be within `tolerance_seconds` of the clock: 180 s by
//! default, the three minutes of Calendly's own verification example. The event
//! type is the body's `event` (`invitee.created`), the time `created_at`, the
//! subject `payload.uri` (the invitee, no-show or form submission). Calendly
//! sends no delivery or event id, so the dedup id is the event name and
//! `payload.uri` (`invitee.created https://api.calendly.com/…/invitees/…`):
//! each such object is created or canceled once, and a retry repeats both.
//! There is no handshake. Rotation: a subscription's signing key is fixed when
//! it is created (OAuth apps have one key for all their webhooks); to rotate,
//! create a new subscription with the new key, add it here, then delete the old
//! subscription and remove its key.

use hookyard_sdk::prelude::*;

pub struct Calendly;

impl Declared for Calendly {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("calendly", "Calendly", "Calendly scheduling events (invitees, no-shows, routing forms)")
            .docs("https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures")
            .secret("Webhook signing key", "The webhook signing key. With a personal access token it is the signing_key you chose when you created the webhook subscription (POST /webhook_subscriptions); Calendly never shows it again. For an OAuth app it is generated for the app: developer.calendly.com → My Apps → your app → Webhook signing key.")
            .events_file(include_str!("../events.txt")),
        // Calendly's example rejects signatures older than three minutes.
        &Scheme::stripe_like("Calendly-Webhook-Signature")
            .tolerance(180)
            .tolerance_note("Largest accepted difference between the signed t and now"),
    )
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::custom(|s| {
        Some(format!("{} {}", json_string(s.record, "/event")?, json_string(s.record, "/payload/uri")?))
    }))
    .subject(Field::pointer("/payload/uri"))
    .time(Time::rfc3339("/created_at"))
    .content_type("application/json; charset=utf-8")
    .user_agent("Calendly Webhooks");
}

hookyard_sdk::export_adapter!(Calendly);
