//! Pipedrive webhooks v2 (deals, leads, people, organizations, activities,
//! notes, products, pipelines, stages, users, projects): Pipedrive signs
//! nothing. Its protection is the webhook's optional "HTTP Auth" user name and
//! password, sent as `Authorization: Basic` on every notification
//! (developers.pipedrive.com, `POST /v1/webhooks` `http_auth_user` /
//! `http_auth_password`; Settings → Tools and apps → Webhooks → Create →
//! "HTTP Auth"). The body is not covered, and there is no timestamp.
//!
//! What to paste: `user:password`, the same pair you set on the webhook (make
//! up a user name and a long random password; a webhook without them cannot be
//! accepted here). Rotating: add the new pair as a second secret, create the
//! webhook again with it and delete the old webhook, then remove the old pair.
//! There is no handshake.
//!
//! The body is `{data, previous, meta}`: the event type is
//! `<meta.action>.<meta.entity>` (`change.deal`), the subject
//! `<meta.entity>/<meta.entity_id>`, the time `meta.timestamp` (RFC 3339, or
//! Unix seconds), the dedup id the action, entity, id and timestamp (v2 sends
//! one notification per change; `meta.attempt` grows on retries, so the body
//! hash would not catch them). Catalog: `events.txt`, the 3 actions × 16
//! objects of "List of Webhooks v2"; v1 webhooks (`added.deal`, `updated.*`)
//! are a different payload and not read here.

use hookyard_sdk::prelude::*;

pub struct Pipedrive;

impl Declared for Pipedrive {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("pipedrive", "Pipedrive", "Pipedrive webhooks v2: deals, leads, people, organizations, activities, notes, products, pipelines, users and projects")
            .docs("https://pipedrive.readme.io/docs/guide-for-webhooks-v2")
            .secret("HTTP Auth user:password", "Pipedrive does not sign webhooks. Make up a user name and a long random password, paste them here as user:password, and set the same pair as the webhook's HTTP Auth user name and password (Pipedrive → Settings → Tools and apps → Webhooks → Create new webhook, version 2; or http_auth_user / http_auth_password in POST /v1/webhooks).")
            .events_file(include_str!("../events.txt")),
        &Scheme::basic_auth(),
    )
    .event_type(Field::joined(&[Field::pointer("/meta/action"), Field::pointer("/meta/entity")], "."))
    .dedup_id(Field::joined(
        &[
            Field::pointer("/meta/action"),
            Field::pointer("/meta/entity"),
            Field::pointer("/meta/entity_id"),
            Field::pointer("/meta/timestamp"),
        ],
        ":",
    ))
    .subject(Field::joined(&[Field::pointer("/meta/entity"), Field::pointer("/meta/entity_id")], "/"))
    .time(Time::first(&[Time::rfc3339("/meta/timestamp"), Time::unix_seconds("/meta/timestamp")]));
}

hookyard_sdk::export_adapter!(Pipedrive);
