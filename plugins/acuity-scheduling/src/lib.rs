//! Acuity Scheduling webhooks: `X-Acuity-Signature: <base64 HMAC-SHA256(API
//! key, raw body)>` (developers.acuityscheduling.com/docs/webhooks, "Verifying
//! Webhook Requests"; the `acuityscheduling` npm toolkit's
//! `verifyMessageSignature`). The body is a form (`application/x-www-form-urlencoded`):
//! `action`, `id`, and for appointments `calendarID` and `appointmentTypeID`.
//! No timestamp is signed and there is no handshake.
//!
//! What to paste: the API key Acuity signs with: the main admin's API key for
//! webhooks set in the account (Integrations → Webhooks), your user account's
//! API key for webhooks created with the Webhooks API (`POST /api/v1/webhooks`)
//! (the docs' "Verifying Webhook Requests"). The docs describe no key
//! rotation: if the key changes, add the new one here, then remove the old.
//!
//! The event type is `action` (`events.txt`; a leading `appointment.` is
//! dropped, as API subscriptions name the events `appointment.scheduled` and
//! so on, and the docs do not say which form their `action` takes), the
//! subject the `id` (appointment or order). The data is the form as a JSON
//! object. Acuity sends no event id or time: events are deduplicated on the
//! body's hash, so a notification identical to an earlier one (a second
//! `changed` of the same appointment) is taken for a redelivery and stored once.

use hookyard_sdk::prelude::*;

pub struct AcuityScheduling;

/// The form field `name`.
fn form_field(source: &hookyard_sdk::mapping::Source, name: &str) -> Option<String> {
    source
        .request
        .form()
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

impl Declared for AcuityScheduling {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("acuity-scheduling", "Acuity Scheduling", "Acuity Scheduling appointment and order webhooks")
            .docs("https://developers.acuityscheduling.com/docs/webhooks")
            .secret("API key", "The Acuity API key the webhooks are signed with: the main admin's API key for webhooks set under Integrations, your user account's API key for webhooks created with the Webhooks API. Paste the key alone, not the user ID.")
            .events_file(include_str!("../events.txt"))
            .discriminator(DiscriminatorLocation::Body, "/action")
            .discriminator_note("the form field action (the data is the form as an object); a leading appointment. is dropped"),
        &Scheme::body_hmac("X-Acuity-Signature", Hmac::Sha256, Encoding::Base64),
    )
    .non_json_bodies()
    .content_type("application/x-www-form-urlencoded")
    .event_type(Field::custom(|s| {
        let action = form_field(s, "action")?;
        Some(action.strip_prefix("appointment.").unwrap_or(&action).to_string())
    }))
    .subject(Field::custom(|s| form_field(s, "id")));
}

hookyard_sdk::export_adapter!(AcuityScheduling);
