//! Paystack webhooks: `x-paystack-signature: <hex HMAC-SHA512(secret key, raw
//! body)>` (Paystack docs, "Webhooks" → "Verify event origin"). No timestamp
//! is signed and there is no handshake; Paystack also documents the three IP
//! addresses it sends from, which a proxy in front may allow-list.
//!
//! Paste the integration's secret key (`sk_live_…` or `sk_test_…`): Paystack
//! dashboard → Settings → API Keys & Webhooks, where the webhook URL is set
//! too (one URL per mode, test and live). The secret key is the signing key:
//! when you generate a new one there, Paystack signs with the new key at
//! once, so add it here first if you can, and remove the old one after.
//! Test and live keys differ: a source for both modes takes both keys.
//!
//! The body is `{event, data}`: the event type is `event`, the subject the
//! transaction or transfer `reference` (else the subscription code, else
//! `data.id`), the time `paid_at` (else `created_at`/`createdAt`). Paystack
//! sends no event or delivery id, so events are deduplicated on the body
//! (a retry repeats it). Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

pub struct Paystack;

impl Declared for Paystack {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("paystack", "Paystack", "Paystack payments, transfers, refunds, disputes, subscriptions and dedicated accounts")
            .docs("https://paystack.com/docs/payments/webhooks/")
            .secret("Secret key", "Your integration's secret key (sk_live_… or sk_test_…), which signs webhooks: Paystack dashboard → Settings → API Keys & Webhooks. Paste it as shown; add the test key too if this source receives test events.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("x-paystack-signature", Hmac::Sha512, Encoding::Hex),
    )
    .event_type(Field::pointer("/event"))
    .subject(Field::first(&[
        Field::pointer("/data/reference"),
        Field::pointer("/data/subscription_code"),
        Field::pointer("/data/id"),
    ]))
    .time(Time::first(&[
        Time::rfc3339("/data/paid_at"),
        Time::rfc3339("/data/created_at"),
        Time::rfc3339("/data/createdAt"),
    ]));
}

hookyard_sdk::export_adapter!(Paystack);
