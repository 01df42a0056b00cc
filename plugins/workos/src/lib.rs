//! WorkOS webhooks: `WorkOS-Signature: t=<unix milliseconds>, v1=<hex>`, where
//! v1 is the HMAC-SHA256 of `"{t}.{raw body}"` (t exactly as sent, in
//! milliseconds) keyed with the endpoint's webhook secret as-is. The timestamp
//! must be within 180 s of the host clock, WorkOS's own default in its SDKs
//! (`tolerance_seconds` changes it). WorkOS has no handshake.
//!
//! The event type is the body's `event` (`dsync.user.created`), the dedup id its
//! `id` (`event_01…`, the same on WorkOS's retries), the subject `data.id` (the
//! user, connection, directory or organization), the time `created_at`. Each
//! endpoint has one secret: to rotate it, add the new one here as a second
//! active secret before regenerating it in WorkOS, and remove the old one once
//! deliveries verify with the new one.

use hookyard_sdk::prelude::*;

pub struct WorkOs;

impl Declared for WorkOs {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("workos", "WorkOS", "WorkOS events: AuthKit users and sessions, SSO connections, Directory Sync, organizations")
            .docs("https://workos.com/docs/events/data-syncing/webhooks")
            .secret("Webhook secret", "The endpoint's signing secret: WorkOS dashboard → Webhooks → your endpoint → \"Signing secret\" (copy it from the endpoint's page). Use the secret of the matching environment (staging or production).")
            .events_file(include_str!("../events.txt")),
        // Milliseconds, signed as sent; 180 s is WorkOS SDKs' default.
        &Scheme::stripe_like("WorkOS-Signature")
            .millis()
            .tolerance(180)
            .pair_separator(", "),
    )
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/data/id"))
    .time(Time::rfc3339("/created_at"));
}

hookyard_sdk::export_adapter!(WorkOs);
