//! Tailscale webhooks: `Tailscale-Webhook-Signature: t=<unix seconds>,v1=<hex
//! HMAC-SHA256(secret, "{t}.{raw body}")>` (tailscale.com/kb/1213/webhooks,
//! "Verifying an event signature", and Tailscale's example consumer,
//! tailscale/tailscale docs/webhooks/example.go: the timestamp is signed as
//! the number it parses to, several `v1` may be present, and events older than
//! five minutes are refused — the default tolerance here; `tolerance_seconds`
//! widens it).
//!
//! What to paste: the webhook secret (`tskey-webhook-…`), shown once when the
//! endpoint is added on the admin console's Webhooks page (or returned by the
//! API's create and rotate calls). Rotating: the endpoint's menu → Rotate
//! secret shows the new one; add it here next to the old one, then remove the
//! old one. There is no handshake.
//!
//! The body is a JSON array of events, several per request when Tailscale
//! batches them: one event each, its type `type`, its subject the node's id
//! (`data.nodeID`) else the tailnet, its time `timestamp`. Tailscale sends no
//! event id, so an event is deduplicated on the body's hash and its index.

use hookyard_sdk::prelude::*;

pub struct Tailscale;

impl Declared for Tailscale {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("tailscale", "Tailscale", "Tailscale tailnet management and device misconfiguration events")
            .docs("https://tailscale.com/kb/1213/webhooks")
            .secret("Webhook secret", "The secret (tskey-webhook-…) Tailscale shows once after you add the endpoint on the admin console's Webhooks page, or after Rotate secret. Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &Scheme::stripe_like("Tailscale-Webhook-Signature")
            .canonical_timestamp()
            .tolerance_note("Largest accepted age of the signed timestamp (Tailscale's example refuses events older than 5 minutes)"),
    )
    .each("")
    .subject(Field::first(&[Field::pointer("/data/nodeID"), Field::pointer("/tailnet")]))
    .time(Time::rfc3339("/timestamp"));
}

hookyard_sdk::export_adapter!(Tailscale);
