//! Lithic webhooks (event subscriptions), signed the Standard Webhooks way
//! (Lithic delivers through Svix): headers `webhook-id`, `webhook-timestamp`
//! (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256(key,
//! "{id}.{timestamp}.{raw body}")>`, several space-separated while a rotated
//! secret is still active; the key is the base64 after `whsec_`. The
//! timestamp must be within 300 s of the host clock (the libraries' default).
//! This is what Lithic's libraries check (`client.webhooks.verify_signature`
//! in `lithic`, with `standardwebhooks`). There is no handshake.
//!
//! Paste the event subscription's secret (`whsec_…`), shown with the
//! subscription in Lithic's dashboard and returned by `GET
//! /v1/event_subscriptions/{token}/secret`. Rotating it (`POST
//! …/secret/rotate`) keeps the old secret valid for 24 hours: paste the new
//! one next to the old one, remove the old one after.
//!
//! The body is the event's payload with its `event_type` (`card.created`,
//! `card_transaction.updated`, …): the event type is `event_type`, the dedup
//! id the `webhook-id` header (the same on retries), the subject the
//! resource's `token` (else `card_token`, `account_holder_token`,
//! `financial_account_token`), the time `created` when the payload has one.
//! Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

pub struct Lithic;

impl Declared for Lithic {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("lithic", "Lithic", "Lithic card issuing events: cards, transactions, account holders, tokenizations, 3DS, disputes, payments and financial accounts")
            .docs("https://docs.lithic.com/docs/events-api")
            .secret("Webhook secret", "The event subscription's secret (whsec_…), shown with the subscription in Lithic's dashboard or returned by GET /v1/event_subscriptions/{token}/secret. Paste it whole, whsec_ included.")
            .events_file(include_str!("../events.txt")),
        &Scheme::standard_webhooks(),
    )
    .event_type(Field::pointer("/event_type"))
    .dedup_id(Field::header("webhook-id"))
    .subject(Field::first(&[
        Field::pointer("/token"),
        Field::pointer("/card_token"),
        Field::pointer("/account_holder_token"),
        Field::pointer("/financial_account_token"),
    ]))
    .time(Time::rfc3339("/created"));
}

hookyard_sdk::export_adapter!(Lithic);
