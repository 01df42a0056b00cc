//! Paddle Billing webhooks: `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=…]`,
//! where h1 is HMAC-SHA256 over `"{ts}:{body}"` keyed with the notification
//! destination's secret key (`pdl_ntfset_…`, used as-is).
//!
//! Any h1 matching any active secret passes (a header may carry several while
//! a key is rotated). Paddle's SDKs reject a `ts` more than five seconds from
//! the clock, and so does this adapter by default; `tolerance_seconds` widens it
//! for hosts whose clock or queue cannot keep to that. The event type is the
//! body's `event_type` (`transaction.completed`), the dedup id `event_id`
//! (`evt_…`, shared by every notification of one event), the time
//! `occurred_at` and the subject `data.id`. There is no handshake. Paddle
//! Classic (`p_signature` in a form body, RSA) is a different product and is
//! not handled. Rotation: each destination has one key; add the new key here
//! before rotating it in Paddle and keep the old one until retries drain.

use hookyard_sdk::prelude::*;

pub struct Paddle;

impl Declared for Paddle {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("paddle", "Paddle Billing", "Paddle Billing events (subscriptions, transactions, customers)")
            .docs("https://developer.paddle.com/webhooks/signature-verification")
            .secret("Endpoint secret key", "The notification destination's secret key (pdl_ntfset_…): Paddle dashboard → Developer tools → Notifications → the destination's ⋯ menu → Edit destination → Secret key. Each destination has its own key.")
            .events_file(include_str!("../events.txt")),
        // Paddle's SDKs reject signatures more than five seconds old.
        &Scheme::paddle_like("Paddle-Signature")
            .tolerance(5)
            .tolerance_note("Largest accepted difference between the signed ts and now (Paddle's SDKs use 5 s)"),
    )
    .event_type(Field::pointer("/event_type"))
    .dedup_id(Field::pointer("/event_id"))
    .subject(Field::pointer("/data/id"))
    .time(Time::rfc3339("/occurred_at"));
}

hookyard_sdk::export_adapter!(Paddle);
