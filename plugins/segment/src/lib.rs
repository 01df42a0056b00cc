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
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_type_pointer")]
    event_type_pointer: String,
    #[serde(default = "default_dedup_pointer")]
    dedup_id_pointer: String,
    #[serde(default)]
    batch_signature_over_first_event: bool,
}

fn default_type_pointer() -> String {
    "/type".into()
}

fn default_dedup_pointer() -> String {
    "/messageId".into()
}

const EVENTS: &str = catalog::checked(include_str!("../events.txt"));

const SIGNATURE_HEADER: &str = "X-Signature";

impl Adapter for Segment {
    fn manifest() -> Manifest {
        Manifest {
            name: "segment".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Segment".into(),
            description: "Segment Webhooks destinations (classic and Actions): track, identify, page, screen, group and alias calls".into(),
            docs_url: "https://segment.com/docs/connections/destinations/catalog/actions-webhook/".into(),
            secrets: vec![SecretSpec {
                label: "Shared secret".into(),
                help: "A secret you choose and type into Segment: Connections → Destinations → your Webhooks destination → Settings → \"Shared Secret\". Paste the same value here; without it Segment sends no X-Signature.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "event_type_pointer": {"type": "string", "default": "/type",
                        "description": "JSON pointer to the event type inside each event (change it when an Actions mapping reshapes the payload)"},
                    "dedup_id_pointer": {"type": "string", "default": "/messageId",
                        "description": "JSON pointer to the dedup id inside each event"},
                    "batch_signature_over_first_event": {"type": "boolean", "default": false,
                        "description": "Also accept a batch whose X-Signature covers only its first event, as Segment's Webhooks (Actions) batching signs today. The other events of such a batch are not authenticated: enable only if you batch and accept that risk"}
                },
                "additionalProperties": false
            })
            .to_string(),
            event_types: catalog::event_types(EVENTS),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/type".into(),
                note: "a batch is a JSON array: each element is one event with its own type".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let provided = [hex_decode(request.require_header(SIGNATURE_HEADER)?)
            .map_err(VerifyError::Malformed)?];
        let whole = any_secret(secrets, &provided, |secret| {
            crypto::hmac_sha1(secret.as_bytes(), &request.body)
        });
        match first_array_element(&request.body) {
            Some(first) if whole.is_err() && settings.batch_signature_over_first_event => {
                any_secret(secrets, &provided, |secret| {
                    crypto::hmac_sha1(secret.as_bytes(), first)
                })
            }
            _ => whole,
        }
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        let settings: Settings = context.settings().map_err(HandleError::Malformed)?;
        let elements = match request.json()? {
            Value::Array(items) => items,
            single => vec![single],
        };
        if elements.is_empty() {
            return Err(HandleError::Malformed("empty batch".into()));
        }
        elements
            .into_iter()
            .map(|element| to_event(element, &settings))
            .collect::<Result<Vec<_>, _>>()
            .map(Outcome::Events)
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let signature = hex_encode(&crypto::hmac_sha1(input.secret.as_bytes(), &input.body));
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header("User-Agent", "Segment.io/1.0".into()),
                header(SIGNATURE_HEADER, signature),
            ],
            body: input.body,
        })
    }
}

fn to_event(element: Value, settings: &Settings) -> Result<Event, HandleError> {
    if !element.is_object() {
        return Err(HandleError::Malformed(
            "each event must be a JSON object".into(),
        ));
    }
    let event_type = json_string(&element, &settings.event_type_pointer).ok_or_else(|| {
        HandleError::Malformed(format!("no event type at {}", settings.event_type_pointer))
    })?;
    Ok(Event {
        event_type,
        dedup_id: json_string(&element, &settings.dedup_id_pointer),
        occurred_at: json_string(&element, "/timestamp").and_then(|t| rfc3339_to_ms(&t)),
        subject: json_string(&element, "/userId").or_else(|| json_string(&element, "/anonymousId")),
        data: element.to_string(),
    })
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
