//! Linear webhooks: `Linear-Signature` is the hex HMAC-SHA256 of the raw body,
//! keyed with the webhook's signing secret. The signed body carries
//! `webhookTimestamp` (milliseconds); Linear and its SDK
//! (`LinearWebhookClient.verify`) reject one more than 60 s from the clock, and
//! so does this adapter by default (`tolerance_seconds` to change it).
//!
//! The event type is the body's `type` and `action` joined by a dot
//! (`Issue.create`, `Comment.update`, `Project.remove`); `Linear-Event` carries
//! the type alone. The dedup id is the `Linear-Delivery` header (a UUID per
//! delivery; whether a retry reuses it is not documented, so unconfirmed). Retries
//! are re-signed with a fresh `webhookTimestamp`, so the body differs and the
//! host's body-hash fallback would not catch them. The subject is `data.id`, the
//! time `createdAt`. There is no handshake. Rotation: Linear shows one signing
//! secret per webhook; add the regenerated one here before saving it in Linear
//! and drop the old one after in-flight retries.

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::tolerance;

pub struct Linear;

/// Linear's replay window: 60 s either way.
const LINEAR_TOLERANCE_SECONDS: i64 = 60;

impl Declared for Linear {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("linear", "Linear", "Linear workspace data-change webhooks (issues, comments, projects, cycles)")
            .docs("https://linear.app/developers/webhooks#securing-webhooks")
            .secret("Signing secret", "The webhook's signing secret (lin_wh_…): Linear → Settings → API → Webhooks → your webhook; the secret is shown on the webhook's page (for OAuth apps: the application's settings → Webhook signing secret).")
            .events_file(include_str!("../events.txt"))
            .settings(&[(
                "tolerance_seconds",
                r#"{"type": "integer", "minimum": 1, "default": 60, "description": "Largest accepted difference between the body's webhookTimestamp and now (Linear uses 60 s)"}"#,
            )])
            .discriminator_note("joined with /action by a dot: Issue.create"),
        &Scheme::body_hmac("Linear-Signature", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::joined(&[Field::pointer("/type"), Field::pointer("/action")], "."))
    .dedup_id(Field::header("Linear-Delivery"))
    .subject(Field::pointer("/data/id"))
    .time(Time::rfc3339("/createdAt"))
    .content_type("application/json; charset=utf-8")
    .user_agent("Linear-Webhook");

    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        Self::DECLARATION.verify(request, context)?;
        // Only after the signature: the timestamp is inside the signed body.
        let body: Value = hookyard_sdk::serde_json::from_slice(&request.body)
            .map_err(|e| VerifyError::Malformed(format!("body is not JSON: {e}")))?;
        let millis = body
            .get("webhookTimestamp")
            .and_then(Value::as_i64)
            .ok_or_else(|| VerifyError::Malformed("body has no numeric webhookTimestamp".into()))?;
        let tolerance = tolerance(context, LINEAR_TOLERANCE_SECONDS)?;
        check_timestamp(millis.div_euclid(1000), context.now_ms, tolerance)
    }

    /// Linear stamps each delivery: a JSON object body gets the send time as
    /// its webhookTimestamp (which `verify` checks), and `Linear-Event` its type.
    fn sign(input: &SignInput) -> Result<SignedRequest, String> {
        let mut input = input.clone();
        let mut event = input
            .event_type
            .as_deref()
            .unwrap_or("Issue")
            .split('.')
            .next()
            .unwrap_or_default()
            .to_string();
        if let Ok(Value::Object(mut body)) = hookyard_sdk::serde_json::from_slice(&input.body) {
            body.insert("webhookTimestamp".into(), input.now_ms.into());
            if let Some(Value::String(entity)) = body.get("type") {
                event = entity.clone();
            }
            input.body = Value::Object(body).to_string().into_bytes();
        }
        let request = SignedRequestBuilder::from(Self::DECLARATION.sign(&input)?);
        Ok(request.header("Linear-Event", event).build())
    }
}

hookyard_sdk::export_adapter!(Linear);
