//! Coinbase Commerce webhooks: `X-CC-Webhook-Signature` is the hex
//! HMAC-SHA256 of the raw body, keyed with the account's webhook shared secret.
//! Commerce signs no timestamp and has no handshake; it retries failed
//! deliveries with exponential backoff for up to three days.
//!
//! The body wraps the event: `{"id", "attempt_number", "scheduled_for",
//! "event": {"id", "type", "created_at", "data"}}`. The event type is
//! `event.type` (`charge:confirmed`), the dedup id `event.id` (the same on every
//! attempt), the subject the charge code `event.data.code`, the time
//! `event.created_at`. There is one shared secret per account and Commerce
//! shows no second one while you change it: keep the old one active here until
//! deliveries signed with the new one arrive.

use hookyard_sdk::prelude::*;

pub struct CoinbaseCommerce;

impl Declared for CoinbaseCommerce {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("coinbase-commerce", "Coinbase Commerce", "Coinbase Commerce charge webhooks (crypto payments)")
            .docs("https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security")
            .secret("Webhook shared secret", "Coinbase Commerce → Settings → Notifications → Webhook subscriptions → \"Show shared secret\". It is one secret for the whole account.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-CC-Webhook-Signature", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::pointer("/event/type"))
    .dedup_id(Field::first(&[Field::pointer("/event/id"), Field::pointer("/id")]))
    .subject(Field::pointer("/event/data/code"))
    .time(Time::rfc3339("/event/created_at"));
}

hookyard_sdk::export_adapter!(CoinbaseCommerce);
