//! Sentry integration platform webhooks (internal and public integrations):
//! `Sentry-Hook-Signature` is the hex HMAC-SHA256 of the raw body keyed with
//! the integration's client secret. Sentry also sends `Sentry-Hook-Timestamp`,
//! but it is not signed, so it is not checked; Sentry has no handshake.
//!
//! The event type is the `Sentry-Hook-Resource` header (`issue`, `error`,
//! `event_alert`, …) plus `.` and the body's `action` when present
//! (`issue.resolved`); the dedup id the `Request-ID` header; the subject the
//! Sentry issue id where the payload has one (else the metric alert id or the
//! installation uuid). The client secret of an internal integration can be
//! rotated in Sentry; keep the old one active here until deliveries verify with
//! the new one.

use hookyard_sdk::prelude::*;

pub struct Sentry;

const EVENTS: &[(&str, &str)] = &[
    (
        "installation.created",
        "The integration was installed on an organization",
    ),
    ("installation.deleted", "The integration was uninstalled"),
    ("issue.created", "A new issue was created"),
    ("issue.resolved", "An issue was resolved"),
    ("issue.assigned", "An issue was assigned"),
    ("issue.archived", "An issue was archived (ignored)"),
    (
        "issue.unresolved",
        "An issue was unresolved (escalating or regressed)",
    ),
    (
        "error.created",
        "An error event was ingested (Business plans and above)",
    ),
    ("comment.created", "A comment was added to an issue"),
    ("comment.updated", "An issue comment was edited"),
    ("comment.deleted", "An issue comment was deleted"),
    (
        "event_alert.triggered",
        "An issue alert rule fired with this integration as its action",
    ),
    (
        "metric_alert.critical",
        "A metric alert reached its critical threshold",
    ),
    (
        "metric_alert.warning",
        "A metric alert reached its warning threshold",
    ),
    ("metric_alert.resolved", "A metric alert resolved"),
];

const SIGNATURE_HEADER: &str = "Sentry-Hook-Signature";
const RESOURCE_HEADER: &str = "Sentry-Hook-Resource";

/// Where the subject lives, by resource shape, first match wins.
const SUBJECT_POINTERS: &[&str] = &[
    "/data/issue/id",
    "/data/issue_id",
    "/data/event/issue_id",
    "/data/error/issue_id",
    "/data/metric_alert/id",
    "/data/installation/uuid",
];

const SIGNATURE: BodyHmac = BodyHmac::new(SIGNATURE_HEADER, Hmac::Sha256, Encoding::Hex);

impl Adapter for Sentry {
    fn manifest() -> Manifest {
        Manifest {
            name: "sentry".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Sentry".into(),
            description: "Sentry integration platform webhooks: issues, errors, comments, issue and metric alerts, installations".into(),
            docs_url: "https://docs.sentry.io/integrations/integration-platform/webhooks/#sentry-hook-signature".into(),
            secrets: vec![SecretSpec {
                label: "Client secret".into(),
                help: "The integration's Client Secret: Sentry → Settings → Developer Settings → Custom Integrations → your integration → Credentials → Client Secret. The webhook URL and the resources to subscribe to are set on the same page.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Header,
                path: RESOURCE_HEADER.into(),
                note: "plus \".\" and the body's action when present, e.g. issue.resolved".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        SIGNATURE.verify(&request, secrets)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let resource = request
            .header(RESOURCE_HEADER)
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .ok_or_else(|| {
                HandleError::Malformed("Sentry-Hook-Resource header is missing".into())
            })?;
        let body = request.json()?;
        let event_type = match json_string(&body, "/action") {
            Some(action) if !action.is_empty() => format!("{resource}.{action}"),
            _ => resource.to_string(),
        };
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: request.header("Request-ID").map(str::to_string),
            occurred_at: None,
            subject: SUBJECT_POINTERS.iter().find_map(|p| json_string(&body, p)),
            data: String::from_utf8(request.body).expect("valid JSON is UTF-8"),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let signature = SIGNATURE.sign(&input.secret, &input.body);
        let (resource, _action) = input
            .event_type
            .as_deref()
            .unwrap_or("issue.created")
            .split_once('.')
            .unwrap_or(("issue", ""));
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header("Request-ID", input.delivery_id),
                header(RESOURCE_HEADER, resource.to_string()),
                header(
                    "Sentry-Hook-Timestamp",
                    input.now_ms.div_euclid(1000).to_string(),
                ),
                header(SIGNATURE_HEADER, signature),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Sentry);
