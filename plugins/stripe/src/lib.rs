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

const EVENTS: &[&str] = &[
    "account.updated",
    "balance.available",
    "charge.captured",
    "charge.dispute.created",
    "charge.failed",
    "charge.refunded",
    "charge.succeeded",
    "checkout.session.completed",
    "checkout.session.expired",
    "customer.created",
    "customer.deleted",
    "customer.updated",
    "customer.subscription.created",
    "customer.subscription.deleted",
    "customer.subscription.updated",
    "customer.subscription.trial_will_end",
    "invoice.created",
    "invoice.finalized",
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.payment_succeeded",
    "invoice.upcoming",
    "payment_intent.canceled",
    "payment_intent.created",
    "payment_intent.payment_failed",
    "payment_intent.succeeded",
    "payment_method.attached",
    "payout.failed",
    "payout.paid",
    "price.created",
    "product.created",
    "refund.created",
    "setup_intent.succeeded",
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
                .map(|name| EventTypeInfo { name: name.to_string(), description: String::new() })
                .collect(),
            discriminator: Discriminator { location: DiscriminatorLocation::Body, path: "/type".into(), note: String::new() },
            presets: vec![],
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
