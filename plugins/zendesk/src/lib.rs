//! Zendesk webhooks: `X-Zendesk-Webhook-Signature` is the base64 HMAC-SHA256
//! of the `X-Zendesk-Webhook-Signature-Timestamp` header value followed
//! directly by the raw body (`base64(HMAC(secret, TIMESTAMP + BODY))`, no
//! separator; an empty body for GET/DELETE), keyed with the webhook's signing
//! secret as-is. The timestamp is ISO 8601 UTC (`2021-03-25T05:09:27Z`).
//! Zendesk documents no replay window; this adapter applies the usual 300 s
//! (`tolerance_seconds`). Zendesk has no handshake. Checked against Zendesk's
//! "Verifying webhook authenticity" page and independent implementations
//! (all TIMESTAMP + BODY); an older revision of that page had an example
//! signature computed over BODY + TIMESTAMP, which does not match its own
//! formula and is not accepted here.
//!
//! Webhooks subscribed to Zendesk events send a fixed JSON schema: the type is
//! `type` (`zen:event-type:user.created`), the dedup id the event `id`, the
//! subject `subject` (`zen:ticket:35436`), the time `time`. Webhooks connected
//! to triggers and automations send the body you wrote (JSON, form or XML, or
//! nothing): their type is read at `event_type_pointer` when the body is JSON,
//! else `default_event_type` (`trigger`), and their dedup id is the
//! `X-Zendesk-Webhook-Invocation-Id` header, which Zendesk keeps across retries
//! of one invocation. "Test webhook" requests sent before a webhook exists are
//! signed with Zendesk's public test secret; do not make that an active secret.
//! To rotate, reset the secret in Zendesk (Admin Center → Webhooks → your
//! webhook → Reset secret) and add the new value here next to the old one until
//! deliveries verify with it.

use hookyard_sdk::mapping::Source;
use hookyard_sdk::prelude::*;

pub struct Zendesk;

const INVOCATION_HEADER: &str = "X-Zendesk-Webhook-Invocation-Id";

const EVENT_TYPE: Field = Field::first(&[
    Field::setting_pointer("event_type_pointer", "/type"),
    Field::setting("default_event_type", "trigger"),
]);

/// The value at `pointer` of Zendesk's own event schema: only it has a
/// trustworthy id, subject and time (a trigger body may well carry
/// `"id": "{{ticket.id}}"`, the same on every update).
fn zendesk_event(source: &Source, pointer: &str) -> Option<String> {
    EVENT_TYPE
        .read(source)
        .filter(|t| t.starts_with("zen:event-type:"))?;
    json_string(source.record, pointer)
}

impl Declared for Zendesk {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("zendesk", "Zendesk", "Zendesk webhooks: ticket, user and organization events, and requests from triggers and automations")
            .docs("https://developer.zendesk.com/documentation/webhooks/verifying/")
            .secret("Signing secret", "The webhook's signing secret: Zendesk Admin Center → Apps and integrations → Webhooks → Webhooks → open your webhook → Signing secret → \"Reveal secret\". Each webhook has its own secret.")
            .events_file(include_str!("../events.txt"))
            .settings(&[
                ("event_type_pointer", r#"{"type": "string", "default": "/type", "description": "JSON pointer to the event type in JSON bodies (for trigger and automation payloads you wrote yourself)"}"#),
                ("default_event_type", r#"{"type": "string", "minLength": 1, "default": "trigger", "description": "The event type of requests whose body has none (trigger and automation webhooks)"}"#),
            ])
            .discriminator(DiscriminatorLocation::Body, "/type")
            .discriminator_note("trigger and automation requests without a type get default_event_type (\"trigger\")"),
        &Scheme::timestamp_then_body("X-Zendesk-Webhook-Signature", "X-Zendesk-Webhook-Signature-Timestamp", Hmac::Sha256, Encoding::Base64),
    )
    .event_type(EVENT_TYPE)
    .dedup_id(Field::first(&[
        Field::custom(|s| zendesk_event(s, "/id")),
        Field::header(INVOCATION_HEADER),
    ]))
    .subject(Field::custom(|s| zendesk_event(s, "/subject")))
    .time(Time::Custom(|s| {
        zendesk_event(s, "/time").and_then(|t| rfc3339_to_ms(&t))
    }))
    .user_agent("Zendesk Webhook")
    .sign_headers(&[("X-Zendesk-Webhook-Id", "01F1KRFQ6BG29CNWFR60NK5FNY")])
    .delivery_headers(&[INVOCATION_HEADER])
    // Trigger and automation bodies may be a form, XML or nothing.
    .non_json_bodies();
}

hookyard_sdk::export_adapter!(Zendesk);
