//! Bitbucket Cloud webhooks: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret,
//! body)>`, keyed with the webhook's secret (note: the header GitHub uses for
//! SHA-1, here carrying SHA-256).
//!
//! The event type is the `X-Event-Key` header (`repo:push`,
//! `pullrequest:created`), the dedup id `X-Request-UUID` (Bitbucket Data
//! Center's `X-Request-Id` as a fallback), the subject the body's
//! `repository.full_name`. Bitbucket signs no timestamp and has no handshake.
//! A webhook saved without a secret is sent unsigned; this adapter rejects those
//! (fail closed). Bitbucket keeps one secret per webhook, so to rotate: add the
//! new secret here, change it in Bitbucket, then remove the old one once retries
//! (`X-Attempt-Number`, up to three attempts) have drained. Atlassian's docs call
//! `X-Request-UUID` "the UUID of the request" without saying whether a retry
//! keeps it (unconfirmed); retries carry an `X-Attempt-Number`.

use hookyard_sdk::prelude::*;

pub struct Bitbucket;

const EVENTS: &[(&str, &str)] = &[
    ("repo:push", "A user pushes one or more commits"),
    ("repo:fork", "A user forks the repository"),
    ("repo:updated", "The repository's details changed"),
    ("repo:transfer", "The repository moved to another workspace"),
    (
        "repo:commit_comment_created",
        "A user commented on a commit",
    ),
    ("repo:commit_status_created", "A build status was created"),
    ("repo:commit_status_updated", "A build status was updated"),
    ("repo:imported", "A repository import finished"),
    ("repo:deleted", "The repository was deleted"),
    ("issue:created", "An issue was created"),
    ("issue:updated", "An issue was updated"),
    ("issue:comment_created", "A user commented on an issue"),
    ("pullrequest:created", "A pull request was created"),
    ("pullrequest:updated", "A pull request was updated"),
    (
        "pullrequest:changes_request_created",
        "A reviewer requested changes",
    ),
    (
        "pullrequest:changes_request_removed",
        "A change request was removed",
    ),
    ("pullrequest:approved", "A pull request was approved"),
    ("pullrequest:unapproved", "An approval was removed"),
    ("pullrequest:fulfilled", "A pull request was merged"),
    ("pullrequest:rejected", "A pull request was declined"),
    (
        "pullrequest:comment_created",
        "A user commented on a pull request",
    ),
    (
        "pullrequest:comment_updated",
        "A pull request comment was edited",
    ),
    (
        "pullrequest:comment_deleted",
        "A pull request comment was deleted",
    ),
    (
        "pullrequest:comment_resolved",
        "A pull request comment was resolved",
    ),
    (
        "pullrequest:comment_reopened",
        "A pull request comment was reopened",
    ),
    ("project:updated", "A project was updated"),
];

const SIGNATURE: BodyHmac =
    BodyHmac::new("X-Hub-Signature", Hmac::Sha256, Encoding::Hex).prefixed("sha256=");

impl Adapter for Bitbucket {
    fn manifest() -> Manifest {
        Manifest {
            name: "bitbucket".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Bitbucket Cloud".into(),
            description: "Bitbucket Cloud repository, pull request and issue webhooks".into(),
            docs_url: "https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/".into(),
            secrets: vec![SecretSpec {
                label: "Webhook secret".into(),
                help: "The webhook's Secret: Repository settings → Workflow → Webhooks → Add webhook (or Edit) → Secret. Type your own or click \"Generate secret\", copy it before saving, and paste the same value here. Webhooks without a secret are unsigned and rejected.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Header,
                path: "X-Event-Key".into(),
                note: String::new(),
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
        let event_key = request
            .header("X-Event-Key")
            .filter(|key| !key.trim().is_empty())
            .ok_or_else(|| HandleError::Malformed("X-Event-Key header is missing".into()))?
            .trim()
            .to_string();
        let body = request.json()?;
        let dedup_id = request
            .header("X-Request-UUID")
            .or_else(|| request.header("X-Request-Id"))
            .map(str::to_string);
        Ok(Outcome::Events(vec![Event {
            event_type: event_key,
            dedup_id,
            occurred_at: None,
            subject: json_string(&body, "/repository/full_name"),
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
                header("User-Agent", "Bitbucket-Webhooks/2.0".into()),
                header(
                    "X-Event-Key",
                    input.event_type.unwrap_or_else(|| "repo:push".into()),
                ),
                header("X-Request-UUID", input.delivery_id),
                header("X-Attempt-Number", "1".into()),
                header(SIGNATURE.header, signature),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Bitbucket);
