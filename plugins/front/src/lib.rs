//! Front rule webhooks: `X-Front-Signature: <base64 HMAC-SHA1(API secret, raw
//! body)>` (Front developer docs, "Rule webhooks" → "Validating data
//! integrity"). A rule's "Send to a webhook" action posts the Front event
//! (full payload or preview) that triggered it. Application webhooks (apps'
//! webhook feature: HMAC-SHA256 over `X-Front-Request-Timestamp:` + body, a
//! `sync` challenge, their own event names) are a different scheme and are not
//! handled here: they fail verification.
//!
//! Paste the company's API secret, which signs rule webhooks (Front's webhook
//! docs: Company Settings → Plugins & API → API). It is one per company: to
//! rotate, add the new one here when Front shows it, then remove the old one.
//! Front does not retry a failed rule webhook.
//!
//! Events: the type is the event's `type` (`inbound`, `assign`, …), the
//! dedup id its `id` (`evt_…`), the subject the conversation's `id`
//! (`cnv_…`), the time `emitted_at` (Unix seconds). No timestamp is signed;
//! there is no handshake.
//!
//! Catalog: the 37 types of Front's Event resource (see `events.txt`).

use hookyard_sdk::prelude::*;

pub struct Front;

impl Declared for Front {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("front", "Front", "Front conversation, message, comment, tag and call events from rule webhooks")
            .docs("https://dev.frontapp.com/docs/rule-webhooks")
            .secret("API secret", "Your Front company's API secret, which signs rule webhooks (Front's docs: Company Settings → Plugins & API → API). Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Front-Signature", Hmac::Sha1, Encoding::Base64),
    )
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/conversation/id"))
    .time(Time::unix_seconds("/emitted_at"));
}

hookyard_sdk::export_adapter!(Front);
