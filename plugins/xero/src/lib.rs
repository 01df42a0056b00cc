//! Xero webhooks: `x-xero-signature: <base64 HMAC-SHA256(webhooks key, raw
//! body)>` (Xero developer docs, "Webhooks" → "Configuring your server" →
//! "Intent to receive"). Paste the app's "Webhooks key", shown under
//! developer.xero.com → My Apps → your app → Webhooks once a webhook exists.
//! Xero shows one key per app; to change it, keep both here while switching.
//!
//! A delivery is `{"events": [ … ], "firstEventSequence", "lastEventSequence",
//! "entropy"}`: one event per element, its type `eventCategory.eventType`
//! (`INVOICE.UPDATE`), its subject `resourceId`, its time `eventDateUtc` (UTC
//! without a zone), its dedup id the tenant, type, resource and time joined
//! (Xero sends no event id). No timestamp is signed.
//!
//! Xero wants `200` with no body for every signed request and `401` for a
//! badly signed one (the host answers rejected requests `401`). "Intent to
//! receive" (when a webhook is created, re-enabled or its URL changed) is a
//! series of such requests with an empty `events` list, some signed with
//! another key: those signed well are answered `200` with no body and store
//! nothing, the others get `401`.
//!
//! Catalog: Xero's 8 event types (see `events.txt`).

use hookyard_sdk::prelude::*;

pub struct Xero;

/// `200` with no body, as Xero expects.
fn ok() -> DirectResponse {
    DirectResponse {
        status: 200,
        headers: vec![],
        body: vec![],
    }
}

impl Declared for Xero {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("xero", "Xero", "Xero contact, invoice, credit note and app subscription events")
            .docs("https://developer.xero.com/documentation/guides/webhooks/overview/")
            .secret("Webhooks key", "The app's webhooks key: developer.xero.com → My Apps → your app → Webhooks (shown once a webhook subscription exists). Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("x-xero-signature", Hmac::Sha256, Encoding::Base64),
    )
    .each("/events")
    .event_type(Field::joined(&[Field::pointer("/eventCategory"), Field::pointer("/eventType")], "."))
    .dedup_id(Field::joined(
        &[Field::pointer("/tenantId"), Field::pointer("/eventCategory"), Field::pointer("/eventType"), Field::pointer("/resourceId"), Field::pointer("/eventDateUtc")],
        ":",
    ))
    .subject(Field::pointer("/resourceId"))
    .time(Time::iso8601("/eventDateUtc"));

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let events = match Self::DECLARATION.handle_in(request, context)? {
            Outcome::Events(events) => events,
            other => return Ok(other),
        };
        Ok(match events.is_empty() {
            true => Outcome::Respond(ok()),
            false => Outcome::Reply(Reply {
                events,
                response: Some(ok()),
                follow_up: None,
            }),
        })
    }
}

hookyard_sdk::export_adapter!(Xero);
