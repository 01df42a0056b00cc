//! Liveblocks webhooks (rooms, presence, Storage and Yjs updates, comments,
//! threads, notifications), sent through Svix and signed the Standard
//! Webhooks way (liveblocks.io/docs/platform/webhooks): headers `webhook-id`, `webhook-timestamp` (Unix seconds)
//! and `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")>`,
//! several space-separated while secrets overlap. The key is the base64 after
//! `whsec_`, as `@liveblocks/node`'s `WebhookHandler` takes it (it refuses a
//! secret without `whsec_`); the timestamp must be within 300 s of the host
//! clock, the handler's tolerance.
//!
//! Paste the endpoint's signing secret (`whsec_…`): Liveblocks dashboard →
//! your project → Webhooks → the endpoint → "Signing secret". Rotating: add
//! the new secret here as soon as the dashboard shows it (both are accepted,
//! and Liveblocks may sign with both for a while), remove the old one once
//! deliveries carry the new signature. There is no handshake.
//!
//! The body is `{type, data: {projectId, roomId, …}}`: the event type is
//! `type`, the dedup id the `webhook-id` header (Svix's message id, equal
//! across retries), the subject the room (`data.roomId`; a custom
//! notification without a room: `data.userId`), the time the event's own
//! timestamp field (`updatedAt`, `enteredAt`, `leftAt`, `createdAt`,
//! `editedAt`, `deletedAt`, `addedAt`, `removedAt`, `triggeredAt`).
//! Catalog: `events.txt`, the 18 types of `@liveblocks/node` 3.24.2's
//! `WebhookEvent`.

use hookyard_sdk::prelude::*;

pub struct Liveblocks;

impl Declared for Liveblocks {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("liveblocks", "Liveblocks", "Liveblocks webhooks: rooms, presence, Storage and Yjs updates, comments, threads and notifications")
            .docs("https://liveblocks.io/docs/platform/webhooks")
            .secret("Signing secret", "The webhook endpoint's signing secret (whsec_…): Liveblocks dashboard → your project → Webhooks → the endpoint → Signing secret. Paste it whole, whsec_ included.")
            .events_file(include_str!("../events.txt")),
        &Scheme::standard_webhooks(),
    )
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::header("webhook-id"))
    .subject(Field::first(&[Field::pointer("/data/roomId"), Field::pointer("/data/userId")]))
    .time(Time::first(&[
        Time::rfc3339("/data/updatedAt"),
        Time::rfc3339("/data/enteredAt"),
        Time::rfc3339("/data/leftAt"),
        Time::rfc3339("/data/editedAt"),
        Time::rfc3339("/data/deletedAt"),
        Time::rfc3339("/data/addedAt"),
        Time::rfc3339("/data/removedAt"),
        Time::rfc3339("/data/triggeredAt"),
        Time::rfc3339("/data/createdAt"),
    ]));
}

hookyard_sdk::export_adapter!(Liveblocks);
