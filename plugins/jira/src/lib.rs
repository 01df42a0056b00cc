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

impl Declared for Jira {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("jira", "Jira", "Jira Cloud webhooks registered by a site admin, signed with a secret")
            .docs("https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks")
            .secret("Webhook secret", "The \"Secret\" of the webhook: Jira settings (cog) → System → WebHooks → Create a WebHook (or edit yours) → Secret. Jira can generate it or you type your own; paste the same value here.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Hub-Signature", Hmac::Sha256, Encoding::Hex).prefixed("sha256="),
    )
    .event_type(Field::pointer("/webhookEvent"))
    .dedup_id(Field::header("X-Atlassian-Webhook-Identifier"))
    .subject(Field::first(&[Field::pointer("/issue/key"), Field::pointer("/project/key")]))
    .time(Time::unix_millis("/timestamp"))
    .content_type("application/json; charset=utf-8")
    .user_agent("Atlassian Webhook HTTP Client")
    .sign_headers(&[("X-Atlassian-Webhook-Flow", "Primary")]);
}

hookyard_sdk::export_adapter!(Jira);
