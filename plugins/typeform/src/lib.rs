//! Typeform webhooks: `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret,
//! body)>`, keyed with the secret set on the webhook (Typeform's "Secure your
//! webhooks" page; base64, not hex).
//!
//! The event type is the body's `event_type` (`form_response`, or
//! `form_response_partial` for partial responses), the dedup id `event_id`
//! (the same on Typeform's retries), the subject `form_response.form_id` and
//! the time `form_response.submitted_at`. Typeform signs no timestamp and has no
//! handshake. A webhook holds one secret, so to rotate: add the new secret here,
//! update it on the webhook in Typeform, then remove the old one once in-flight
//! retries have drained.

use hookyard_sdk::prelude::*;

pub struct Typeform;

impl Declared for Typeform {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("typeform", "Typeform", "Typeform form responses")
            .docs("https://www.typeform.com/developers/webhooks/secure-your-webhooks/")
            .secret("Webhook secret", "A random string you choose and set as the webhook's secret: in Typeform open the form → Connect → Webhooks → Edit the webhook → Secret (or send it as `secret` when creating the webhook with the Webhooks API). Paste the same value here.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("Typeform-Signature", Hmac::Sha256, Encoding::Base64).prefixed("sha256="),
    )
    .event_type(Field::pointer("/event_type"))
    .dedup_id(Field::pointer("/event_id"))
    .subject(Field::pointer("/form_response/form_id"))
    .time(Time::rfc3339("/form_response/submitted_at"))
    .user_agent("Typeform Webhooks");
}

hookyard_sdk::export_adapter!(Typeform);
