//! Stripe webhooks: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]`, where v1 is
//! HMAC-SHA256 over `"{t}.{body}"` keyed with the `whsec_…` string as-is.
//!
//! Any v1 signature matching any active secret passes (Stripe sends several
//! while an endpoint secret is being rolled). The timestamp must be within the
//! tolerance (300 s by default) of the host clock. The event type is the body's
//! `type`, the dedup id its `id` (`evt_…`), stable across Stripe's retries.

use hookyard_sdk::prelude::*;

pub struct Stripe;

const EVENTS: &[(&str, &str)] = &[
    (
        "account.updated",
        "An account's status or one of its properties changed",
    ),
    (
        "balance.available",
        "The Stripe balance was updated, e.g. a charge became available to pay out",
    ),
    (
        "charge.captured",
        "A previously uncaptured charge was captured",
    ),
    (
        "charge.dispute.created",
        "A customer disputed a charge with their bank",
    ),
    ("charge.failed", "A charge attempt failed"),
    (
        "charge.refunded",
        "A charge was refunded, fully or partially",
    ),
    ("charge.succeeded", "A charge succeeded"),
    (
        "checkout.session.completed",
        "A Checkout Session was completed successfully",
    ),
    ("checkout.session.expired", "A Checkout Session expired"),
    ("customer.created", "A new customer was created"),
    ("customer.deleted", "A customer was deleted"),
    ("customer.updated", "A property of a customer changed"),
    (
        "customer.subscription.created",
        "A customer was signed up for a new subscription",
    ),
    (
        "customer.subscription.deleted",
        "A customer's subscription ended",
    ),
    (
        "customer.subscription.updated",
        "A subscription changed, e.g. its plan, or its status from trial to active",
    ),
    (
        "customer.subscription.trial_will_end",
        "A subscription's trial ends in three days, or was ended early",
    ),
    ("invoice.created", "A new invoice was created"),
    (
        "invoice.finalized",
        "A draft invoice was finalized and is now open",
    ),
    (
        "invoice.paid",
        "An invoice payment attempt succeeded, or the invoice was marked paid out of band",
    ),
    (
        "invoice.payment_failed",
        "An invoice payment attempt failed (declined, or no stored payment method)",
    ),
    (
        "invoice.payment_succeeded",
        "An invoice payment attempt succeeded",
    ),
    (
        "invoice.upcoming",
        "A subscription will create an automatically charged invoice in X days",
    ),
    ("payment_intent.canceled", "A PaymentIntent was canceled"),
    ("payment_intent.created", "A new PaymentIntent was created"),
    (
        "payment_intent.payment_failed",
        "A PaymentIntent failed to create a payment method or a payment",
    ),
    (
        "payment_intent.succeeded",
        "A PaymentIntent completed its payment successfully",
    ),
    (
        "payment_method.attached",
        "A new payment method was attached to a customer",
    ),
    ("payout.failed", "A payout attempt failed"),
    (
        "payout.paid",
        "A payout is expected to be available in the destination account",
    ),
    ("price.created", "A price was created"),
    ("product.created", "A product was created"),
    ("refund.created", "A refund was created"),
    (
        "setup_intent.succeeded",
        "A SetupIntent successfully set up a payment method",
    ),
];

impl Declared for Stripe {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("stripe", "Stripe", "Stripe account and Connect events")
            .docs("https://docs.stripe.com/webhooks#verify-events")
            .secret("Signing secret", "The endpoint's signing secret (whsec_…): Dashboard → Developers → Webhooks → your endpoint → Signing secret → Reveal.")
            .events(EVENTS),
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
