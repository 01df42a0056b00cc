//! Adyen standard webhooks: one POST carries a batch of `notificationItems`,
//! each a `NotificationRequestItem` signed on its own — its
//! `additionalData.hmacSignature` is the base64 HMAC-SHA256, keyed with the
//! hex-decoded HMAC key, of `pspReference:originalReference:merchantAccountCode:
//! merchantReference:value:currency:eventCode:success` (absent fields empty,
//! `value`/`currency` from `amount`). Every item must verify with one of the
//! active keys, otherwise the whole request is rejected. No timestamp is
//! signed. Rotation: Adyen signs with one key per webhook; generate the new key
//! in the Customer Area, add it here as a second secret before saving it there,
//! and remove the old one once deliveries verify with the new one.
//!
//! Each item becomes one event: type `eventCode` (`AUTHORISATION`), dedup id
//! `pspReference:eventCode` (Adyen's advice for spotting duplicates), subject
//! `merchantReference`, time `eventDate`, data the `NotificationRequestItem`.
//! Adyen accepts a delivery on any 2xx answer (older integrations and the
//! Customer Area's test button look for the body `[accepted]`).

use hookyard_sdk::prelude::*;
use hookyard_sdk::serde_json;

pub struct Adyen;

const EVENT_CODES: &str = catalog::checked(include_str!("../events.txt"));

/// The `NotificationRequestItem`s of a body.
fn items(body: &Value) -> Result<Vec<&Value>, String> {
    let list = body
        .get("notificationItems")
        .and_then(Value::as_array)
        .ok_or("no notificationItems array")?;
    if list.is_empty() {
        return Err("notificationItems is empty".into());
    }
    list.iter()
        .map(|entry| {
            entry
                .get("NotificationRequestItem")
                .filter(|item| item.is_object())
                .ok_or_else(|| "an item has no NotificationRequestItem object".to_string())
        })
        .collect()
}

/// The string Adyen signs for one item.
pub fn signing_string(item: &Value) -> String {
    let field = |pointer: &str| json_string(item, pointer).unwrap_or_default();
    [
        field("/pspReference"),
        field("/originalReference"),
        field("/merchantAccountCode"),
        field("/merchantReference"),
        field("/amount/value"),
        field("/amount/currency"),
        field("/eventCode"),
        field("/success"),
    ]
    .join(":")
}

fn hmac_keys(secrets: &[String]) -> Result<Vec<Vec<u8>>, VerifyError> {
    secrets
        .iter()
        .map(|s| {
            hex_decode(s).map_err(|_| {
                VerifyError::Malformed(
                    "a configured HMAC key is not hex (copy it from the Customer Area)".into(),
                )
            })
        })
        .collect()
}

impl Adapter for Adyen {
    fn manifest() -> Manifest {
        Manifest {
            name: "adyen".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Adyen".into(),
            description: "Adyen standard webhooks (payments, modifications, disputes, reports), HMAC-signed per item".into(),
            docs_url: "https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures".into(),
            secrets: vec![SecretSpec {
                label: "HMAC key".into(),
                help: "The webhook's HMAC key, 64 hex characters: Customer Area → Developers → Webhooks → your Standard webhook → Security → HMAC Key → Generate (copy it before you save the webhook).".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: catalog::event_types(EVENT_CODES),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/notificationItems/*/NotificationRequestItem/eventCode".into(),
                note: "one event per notificationItems entry, typed by its eventCode".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let keys = hmac_keys(secrets)?;
        let body: Value = serde_json::from_slice(&request.body)
            .map_err(|e| VerifyError::Malformed(format!("body is not JSON: {e}")))?;
        let items = items(&body).map_err(VerifyError::Malformed)?;
        for item in items {
            let provided = match json_string(item, "/additionalData/hmacSignature") {
                Some(s) if !s.is_empty() => base64_decode(&s).map_err(VerifyError::Malformed)?,
                _ => {
                    return Err(VerifyError::MissingSignature(
                        "additionalData.hmacSignature".into(),
                    ));
                }
            };
            let message = signing_string(item);
            let mut matched = false;
            for key in &keys {
                matched |= crypto::constant_time_eq(
                    &crypto::hmac_sha256(key, message.as_bytes()),
                    &provided,
                );
            }
            if !matched {
                return Err(VerifyError::BadSignature);
            }
        }
        Ok(())
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let items = items(&body).map_err(HandleError::Malformed)?;
        let events = items
            .into_iter()
            .map(|item| {
                let event_code = json_string(item, "/eventCode")
                    .filter(|c| !c.is_empty())
                    .ok_or_else(|| HandleError::Malformed("an item has no eventCode".into()))?;
                let dedup_id = json_string(item, "/pspReference")
                    .filter(|p| !p.is_empty())
                    .map(|psp| format!("{psp}:{event_code}"));
                Ok(Event {
                    event_type: event_code,
                    dedup_id,
                    occurred_at: json_string(item, "/eventDate").and_then(|t| iso8601_to_ms(&t)),
                    subject: json_string(item, "/merchantReference").filter(|r| !r.is_empty()),
                    data: item.to_string(),
                })
            })
            .collect::<Result<Vec<_>, HandleError>>()?;
        Ok(Outcome::Events(events))
    }

    /// Signs every item of `input.body` (a notification batch) with the hex
    /// key, replacing any `hmacSignature` already there.
    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let key =
            hex_decode(&input.secret).map_err(|e| format!("the Adyen HMAC key is hex: {e}"))?;
        let mut body: Value =
            serde_json::from_slice(&input.body).map_err(|e| format!("body is not JSON: {e}"))?;
        let list = body
            .get_mut("notificationItems")
            .and_then(Value::as_array_mut)
            .ok_or("the body needs a notificationItems array")?;
        for entry in list {
            let item = entry
                .get_mut("NotificationRequestItem")
                .and_then(Value::as_object_mut)
                .ok_or("every entry needs a NotificationRequestItem object")?;
            let signature = base64_encode(&crypto::hmac_sha256(
                &key,
                signing_string(&Value::Object(item.clone())).as_bytes(),
            ));
            let additional = item
                .entry("additionalData")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .ok_or("additionalData is not an object")?;
            additional.insert("hmacSignature".into(), Value::String(signature));
        }
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
            }],
            body: body.to_string().into_bytes(),
        })
    }
}

hookyard_sdk::export_adapter!(Adyen);
