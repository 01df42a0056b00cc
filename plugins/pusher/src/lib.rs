//! Pusher Channels webhooks: `X-Pusher-Signature: <hex HMAC-SHA256(app secret,
//! raw body)>` and `X-Pusher-Key: <app key>` (pusher.com/docs/channels/server_api/webhooks,
//! "Authentication"). The body `{time_ms, events: [...]}` is signed whole, and
//! its `time_ms` (when Pusher created the webhook, Unix ms) must be within
//! 300 s of the host clock, as Pusher's Python library (`validate_webhook`)
//! checks it; `tolerance_seconds` changes that. Pusher retries a failed
//! delivery with exponential backoff for 5 minutes. There is no handshake.
//!
//! What to paste: the app secret (Channels dashboard → the app → App Keys:
//! `secret`). The docs say an app may have several keys and webhooks are
//! signed with the oldest active one, named in `X-Pusher-Key` (not checked
//! here); they describe no rotation procedure. While an app has several
//! keys, paste the secret of each that may sign. Turn
//! webhooks on in the dashboard's Webhooks tab, choosing the event kinds
//! (`events.txt`); "batch webhooks" put several events in one request.
//!
//! Each element of `events` is one event: its type is `name`, its subject the
//! `channel`, its time the body's `time_ms`. Pusher sends no event id, so
//! events are deduplicated on the body's hash (and their index in it).

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::{tolerance, tolerance_setting};

pub struct Pusher;

const SIGNATURE: BodyHmac = BodyHmac::new("X-Pusher-Signature", Hmac::Sha256, Encoding::Hex);
const TOLERANCE: i64 = 300;

/// The body's HMAC, then its `time_ms` within the tolerance.
pub struct PusherSignature;

impl SigningScheme for PusherSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let tolerance = tolerance(context, TOLERANCE)?;
        SIGNATURE.verify(request, context.require_secrets()?)?;
        let body: Value = hookyard_sdk::serde_json::from_slice(&request.body)
            .map_err(|e| VerifyError::Malformed(format!("body is not JSON: {e}")))?;
        let time_ms = body.get("time_ms").and_then(Value::as_i64);
        let time_ms = time_ms.ok_or_else(|| VerifyError::Malformed("no time_ms".into()))?;
        check_timestamp_ms(time_ms, context.now_ms, tolerance)
    }

    /// Sets `time_ms` to now, as Pusher does when it creates a webhook.
    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let mut body: Value = hookyard_sdk::serde_json::from_slice(&input.body)
            .map_err(|e| format!("the body is JSON: {e}"))?;
        let object = body.as_object_mut().ok_or("the body is a JSON object")?;
        object.insert("time_ms".into(), json!(input.now_ms));
        let body = body.to_string();
        let signature = SIGNATURE.sign(&input.secret, body.as_bytes());
        Ok(request.body(body).header(SIGNATURE.header, signature))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            TOLERANCE,
            "Largest accepted difference between the body's time_ms and now, in seconds (Pusher's Python library: 300)",
        )]
    }
}

impl Declared for Pusher {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("pusher", "Pusher Channels", "Pusher Channels webhooks: channel existence, presence, client events, cache misses and subscription counts")
            .docs("https://pusher.com/docs/channels/server_api/webhooks/")
            .secret("App secret", "The secret of the app key Pusher signs with (Channels dashboard → your app → App Keys → secret). While rotating keys, paste both keys' secrets.")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("one request carries one or (batch webhooks) several events: each element of events, its name"),
        &PusherSignature,
    )
    .each("/events")
    .event_type(Field::pointer("/name"))
    .subject(Field::pointer("/channel"))
    .time(Time::Custom(|s| s.body.get("time_ms")?.as_i64()));
}

hookyard_sdk::export_adapter!(Pusher);
