//! Chargebee webhooks, protected by HTTP Basic authentication: Chargebee signs
//! nothing, but sends `Authorization: Basic base64(user:password)` when the
//! webhook has "Protect webhook URL with basic authentication" on (Chargebee
//! docs, "Webhooks" → "Basic authentication"). The credentials cover no part
//! of the body and no time, so they prove only who sent the request; Chargebee
//! documents its sending IP addresses as a second check. There is no
//! handshake.
//!
//! Make up a user name and a long random password, paste them here as
//! `user:password`, and give Chargebee the same pair: Settings → Configure
//! Chargebee → API Keys and Webhooks → Webhooks → Add webhook (or edit) →
//! "Protect webhook URL with basic authentication". To change them, add the
//! new pair here, change the webhook in Chargebee, then remove the old pair.
//!
//! The body is an event `{id, occurred_at, source, object: "event",
//! api_version, content, event_type, webhook_status}`: the type is
//! `event_type`, the dedup id the event `id` (`ev_…`, the same on retries),
//! the subject the subscription in `content` (else the customer, invoice,
//! credit note or transaction), the time `occurred_at` (Unix seconds).
//! Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

pub struct Chargebee;

impl Declared for Chargebee {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("chargebee", "Chargebee", "Chargebee subscription billing events: subscriptions, customers, invoices, payments, credit notes, quotes, catalog and more")
            .docs("https://www.chargebee.com/docs/2.0/webhook_settings.html")
            .secret("Basic auth credentials", "Chargebee does not sign webhooks. Make up a user name and a long random password, paste them here as user:password, and enter the same pair in Chargebee: Settings → Configure Chargebee → API Keys and Webhooks → Webhooks → your webhook → \"Protect webhook URL with basic authentication\".")
            .events_file(include_str!("../events.txt")),
        &Scheme::basic_auth(),
    )
    .event_type(Field::pointer("/event_type"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::first(&[
        Field::pointer("/content/subscription/id"),
        Field::pointer("/content/customer/id"),
        Field::pointer("/content/invoice/id"),
        Field::pointer("/content/credit_note/id"),
        Field::pointer("/content/transaction/id"),
    ]))
    .time(Time::unix_seconds("/occurred_at"));
}

hookyard_sdk::export_adapter!(Chargebee);
