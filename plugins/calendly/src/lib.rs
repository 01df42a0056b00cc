//! Calendly webhooks: `Calendly-Webhook-Signature: t=<unix>,v1=<hex>`, where
//! v1 is HMAC-SHA256 over `"{t}.{body}"` keyed with the webhook signing key
//! (Calendly's "Webhook signatures" page; the same shape as Stripe's).
//!
//! The timestamp must be within `tolerance_seconds` of the clock: 180 s by
//! default, the three minutes of Calendly's own verification example. The event
//! type is the body's `event` (`invitee.created`), the time `created_at`, the
//! subject `payload.uri` (the invitee, no-show or form submission). Calendly
//! sends no delivery or event id, so the dedup id is the event name and
//! `payload.uri` (`invitee.created https://api.calendly.com/…/invitees/…`):
//! each such object is created or canceled once, and a retry repeats both.
//! There is no handshake. Rotation: a subscription's signing key is fixed when
//! it is created (OAuth apps have one key for all their webhooks); to rotate,
//! create a new subscription with the new key, add it here, then delete the old
//! subscription and remove its key.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Calendly;

/// Calendly's example rejects signatures older than three minutes.
const CALENDLY_TOLERANCE_SECONDS: i64 = 180;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_tolerance")]
    tolerance_seconds: i64,
}

fn default_tolerance() -> i64 {
    CALENDLY_TOLERANCE_SECONDS
}

const EVENTS: &[(&str, &str)] = &[
    ("invitee.created", "An invitee scheduled an event"),
    ("invitee.canceled", "An invitee canceled an event"),
    (
        "invitee_no_show.created",
        "An invitee was marked as a no-show",
    ),
    (
        "invitee_no_show.deleted",
        "A no-show mark was removed from an invitee",
    ),
    (
        "routing_form_submission.created",
        "A routing form was submitted",
    ),
];

impl Adapter for Calendly {
    fn manifest() -> Manifest {
        Manifest {
            name: "calendly".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Calendly".into(),
            description: "Calendly scheduling events (invitees, no-shows, routing forms)".into(),
            docs_url: "https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures".into(),
            secrets: vec![SecretSpec {
                label: "Webhook signing key".into(),
                help: "The webhook signing key. With a personal access token it is the signing_key you chose when you created the webhook subscription (POST /webhook_subscriptions); Calendly never shows it again. For an OAuth app it is generated for the app: developer.calendly.com → My Apps → your app → Webhook signing key.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": CALENDLY_TOLERANCE_SECONDS,
                    "description": "Largest accepted difference between the signed t and now"}},
                "additionalProperties": false
            })
            .to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator { location: DiscriminatorLocation::Body, path: "/event".into(), note: String::new() },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let header = TimestampedHeader::from_request(
            &request,
            "Calendly-Webhook-Signature",
            (',', '='),
            ("t", "v1"),
        )?;
        let seconds = header.parsed_timestamp()?;
        header.verify(secrets, '.', &request.body)?;
        check_timestamp(seconds, context.now_ms, settings.tolerance_seconds)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/event")
            .ok_or_else(|| HandleError::Malformed("payload has no event".into()))?;
        let subject = json_string(&body, "/payload/uri");
        Ok(Outcome::Events(vec![Event {
            dedup_id: subject.as_ref().map(|uri| format!("{event_type} {uri}")),
            event_type,
            occurred_at: json_string(&body, "/created_at").and_then(|t| rfc3339_to_ms(&t)),
            subject,
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let timestamp = (input.now_ms / 1000).to_string();
        let signature = sign_timestamped(&input.secret, &timestamp, '.', &input.body);
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json; charset=utf-8".into(),
                },
                Header {
                    name: "User-Agent".into(),
                    value: "Calendly Webhooks".into(),
                },
                Header {
                    name: "Calendly-Webhook-Signature".into(),
                    value: format!("t={timestamp},v1={signature}"),
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Calendly);
