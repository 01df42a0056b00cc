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
use serde::Deserialize;

pub struct Paddle;

/// Paddle's SDKs reject signatures more than five seconds old.
const PADDLE_TOLERANCE_SECONDS: i64 = 5;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_tolerance")]
    tolerance_seconds: i64,
}

fn default_tolerance() -> i64 {
    PADDLE_TOLERANCE_SECONDS
}

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

impl Adapter for Paddle {
    fn manifest() -> Manifest {
        Manifest {
            name: "paddle".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Paddle Billing".into(),
            description: "Paddle Billing events (subscriptions, transactions, customers)".into(),
            docs_url: "https://developer.paddle.com/webhooks/signature-verification".into(),
            secrets: vec![SecretSpec {
                label: "Endpoint secret key".into(),
                help: "The notification destination's secret key (pdl_ntfset_…): Paddle dashboard → Developer tools → Notifications → the destination's ⋯ menu → Edit destination → Secret key. Each destination has its own key.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": PADDLE_TOLERANCE_SECONDS,
                    "description": "Largest accepted difference between the signed ts and now (Paddle's SDKs use 5 s)"}},
                "additionalProperties": false
            })
            .to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator { location: DiscriminatorLocation::Body, path: "/event_type".into(), note: String::new() },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let header = TimestampedHeader::from_request(
            &request,
            "Paddle-Signature",
            (';', '='),
            ("ts", "h1"),
        )?;
        let seconds = header.parsed_timestamp()?;
        header.verify(secrets, ':', &request.body)?;
        check_timestamp(seconds, context.now_ms, settings.tolerance_seconds)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/event_type")
            .ok_or_else(|| HandleError::Malformed("event has no event_type".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&body, "/event_id"),
            occurred_at: json_string(&body, "/occurred_at").and_then(|t| rfc3339_to_ms(&t)),
            subject: json_string(&body, "/data/id"),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let timestamp = (input.now_ms / 1000).to_string();
        let signature = sign_timestamped(&input.secret, &timestamp, ':', &input.body);
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                },
                Header {
                    name: "Paddle-Signature".into(),
                    value: format!("ts={timestamp};h1={signature}"),
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Paddle);
