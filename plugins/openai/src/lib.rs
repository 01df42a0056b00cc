//! OpenAI webhooks (platform webhooks: background responses, batches, evals,
//! fine-tuning, Realtime/Live calls, agents, safety), signed the Standard
//! Webhooks way: headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
//! `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")>`,
//! several space-separated while an old secret is kept alive; the key is the
//! base64 after `whsec_` (a secret without that prefix is used as its bytes,
//! as the `openai` library's `webhooks.verify_signature` does). The timestamp
//! must be within 300 s of the host clock, the library's default.
//!
//! Paste the endpoint's signing secret (`whsec_…`), shown once when you create
//! the endpoint: platform.openai.com → Settings → Project → Webhooks → Create
//! (or `POST /v1/webhook_endpoints`). Rotating (`rotate_secret`) can keep the
//! old secret valid for 24 hours: add the new secret here, keep the old one
//! until then. There is no handshake.
//!
//! The body is `{id, object: "event", created_at, type, data}`: the event type
//! is `type`, the dedup id the event's `id` (else the `webhook-id` header,
//! equal across retries), the subject the object in `data` (`data.id`, or the
//! call's `call_id` / Live `session_id`), the time `created_at`. Catalog: see
//! `events.txt` (34 types from openai-python 3.60.0).

use hookyard_sdk::prelude::*;

pub struct OpenAi;

impl Declared for OpenAi {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("openai", "OpenAI", "OpenAI platform webhooks: background responses, batches, evals, fine-tuning, Realtime/Live calls, agents and safety")
            .docs("https://platform.openai.com/docs/guides/webhooks")
            .secret("Signing secret", "The endpoint's signing secret (whsec_…), shown once when you create it: platform.openai.com → Settings → Project → Webhooks → Create. Paste it whole, whsec_ included.")
            .events_file(include_str!("../events.txt")),
        &Scheme::standard_webhooks().key(StandardKey::WhsecOrText),
    )
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::first(&[Field::pointer("/id"), Field::header("webhook-id")]))
    .subject(Field::first(&[
        Field::pointer("/data/id"),
        Field::pointer("/data/call_id"),
        Field::pointer("/data/session_id"),
    ]))
    .time(Time::unix_seconds("/created_at"));
}

hookyard_sdk::export_adapter!(OpenAi);
