//! Render webhooks (workspace notifications about deploys, service
//! availability, scaling, cron jobs, Render Postgres, Key Value and disks),
//! signed the Standard Webhooks way (render.com/docs/webhooks, "Communication
//! protocol"): headers `webhook-id` (the service event's `evt-…` id, equal
//! across retries), `webhook-timestamp` (Unix seconds, new on each attempt)
//! and `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")>`.
//! The key is the base64 after `whsec_`, as the `standardwebhooks` libraries
//! Render recommends (and its example receiver uses) take the secret. The
//! timestamp must be within 300 s of the host clock, the libraries' default
//! and the five minutes Render's docs suggest.
//!
//! Paste the webhook's signing secret (`whsec_…`) from Render Dashboard →
//! Integrations → Webhooks → the webhook → Settings. Render does not rotate a
//! secret in place: to replace one, create a new webhook with the same
//! settings, add its secret here (both are accepted meanwhile), then delete
//! the old webhook and remove its secret. There is no handshake.
//!
//! The body is the thin payload `{type, timestamp, data: {id, serviceId,
//! serviceName, status?}}`: the event type is `type`, the dedup id `data.id`
//! (else the `webhook-id` header; the same value), the subject the service
//! (`data.serviceId`, a database or Key Value id for those events), the time
//! `timestamp` (when the service event occurred, RFC 3339 with nanoseconds).
//! Catalog: `events.txt`, the 59 types of the docs' "Event types".

use hookyard_sdk::prelude::*;

pub struct Render;

impl Declared for Render {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("render", "Render", "Render workspace webhooks: deploys, service availability, scaling, cron jobs, Postgres, Key Value and disks")
            .docs("https://render.com/docs/webhooks")
            .secret("Signing secret", "The webhook's signing secret (whsec_…): Render Dashboard → Integrations → Webhooks → your webhook → Settings. Paste it whole, whsec_ included.")
            .events_file(include_str!("../events.txt")),
        &Scheme::standard_webhooks(),
    )
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::first(&[Field::pointer("/data/id"), Field::header("webhook-id")]))
    .subject(Field::pointer("/data/serviceId"))
    .time(Time::rfc3339("/timestamp"));
}

hookyard_sdk::export_adapter!(Render);
