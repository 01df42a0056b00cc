//! Coinbase Commerce webhooks: `X-CC-Webhook-Signature` is the hex
//! HMAC-SHA256 of the raw body, keyed with the account's webhook shared secret.
//! Commerce signs no timestamp and has no handshake; it retries failed
//! deliveries with exponential backoff for up to three days.
//!
//! The body wraps the event: `{"id", "attempt_number", "scheduled_for",
//! "event": {"id", "type", "created_at", "data"}}`. The event type is
//! `event.type` (`charge:confirmed`), the dedup id `event.id` (the same on every
//! attempt), the subject the charge code `event.data.code`, the time
//! `event.created_at`. There is one shared secret per account and Commerce
//! shows no second one while you change it: keep the old one active here until
//! deliveries signed with the new one arrive.

use hookyard_sdk::prelude::*;

pub struct CoinbaseCommerce;

const EVENTS: &[(&str, &str)] = &[
    ("charge:created", "A new charge was created"),
    (
        "charge:pending",
        "The payment was posted to the blockchain and funds reached the merchant",
    ),
    (
        "charge:confirmed",
        "The charge was fully confirmed: the payment is final",
    ),
    (
        "charge:failed",
        "The charge could not be completed (expired or underpaid)",
    ),
    (
        "charge:delayed",
        "A payment arrived after the charge expired (legacy Commerce API)",
    ),
    (
        "charge:resolved",
        "A charge was manually resolved by the merchant (legacy Commerce API)",
    ),
];

const SIGNATURE_HEADER: &str = "X-CC-Webhook-Signature";

const SIGNATURE: BodyHmac = BodyHmac::new(SIGNATURE_HEADER, Hmac::Sha256, Encoding::Hex);

impl Adapter for CoinbaseCommerce {
    fn manifest() -> Manifest {
        Manifest {
            name: "coinbase-commerce".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Coinbase Commerce".into(),
            description: "Coinbase Commerce charge webhooks (crypto payments)".into(),
            docs_url: "https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security".into(),
            secrets: vec![SecretSpec {
                label: "Webhook shared secret".into(),
                help: "Coinbase Commerce → Settings → Notifications → Webhook subscriptions → \"Show shared secret\". It is one secret for the whole account.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator { location: DiscriminatorLocation::Body, path: "/event/type".into(), note: String::new() },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        SIGNATURE.verify(&request, secrets)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/event/type")
            .ok_or_else(|| HandleError::Malformed("no event.type".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&body, "/event/id").or_else(|| json_string(&body, "/id")),
            occurred_at: json_string(&body, "/event/created_at").and_then(|t| rfc3339_to_ms(&t)),
            subject: json_string(&body, "/event/data/code"),
            data: String::from_utf8(request.body).expect("valid JSON is UTF-8"),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let signature = SIGNATURE.sign(&input.secret, &input.body);
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header(SIGNATURE_HEADER, signature),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(CoinbaseCommerce);
