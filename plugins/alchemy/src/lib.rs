//! Alchemy Notify (webhooks): `X-Alchemy-Signature` is the hex HMAC-SHA256 of
//! the raw body, keyed with the webhook's signing key (`whsec_…`, used as-is,
//! not base64-decoded). Alchemy signs no timestamp and has no handshake.
//!
//! The event type is the body's `type` (`ADDRESS_ACTIVITY`, `GRAPHQL`, …), the
//! dedup id its `id` (`whevt_…`, the same on Alchemy's retries), the subject the
//! `webhookId` (`wh_…`), the time `createdAt`. Each webhook has its own signing
//! key, which Alchemy does not rotate on its own: when you replace a webhook,
//! keep the old and new keys active until the old webhook is gone.

use hookyard_sdk::prelude::*;

pub struct Alchemy;

const EVENTS: &[(&str, &str)] = &[
    (
        "ADDRESS_ACTIVITY",
        "ETH, ERC-20, ERC-721 and ERC-1155 transfers to or from tracked addresses",
    ),
    (
        "GRAPHQL",
        "Custom webhook: the result of your GraphQL filter for a new block",
    ),
    (
        "NFT_ACTIVITY",
        "Transfers of tracked NFT contracts or tokens",
    ),
    ("NFT_METADATA_UPDATE", "Metadata of a tracked NFT changed"),
    (
        "MINED_TRANSACTION",
        "A transaction sent through your app was mined",
    ),
    (
        "DROPPED_TRANSACTION",
        "A transaction sent through your app was dropped from the mempool",
    ),
];

const SIGNATURE_HEADER: &str = "X-Alchemy-Signature";

const SIGNATURE: BodyHmac = BodyHmac::new(SIGNATURE_HEADER, Hmac::Sha256, Encoding::Hex);

impl Adapter for Alchemy {
    fn manifest() -> Manifest {
        Manifest {
            name: "alchemy".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Alchemy".into(),
            description: "Alchemy Notify webhooks: address, NFT, mined/dropped transaction and custom (GraphQL) activity".into(),
            docs_url: "https://www.alchemy.com/docs/reference/notify-api-quickstart".into(),
            secrets: vec![SecretSpec {
                label: "Signing key".into(),
                help: "The webhook's signing key (whsec_…): Alchemy dashboard → Webhooks → open the webhook → \"Signing Key\" at the top right. Each webhook has its own key.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
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
        SIGNATURE.verify(&request, secrets)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/type")
            .ok_or_else(|| HandleError::Malformed("event has no type".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&body, "/id"),
            occurred_at: json_string(&body, "/createdAt").and_then(|t| rfc3339_to_ms(&t)),
            subject: json_string(&body, "/webhookId"),
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
                header("Content-Type", "application/json; charset=utf-8".into()),
                header(SIGNATURE_HEADER, signature),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Alchemy);
