//! Notion integration webhooks: `X-Notion-Signature: sha256=<hex
//! HMAC-SHA256(verification_token, raw body)>` (Notion API reference,
//! "Webhooks", step 3 "Validating event payloads").
//!
//! Setup: in the integration's settings (notion.so/profile/integrations →
//! the integration → Webhooks) create a subscription with this source's URL.
//! Notion then POSTs, once and unsigned, `{"verification_token":
//! "secret_…"}`. It cannot be authenticated (the token is the secret, not yet
//! shared), so this adapter accepts exactly that body, on any source, as an
//! event of type `verification` whose data is the token: read it from the
//! event, paste it in Notion's "Verify" dialog and as this source's secret.
//! Nothing else is accepted unsigned, and a source without a secret rejects
//! every signed delivery (fail closed). Treat `verification` events as
//! unauthenticated: anyone who knows the URL can send one.
//!
//! Events: the type is `type` (`page.created`), the dedup id the event's
//! `id`, the subject `entity.id` (the page, database, data source, comment,
//! file upload or view), the time `timestamp`. Notion signs no timestamp and
//! retries up to 8 times over about 24 hours with the same `id`. Rotation:
//! a new verification (deleting and recreating the subscription) brings a new
//! token; keep the old one here until its retries are over.
//!
//! Catalog: every event type of Notion's "Webhook events" reference (31,
//! across API versions 2022-06-28, 2025-09-03 and 2026-03-11) plus
//! `verification` (see `events.txt`).

use hookyard_sdk::prelude::*;

pub struct Notion;

const SIGNATURE: &str = "X-Notion-Signature";

/// The verification token of Notion's one-time verification request: an
/// unsigned body with that one field and nothing else.
fn verification_token(request: &Request) -> Option<String> {
    if request.header(SIGNATURE).is_some() {
        return None;
    }
    let body = request.json().ok()?;
    let object = body.as_object().filter(|o| o.len() == 1)?;
    object
        .get("verification_token")?
        .as_str()
        .map(str::to_string)
}

impl Declared for Notion {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("notion", "Notion", "Notion page, database, data source, comment, file upload and view events")
            .docs("https://developers.notion.com/reference/webhooks")
            .secret("Verification token", "The verification_token Notion sent once when you created the webhook subscription (notion.so/profile/integrations → your integration → Webhooks): it arrives here as a `verification` event. Paste it in Notion's Verify dialog and here.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac(SIGNATURE, Hmac::Sha256, Encoding::Hex).prefixed("sha256="),
    )
    .event_type(Field::first(&[
        Field::pointer("/type"),
        Field::custom(|s| s.record.get("verification_token").map(|_| "verification".into())),
    ]))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/entity/id"))
    .time(Time::rfc3339("/timestamp"));

    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        match verification_token(request) {
            Some(_) => Self::DECLARATION
                .check_settings(&context.settings)
                .map_err(VerifyError::Malformed),
            None => Self::DECLARATION.verify(request, context),
        }
    }
}

hookyard_sdk::export_adapter!(Notion);
