//! Square webhooks: `x-square-hmacsha256-signature` is the base64
//! HMAC-SHA256 of the notification URL followed by the raw body, keyed with the
//! subscription's signature key (square-python-sdk `webhooks_helper`).
//!
//! Because the URL is signed it must be exactly the one registered with
//! Square: by default the URL the request arrived on, or the
//! `notification_url` setting when a proxy or rewrite changes what the host
//! sees. The event type is the body's `type` (`payment.updated`), the dedup id
//! `event_id` (the same on Square's retries), the time `created_at` and the
//! subject `data.id`. Square signs no timestamp and has no handshake; the
//! legacy SHA-1 `x-square-signature` header is not accepted. Rotation: Square
//! keeps one signature key per subscription; add the new key here before
//! rotating it in the Developer Console and remove the old one when retries
//! have drained.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Square;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default)]
    notification_url: Option<String>,
}

const EVENTS: &[(&str, &str)] = &[
    ("booking.created", "A booking was created"),
    ("booking.updated", "A booking was updated or cancelled"),
    ("card.created", "A card on file was created or imported"),
    (
        "card.updated",
        "A card on file was updated by the seller in the Square Dashboard",
    ),
    ("catalog.version.updated", "The catalog was updated"),
    ("customer.created", "A customer profile was created"),
    ("customer.deleted", "A customer profile was deleted"),
    ("customer.updated", "A customer profile was updated"),
    ("dispute.created", "A dispute was created"),
    (
        "dispute.state.updated",
        "A dispute's state changed, including its resolution (won or lost)",
    ),
    (
        "gift_card.activity.created",
        "A gift card activity was created",
    ),
    (
        "inventory.count.updated",
        "The inventory count of a catalog item variation was updated",
    ),
    ("invoice.canceled", "An invoice was canceled"),
    ("invoice.created", "An invoice was created"),
    (
        "invoice.payment_made",
        "A payment for an invoice was completed",
    ),
    (
        "invoice.published",
        "An invoice moved from draft to a non-draft status (was published)",
    ),
    (
        "invoice.scheduled_charge_failed",
        "An automatic scheduled payment for an invoice failed",
    ),
    ("invoice.updated", "An invoice was updated"),
    (
        "labor.shift.created",
        "A worker started a shift (deprecated: labor.timecard.created)",
    ),
    (
        "labor.shift.updated",
        "A shift was updated (deprecated: labor.timecard.updated)",
    ),
    ("location.created", "A location was created"),
    ("location.updated", "A location was updated"),
    ("loyalty.account.created", "A loyalty account was created"),
    (
        "oauth.authorization.revoked",
        "A seller or the application revoked all of the application's access tokens",
    ),
    (
        "order.created",
        "An order was created through the CreateOrder API",
    ),
    (
        "order.fulfillment.updated",
        "An order fulfillment was created or updated",
    ),
    ("order.updated", "An order was updated"),
    ("payment.created", "A payment was created"),
    (
        "payment.updated",
        "A payment was updated, e.g. authorized, completed or canceled",
    ),
    ("payout.failed", "A payout failed"),
    ("payout.paid", "A payout completed"),
    ("payout.sent", "A payout was sent"),
    ("refund.created", "A refund was created"),
    ("refund.updated", "A refund was updated, e.g. it completed"),
    ("subscription.created", "A subscription was created"),
    (
        "subscription.updated",
        "A subscription was updated, e.g. it became active or was cancelled",
    ),
    ("team_member.created", "A team member was created"),
    ("team_member.updated", "A team member was updated"),
    (
        "webhooks.test_notification",
        "A test notification sent to check the webhook subscription",
    ),
];

/// Base64 HMAC-SHA256 of `url + body`.
fn signature(key: &str, url: &str, body: &[u8]) -> Vec<u8> {
    let mut signed = url.as_bytes().to_vec();
    signed.extend_from_slice(body);
    crypto::hmac_sha256(key.as_bytes(), &signed)
}

fn signed_url(settings: &Settings, request_url: &str) -> String {
    settings
        .notification_url
        .clone()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| request_url.to_string())
}

impl Adapter for Square {
    fn manifest() -> Manifest {
        Manifest {
            name: "square".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Square".into(),
            description: "Square seller events (payments, orders, customers, invoices)".into(),
            docs_url: "https://developer.squareup.com/docs/webhooks/step3validate".into(),
            secrets: vec![SecretSpec {
                label: "Signature key".into(),
                help: "The webhook subscription's signature key: Square Developer Console (developer.squareup.com/apps) → your application → Webhooks → Subscriptions → your subscription → Signature key (Show). Sandbox and production subscriptions have different keys. The subscription's Notification URL must be this source's webhook URL exactly (or set notification_url).".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"notification_url": {"type": "string", "format": "uri",
                    "description": "The Notification URL exactly as registered in Square, when it differs from the URL the host sees (proxies, rewrites)"}},
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
        let provided = base64_decode(request.require_header("x-square-hmacsha256-signature")?)
            .map_err(VerifyError::Malformed)?;
        let url = signed_url(&settings, &request.url);
        any_secret(secrets, &[provided], |key| {
            signature(key, &url, &request.body)
        })
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/type")
            .ok_or_else(|| HandleError::Malformed("event has no type".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&body, "/event_id"),
            occurred_at: json_string(&body, "/created_at").and_then(|t| rfc3339_to_ms(&t)),
            subject: json_string(&body, "/data/id"),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let settings: Settings = if input.settings.trim().is_empty() {
            Settings::default()
        } else {
            hookyard_sdk::serde_json::from_str(&input.settings)
                .map_err(|e| format!("invalid settings: {e}"))?
        };
        let url = signed_url(&settings, &input.url);
        let signature = base64_encode(&signature(&input.secret, &url, &input.body));
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                },
                Header {
                    name: "User-Agent".into(),
                    value: "Square Connect v2".into(),
                },
                Header {
                    name: "x-square-hmacsha256-signature".into(),
                    value: signature,
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Square);
