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

impl Declared for Bitbucket {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("bitbucket", "Bitbucket Cloud", "Bitbucket Cloud repository, pull request and issue webhooks")
            .docs("https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/")
            .secret("Webhook secret", "The webhook's Secret: Repository settings → Workflow → Webhooks → Add webhook (or Edit) → Secret. Type your own or click \"Generate secret\", copy it before saving, and paste the same value here. Webhooks without a secret are unsigned and rejected.")
            .events(EVENTS),
        &Scheme::body_hmac("X-Hub-Signature", Hmac::Sha256, Encoding::Hex).prefixed("sha256="),
    )
    .event_type(Field::header("X-Event-Key"))
    .dedup_id(Field::first(&[Field::header("X-Request-UUID"), Field::header("X-Request-Id")]))
    .subject(Field::pointer("/repository/full_name"))
    .user_agent("Bitbucket-Webhooks/2.0")
    .sign_headers(&[("X-Attempt-Number", "1")]);
}

hookyard_sdk::export_adapter!(Bitbucket);
