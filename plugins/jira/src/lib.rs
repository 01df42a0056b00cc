//! Jira Cloud webhooks registered by an admin (System → WebHooks) with a
//! secret: `X-Hub-Signature: sha256=<hex>` is the HMAC-SHA256 of the raw body
//! keyed with that secret (WebSub `method=signature`; only `sha256` is used).
//! Jira signs no timestamp and has no handshake. Webhooks registered by Connect
//! apps (JWT) or OAuth 2.0 apps are not signed this way and are rejected here.
//!
//! The event type is the body's `webhookEvent` (`jira:issue_updated`,
//! `comment_created`), the dedup id the `X-Atlassian-Webhook-Identifier` header
//! (unique per delivery and unchanged across Jira's retries, which carry
//! `X-Atlassian-Webhook-Retry`), the subject the issue key (else the project
//! key), the time the body's `timestamp` (ms). A webhook has one secret; to
//! change it, add the new value here as a second active secret, save it in Jira,
//! then remove the old one.

use hookyard_sdk::prelude::*;

pub struct Jira;

const EVENTS: &[(&str, &str)] = &[
    ("jira:issue_created", "An issue was created"),
    (
        "jira:issue_updated",
        "An issue was updated (the changelog lists the fields)",
    ),
    ("jira:issue_deleted", "An issue was deleted"),
    ("comment_created", "A comment was added to an issue"),
    ("comment_updated", "A comment was edited"),
    ("comment_deleted", "A comment was deleted"),
    ("worklog_created", "Work was logged on an issue"),
    ("worklog_updated", "A worklog was edited"),
    ("worklog_deleted", "A worklog was deleted"),
    ("attachment_created", "A file was attached to an issue"),
    ("attachment_deleted", "An attachment was deleted"),
    ("issuelink_created", "Two issues were linked"),
    ("issuelink_deleted", "An issue link was removed"),
    ("issue_property_set", "An issue property was set"),
    ("issue_property_deleted", "An issue property was deleted"),
    ("project_created", "A project was created"),
    ("project_updated", "A project was updated"),
    ("project_deleted", "A project was deleted"),
    ("project_soft_deleted", "A project was moved to the trash"),
    (
        "project_restored_deleted",
        "A project was restored from the trash",
    ),
    ("project_archived", "A project was archived"),
    (
        "project_restored_archived",
        "A project was restored from the archive",
    ),
    ("jira:version_created", "A version was created"),
    ("jira:version_updated", "A version was updated"),
    ("jira:version_released", "A version was released"),
    ("jira:version_unreleased", "A version was unreleased"),
    ("jira:version_moved", "A version was moved"),
    ("jira:version_merged", "A version was merged into another"),
    ("jira:version_deleted", "A version was deleted"),
    ("sprint_created", "A sprint was created"),
    ("sprint_updated", "A sprint was updated"),
    ("sprint_started", "A sprint was started"),
    ("sprint_closed", "A sprint was completed"),
    ("sprint_deleted", "A sprint was deleted"),
    ("board_created", "A board was created"),
    ("board_updated", "A board was updated"),
    (
        "board_configuration_changed",
        "A board's configuration changed",
    ),
    ("board_deleted", "A board was deleted"),
    ("user_created", "A user was created"),
    ("user_updated", "A user was updated"),
    ("user_deleted", "A user was deleted"),
    (
        "option_timetracking_changed",
        "The time tracking setting changed",
    ),
    ("option_voting_changed", "The voting setting changed"),
    ("option_watching_changed", "The watching setting changed"),
    ("option_subtasks_changed", "The sub-tasks setting changed"),
    (
        "option_attachments_changed",
        "The attachments setting changed",
    ),
    (
        "option_issuelinks_changed",
        "The issue linking setting changed",
    ),
    (
        "option_unassigned_issues_changed",
        "The unassigned issues setting changed",
    ),
];

const SIGNATURE_HEADER: &str = "X-Hub-Signature";
const DELIVERY_HEADER: &str = "X-Atlassian-Webhook-Identifier";

impl Adapter for Jira {
    fn manifest() -> Manifest {
        Manifest {
            name: "jira".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Jira".into(),
            description: "Jira Cloud webhooks registered by a site admin, signed with a secret".into(),
            docs_url: "https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks".into(),
            secrets: vec![SecretSpec {
                label: "Webhook secret".into(),
                help: "The \"Secret\" of the webhook: Jira settings (cog) → System → WebHooks → Create a WebHook (or edit yours) → Secret. Jira can generate it or you type your own; paste the same value here.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator { location: DiscriminatorLocation::Body, path: "/webhookEvent".into(), note: String::new() },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let header = request.require_header(SIGNATURE_HEADER)?;
        let (method, hex) = header.split_once('=').ok_or_else(|| {
            VerifyError::Malformed("X-Hub-Signature must be method=signature".into())
        })?;
        if !method.trim().eq_ignore_ascii_case("sha256") {
            return Err(VerifyError::Malformed(format!(
                "unsupported signature method {method:?} (expected sha256)"
            )));
        }
        let provided = hex_decode(hex).map_err(VerifyError::Malformed)?;
        any_secret(secrets, &[provided], |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &request.body)
        })
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/webhookEvent")
            .ok_or_else(|| HandleError::Malformed("body has no webhookEvent".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: request.header(DELIVERY_HEADER).map(str::to_string),
            occurred_at: body.get("timestamp").and_then(Value::as_i64),
            subject: json_string(&body, "/issue/key")
                .or_else(|| json_string(&body, "/project/key")),
            data: String::from_utf8(request.body).expect("valid JSON is UTF-8"),
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
                header("Content-Type", "application/json; charset=utf-8".into()),
                header("User-Agent", "Atlassian Webhook HTTP Client".into()),
                header("X-Atlassian-Webhook-Flow", "Primary".into()),
                header(DELIVERY_HEADER, input.delivery_id),
                header(SIGNATURE_HEADER, format!("sha256={signature}")),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Jira);
