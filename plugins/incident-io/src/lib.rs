//! incident.io webhooks (incidents, follow-ups, actions, alerts, private
//! incident memberships), signed the Standard Webhooks way (incident.io
//! delivers through Svix): headers `webhook-id`, `webhook-timestamp` (Unix
//! seconds) and `webhook-signature: v1,<base64 HMAC-SHA256(key,
//! "{id}.{timestamp}.{raw body}")>`, several space-separated while a rotated
//! secret is still active; the key is the base64 after `whsec_`. The timestamp
//! must be within 300 s of the host clock (the Svix libraries' default, which
//! incident.io's docs point to). There is no handshake; "Send test event" in
//! the endpoint's settings sends a signed event.
//!
//! Paste the endpoint's "Signing secret" (`whsec_…`): incident.io → Settings →
//! Webhooks → the endpoint. Rotating: when the endpoint gets a new secret (Svix
//! signs with both while the old one is still valid, space-separated), paste
//! the new one next to the old one and remove the old one after.
//!
//! The body is `{"event_type": "<type>", "<type>": {…}}`: the event type is
//! `event_type`, the dedup id the `webhook-id` header (the same on retries), the
//! subject the payload's `id` (else its `incident_id`), the time the payload's
//! `updated_at`, else `created_at`. Catalog: `events.txt`.

use hookyard_sdk::mapping::Source;
use hookyard_sdk::prelude::*;

pub struct IncidentIo;

/// The value at `field` of the payload, the object named by the event type.
fn payload(source: &Source, field: &str) -> Option<String> {
    let event_type = source.record.get("event_type")?.as_str()?;
    json_string(source.record.get(event_type)?, field)
}

impl Declared for IncidentIo {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("incident-io", "incident.io", "incident.io incidents, follow-ups, actions, alerts and private incident memberships")
            .docs("https://docs.incident.io/api-reference/webhooks")
            .secret("Signing secret", "The webhook endpoint's Signing secret (whsec_…): incident.io → Settings → Webhooks → your endpoint. Paste it whole, whsec_ included.")
            .events_file(include_str!("../events.txt")),
        &Scheme::standard_webhooks(),
    )
    .event_type(Field::pointer("/event_type"))
    .dedup_id(Field::header("webhook-id"))
    .subject(Field::custom(|s| payload(s, "/id").or_else(|| payload(s, "/incident_id"))))
    .time(Time::Custom(|s| {
        let at = payload(s, "/updated_at").or_else(|| payload(s, "/created_at"))?;
        rfc3339_to_ms(&at)
    }));
}

hookyard_sdk::export_adapter!(IncidentIo);
