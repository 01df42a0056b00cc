//! Authorize.net webhooks: `X-ANET-Signature: sha512=<hex HMAC-SHA512(Signature
//! Key, raw body)>` (Authorize.net developer docs, "Webhooks" → "Verifying the
//! notification"). Authorize.net writes the hex in upper case; any case is
//! accepted. The key is the Signature Key's text as shown (128 hex
//! characters), not the bytes it spells. No timestamp is signed and there is
//! no handshake.
//!
//! Paste the Signature Key: Merchant Interface → Account → Settings →
//! Security Settings → General Security Settings → API Credentials and Keys →
//! New Signature Key. It is one per account and signs every webhook at once;
//! generating a new one replaces it (the old one stops working within 24
//! hours), so paste the new key here next to the old one, then remove the old.
//!
//! The body is `{notificationId, eventType, eventDate, webhookId, payload}`:
//! the event type is `eventType`, the dedup id `notificationId` (the same on
//! retries), the subject `payload.id` (the transaction, customer profile,
//! payment profile or subscription id, per `payload.entityName`), the time
//! `eventDate`. Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

pub struct AuthorizeNet;

impl Declared for AuthorizeNet {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("authorize-net", "Authorize.net", "Authorize.net payment, fraud, customer profile and subscription (ARB) notifications")
            .docs("https://developer.authorize.net/api/reference/features/webhooks.html")
            .secret("Signature Key", "Your account's Signature Key (128 hex characters): Merchant Interface → Account → Settings → Security Settings → API Credentials and Keys → New Signature Key. Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-ANET-Signature", Hmac::Sha512, Encoding::Hex).prefixed("sha512="),
    )
    .event_type(Field::pointer("/eventType"))
    .dedup_id(Field::pointer("/notificationId"))
    .subject(Field::pointer("/payload/id"))
    .time(Time::rfc3339("/eventDate"));
}

hookyard_sdk::export_adapter!(AuthorizeNet);
