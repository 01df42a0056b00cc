//! Figma webhooks v2: Figma signs nothing; every request's JSON body carries
//! the webhook's `passcode`, which must equal a secret here (Figma's
//! "Webhooks security": compare the passcode in events with the one you
//! created the webhook with). A missing passcode is `missing-signature`, a
//! wrong one `unauthorized` (401; Figma's docs say a 400 would stop the
//! webhook at once, which this host does not send). The passcode proves the
//! sender, not the body, and no timestamp is signed. No handshake: creating
//! a webhook (unless created `PAUSED`) sends a `PING` event with the passcode,
//! stored like any other.
//!
//! What to paste: the `passcode` you chose when creating the webhook
//! (`POST /v2/webhooks`, or `PUT /v2/webhooks/:id` to change it); Figma's GET
//! endpoints return it empty. Rotating: add the new passcode here, set it with
//! `PUT /v2/webhooks/:id`, then remove the old one.
//!
//! The event type is `event_type` (`events.txt`), the subject the `file_key`
//! (absent on `PING`), the time `timestamp` (UTC ISO 8601, when the event was
//! triggered). Figma sends no event id, so events are deduplicated on the
//! body's hash. The stored data is the body as sent, passcode included.

use hookyard_sdk::prelude::*;

pub struct Figma;

impl Declared for Figma {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("figma", "Figma", "Figma webhooks v2: file updates, versions, deletes, library publishes, comments and Dev Mode status")
            .docs("https://developers.figma.com/docs/rest-api/webhooks/")
            .secret("Passcode", "The passcode you set when creating the webhook (POST /v2/webhooks) or last updating it (PUT /v2/webhooks/:id). Figma never shows it again: paste the same value.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_token("/passcode"),
    )
    .event_type(Field::pointer("/event_type"))
    .subject(Field::pointer("/file_key"))
    .time(Time::iso8601("/timestamp"));
}

hookyard_sdk::export_adapter!(Figma);
