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

pub struct Square;

/// `x-square-hmacsha256-signature`: the base64 HMAC-SHA256 of the
/// notification URL as registered, followed by the body.
struct UrlAndBody;

const SIGNATURE: &str = "x-square-hmacsha256-signature";
const URL_SETTING: &str = "notification_url";

impl UrlAndBody {
    fn mac(key: &str, url: &str, body: &[u8]) -> Vec<u8> {
        let mut signed = url.as_bytes().to_vec();
        signed.extend_from_slice(body);
        crypto::hmac_sha256(key.as_bytes(), &signed)
    }
}

impl SigningScheme for UrlAndBody {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        // The `notification_url` setting, else the URL the request came to.
        let url = context
            .setting_text(URL_SETTING)
            .map_err(VerifyError::Malformed)?;
        let url = url.unwrap_or_else(|| request.url.clone());
        let provided =
            base64_decode(request.require_header(SIGNATURE)?).map_err(VerifyError::Malformed)?;
        any_secret(secrets, &[provided], |key| {
            Self::mac(key, &url, &request.body)
        })
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let url = input
            .setting_text(URL_SETTING)?
            .unwrap_or_else(|| input.url.clone());
        let signature = base64_encode(&Self::mac(&input.secret, &url, &input.body));
        Ok(request.header(SIGNATURE, signature))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        let description = "The Notification URL exactly as registered in Square, when it differs from the URL the host sees (proxies, rewrites)";
        vec![(
            URL_SETTING,
            json!({"type": "string", "format": "uri", "description": description}),
        )]
    }
}

impl Declared for Square {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("square", "Square", "Square seller events (payments, orders, customers, invoices)")
            .docs("https://developer.squareup.com/docs/webhooks/step3validate")
            .secret("Signature key", "The webhook subscription's signature key: Square Developer Console (developer.squareup.com/apps) → your application → Webhooks → Subscriptions → your subscription → Signature key (Show). Sandbox and production subscriptions have different keys. The subscription's Notification URL must be this source's webhook URL exactly (or set notification_url).")
            .events_file(include_str!("../events.txt")),
        &UrlAndBody,
    )
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::pointer("/event_id"))
    .subject(Field::pointer("/data/id"))
    .time(Time::rfc3339("/created_at"))
    .user_agent("Square Connect v2");
}

hookyard_sdk::export_adapter!(Square);
