//! Postmark webhooks: Postmark signs nothing. Its documented protection is HTTP
//! Basic auth credentials you add to the webhook (in the URL as
//! `https://user:password@…`, or in the webhook's "Basic auth credentials"),
//! plus an IP allowlist (configure that on the source). The secret is
//! `user:password`; the `Authorization: Basic` credentials are compared with it
//! in constant time, and a rotation is: add the new pair as a second secret,
//! change the webhook URL, remove the old pair. The body is not signed.
//!
//! The event type is the body's `RecordType` (`Delivery`, `Bounce`,
//! `SpamComplaint`, `Open`, `Click`, `SubscriptionChange`). Inbound-message
//! webhooks carry no `RecordType` and become `Inbound` (recognised by
//! `FromFull`). Postmark sends no delivery id: bounces and spam complaints are
//! deduplicated on their bounce `ID` (`Bounce:42`), everything else on the body
//! hash (a retry repeats the body). The subject is the `MessageID`; the time is
//! `DeliveredAt`, `BouncedAt`, `ReceivedAt`, `ChangedAt` or `Date`.

use hookyard_sdk::prelude::*;

pub struct Postmark;

impl Declared for Postmark {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("postmark", "Postmark", "Postmark delivery, bounce, spam complaint, open, click, subscription and inbound webhooks")
            .docs("https://postmarkapp.com/developer/webhooks/webhooks-overview")
            .secret("Basic auth credentials", "Postmark does not sign webhooks. Make up a user name and a long random password, paste them here as user:password, and give Postmark the same pair: Servers → your server → your message stream → Webhooks → Add webhook, either in the URL (https://user:password@your-hookyard-host/webhooks/…) or under \"Add Basic auth credentials\".")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("inbound messages have no RecordType and are typed Inbound"),
        &Scheme::basic_auth(),
    )
    .event_type(Field::first(&[
        Field::pointer("/RecordType"),
        Field::custom(|s| s.record.get("FromFull").map(|_| "Inbound".into())),
    ]))
    .dedup_id(Field::custom(|s| {
        let record_type = json_string(s.record, "/RecordType")?;
        let id = json_string(s.record, "/ID")?;
        matches!(record_type.as_str(), "Bounce" | "SpamComplaint").then(|| format!("{record_type}:{id}"))
    }))
    .subject(Field::pointer("/MessageID"))
    .time(Time::first(&[
        Time::iso8601("/DeliveredAt"),
        Time::iso8601("/BouncedAt"),
        Time::iso8601("/ReceivedAt"),
        Time::iso8601("/ChangedAt"),
        Time::iso8601("/Date"),
    ]));
}

hookyard_sdk::export_adapter!(Postmark);
