//! GitHub webhooks: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`.
//!
//! The event type is the `X-GitHub-Event` header, refined by the body's
//! `action` when it has one (`pull_request.opened`); the dedup id is
//! `X-GitHub-Delivery`, which GitHub keeps for manual redeliveries. GitHub signs
//! no timestamp, so replay protection rests on the delivery id. The legacy
//! SHA-1 header is accepted only when the SHA-256 one is absent.
//!
//! A webhook's "Content type" is `application/json` or, GitHub's default,
//! `application/x-www-form-urlencoded`: then the body is `payload=` and the
//! URL-encoded JSON. Both are accepted (the signature covers the raw body
//! either way), and the event's data is the same JSON.

use hookyard_sdk::prelude::*;
use serde::Deserialize;
use std::borrow::Cow;

/// The parts of a delivery the adapter reads.
#[derive(Deserialize)]
struct Body<'a> {
    #[serde(borrow, default)]
    action: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    repository: Option<Repository<'a>>,
}

#[derive(Deserialize)]
struct Repository<'a> {
    #[serde(borrow, default)]
    full_name: Option<Cow<'a, str>>,
}

pub struct GitHub;

const EVENTS: &[(&str, &str)] = &[
    (
        "branch_protection_rule",
        "Branch protection rule created, edited or deleted",
    ),
    ("check_run", "Check run activity"),
    ("check_suite", "Check suite activity"),
    ("code_scanning_alert", "Code scanning alert activity"),
    ("commit_comment", "A commit comment was created"),
    ("create", "A branch or tag was created"),
    ("delete", "A branch or tag was deleted"),
    ("dependabot_alert", "Dependabot alert activity"),
    ("deploy_key", "A deploy key was created or deleted"),
    ("deployment", "A deployment was created"),
    (
        "deployment_review",
        "A deployment review was requested or answered",
    ),
    ("deployment_status", "A deployment status was created"),
    ("discussion", "Discussion activity"),
    ("discussion_comment", "Discussion comment activity"),
    ("fork", "A repository was forked"),
    (
        "github_app_authorization",
        "A user revoked a GitHub App authorization",
    ),
    ("gollum", "A wiki page was created or updated"),
    ("installation", "GitHub App installation activity"),
    (
        "installation_repositories",
        "Repositories added to or removed from an installation",
    ),
    ("issue_comment", "Issue or pull request comment activity"),
    ("issues", "Issue activity"),
    ("label", "Label activity"),
    (
        "marketplace_purchase",
        "GitHub Marketplace purchase activity",
    ),
    ("member", "Collaborator activity"),
    ("membership", "Team membership activity"),
    ("merge_group", "Merge queue activity"),
    ("meta", "The webhook itself was deleted"),
    ("milestone", "Milestone activity"),
    (
        "org_block",
        "A user was blocked or unblocked by an organization",
    ),
    ("organization", "Organization activity"),
    ("package", "GitHub Packages activity"),
    ("page_build", "A GitHub Pages build ran"),
    ("ping", "Sent when the webhook is created"),
    ("project", "Project (classic) activity"),
    ("project_card", "Project (classic) card activity"),
    ("project_column", "Project (classic) column activity"),
    ("projects_v2_item", "Project item activity"),
    ("public", "A repository was made public"),
    ("pull_request", "Pull request activity"),
    ("pull_request_review", "Pull request review activity"),
    (
        "pull_request_review_comment",
        "Pull request review comment activity",
    ),
    (
        "pull_request_review_thread",
        "Pull request review thread activity",
    ),
    ("push", "Commits were pushed"),
    ("registry_package", "Registry package activity"),
    ("release", "Release activity"),
    ("repository", "Repository activity"),
    ("repository_dispatch", "A repository_dispatch API call"),
    ("repository_import", "A repository import finished"),
    (
        "repository_vulnerability_alert",
        "Vulnerability alert activity",
    ),
    ("secret_scanning_alert", "Secret scanning alert activity"),
    ("security_advisory", "Security advisory activity"),
    ("sponsorship", "Sponsorship activity"),
    ("star", "A repository was starred or unstarred"),
    ("status", "A commit status changed"),
    ("team", "Team activity"),
    ("team_add", "A repository was added to a team"),
    ("watch", "Someone started watching a repository"),
    ("workflow_dispatch", "A workflow was triggered manually"),
    (
        "workflow_job",
        "A workflow job was queued, started or completed",
    ),
    ("workflow_run", "A workflow run was requested or completed"),
];

