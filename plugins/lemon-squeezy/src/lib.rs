//! Lemon Squeezy webhooks: `X-Signature: <hex HMAC-SHA256(signing secret, raw
//! body)>` (Lemon Squeezy docs, "Signing Requests": the secret is the one you
//! enter when creating the webhook, 6 to 40 characters of your choosing).
//!
//! The body is a JSON:API resource: the event type is `meta.event_name` (also
//! sent unsigned in `X-Event-Name`, read only when the body lacks it), the
//! subject `data.type/data.id` (`orders/1`), the time the resource's
//! `updated_at` (else `created_at`). Lemon Squeezy sends no event id, so
//! deliveries are deduplicated on the body's hash. No timestamp is signed and there is no handshake.
//! A webhook has one secret: to rotate, add the new one here, change it on the
//! webhook in Lemon Squeezy, then remove the old one once retries (about
//! 2.5 minutes) are over.
//!
//! Catalog: the 14 events both of Lemon Squeezy's lists show (see
//! `events.txt`); subscription_payment_refunded and affiliate_activated, named
//! only by third parties, are left out.

use hookyard_sdk::prelude::*;

pub struct LemonSqueezy;

impl Declared for LemonSqueezy {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("lemon-squeezy", "Lemon Squeezy", "Lemon Squeezy orders, subscriptions, subscription payments and license keys")
            .docs("https://docs.lemonsqueezy.com/help/webhooks/signing-requests")
            .secret("Signing secret", "The signing secret you typed when creating the webhook (6 to 40 characters): Lemon Squeezy dashboard → Settings → Webhooks → the webhook → Signing secret (or the `secret` you sent when creating it with the API). Paste the same value here.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Signature", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::first(&[Field::pointer("/meta/event_name"), Field::header("X-Event-Name")]))
    .subject(Field::joined(&[Field::pointer("/data/type"), Field::pointer("/data/id")], "/"))
    .time(Time::first(&[
        Time::rfc3339("/data/attributes/updated_at"),
        Time::rfc3339("/data/attributes/created_at"),
    ]));
}

hookyard_sdk::export_adapter!(LemonSqueezy);
