//! Razorpay webhooks: `X-Razorpay-Signature: <hex HMAC-SHA256(webhook secret,
//! raw body)>` (Razorpay docs, "Validate and Test Webhooks": the key is the
//! secret entered when setting up the webhook, the message the raw request
//! body; the official SDKs check it with `verify_webhook_signature`).
//!
//! The event type is the body's `event` (`payment.captured`), the dedup id the
//! `x-razorpay-event-id` header (the same on Razorpay's retries; its docs say
//! to skip repeats with it), the subject the id of the main entity under
//! `payload`, the time `created_at` (Unix seconds). Razorpay signs no
//! timestamp and has no handshake. A webhook has one secret; Razorpay's docs
//! say retries of older events stay signed with the old secret after a change,
//! so keep both here until those retries have drained (24 h).
//!
//! The catalog (`events.txt`) is the Payments part of Razorpay's list only
//! (orders, payments, downtime, refunds, invoices, subscriptions, Payment
//! Links); Smart Collect, settlements, disputes, transfers, account, partner
//! and RazorpayX payout events are not in it yet: their names could not be
//! read completely from the docs available here.

use hookyard_sdk::prelude::*;

pub struct Razorpay;

impl Declared for Razorpay {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("razorpay", "Razorpay", "Razorpay payments, orders, refunds, invoices, subscriptions and Payment Links")
            .docs("https://razorpay.com/docs/webhooks/validate-test/")
            .secret("Webhook secret", "The secret you enter when setting up the webhook: Razorpay Dashboard → Account & Settings → Webhooks → add or edit the webhook → Secret (a value you choose; Razorpay signs only when it is set). Paste the same value here. It is not your API key secret.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Razorpay-Signature", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::header("x-razorpay-event-id"))
    .subject(Field::first(&[
        Field::pointer("/payload/payment_link/entity/id"),
        Field::pointer("/payload/invoice/entity/id"),
        Field::pointer("/payload/subscription/entity/id"),
        Field::pointer("/payload/refund/entity/id"),
        Field::pointer("/payload/order/entity/id"),
        Field::pointer("/payload/payment/entity/id"),
        Field::pointer("/payload/payment.downtime/entity/id"),
    ]))
    .time(Time::unix_seconds("/created_at"));
}

hookyard_sdk::export_adapter!(Razorpay);
