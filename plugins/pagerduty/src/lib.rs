//! PagerDuty v3 webhooks: `X-PagerDuty-Signature` holds one or more
//! comma-separated `v1=<hex HMAC-SHA256(secret, body)>`, one per signing secret
//! of the subscription — that is PagerDuty's rotation: while two secrets are
//! live, both signatures are sent and any one matching passes (and any of the
//! source's active secrets may match). Entries of other versions are ignored;
//! no `v1` at all is `missing-signature`. PagerDuty signs no timestamp.
//!
//! The event type is `event.event_type` (`incident.triggered`), the dedup id
//! `event.id` (the same on every retry), the subject the resource's id
//! (`event.data.id`, e.g. the incident), the time `event.occurred_at`. A new
//! subscription's test delivery is a `pagey.ping` event.

use hookyard_sdk::prelude::*;

pub struct PagerDuty;

const SIGNATURE_HEADER: &str = "X-PagerDuty-Signature";

const EVENT_TYPES: &[(&str, &str)] = &[
    ("incident.acknowledged", "An incident was acknowledged"),
    ("incident.annotated", "A note was added to an incident"),
    (
        "incident.conference_bridge.updated",
        "An incident's conference bridge number or URL was updated",
    ),
    (
        "incident.custom_field_values.updated",
        "An incident's custom field values were updated",
    ),
    (
        "incident.delegated",
        "An incident was reassigned to another escalation policy",
    ),
    (
        "incident.escalated",
        "An incident was escalated to another user in the same escalation level",
    ),
    (
        "incident.incident_type.changed",
        "An incident's incident type changed",
    ),
    (
        "incident.priority_updated",
        "An incident's priority changed",
    ),
    (
        "incident.reassigned",
        "An incident was reassigned to another user",
    ),
    ("incident.reopened", "An incident was reopened"),
    ("incident.resolved", "An incident was resolved"),
    (
        "incident.responder.added",
        "A responder was added to an incident",
    ),
    (
        "incident.responder.replied",
        "A responder replied to a request to help on an incident",
    ),
    (
        "incident.status_update_published",
        "A status update was added to an incident",
    ),
    (
        "incident.triggered",
        "An incident was newly created (triggered)",
    ),
    ("incident.unacknowledged", "An incident was unacknowledged"),
    (
        "incident.workflow.completed",
        "An incident workflow completed",
    ),
    ("incident.workflow.started", "An incident workflow started"),
    (
        "pagey.ping",
        "A test event sent to check the webhook subscription",
    ),
    ("service.created", "A service was created"),
    ("service.deleted", "A service was deleted"),
    ("service.updated", "A service was updated"),
];

/// The `v1` signatures of the header, decoded.
fn v1_signatures(header: &str) -> Result<Vec<Vec<u8>>, VerifyError> {
    let signatures = parse_signature_header(header, ',', '=')
        .into_iter()
        .filter(|(version, _)| version == "v1")
        .map(|(_, hex)| hex_decode(&hex).map_err(VerifyError::Malformed))
        .collect::<Result<Vec<_>, _>>()?;
    if signatures.is_empty() {
        return Err(VerifyError::MissingSignature(format!(
            "{SIGNATURE_HEADER} (v1)"
        )));
    }
    Ok(signatures)
}

impl Adapter for PagerDuty {
    fn manifest() -> Manifest {
        Manifest {
            name: "pagerduty".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "PagerDuty".into(),
            description: "PagerDuty v3 webhook subscriptions: incident and service events".into(),
            docs_url: "https://developer.pagerduty.com/docs/verifying-signatures".into(),
            secrets: vec![SecretSpec {
                label: "Signing secret".into(),
                help: "The webhook subscription's secret. PagerDuty shows it once, when you create the subscription (Integrations → Generic Webhooks (v3) → New Webhook, in the dialog after Add Webhook) or in the API response of POST /webhook_subscriptions (delivery_method.secret). To rotate, create the new secret (POST /webhook_subscriptions/{id}/rotate_signing_secret), add it here as a second secret, then remove the old one.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: EVENT_TYPES
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/event/event_type".into(),
                note: String::new(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let signatures = v1_signatures(request.require_header(SIGNATURE_HEADER)?)?;
        any_secret(secrets, &signatures, |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &request.body)
        })
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/event/event_type")
            .filter(|t| !t.is_empty())
            .ok_or_else(|| HandleError::Malformed("no event.event_type".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&body, "/event/id"),
            occurred_at: json_string(&body, "/event/occurred_at").and_then(|t| iso8601_to_ms(&t)),
            subject: json_string(&body, "/event/data/id"),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let signature = hex_encode(&crypto::hmac_sha256(input.secret.as_bytes(), &input.body));
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header("User-Agent", "PagerDuty-Webhook/V3.0".into()),
                header("X-Webhook-Id", input.delivery_id),
                header(SIGNATURE_HEADER, format!("v1={signature}")),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(PagerDuty);
