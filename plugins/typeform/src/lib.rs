//! Typeform webhooks: `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret,
//! body)>`, keyed with the secret set on the webhook (Typeform's "Secure your
//! webhooks" page; base64, not hex).
//!
//! The event type is the body's `event_type` (`form_response`, or
//! `form_response_partial` for partial responses), the dedup id `event_id`
//! (the same on Typeform's retries), the subject `form_response.form_id` and
//! the time `form_response.submitted_at`. Typeform signs no timestamp and has no
//! handshake. A webhook holds one secret, so to rotate: add the new secret here,
//! update it on the webhook in Typeform, then remove the old one once in-flight
//! retries have drained.

use hookyard_sdk::prelude::*;

pub struct Typeform;

const EVENTS: &[(&str, &str)] = &[
    ("form_response", "A respondent submitted the form"),
    (
        "form_response_partial",
        "A respondent answered part of the form (partial responses)",
    ),
];

const SIGNATURE: BodyHmac =
    BodyHmac::new("Typeform-Signature", Hmac::Sha256, Encoding::Base64).prefixed("sha256=");

impl Adapter for Typeform {
    fn manifest() -> Manifest {
        Manifest {
            name: "typeform".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Typeform".into(),
            description: "Typeform form responses".into(),
            docs_url: "https://www.typeform.com/developers/webhooks/secure-your-webhooks/".into(),
            secrets: vec![SecretSpec {
                label: "Webhook secret".into(),
                help: "A random string you choose and set as the webhook's secret: in Typeform open the form → Connect → Webhooks → Edit the webhook → Secret (or send it as `secret` when creating the webhook with the Webhooks API). Paste the same value here.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/event_type".into(),
                note: String::new(),
            },
            presets: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        SIGNATURE.verify(&request, secrets)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/event_type")
            .ok_or_else(|| HandleError::Malformed("payload has no event_type".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&body, "/event_id"),
            occurred_at: json_string(&body, "/form_response/submitted_at")
                .and_then(|t| rfc3339_to_ms(&t)),
            subject: json_string(&body, "/form_response/form_id"),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let signature = SIGNATURE.sign(&input.secret, &input.body);
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header("User-Agent", "Typeform Webhooks".into()),
                header(SIGNATURE.header, signature),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Typeform);
