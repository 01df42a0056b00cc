//! Mux webhooks: `Mux-Signature: t=<unix seconds>,v1=<hex>`, where v1 is the
//! HMAC-SHA256 of `"{t}.{raw body}"` keyed with the webhook's signing secret
//! (as-is). Any v1 matching any active secret passes; the timestamp must be
//! within the tolerance (300 s by default, as Mux's own SDKs use) of the host
//! clock. Mux has no handshake.
//!
//! The event type is the body's `type` (`video.asset.ready`), the dedup id its
//! `id` (the event's id; each retry is listed in `attempts` under the same id),
//! the subject `object.id` (the asset, upload or live stream), the time
//! `created_at`. Each webhook URL has its own signing secret: when you replace
//! it, keep the old and new secrets active here until the old one stops
//! arriving.

use hookyard_sdk::prelude::*;

pub struct Mux;

impl Declared for Mux {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("mux", "Mux", "Mux Video webhooks: assets, uploads, live streams and simulcast targets")
            .docs("https://www.mux.com/docs/core/verify-webhook-signatures")
            .secret("Signing secret", "The webhook's signing secret: Mux dashboard → Settings → Webhooks → pick the environment → your webhook URL → \"Show Signing Secret\". Each webhook URL has its own secret.")
            .events_file(include_str!("../events.txt")),
        // What is signed is the number as parsed ("t=007" signs "7.").
        &Scheme::stripe_like("Mux-Signature").canonical_timestamp(),
    )
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::first(&[Field::pointer("/object/id"), Field::pointer("/data/id")]))
    .time(Time::rfc3339("/created_at"));
}

hookyard_sdk::export_adapter!(Mux);
