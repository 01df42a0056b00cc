//! Vonage Messages API webhooks (inbound messages and message status
//! callbacks on SMS, MMS, RCS, WhatsApp, Messenger and Viber), signed as
//! Vonage's "signed webhooks": `Authorization: Bearer <JWT>`, HS256 keyed with
//! the account's signature secret, whose `payload_hash` claim is the hex
//! SHA-256 of the raw JSON body (developer.vonage.com, "Webhooks" → "Decoding
//! signed webhooks"; Vonage API Support, "How do I verify that the Voice API
//! Webhook request and its payload has not been tampered"). The host's
//! `verify-jwt` checks the HS256 signature (and `exp`, when present); the
//! adapter then compares `payload_hash`, required here. The JWT's `iat` is not
//! bounded (Vonage documents no window): a captured request can be replayed,
//! and deduplication catches exact repeats.
//!
//! What to paste: the signature secret of the API key the application belongs
//! to (Vonage Dashboard → API Settings → the API key → Signature secret; the
//! JWT's `api_key` claim names it). Rotating: Vonage keeps one signature secret
//! per API key; add the new one here first, change it in the dashboard, then
//! remove the old one. There is no handshake.
//!
//! The event type is `status.<status>` for a status callback, else
//! `inbound.<channel>` (`inbound.whatsapp`); the subject and dedup id the
//! `message_uuid` (with the status, for status callbacks); the time
//! `timestamp`. Catalog: `events.txt`, 5 statuses and 6 channels.

use hookyard_sdk::crypto::{JwtError, JwtRules};
use hookyard_sdk::prelude::*;

fn base64url(bytes: &[u8]) -> String {
    base64_encode(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

/// `Authorization: Bearer` HS256 JWT with a `payload_hash` claim.
pub struct SignedWebhook;

impl SigningScheme for SignedWebhook {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let header = request.require_header("Authorization")?;
        let token = bearer_token(header)
            .ok_or_else(|| VerifyError::Malformed("Authorization is not Bearer <JWT>".into()))?;
        let rules = JwtRules {
            algorithms: vec!["HS256".into()],
            audiences: vec![],
            issuers: vec![],
            require_expiry: false,
            leeway_seconds: 0,
            now_ms: context.now_ms,
        };
        // The first secret whose MAC matches gives the claims; any other refusal is final.
        let mut outcome = Err(JwtError::BadSignature);
        for secret in secrets {
            outcome = crypto::verify_jwt(token.trim(), secret.as_bytes(), &rules);
            if !matches!(outcome, Err(JwtError::BadSignature)) {
                break;
            }
        }
        let claims = outcome.map_err(|e| match e {
            JwtError::BadSignature => VerifyError::BadSignature,
            JwtError::Expired(skew) => VerifyError::TimestampOutOfTolerance(skew),
            JwtError::Malformed(why) | JwtError::Claims(why) => {
                VerifyError::Malformed(format!("Authorization JWT: {why}"))
            }
        })?;
        let claims: Value = hookyard_sdk::serde_json::from_str(&claims)
            .map_err(|_| VerifyError::Malformed("JWT claims are not JSON".into()))?;
        let hash = json_string(&claims, "/payload_hash")
            .ok_or_else(|| VerifyError::Malformed("JWT has no payload_hash claim".into()))?;
        let body = hex_encode(&crypto::sha256(&request.body));
        match crypto::constant_time_eq(hash.to_ascii_lowercase().as_bytes(), body.as_bytes()) {
            true => Ok(()),
            false => Err(VerifyError::BadSignature),
        }
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let claims = json!({
            "iat": input.now_ms.div_euclid(1000),
            "jti": input.delivery_id,
            "iss": "Vonage",
            "payload_hash": hex_encode(&crypto::sha256(&input.body)),
        });
        let signing_input = format!(
            "{}.{}",
            base64url(br#"{"alg":"HS256","typ":"JWT"}"#),
            base64url(claims.to_string().as_bytes())
        );
        let mac = crypto::hmac_sha256(input.secret.as_bytes(), signing_input.as_bytes());
        Ok(request.header(
            "Authorization",
            format!("Bearer {signing_input}.{}", base64url(&mac)),
        ))
    }
}

pub struct Vonage;

impl Declared for Vonage {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("vonage", "Vonage Messages", "Vonage Messages API inbound messages and message status callbacks (SMS, MMS, RCS, WhatsApp, Messenger, Viber)")
            .docs("https://developer.vonage.com/en/getting-started/concepts/webhooks#decoding-signed-webhooks")
            .secret("Signature secret", "The signature secret of the API key your Messages application belongs to: Vonage Dashboard → API Settings → the API key → Signature secret (not the API secret).")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("status.<status> when the body has a status, else inbound.<channel>"),
        &SignedWebhook,
    )
    .event_type(Field::custom(|s| match json_string(s.record, "/status") {
        Some(status) if !status.is_empty() => Some(format!("status.{status}")),
        _ => json_string(s.record, "/channel").map(|channel| format!("inbound.{channel}")),
    }))
    .dedup_id(Field::joined(&[Field::pointer("/message_uuid"), Field::pointer("/status")], ":"))
    .subject(Field::pointer("/message_uuid"))
    .time(Time::iso8601("/timestamp"));
}

hookyard_sdk::export_adapter!(Vonage);
