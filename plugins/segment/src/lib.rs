//! Segment webhook destinations (classic "Webhooks" and "Webhooks (Actions)"):
//! when the destination has a shared secret, Segment sends `X-Signature`, the
//! hex HMAC-SHA1 of the raw body keyed with that secret. Segment signs no
//! timestamp, so replay protection rests on the dedup id.
//!
//! The body is one event of the Segment Spec, or with batching (Actions) a JSON
//! array of them: each element becomes one event. The event type is the
//! element's `type` (`track`, `identify`, `page`, `screen`, `group`, `alias`),
//! the dedup id its `messageId` (stable across Segment's retries), the subject
//! `userId` (else `anonymousId`), the time `timestamp`. Actions mappings can
//! reshape the payload, so both pointers can be changed in the settings.
//! Segment has no handshake. The shared secret is one value per destination:
//! to rotate it, add the new value here as a second active secret, then change
//! it in Segment, then retire the old one. Segment's destination code signs a
//! batch over its first event alone (`JSON.stringify(payload[0].data)` in
//! `@segment/action-destinations` 3.497.0), which leaves the other events of
//! the batch unauthenticated: such batches are rejected unless the source opts
//! in with `batch_signature_over_first_event`. A signature over the whole body
//! is always accepted.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Segment;

#[derive(Deserialize)]
struct Settings {
    #[serde(default)]
    batch_signature_over_first_event: bool,
}

impl Declared for Segment {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("segment", "Segment", "Segment Webhooks destinations (classic and Actions): track, identify, page, screen, group and alias calls")
            .docs("https://segment.com/docs/connections/destinations/catalog/actions-webhook/")
            .secret("Shared secret", "A secret you choose and type into Segment: Connections → Destinations → your Webhooks destination → Settings → \"Shared Secret\". Paste the same value here; without it Segment sends no X-Signature.")
            .events_file(include_str!("../events.txt"))
            .settings(&[
                ("event_type_pointer", r#"{"type": "string", "default": "/type", "description": "JSON pointer to the event type inside each event (change it when an Actions mapping reshapes the payload)"}"#),
                ("dedup_id_pointer", r#"{"type": "string", "default": "/messageId", "description": "JSON pointer to the dedup id inside each event"}"#),
                ("batch_signature_over_first_event", r#"{"type": "boolean", "default": false, "description": "Also accept a batch whose X-Signature covers only its first event, as Segment's Webhooks (Actions) batching signs today. The other events of such a batch are not authenticated: enable only if you batch and accept that risk"}"#),
            ])
            .discriminator(DiscriminatorLocation::Body, "/type")
            .discriminator_note("a batch is a JSON array: each element is one event with its own type"),
        &Scheme::body_hmac("X-Signature", Hmac::Sha1, Encoding::Hex),
    )
    .event_type(Field::setting_pointer("event_type_pointer", "/type"))
    .dedup_id(Field::setting_pointer("dedup_id_pointer", "/messageId"))
    .subject(Field::first(&[Field::pointer("/userId"), Field::pointer("/anonymousId")]))
    .time(Time::rfc3339("/timestamp"))
    .user_agent("Segment.io/1.0");

    /// The whole body's signature, or with the opt-in a batch's over its
    /// first element.
    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        let whole = Self::DECLARATION.verify(request, context);
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        match first_array_element(&request.body) {
            Some(first) if settings.batch_signature_over_first_event => match whole {
                Err(VerifyError::BadSignature) => {
                    let provided = [hex_decode(request.require_header("X-Signature")?)
                        .map_err(VerifyError::Malformed)?];
                    any_secret(context.require_secrets()?, &provided, |secret| {
                        crypto::hmac_sha1(secret.as_bytes(), first)
                    })
                }
                other => other,
            },
            _ => whole,
        }
    }

    /// One event per element of an array body, or the body's one event.
    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let settings: Value = context.settings().map_err(HandleError::Malformed)?;
        if body.as_array().is_some_and(Vec::is_empty) {
            return Err(HandleError::Malformed("empty batch".into()));
        }
        let mapping = Mapping {
            each: body.is_array().then_some(""),
            ..Self::DECLARATION.mapping
        };
        mapping
            .events_with(request, &body, &settings)
            .map(Outcome::Events)
    }
}

/// The raw bytes of the first element of a JSON array body (`[{…}, …]`), as
/// `JSON.stringify` wrote them; `None` when the body is not an array.
pub fn first_array_element(body: &[u8]) -> Option<&[u8]> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let open = body.iter().position(|b| !is_space(b))?;
    if body[open] != b'[' {
        return None;
    }
    let start = open + 1 + body[open + 1..].iter().position(|b| !is_space(b))?;
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in body.iter().enumerate().skip(start) {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth > 0 => depth -= 1,
            b',' | b']' if depth == 0 => {
                let element = body[start..i].trim_ascii_end();
                return (!element.is_empty()).then_some(element);
            }
            _ => {}
        }
    }
    None
}

hookyard_sdk::export_adapter!(Segment);
