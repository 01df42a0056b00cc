//! ElevenLabs webhooks: `ElevenLabs-Signature: t=<unix seconds>,v0=<hex
//! HMAC-SHA256(webhook secret, "{t}.{raw body}")>`, as the elevenlabs SDKs'
//! `webhooks.construct_event` checks it. The SDKs accept a timestamp up to 30
//! minutes old; so does this adapter by default (either direction).
//!
//! Paste the webhook's secret, shown when you create the webhook: ElevenLabs
//! → Settings (workspace admins, for workspaces) → Webhooks → Create webhook
//! (HMAC authentication), then pick it in the product's settings (e.g. Agents
//! Platform → post-call webhook). To replace it, create another webhook and
//! keep both secrets here while switching. There is no handshake.
//!
//! The body is `{type, event_timestamp, data}`: the event type is `type`, the
//! subject the conversation (`data.conversation_id`) or voice
//! (`data.voice_id`), the time `event_timestamp`. ElevenLabs sends no event
//! id, so deliveries are deduplicated on the body's hash. Catalog:
//! `events.txt`.

use hookyard_sdk::prelude::*;

pub struct ElevenLabs;

const SIGNATURE: Timestamped = Timestamped {
    keys: ("t", "v0"),
    ..Scheme::stripe_like("ElevenLabs-Signature")
        .tolerance(1800)
        .tolerance_note("Largest accepted difference, in seconds and in either direction, between the signature's t and the host clock; default 1800 (the 30 minutes the elevenlabs SDKs allow)")
};

impl Declared for ElevenLabs {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("elevenlabs", "ElevenLabs", "ElevenLabs webhooks: Agents Platform post-call data and call failures, shared voice removals")
            .docs("https://elevenlabs.io/docs/eleven-api/resources/webhooks")
            .secret("Webhook secret", "The webhook's HMAC secret, shown when you create it: ElevenLabs → Settings → Webhooks → Create webhook (authentication HMAC). Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &SIGNATURE,
    )
    .event_type(Field::pointer("/type"))
    .subject(Field::first(&[Field::pointer("/data/conversation_id"), Field::pointer("/data/voice_id")]))
    .time(Time::unix_seconds("/event_timestamp"));
}

hookyard_sdk::export_adapter!(ElevenLabs);
