//! Squarespace webhook notifications: `Squarespace-Signature: <hex
//! HMAC-SHA256(hexToBytes(secret), raw body)>`: the subscription's secret is
//! hex and its decoded bytes are the key (developers.squarespace.com/webhooks/verifying-notifications).
//! No timestamp is signed and there is no handshake (the API's "send test
//! notification" sends a signed notification).
//!
//! What to paste: the Webhook Subscription's `secret`, a hexadecimal value
//! returned only when the subscription is created (`POST /1.0/webhook_subscriptions`)
//! or its secret rotated (the API's "Rotate a subscription secret").
//! Paste it as returned (hex); a secret that is not hex is refused as
//! `malformed`. Rotating: rotate with the API, paste the new secret here next
//! to the old one, then remove the old one.
//!
//! The body is `{id, websiteId, subscriptionId, topic, createdOn, data}`: the
//! event type is `topic` (`events.txt`), the dedup id the notification `id`,
//! the subject `data.orderId` (else the `websiteId`), the time `createdOn`
//! (the docs' examples give it to the minute, `2020-04-22T22:18+00:00`, which
//! is read too).

use hookyard_sdk::prelude::*;

pub struct Squarespace;

const SIGNATURE: &str = "Squarespace-Signature";

fn key(secret: &str) -> Result<Vec<u8>, String> {
    hex_decode(secret.trim())
        .map_err(|_| "a secret is not hex: paste the subscription's secret as returned".into())
}

/// Hex HMAC-SHA256 of the body, keyed with the hex-decoded secret.
pub struct SquarespaceSignature;

impl SigningScheme for SquarespaceSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        secrets
            .iter()
            .try_for_each(|s| key(s).map(drop))
            .map_err(VerifyError::Malformed)?;
        let provided =
            hex_decode(request.require_header(SIGNATURE)?).map_err(VerifyError::Malformed)?;
        any_secret(secrets, &[provided], |s| {
            crypto::hmac_sha256(&key(s).unwrap_or_default(), &request.body)
        })
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Ok(request.header(
            SIGNATURE,
            hex_encode(&crypto::hmac_sha256(&key(&input.secret)?, &input.body)),
        ))
    }
}

impl Declared for Squarespace {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("squarespace", "Squarespace", "Squarespace webhook notifications: orders and extension uninstalls")
            .docs("https://developers.squarespace.com/webhooks/overview")
            .secret("Subscription secret", "The Webhook Subscription's secret (hexadecimal), returned only when you create the subscription or rotate its secret with the Webhook Subscriptions API. Paste it as returned.")
            .events_file(include_str!("../events.txt")),
        &SquarespaceSignature,
    )
    .event_type(Field::pointer("/topic"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::first(&[Field::pointer("/data/orderId"), Field::pointer("/websiteId")]))
    .time(Time::first(&[
        Time::rfc3339("/createdOn"),
        Time::Custom(|s| {
            let text = json_string(s.record, "/createdOn")?;
            let (minute, zone) = text.split_at_checked(16)?;
            rfc3339_to_ms(&format!("{minute}:00{zone}"))
        }),
    ]))
    .user_agent("Squarespace/1.0");
}

hookyard_sdk::export_adapter!(Squarespace);
