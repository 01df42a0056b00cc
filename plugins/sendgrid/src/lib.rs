//! Twilio SendGrid Event Webhook with signature verification enabled:
//! `X-Twilio-Email-Event-Webhook-Signature` is a base64 DER ECDSA P-256 /
//! SHA-256 signature over `X-Twilio-Email-Event-Webhook-Timestamp` followed by
//! the raw body, checked with the account's verification key (a base64 DER
//! SubjectPublicKeyInfo; a PEM block is accepted too). The secret is a
//! **public** key, so `sign` cannot be offered. The timestamp must be within
//! 300 s (`tolerance_seconds`). Unconfirmed: SendGrid names no window and does
//! not say whether its retries (for up to 24 h) are signed anew; if retried
//! batches arrive stale, raise `tolerance_seconds`. The body is a JSON
//! array of up to ~1000 events: one Hookyard event per element, typed by its
//! `event` (`delivered`, `open`, `bounce`, ...), deduplicated on `sg_event_id`,
//! occurring at its `timestamp`, about its `email`. There is no handshake.
//! Each Event Webhook (SendGrid allows several) has its own key pair;
//! regenerating it (disable and re-enable signing) replaces the key at once,
//! so keep both keys active briefly while deliveries signed with the old one
//! drain.

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::{tolerance, tolerance_setting};

pub struct SendGrid;

const SIGNATURE: &str = "X-Twilio-Email-Event-Webhook-Signature";
const TIMESTAMP: &str = "X-Twilio-Email-Event-Webhook-Timestamp";

/// A verification key as pasted: base64 DER, or a PEM block around it.
pub fn decode_public_key(secret: &str) -> Option<Vec<u8>> {
    let base64: String = secret
        .lines()
        .filter(|line| !line.trim_start().starts_with("-----"))
        .flat_map(|line| line.split_whitespace())
        .collect();
    base64_decode(&base64).ok().filter(|der| !der.is_empty())
}

/// ECDSA P-256 over the timestamp header and the body, checked with the
/// public verification keys the source holds as secrets.
struct SignedEventWebhook;

impl SigningScheme for SignedEventWebhook {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, 300)?;
        let signature =
            base64_decode(request.require_header(SIGNATURE)?).map_err(VerifyError::Malformed)?;
        let timestamp = request.require_header(TIMESTAMP)?;
        let seconds: i64 = timestamp
            .parse()
            .map_err(|_| VerifyError::Malformed(format!("{TIMESTAMP} is not a number")))?;
        let keys: Vec<Vec<u8>> = secrets
            .iter()
            .filter_map(|s| decode_public_key(s))
            .collect();
        if keys.is_empty() {
            return Err(VerifyError::Unauthorized(
                "no secret is a base64 verification key".into(),
            ));
        }
        let mut message = timestamp.as_bytes().to_vec();
        message.extend_from_slice(&request.body);
        if !keys
            .iter()
            .any(|key| crypto::ecdsa_p256_verify(key, &message, &signature))
        {
            return Err(VerifyError::BadSignature);
        }
        check_timestamp(seconds, context.now_ms, tolerance)
    }

    fn sign(&self, _: &SignInput, _: SignedRequestBuilder) -> Result<SignedRequestBuilder, String> {
        Err("SendGrid signs with its own ECDSA private key; the source's secret is the public verification key, which cannot sign".into())
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            300,
            "Largest accepted difference, in seconds and in either direction, between X-Twilio-Email-Event-Webhook-Timestamp and the host clock; default 300 (SendGrid documents no window: raise it if retried batches arrive stale)",
        )]
    }
}

impl Declared for SendGrid {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("sendgrid", "Twilio SendGrid", "SendGrid Event Webhook: delivery, engagement and unsubscribe events")
            .docs("https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features")
            .secret("Verification key", "The Event Webhook's public verification key (base64, starts with MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE): SendGrid → Settings → Mail Settings → Event Webhooks → edit the webhook → Security features → enable Signed Event Webhook → Verification Key. It is a public key, not an API key.")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("the body is an array; each element's event"),
        &SignedEventWebhook,
    )
    .each("")
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::pointer("/sg_event_id"))
    .subject(Field::pointer("/email"))
    .time(Time::unix_seconds("/timestamp"));
}

hookyard_sdk::export_adapter!(SendGrid);
