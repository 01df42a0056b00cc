//! Brex webhooks: headers `Webhook-Id`, `Webhook-Timestamp` (Unix seconds) and
//! `Webhook-Signature: v1,<base64 HMAC-SHA256(base64-decoded secret,
//! "{id}.{timestamp}.{raw body}")>`, two space-separated while a secret is
//! being rotated (Brex developer docs, "Webhooks" → verifying the signature):
//! the Standard Webhooks computation, with Brex's secrets bare base64 (no
//! `whsec_`). The timestamp must be within 300 s of the host clock. There is
//! no handshake.
//!
//! Paste the secret(s) `GET /v1/webhooks/secrets` returns (the `secret` of
//! each entry; one usually, two after a rotation: the new one and the one
//! about to be revoked, `PENDING_REVOKE`). Brex offers the secrets only
//! through that API (OAuth-protected); after a rotation add the new secret
//! here and remove the old one once Brex has revoked it.
//!
//! The body is the event: the type is `event_type`, the dedup id the
//! `Webhook-Id` header (the same on retries), the subject the event's
//! resource id (`transfer_id`, `referral_id`, `expense_id` or `user_id`).
//! The body carries no event time. Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

pub struct Brex;

impl Declared for Brex {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("brex", "Brex", "Brex referral, transfer, expense payment and user events")
            .docs("https://developer.brex.com/guides/webhooks")
            .secret("Webhook secret", "A webhook signing secret from Brex's API: GET /v1/webhooks/secrets returns one (two after a rotation: paste both). Paste the secret value as returned (base64).")
            .events_file(include_str!("../events.txt")),
        &Scheme::standard_webhooks(),
    )
    .event_type(Field::pointer("/event_type"))
    .dedup_id(Field::header("Webhook-Id"))
    .subject(Field::first(&[
        Field::pointer("/transfer_id"),
        Field::pointer("/referral_id"),
        Field::pointer("/expense_id"),
        Field::pointer("/user_id"),
    ]));
}

hookyard_sdk::export_adapter!(Brex);
