//! Netlify deploy and form notifications ("outgoing webhooks"):
//! `X-Webhook-Signature: <JWS, HS256, keyed with the JWS secret token>` whose
//! claims are `iss: "netlify"` and `sha256`, the hex SHA-256 of the raw body
//! (docs.netlify.com/site-deploys/notifications, "Payload signature"). The
//! host's `verify-jwt` checks the HS256 signature and the issuer; the SDK's
//! `Scheme::jwt_body_hash` compares the body's hash. The JWS carries no time,
//! so there is no tolerance (a captured request can be replayed; deduplication catches exact repeats).
//!
//! What to paste: the "JWS secret token" you type when adding the outgoing
//! webhook (Project configuration → Notifications → Deploy notifications, or
//! Forms → Form notifications → Add notification → Outgoing webhook); without
//! one Netlify signs nothing and this adapter refuses everything. Rotating: each
//! notification has its own token; add the new one here, change it on every
//! notification, then remove the old one. No handshake.
//!
//! The body is the deploy (or the form submission) object: the event type is
//! the `X-Netlify-Event` header (not covered by the JWS), the subject the
//! site's id, the time `updated_at` (else `created_at`), the dedup id the event,
//! the object's id and its `updated_at` (one deploy goes through several events).

use hookyard_sdk::prelude::*;

pub struct Netlify;

impl Declared for Netlify {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("netlify", "Netlify", "Netlify deploy, form submission and split test notifications")
            .docs("https://docs.netlify.com/site-deploys/notifications/#payload-signature")
            .secret("JWS secret token", "The JWS secret token of the outgoing webhook notification (Project configuration → Notifications; Forms → Form notifications). Paste the same value.")
            .events_file(include_str!("../events.txt")),
        &Scheme::jwt_body_hash("X-Webhook-Signature", "sha256").issuer("netlify"),
    )
    .event_type(Field::header("X-Netlify-Event"))
    .dedup_id(Field::joined(&[Field::header("X-Netlify-Event"), Field::pointer("/id"), Field::pointer("/updated_at")], ":"))
    .subject(Field::pointer("/site_id"))
    .time(Time::first(&[Time::iso8601("/updated_at"), Time::iso8601("/created_at")]));
}

hookyard_sdk::export_adapter!(Netlify);
