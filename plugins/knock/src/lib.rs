//! Knock outbound webhooks: `x-knock-signature: t=<unix ms>,s=<base64
//! HMAC-SHA256(secret, "{t}.{raw body}")>` (Knock docs, "Outbound webhooks"
//! → "Verifying the signature": Stripe's scheme, but milliseconds and
//! base64). The timestamp must be within 5 minutes of now (Knock's example;
//! the `tolerance_seconds` setting).
//!
//! Paste the webhook's secret key: Knock dashboard → Platform → Webhooks
//! → the webhook → its secret key. Webhooks belong to one environment, so a
//! source receives one environment's events. Knock shows one secret per
//! webhook; keep an old one here while switching to a new webhook.
//!
//! Events: the type is `type` (also in the unsigned `x-knock-event` header),
//! the subject the entity's id (`data.id` for messages and runs, `data.key`
//! for workflows, layouts, partials, `data.promote_group_id`, the branch's
//! slug), the time `created_at`. Knock sends no event id: deliveries (retried
//! up to 8 times with the same payload) are deduplicated on the body's hash.
//!
//! Catalog: Knock's 31 webhook event types (see `events.txt`).

use hookyard_sdk::prelude::*;

pub struct Knock;

/// Stripe's scheme with Knock's key, milliseconds and base64.
const SIGNATURE: Timestamped = Timestamped {
    keys: ("t", "s"),
    ..Scheme::stripe_like("x-knock-signature")
        .millis()
        .encoding(Encoding::Base64)
        .tolerance_note(
            "Largest accepted age of the signed timestamp, either way (Knock's example: 5 minutes)",
        )
};

impl Declared for Knock {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("knock", "Knock", "Knock message status, workflow run and environment change events")
            .docs("https://docs.knock.app/developer-tools/outbound-webhooks/overview")
            .secret("Secret key", "The webhook's secret key: Knock dashboard → Platform → Webhooks → your webhook (in the environment it belongs to). Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &SIGNATURE,
    )
    .subject(Field::first(&[
        Field::pointer("/data/id"),
        Field::pointer("/data/key"),
        Field::pointer("/data/promote_group_id"),
        Field::pointer("/data/branch/slug"),
    ]))
    .time(Time::rfc3339("/created_at"));
}

hookyard_sdk::export_adapter!(Knock);
