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

impl Declared for Bitbucket {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("bitbucket", "Bitbucket Cloud", "Bitbucket Cloud repository, pull request and issue webhooks")
            .docs("https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/")
            .secret("Webhook secret", "The webhook's Secret: Repository settings → Workflow → Webhooks → Add webhook (or Edit) → Secret. Type your own or click \"Generate secret\", copy it before saving, and paste the same value here. Webhooks without a secret are unsigned and rejected.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Hub-Signature", Hmac::Sha256, Encoding::Hex).prefixed("sha256="),
    )
    .event_type(Field::header("X-Event-Key"))
    .dedup_id(Field::first(&[Field::header("X-Request-UUID"), Field::header("X-Request-Id")]))
    .subject(Field::pointer("/repository/full_name"))
    .user_agent("Bitbucket-Webhooks/2.0")
    .sign_headers(&[("X-Attempt-Number", "1")]);
}

hookyard_sdk::export_adapter!(Bitbucket);
