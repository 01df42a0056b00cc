//! Stripe webhooks: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]`, where v1 is
//! HMAC-SHA256 over `"{t}.{body}"` keyed with the `whsec_…` string as-is.
//!
//! Any v1 signature matching any active secret passes (Stripe sends several
//! while an endpoint secret is being rolled). The timestamp must be within the
//! tolerance (300 s by default) of the host clock. The event type is the body's
//! `type`, the dedup id its `id` (`evt_…`), stable across Stripe's retries.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Stripe;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "hookyard_sdk::signature::default_tolerance")]
    tolerance_seconds: i64,
}

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

impl Adapter for Stripe {
    fn manifest() -> Manifest {
        Manifest {
            name: "stripe".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Stripe".into(),
            description: "Stripe account and Connect events".into(),
            docs_url: "https://docs.stripe.com/webhooks#verify-events".into(),
            secrets: vec![SecretSpec {
                label: "Signing secret".into(),
                help: "The endpoint's signing secret (whsec_…): Dashboard → Developers → Webhooks → your endpoint → Signing secret → Reveal.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": 300,
                    "description": "Largest accepted difference between the signed timestamp and now"}},
                "additionalProperties": false
            })
            .to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator { location: DiscriminatorLocation::Body, path: "/type".into(), note: String::new() },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let mut header =
            TimestampedHeader::from_request(&request, "Stripe-Signature", (',', '='), ("t", "v1"))?;
        let timestamp = header.parsed_timestamp()?;
        // What is signed is the number as parsed ("t=007" signs "7.").
        header.timestamp = timestamp.to_string();
        header.verify(secrets, '.', &request.body)?;
        check_timestamp(timestamp, context.now_ms, settings.tolerance_seconds)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/type")
            .ok_or_else(|| HandleError::Malformed("event has no type".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&body, "/id"),
            occurred_at: body
                .get("created")
                .and_then(Value::as_i64)
                .map(|s| s * 1000),
            subject: json_string(&body, "/data/object/id"),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let timestamp = input.now_ms / 1000;
        let signature = sign_timestamped(&input.secret, &timestamp.to_string(), '.', &input.body);
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json; charset=utf-8".into(),
                },
                Header {
                    name: "User-Agent".into(),
                    value: "Stripe/1.0 (+https://stripe.com/docs/webhooks)".into(),
                },
                Header {
                    name: "Stripe-Signature".into(),
                    value: format!("t={timestamp},v1={signature}"),
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Stripe);
