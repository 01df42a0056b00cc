//! FastSpring server webhooks: `X-FS-Signature: <base64 HMAC-SHA256(secret,
//! raw body)>` (FastSpring docs, "Message Security"). No timestamp is signed
//! and there is no handshake.
//!
//! Paste the webhook's HMAC SHA256 Secret: FastSpring app → Developer Tools →
//! Webhooks → Configuration → the webhook's URL endpoint → "HMAC SHA256
//! Secret" (you choose it; FastSpring leaves it optional and sends no
//! signature without one, which this adapter refuses: set one). To change it,
//! add the new secret here first, then change it in FastSpring, then remove
//! the old one.
//!
//! One request carries one or more events, `{"events": [{id, live,
//! processed, type, created, data}, …]}`; each becomes an event: its type
//! `type`, dedup id `id` (the same on automatic retries; a manual resend gets
//! a new one), subject `data.id` (else `data.subscription`, `data.order`,
//! `data.account`, when they are ids), time `created` (Unix milliseconds).
//! Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

pub struct FastSpring;

impl Declared for FastSpring {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("fastspring", "FastSpring", "FastSpring orders, subscriptions, co-term groups, quotes, returns, payouts, accounts and mailing list events")
            .docs("https://developer.fastspring.com/reference/message-security")
            .secret("HMAC SHA256 Secret", "The secret you entered in the webhook URL endpoint's \"HMAC SHA256 Secret\" field: FastSpring app → Developer Tools → Webhooks → Configuration. Without one FastSpring signs nothing; set one there and paste the same text here.")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("one request carries several events: each element of events, its type"),
        &Scheme::body_hmac("X-FS-Signature", Hmac::Sha256, Encoding::Base64),
    )
    .each("/events")
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::first(&[
        Field::pointer("/data/id"),
        Field::pointer("/data/subscription"),
        Field::pointer("/data/order"),
        Field::pointer("/data/account"),
    ]))
    .time(Time::unix_millis("/created"));
}

hookyard_sdk::export_adapter!(FastSpring);
