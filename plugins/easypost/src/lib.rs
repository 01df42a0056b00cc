//! EasyPost webhooks: `X-Hmac-Signature: hmac-sha256-hex=<hex HMAC-SHA256(webhook
//! secret, raw body)>` (EasyPost docs, "Webhooks Guide" → "HMAC Validation";
//! EasyPost's libraries' `validate_webhook`). No timestamp is signed and
//! there is no handshake. The libraries key the HMAC with the secret in
//! Unicode NFKD form; this adapter uses the secret's bytes as pasted, which is
//! the same for ASCII secrets (paste a non-ASCII secret in NFKD form).
//!
//! Paste the webhook's secret: the `webhook_secret` you set when creating or
//! updating the webhook (EasyPost dashboard → Account Settings → Webhooks, or
//! `POST /v2/webhooks` / `PATCH /v2/webhooks/:id` with `webhook_secret`).
//! EasyPost keeps one secret a webhook: to rotate, add the new secret here,
//! update the webhook, then remove the old one. (EasyPost's other option,
//! Basic credentials in the webhook URL, is not this adapter's scheme.)
//!
//! The body is an Event `{object: "Event", id, mode, description,
//! previous_attributes, result, status, created_at, …}`: the event type is
//! `description` (`tracker.updated`), the dedup id the event `id` (`evt_…`),
//! the subject the `result` object's `id` (`trk_…`, `batch_…`, …), the time
//! `created_at`. Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

pub struct EasyPost;

impl Declared for EasyPost {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("easypost", "EasyPost", "EasyPost tracker, batch, scan form, shipment invoice, insurance, claim, payment, refund and report events")
            .docs("https://docs.easypost.com/guides/webhooks-guide")
            .secret("Webhook secret", "The webhook_secret you gave the webhook in EasyPost (Account Settings → Webhooks, or the Webhooks API's webhook_secret). Paste the same text here.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Hmac-Signature", Hmac::Sha256, Encoding::Hex).prefixed("hmac-sha256-hex="),
    )
    .event_type(Field::pointer("/description"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/result/id"))
    .time(Time::rfc3339("/created_at"));
}

hookyard_sdk::export_adapter!(EasyPost);
