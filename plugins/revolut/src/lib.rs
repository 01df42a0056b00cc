//! Revolut webhooks (Merchant API, and Business API webhooks v2, signed
//! alike): `Revolut-Request-Timestamp: <Unix milliseconds>` and
//! `Revolut-Signature: v1=<hex HMAC-SHA256(signing secret,
//! "v1.{timestamp}.{raw body}")>`, several comma-separated `v1=` while an old
//! secret is still valid. The timestamp must be within 5 minutes of the host
//! clock (Revolut's documented tolerance).
//!
//! Paste the webhook's signing secret (`wsk_…`): Merchant API, the
//! `signing_secret` returned by "Create a webhook" and by "Retrieve a webhook"
//! (`GET /api/1.0/webhooks/{id}`); Business API, the one returned when you
//! create the webhook. Rotating (`rotate-signing-secret`) can keep the old
//! secret valid for up to 7 days (`expiration_period`): add the new one here,
//! remove the old when it expires. There is no handshake.
//!
//! The event type is the body's `event`. Merchant bodies carry the object's
//! id (`order_id`, `subscription_id`, `payout_id` or `dispute_id`, the
//! subject) and no time or event id, so deliveries are deduplicated on the
//! body's hash; Business bodies carry `data.id` (the subject) and `timestamp`
//! (the time). Catalog: `events.txt`.

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::{tolerance, tolerance_setting};

pub struct Revolut;

const SIGNATURE: &str = "Revolut-Signature";
const TIMESTAMP: &str = "Revolut-Request-Timestamp";

fn payload(timestamp: &str, body: &[u8]) -> Vec<u8> {
    [format!("v1.{timestamp}.").as_bytes(), body].concat()
}

struct RevolutSignature;

impl SigningScheme for RevolutSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, 300)?;
        let header = request.require_header(SIGNATURE)?;
        let timestamp = request.require_header(TIMESTAMP)?;
        let millis: i64 = Some(timestamp)
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| {
                VerifyError::Malformed(format!("{TIMESTAMP} is not Unix milliseconds"))
            })?;
        let signatures = parse_signature_header(header, ',', '=')
            .into_iter()
            .filter(|(version, _)| version == "v1")
            .map(|(_, hex)| hex_decode(&hex))
            .collect::<Result<Vec<_>, _>>()
            .map_err(VerifyError::Malformed)?;
        if signatures.is_empty() {
            return Err(VerifyError::MissingSignature(format!("{SIGNATURE} v1")));
        }
        let signed = payload(timestamp, &request.body);
        any_secret(secrets, &signatures, |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &signed)
        })?;
        check_timestamp_ms(millis, context.now_ms, tolerance)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let timestamp = input.now_ms.to_string();
        let mac = crypto::hmac_sha256(input.secret.as_bytes(), &payload(&timestamp, &input.body));
        Ok(request
            .header(TIMESTAMP, timestamp)
            .header(SIGNATURE, format!("v1={}", hex_encode(&mac))))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            300,
            "Largest accepted difference, in seconds and in either direction, between Revolut-Request-Timestamp and the host clock; default 300 (Revolut's 5 minutes)",
        )]
    }
}

impl Declared for Revolut {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("revolut", "Revolut", "Revolut Merchant API (orders, payments, subscriptions, payouts, disputes) and Business API webhooks")
            .docs("https://developer.revolut.com/docs/guides/merchant/monitor-and-observe/webhooks/verify-the-payload-signature")
            .secret("Signing secret", "The webhook's signing secret (wsk_…): the signing_secret field returned when you create the webhook, and by Retrieve a webhook (Merchant API: GET /api/1.0/webhooks/{id}). Paste it whole.")
            .events_file(include_str!("../events.txt")),
        &RevolutSignature,
    )
    .event_type(Field::pointer("/event"))
    .subject(Field::first(&[
        Field::pointer("/order_id"),
        Field::pointer("/subscription_id"),
        Field::pointer("/payout_id"),
        Field::pointer("/dispute_id"),
        Field::pointer("/data/id"),
    ]))
    .time(Time::rfc3339("/timestamp"));
}

hookyard_sdk::export_adapter!(Revolut);
