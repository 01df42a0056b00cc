//! LINE Messaging API webhooks: `x-line-signature: <base64 HMAC-SHA256(channel
//! secret, raw body)>` (LINE's "Signature validation"; line-bot-sdk's
//! `SignatureValidator`). No timestamp is signed.
//!
//! Paste the channel secret: LINE Developers Console → your provider → the
//! Messaging API channel → Basic settings → Channel secret. When you reissue
//! it there, add the new one here and remove the old once LINE signs with the
//! new one. The console's webhook "Verify" button posts a signed body with an
//! empty `events` array: it is answered (no events stored).
//!
//! One request carries `{destination, events: [...]}`; each element is an
//! event: its `type` (`message`, `follow`, `postback`, …; see `events.txt`),
//! dedup id `webhookEventId` (the same on redelivery), subject the source's
//! `userId` (else `groupId`, `roomId`), time `timestamp` (Unix milliseconds).

use hookyard_sdk::prelude::*;

pub struct Line;

impl Declared for Line {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("line", "LINE Messaging API", "LINE Official Account webhooks: messages, follows, postbacks, group and membership events")
            .docs("https://developers.line.biz/en/reference/messaging-api/#signature-validation")
            .secret("Channel secret", "The Messaging API channel's secret: LINE Developers Console → provider → your Messaging API channel → Basic settings → Channel secret. Paste it as shown (not the channel access token).")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("one request carries several events: each element of events, its type"),
        &Scheme::body_hmac("x-line-signature", Hmac::Sha256, Encoding::Base64),
    )
    .each("/events")
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::pointer("/webhookEventId"))
    .subject(Field::first(&[
        Field::pointer("/source/userId"),
        Field::pointer("/source/groupId"),
        Field::pointer("/source/roomId"),
    ]))
    .time(Time::unix_millis("/timestamp"));
}

hookyard_sdk::export_adapter!(Line);
