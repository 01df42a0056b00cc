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
use serde::Deserialize;

pub struct Linear;

/// Linear's replay window: 60 s either way.
const LINEAR_TOLERANCE_SECONDS: i64 = 60;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_tolerance")]
    tolerance_seconds: i64,
}

fn default_tolerance() -> i64 {
    LINEAR_TOLERANCE_SECONDS
}

/// Every event type, `Entity.action` (the body's `type` and `action`), with
/// what happened.
const EVENTS: &[(&str, &str)] = &[
    ("Issue.create", "An issue was created"),
    ("Issue.update", "An issue was updated"),
    ("Issue.remove", "An issue was removed"),
    ("Comment.create", "A comment was created"),
    ("Comment.update", "A comment was updated"),
    ("Comment.remove", "A comment was removed"),
    ("IssueLabel.create", "An issue label was created"),
    ("IssueLabel.update", "An issue label was updated"),
    ("IssueLabel.remove", "An issue label was removed"),
    ("Reaction.create", "An emoji reaction was added"),
    ("Reaction.update", "An emoji reaction was updated"),
    ("Reaction.remove", "An emoji reaction was removed"),
    ("Attachment.create", "An issue attachment was created"),
    ("Attachment.update", "An issue attachment was updated"),
    ("Attachment.remove", "An issue attachment was removed"),
    ("Project.create", "A project was created"),
    ("Project.update", "A project was updated"),
    ("Project.remove", "A project was removed"),
    ("ProjectUpdate.create", "A project update was created"),
    ("ProjectUpdate.update", "A project update was updated"),
    ("ProjectUpdate.remove", "A project update was removed"),
    ("Document.create", "A document was created"),
    ("Document.update", "A document was updated"),
    ("Document.remove", "A document was removed"),
    ("Initiative.create", "An initiative was created"),
    ("Initiative.update", "An initiative was updated"),
    ("Initiative.remove", "An initiative was removed"),
    (
        "InitiativeUpdate.create",
        "An initiative update was created",
    ),
    (
        "InitiativeUpdate.update",
        "An initiative update was updated",
    ),
    (
        "InitiativeUpdate.remove",
        "An initiative update was removed",
    ),
    ("Cycle.create", "A cycle was created"),
    ("Cycle.update", "A cycle was updated"),
    ("Cycle.remove", "A cycle was removed"),
    ("Customer.create", "A customer was created"),
    ("Customer.update", "A customer was updated"),
    ("Customer.remove", "A customer was removed"),
    (
        "CustomerNeed.create",
        "A customer request (customer need) was created",
    ),
    (
        "CustomerNeed.update",
        "A customer request (customer need) was updated",
    ),
    (
        "CustomerNeed.remove",
        "A customer request (customer need) was removed",
    ),
    ("User.create", "A user was added to the workspace"),
    ("User.update", "A workspace user was updated"),
    ("User.remove", "A user was removed from the workspace"),
    ("IssueSLA.set", "An SLA was set on an issue"),
    (
        "IssueSLA.highRisk",
        "An issue's SLA is at high risk of being breached",
    ),
    ("IssueSLA.breached", "An issue's SLA was breached"),
    (
        "OAuthApp.revoked",
        "The OAuth application was revoked (de-authorized) by a workspace",
    ),
];

const SIGNATURE: BodyHmac = BodyHmac::new("Linear-Signature", Hmac::Sha256, Encoding::Hex);

impl Adapter for Linear {
    fn manifest() -> Manifest {
        Manifest {
            name: "linear".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Linear".into(),
            description: "Linear workspace data-change webhooks (issues, comments, projects, cycles)".into(),
            docs_url: "https://linear.app/developers/webhooks#securing-webhooks".into(),
            secrets: vec![SecretSpec {
                label: "Signing secret".into(),
                help: "The webhook's signing secret (lin_wh_…): Linear → Settings → API → Webhooks → your webhook; the secret is shown on the webhook's page (for OAuth apps: the application's settings → Webhook signing secret).".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": LINEAR_TOLERANCE_SECONDS,
                    "description": "Largest accepted difference between the body's webhookTimestamp and now (Linear uses 60 s)"}},
                "additionalProperties": false
            })
            .to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/type".into(),
                note: "joined with /action by a dot: Issue.create".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        SIGNATURE.verify(&request, secrets)?;
        // Only after the signature: the timestamp is inside the signed body.
        let body: Value = hookyard_sdk::serde_json::from_slice(&request.body)
            .map_err(|e| VerifyError::Malformed(format!("body is not JSON: {e}")))?;
        let millis = body
            .get("webhookTimestamp")
            .and_then(Value::as_i64)
            .ok_or_else(|| VerifyError::Malformed("body has no numeric webhookTimestamp".into()))?;
        check_timestamp(
            millis.div_euclid(1000),
            context.now_ms,
            settings.tolerance_seconds,
        )
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let entity = json_string(&body, "/type")
            .ok_or_else(|| HandleError::Malformed("payload has no type".into()))?;
        let event_type = match json_string(&body, "/action") {
            Some(action) if !action.is_empty() => format!("{entity}.{action}"),
            _ => entity,
        };
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: request.header("Linear-Delivery").map(str::to_string),
            occurred_at: json_string(&body, "/createdAt").and_then(|t| rfc3339_to_ms(&t)),
            subject: json_string(&body, "/data/id"),
            data: body.to_string(),
        }]))
    }

    /// Signs `input.body` as it is: Linear's own bodies carry `webhookTimestamp`,
    /// which `verify` then checks against the clock.
    fn sign(mut input: SignInput) -> Result<SignedRequest, String> {
        // Linear stamps each delivery: a JSON object body gets the send time
        // as its webhookTimestamp, as the vendor would send it now.
        let mut parsed = hookyard_sdk::serde_json::from_slice::<Value>(&input.body).ok();
        if let Some(Value::Object(body)) = &mut parsed {
            body.insert("webhookTimestamp".into(), input.now_ms.into());
            input.body = Value::Object(body.clone()).to_string().into_bytes();
        }
        let signature = SIGNATURE.sign(&input.secret, &input.body);
        let event = parsed
            .and_then(|b| json_string(&b, "/type"))
            .or(input
                .event_type
                .map(|t| t.split('.').next().unwrap_or_default().to_string()))
            .unwrap_or_else(|| "Issue".into());
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json; charset=utf-8".into()),
                header("User-Agent", "Linear-Webhook".into()),
                header("Linear-Delivery", input.delivery_id),
                header("Linear-Event", event),
                header("Linear-Signature", signature),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Linear);