impl Adapter for GitHub {
    fn manifest() -> Manifest {
        Manifest {
            name: "github".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "GitHub".into(),
            description: "Repository, organization and GitHub App webhooks".into(),
            docs_url: "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries".into(),
            secrets: vec![SecretSpec {
                label: "Webhook secret".into(),
                help: "The \"Secret\" you typed in the webhook's settings (repository or organization Settings → Webhooks, or your GitHub App's settings).".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Header,
                path: "X-GitHub-Event".into(),
                note: "plus \".\" and the body's action when present, e.g. pull_request.opened".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        type Mac = fn(&[u8], &[u8]) -> Vec<u8>;
        let (header, prefix, mac): (&str, &str, Mac) =
            if let Some(value) = request.header("X-Hub-Signature-256") {
                (value, "sha256=", crypto::hmac_sha256)
            } else if let Some(value) = request.header("X-Hub-Signature") {
                (value, "sha1=", crypto::hmac_sha1)
            } else {
                return Err(VerifyError::MissingSignature("X-Hub-Signature-256".into()));
            };
        let hex = header
            .trim()
            .strip_prefix(prefix)
            .ok_or_else(|| VerifyError::Malformed(format!("signature must start with {prefix}")))?;
        let provided = hex_decode(hex).map_err(VerifyError::Malformed)?;
        any_secret(secrets, &[provided], |secret| {
            mac(secret.as_bytes(), &request.body)
        })
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let event = request
            .header("X-GitHub-Event")
            .ok_or_else(|| HandleError::Malformed("X-GitHub-Event header is missing".into()))?;
        let json = payload(&request)?;
        // Only two fields matter; the payload is stored as sent.
        let body: Body<'_> = hookyard_sdk::serde_json::from_str(&json).map_err(|e| {
            HandleError::Malformed(format!("the payload is not a JSON object: {e}"))
        })?;
        let event_type = match &body.action {
            Some(action) => format!("{event}.{action}"),
            None => event.to_string(),
        };
        let subject = body
            .repository
            .and_then(|r| r.full_name)
            .map(Cow::into_owned);
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: request.header("X-GitHub-Delivery").map(str::to_string),
            occurred_at: None,
            subject,
            data: json.into_owned(),
        }]))
    }

    /// `event_type` is the type as stored (`pull_request.opened`): the
    /// header gets the event (`pull_request`), and an action after the dot
    /// must be the body's. Without it, only a `ping` body (it has `zen`) can
    /// be signed: GitHub's event name is not in the body.
    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let body: hookyard_sdk::serde_json::Value =
            hookyard_sdk::serde_json::from_slice(&input.body)
                .map_err(|e| format!("the body is not JSON: {e}"))?;
        let event = match input.event_type.as_deref() {
            Some(event_type) => {
                let (event, action) = match event_type.split_once('.') {
                    Some((event, action)) => (event, Some(action)),
                    None => (event_type, None),
                };
                let body_action = json_string(&body, "/action");
                if let Some(action) = action
                    && body_action.as_deref() != Some(action)
                {
                    return Err(format!(
                        "--event {event_type}: the body's action is {}, not {action:?} (GitHub's type is the X-GitHub-Event header, then the body's action)",
                        body_action.map_or("missing".into(), |a| format!("{a:?}"))
                    ));
                }
                event.to_string()
            }
            None if body.get("zen").is_some() => "ping".into(),
            None => {
                return Err("GitHub sends the event in the X-GitHub-Event header: pass the event type, e.g. --event pull_request.opened or --event push".into());
            }
        };
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
                header("User-Agent", "GitHub-Hookshot/hookyard".into()),
                header("X-GitHub-Event", event),
                header("X-GitHub-Delivery", input.delivery_id),
                header("X-Hub-Signature-256", format!("sha256={signature}")),
            ],
            body: input.body,
        })
    }
}

/// The JSON of a delivery: the body itself, or the `payload` field of a form
/// body (the webhook's content type `application/x-www-form-urlencoded`).
fn payload(request: &Request) -> Result<Cow<'_, str>, HandleError> {
    let form = request.header("Content-Type").is_some_and(|t| {
        t.trim()
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    if form {
        return request
            .form()
            .into_iter()
            .find(|(name, _)| name == "payload")
            .map(|(_, json)| Cow::Owned(json))
            .ok_or_else(|| {
                HandleError::Malformed(
                    "a form body (Content-Type application/x-www-form-urlencoded) without a payload field".into(),
                )
            });
    }
    std::str::from_utf8(&request.body).map(Cow::Borrowed).map_err(|_| {
        HandleError::Malformed(
            "the body is not UTF-8 JSON (GitHub sends JSON, or a payload= form when the webhook's content type is application/x-www-form-urlencoded)".into(),
        )
    })
}

hookyard_sdk::export_adapter!(GitHub);
