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

const EVENTS: &[(&str, &str)] = &[
    ("address.created", "An address was created"),
    (
        "address.imported",
        "An address was imported from another platform, e.g. Paddle Classic",
    ),
    ("address.updated", "An address was updated"),
    (
        "adjustment.created",
        "An adjustment (refund, credit or chargeback) was created",
    ),
    (
        "adjustment.updated",
        "An adjustment's status changed from pending to approved or rejected",
    ),
    ("business.created", "A business was created"),
    (
        "business.imported",
        "A business was imported from another platform, e.g. Paddle Classic",
    ),
    ("business.updated", "A business was updated"),
    ("customer.created", "A customer was created"),
    (
        "customer.imported",
        "A customer was imported from another platform, e.g. Paddle Classic",
    ),
    ("customer.updated", "A customer was updated"),
    ("discount.created", "A discount was created"),
    (
        "discount.imported",
        "A discount was imported from another platform, e.g. Paddle Classic",
    ),
    ("discount.updated", "A discount was updated"),
    (
        "payment_method.deleted",
        "A customer removed a saved payment method from their account",
    ),
    (
        "payment_method.saved",
        "A customer saved a payment method to their account",
    ),
    ("payout.created", "A payout was created"),
    ("payout.paid", "A payout was paid"),
    ("price.created", "A price was created"),
    (
        "price.imported",
        "A price was imported from another platform, e.g. Paddle Classic",
    ),
    ("price.updated", "A price was updated"),
    ("product.created", "A product was created"),
    (
        "product.imported",
        "A product was imported from another platform, e.g. Paddle Classic",
    ),
    ("product.updated", "A product was updated"),
    ("report.created", "A report was created"),
    (
        "report.updated",
        "A report was updated, e.g. its status changed",
    ),
    (
        "subscription.activated",
        "A subscription became active: any trial elapsed and the customer was billed",
    ),
    ("subscription.canceled", "A subscription was canceled"),
    ("subscription.created", "A subscription was created"),
    (
        "subscription.imported",
        "A subscription was imported from another platform, e.g. Paddle Classic",
    ),
    (
        "subscription.past_due",
        "A subscription has an unpaid transaction; its status is now past_due",
    ),
    ("subscription.paused", "A subscription was paused"),
    (
        "subscription.resumed",
        "A paused subscription was resumed and is active again",
    ),
    (
        "subscription.trialing",
        "A subscription entered its trial period",
    ),
    ("subscription.updated", "A subscription was updated"),
    (
        "transaction.billed",
        "A transaction was billed (marked billed, e.g. an invoice was issued)",
    ),
    ("transaction.canceled", "A transaction was canceled"),
    (
        "transaction.completed",
        "A transaction was completed: paid and fully processed by Paddle",
    ),
    (
        "transaction.created",
        "A transaction was created, e.g. a customer opened checkout",
    ),
    (
        "transaction.paid",
        "A transaction's payment was captured, before Paddle fully processed it",
    ),
    ("transaction.past_due", "A transaction became past due"),
    (
        "transaction.payment_failed",
        "A payment attempt for a transaction failed",
    ),
    (
        "transaction.ready",
        "A transaction has all it needs and is ready to be billed",
    ),
    (
        "transaction.revised",
        "Customer details on a billed or completed transaction were revised",
    ),
    ("transaction.updated", "A transaction was updated"),
];

impl Declared for Paddle {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("paddle", "Paddle Billing", "Paddle Billing events (subscriptions, transactions, customers)")
            .docs("https://developer.paddle.com/webhooks/signature-verification")
            .secret("Endpoint secret key", "The notification destination's secret key (pdl_ntfset_…): Paddle dashboard → Developer tools → Notifications → the destination's ⋯ menu → Edit destination → Secret key. Each destination has its own key.")
            .events(EVENTS),
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
