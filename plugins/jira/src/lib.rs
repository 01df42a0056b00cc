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

impl Declared for Jira {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("jira", "Jira", "Jira Cloud webhooks registered by a site admin, signed with a secret")
            .docs("https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks")
            .secret("Webhook secret", "The \"Secret\" of the webhook: Jira settings (cog) → System → WebHooks → Create a WebHook (or edit yours) → Secret. Jira can generate it or you type your own; paste the same value here.")
            .events(EVENTS),
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
