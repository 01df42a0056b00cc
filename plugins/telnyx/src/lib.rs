//! Telnyx webhooks (API v2): `telnyx-timestamp: <Unix seconds>` and
//! `telnyx-signature-ed25519: <base64 Ed25519 signature of "{timestamp}|{raw
//! body}">`, made with Telnyx's private key; checked with your account's public
//! key, the timestamp within 300 s of the host clock (the telnyx SDKs'
//! tolerance). The adapter cannot sign: it holds only the public key.
//!
//! Paste the account's public key (base64, 32 bytes): Telnyx Mission Control
//! → Account settings → Keys & Credentials → Public Key. It is the same for
//! all of the account's webhooks; there is no handshake.
//!
//! The event type is `data.event_type` (`call.initiated`, `message.received`,
//! …; AI artifact, session and transcript events and `conference.floor.changed`
//! carry it at the top, as `event` or `event_type`), the dedup id the event's
//! `id`, the time `occurred_at`, the subject the call's `call_control_id` (else
//! the payload's `id`). 10DLC campaign status updates and link-click
//! notifications carry no event name and are refused as unreadable (422, the
//! raw request kept). Catalog: `events.txt`.

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::{tolerance, tolerance_setting};

pub struct Telnyx;

const SIGNATURE: &str = "telnyx-signature-ed25519";
const TIMESTAMP: &str = "telnyx-timestamp";

struct TelnyxEd25519;

impl SigningScheme for TelnyxEd25519 {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, 300)?;
        let keys: Vec<Vec<u8>> = secrets
            .iter()
            .filter_map(|s| base64_decode(s).ok())
            .filter(|key| key.len() == 32)
            .collect();
        if keys.is_empty() {
            return Err(VerifyError::Unauthorized(
                "no secret is a base64 Ed25519 public key (32 bytes)".into(),
            ));
        }
        let signature =
            base64_decode(request.require_header(SIGNATURE)?).map_err(VerifyError::Malformed)?;
        let timestamp = request.require_header(TIMESTAMP)?;
        let seconds: i64 = Some(timestamp)
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| VerifyError::Malformed(format!("{TIMESTAMP} is not Unix seconds")))?;
        let message = [format!("{timestamp}|").as_bytes(), &request.body].concat();
        if !keys
            .iter()
            .any(|key| crypto::ed25519_verify(key, &message, &signature))
        {
            return Err(VerifyError::BadSignature);
        }
        check_timestamp(seconds, context.now_ms, tolerance)
    }

    fn sign(&self, _: &SignInput, _: SignedRequestBuilder) -> Result<SignedRequestBuilder, String> {
        Err("Telnyx signs with its own Ed25519 private key; the source's secret is the public key, which cannot sign".into())
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            300,
            "Largest accepted difference, in seconds and in either direction, between telnyx-timestamp and the host clock; default 300 (the telnyx SDKs' tolerance)",
        )]
    }
}

impl Declared for Telnyx {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("telnyx", "Telnyx", "Telnyx webhooks: Call Control, conferences, messaging, fax, number orders, media streaming and AI")
            .docs("https://developers.telnyx.com/docs/development/sdk/python/webhooks")
            .secret("Public key", "Your account's webhook public key (base64, 32 bytes): Telnyx Mission Control → Account settings → Keys & Credentials → Public Key. It is a public key, not an API key.")
            .events_file(include_str!("../events.txt")),
        &TelnyxEd25519,
    )
    .event_type(Field::first(&[Field::pointer("/data/event_type"), Field::pointer("/event_type"), Field::pointer("/event")]))
    .dedup_id(Field::first(&[Field::pointer("/data/id"), Field::pointer("/id")]))
    .subject(Field::first(&[Field::pointer("/data/payload/call_control_id"), Field::pointer("/data/payload/id"), Field::pointer("/payload/call_control_id")]))
    .time(Time::first(&[Time::rfc3339("/data/occurred_at"), Time::rfc3339("/occurred_at")]));
}

hookyard_sdk::export_adapter!(Telnyx);
