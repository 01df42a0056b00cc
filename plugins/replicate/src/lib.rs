//! Replicate webhooks (predictions and trainings), signed the Standard
//! Webhooks way: headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
//! `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")>`
//! (space-separated if several), the key the base64 after `whsec_`. The
//! timestamp must be within 300 s of the host clock (the tolerance the
//! Standard Webhooks libraries use; Replicate's own `validate` checks none
//! unless asked).
//!
//! Paste your account's (or organization's) webhook signing secret, `whsec_…`:
//! Replicate shows it only through the API, `GET
//! https://api.replicate.com/v1/webhooks/default/secret` with your API token
//! (the `key` of the answer; `replicate.webhooks.default.secret()` in the
//! libraries). One secret signs every webhook of the account; Replicate
//! documents no rotation. There is no handshake.
//!
//! The body is the prediction (or training) object, with no event name: the
//! event type is its `status` (`starting`, `processing`, `succeeded`, …; see
//! `events.txt`), the subject its `id`, the time `completed_at`, else
//! `started_at`, else `created_at`. A prediction sends several webhooks under
//! one id, so the dedup id is the `webhook-id` header (the same on retries).

use hookyard_sdk::prelude::*;

pub struct Replicate;

impl Declared for Replicate {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("replicate", "Replicate", "Replicate prediction and training webhooks")
            .docs("https://replicate.com/docs/topics/webhooks/verify-webhook")
            .secret("Webhook signing secret", "Your account's signing secret (whsec_…), shown only by the API: curl -s -H \"Authorization: Bearer $REPLICATE_API_TOKEN\" https://api.replicate.com/v1/webhooks/default/secret, then paste the \"key\" value whole.")
            .events_file(include_str!("../events.txt")),
        &Scheme::standard_webhooks(),
    )
    .event_type(Field::pointer("/status"))
    .dedup_id(Field::header("webhook-id"))
    .subject(Field::pointer("/id"))
    .time(Time::first(&[
        Time::rfc3339("/completed_at"),
        Time::rfc3339("/started_at"),
        Time::rfc3339("/created_at"),
    ]));
}

hookyard_sdk::export_adapter!(Replicate);
