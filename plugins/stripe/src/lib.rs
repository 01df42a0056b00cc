//! Stripe webhooks: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]`, where v1 is
//! HMAC-SHA256 over `"{t}.{body}"` keyed with the `whsec_…` string as-is.
//!
//! Any v1 signature matching any active secret passes (Stripe sends several
//! while an endpoint secret is being rolled). The timestamp must be within the
//! tolerance (300 s by default) of the host clock. The event type is the body's
//! `type`, the dedup id its `id` (`evt_…`), stable across Stripe's retries.

use hookyard_sdk::prelude::*;

pub struct Stripe;

impl Declared for Stripe {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("stripe", "Stripe", "Stripe account and Connect events")
            .docs("https://docs.stripe.com/webhooks#verify-events")
            .secret("Signing secret", "The endpoint's signing secret (whsec_…): Dashboard → Developers → Webhooks → your endpoint → Signing secret → Reveal.")
            .events_file(include_str!("../events.txt")),
        // What is signed is the number as parsed ("t=007" signs "7.").
        &Scheme::stripe_like("Stripe-Signature").canonical_timestamp(),
    )
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/data/object/id"))
    .time(Time::unix_seconds("/created"))
    .content_type("application/json; charset=utf-8")
    .user_agent("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
}

hookyard_sdk::export_adapter!(Stripe);
