//! Mailgun webhooks: the signature is inside the JSON body, not in a header:
//! `signature.signature` is the hex HMAC-SHA256 of `signature.timestamp`
//! followed by `signature.token`, keyed with the HTTP webhook signing key.
//! Events of a subaccount's domain also carry `parent-signature`, made with the
//! primary account's key; either may match any active secret.
//!
//! Mailgun signs only the timestamp and a random 50-character token, never the
//! `event-data`, so a captured signature could be replayed with another body.
//! Mailgun's remedy is to remember tokens, so the token is the dedup id: the host
//! drops any second request with the same token, whatever its body. The timestamp
//! must be within `tolerance_seconds` of the clock: 900 s by default, the default
//! of Mailgun's official Python SDK (`SecurityGuard.verify_webhook`), since
//! Mailgun warns its own delivery can lag. The event type is
//! `event-data.event` (`delivered`, `failed`, `opened`), the time
//! `event-data.timestamp`, the subject the message's `Message-Id`; the event id
//! `event-data.id` stays in the data. JSON webhooks only: legacy form-encoded
//! webhooks and Routes (multipart) are not handled. There is no handshake.
//! Rotation: add the new key here as soon as it is reset in Mailgun and keep
//! the old one until deliveries signed with it have drained.

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::{tolerance, tolerance_setting};

pub struct Mailgun;

/// The default of Mailgun's Python SDK (`max_age_seconds=900`).
const MAILGUN_TOLERANCE_SECONDS: i64 = 900;

/// A JSON value as the text Mailgun signed (`"1770920772"` or `1770920772`).
fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn mac(key: &str, timestamp: &str, token: &str) -> Vec<u8> {
    crypto::hmac_sha256(key.as_bytes(), format!("{timestamp}{token}").as_bytes())
}

/// The signature object in the body (see the module docs).
struct BodySignature;

impl SigningScheme for BodySignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, MAILGUN_TOLERANCE_SECONDS)?;
        let body: Value = hookyard_sdk::serde_json::from_slice(&request.body)
            .map_err(|e| VerifyError::Malformed(format!("body is not JSON: {e}")))?;
        let signature = body
            .get("signature")
            .filter(|s| s.is_object())
            .ok_or_else(|| VerifyError::MissingSignature("body signature".into()))?;
        let field = |name: &str| {
            text_of(signature.get(name))
                .filter(|v| !v.is_empty())
                .ok_or_else(|| VerifyError::MissingSignature(format!("signature.{name}")))
        };
        let (timestamp, token) = (field("timestamp")?, field("token")?);
        let mut provided = vec![hex_decode(&field("signature")?).map_err(VerifyError::Malformed)?];
        if let Some(parent) = text_of(signature.get("parent-signature")) {
            provided.push(hex_decode(&parent).map_err(VerifyError::Malformed)?);
        }
        let seconds: i64 = timestamp
            .parse()
            .map_err(|_| VerifyError::Malformed("signature.timestamp is not a number".into()))?;
        any_secret(secrets, &provided, |key| mac(key, &timestamp, &token))?;
        check_timestamp(seconds, context.now_ms, tolerance)
    }

    /// The body is `input.body` (an object with `event-data`, or the event
    /// data alone) with a `signature` object added; the token is derived from
    /// the delivery id.
    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let parsed: Value = hookyard_sdk::serde_json::from_slice(&input.body)
            .map_err(|e| format!("Mailgun bodies are JSON: {e}"))?;
        let mut body = match parsed {
            Value::Object(map) if map.contains_key("event-data") => map,
            other => {
                let mut map = hookyard_sdk::serde_json::Map::new();
                map.insert("event-data".into(), other);
                map
            }
        };
        let timestamp = (input.now_ms / 1000).to_string();
        let token: String = hex_encode(&crypto::sha256(input.delivery_id.as_bytes()))
            .chars()
            .take(50)
            .collect();
        let signature = hex_encode(&mac(&input.secret, &timestamp, &token));
        body.insert(
            "signature".into(),
            json!({"timestamp": timestamp, "token": token, "signature": signature}),
        );
        Ok(request.body(Value::Object(body).to_string()))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            MAILGUN_TOLERANCE_SECONDS,
            "Largest accepted difference between signature.timestamp and now",
        )]
    }
}

impl Declared for Mailgun {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("mailgun", "Mailgun", "Mailgun email events (delivered, failed, opened, clicked, complained)")
            .docs("https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks")
            .secret("HTTP webhook signing key", "Your HTTP webhook signing key (not the API key): Mailgun dashboard → Settings (account menu) → API Security → HTTP webhook signing key, or Send → Sending → Webhooks → HTTP webhook signing key. For subaccounts either the subaccount's or the primary account's key works.")
            .events_file(include_str!("../events.txt")),
        &BodySignature,
    )
    .event_type(Field::pointer("/event-data/event"))
    .dedup_id(Field::pointer("/signature/token"))
    .subject(Field::pointer("/event-data/message/headers/message-id"))
    .time(Time::unix_seconds("/event-data/timestamp"));
}

hookyard_sdk::export_adapter!(Mailgun);
