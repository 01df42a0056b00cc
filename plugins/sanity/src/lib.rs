//! Sanity GROQ-powered webhooks: `sanity-webhook-signature: t=<unix ms>,v1=<base64url,
//! unpadded HMAC-SHA256(secret, "{t}.{raw body}")>`, as Sanity's own library
//! signs and checks it (@sanity/webhook 4.0.4: `assertValidSignature` re-encodes
//! `t=<ms>,v1=<signature>` and compares the whole header, so exactly that form,
//! the timestamp without leading zeros). The library checks no age; this adapter refuses a timestamp
//! more than 5 minutes off (`tolerance_seconds` widens it: Sanity's best
//! practices warn that deliveries can, rarely, be delayed).
//!
//! What to paste: the webhook's Secret (sanity.io/manage → the project → API →
//! Webhooks → the webhook → Secret, or `secret` in the webhooks API); without
//! one Sanity signs nothing and this adapter refuses everything. Rotating: add
//! the new secret here, change it on the webhook, remove the old one. No
//! handshake.
//!
//! The body is the webhook's own GROQ projection, so the event type is the
//! `sanity-operation` header (create, update, delete), the dedup id
//! `idempotency-key`, the subject `sanity-document-id`, the time
//! `sanity-transaction-time`.

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::{tolerance, tolerance_setting};

const HEADER: &str = "sanity-webhook-signature";
const TOLERANCE: i64 = 300;

fn v1(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut signed = format!("{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    let mac = base64_encode(&crypto::hmac_sha256(secret.as_bytes(), &signed));
    mac.trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

pub struct SanitySignature;

impl SigningScheme for SanitySignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let (secrets, tolerance) = (context.require_secrets()?, tolerance(context, TOLERANCE)?);
        let malformed = || VerifyError::Malformed(format!("{HEADER} is not t=<ms>,v1=<signature>"));
        let value = request.require_header(HEADER)?.trim();
        let (t, signature) = value
            .strip_prefix("t=")
            .and_then(|v| v.split_once(",v1="))
            .ok_or_else(malformed)?;
        // As the library compares the whole header with the one it encodes: digits, no leading zero.
        let ms: i64 = t
            .parse()
            .ok()
            .filter(|ms: &i64| ms.to_string() == t)
            .ok_or_else(malformed)?;
        let provided = [signature.as_bytes().to_vec()];
        any_secret(secrets, &provided, |secret| {
            v1(secret, ms, &request.body).into_bytes()
        })?;
        check_timestamp_ms(ms, context.now_ms, tolerance)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let signature = v1(&input.secret, input.now_ms, &input.body);
        let operation = input.event_type.clone().unwrap_or_else(|| "update".into());
        Ok(request
            .header(HEADER, format!("t={},v1={signature}", input.now_ms))
            .header("sanity-operation", operation)
            .header("idempotency-key", input.delivery_id.clone()))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            TOLERANCE,
            "Largest accepted difference between the signed timestamp and now (Sanity's library checks none)",
        )]
    }
}

pub struct Sanity;

impl Declared for Sanity {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("sanity", "Sanity", "Sanity Content Lake document changes (GROQ-powered webhooks)")
            .docs("https://www.sanity.io/docs/webhooks")
            .secret("Webhook secret", "The Secret of the webhook (sanity.io/manage → project → API → Webhooks → the webhook). Paste the same value.")
            .events_file(include_str!("../events.txt")),
        &SanitySignature,
    )
    .event_type(Field::header("sanity-operation"))
    .dedup_id(Field::header("idempotency-key"))
    .subject(Field::header("sanity-document-id"))
    .time(Time::Custom(|source| rfc3339_to_ms(source.request.header("sanity-transaction-time")?)));
}

hookyard_sdk::export_adapter!(Sanity);
