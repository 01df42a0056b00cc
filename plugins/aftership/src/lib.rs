//! AfterShip Tracking webhooks: `aftership-hmac-sha256: <base64
//! HMAC-SHA256(webhook secret, raw body)>` (AfterShip docs, Tracking →
//! "Webhook Signature"). No timestamp is signed and there is no handshake.
//! AfterShip's other products sign under other headers (Returns
//! `as-signature-hmac-sha256`, Shipping `am-webhook-signature`) and are not
//! handled here.
//!
//! Paste the webhook secret: AfterShip admin → Tracking → Settings →
//! Webhooks → "Webhook secret" (one per account, shared by its webhook URLs).
//! When you regenerate it there, AfterShip signs with the new one at once:
//! paste the new secret next to the old one, then remove the old one.
//!
//! The body is `{event, event_id, is_tracking_first_tag, msg, ts}`: the event
//! type is `event` (`tracking_update`, `edd_revise`, `tracking_pending_time`;
//! the status itself is `msg.tag`), the dedup id `event_id`, the subject the
//! tracking's `msg.id` (else `msg.tracking_number`), the time `ts` (Unix
//! seconds). Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

pub struct AfterShip;

impl Declared for AfterShip {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("aftership", "AfterShip", "AfterShip Tracking shipment status, estimated delivery date and pending-time updates")
            .docs("https://www.aftership.com/docs/tracking/webhook/webhook-signature")
            .secret("Webhook secret", "Your AfterShip account's webhook secret: AfterShip admin → Tracking → Settings → Webhooks → Webhook secret. Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("aftership-hmac-sha256", Hmac::Sha256, Encoding::Base64),
    )
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::pointer("/event_id"))
    .subject(Field::first(&[
        Field::pointer("/msg/id"),
        Field::pointer("/msg/tracking_number"),
    ]))
    .time(Time::unix_seconds("/ts"));
}

hookyard_sdk::export_adapter!(AfterShip);
