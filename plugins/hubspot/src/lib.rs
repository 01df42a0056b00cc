//! HubSpot webhooks, signature v3: `X-HubSpot-Signature-v3` is the base64
//! HMAC-SHA256, keyed with the app's client secret, of method + URI + body +
//! `X-HubSpot-Request-Timestamp` (milliseconds), with the URI's `%3A %2F %3F
//! %40 %21 %24 %27 %28 %29 %2A %2C %3B` decoded first (HubSpot's "Validating
//! requests" page; hubspot-api-client `Signature.get_signature`).
//!
//! The URI is the full target URL: by default the one the request arrived on,
//! or the `target_url` setting when a proxy changes what the host sees. A
//! timestamp more than 300 s from the clock is rejected. The body is a JSON
//! array of up to 100 events: each becomes an event typed by its
//! `subscriptionType` (`contact.propertyChange`), at `occurredAt`, about
//! `objectId`. HubSpot says `eventId` alone "is not guaranteed to be unique",
//! so the dedup id is `portalId:subscriptionId:eventId:occurredAt`, which a
//! retry (only `attemptNumber` changes) repeats. The v1/v2 `X-HubSpot-Signature`
//! headers (unkeyed SHA-256, no timestamp) are not accepted. There is no
//! handshake. Rotation: add the new client secret here when you rotate it in
//! HubSpot and keep both active until HubSpot no longer signs with the old one.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct HubSpot;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default)]
    target_url: Option<String>,
    #[serde(default = "hookyard_sdk::signature::default_tolerance")]
    tolerance_seconds: i64,
}

const EVENTS: &str = catalog::checked(include_str!("../events.txt"));

/// Decodes the percent-escapes HubSpot decodes before signing; everything else
/// stays as it is.
fn decode_uri(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let decoded = uri
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .filter(|c| b":/?@!$'()*,;".contains(c));
            if let Some(c) = decoded {
                out.push(c);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("only ASCII bytes were substituted")
}

fn source(method: &str, uri: &str, body: &[u8], timestamp: &str) -> Vec<u8> {
    let mut source = format!("{method}{}", decode_uri(uri)).into_bytes();
    source.extend_from_slice(body);
    source.extend_from_slice(timestamp.as_bytes());
    source
}

fn signed_uri(settings: &Settings, request_url: &str) -> String {
    settings
        .target_url
        .clone()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| request_url.to_string())
}

impl Adapter for HubSpot {
    fn manifest() -> Manifest {
        Manifest {
            name: "hubspot".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "HubSpot".into(),
            description: "HubSpot app webhooks (CRM object and conversation events), signature v3".into(),
            docs_url: "https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation".into(),
            secrets: vec![SecretSpec {
                label: "Client secret".into(),
                help: "Your HubSpot app's client secret (a UUID-like string): developer account → Development → Apps (or Legacy apps) → your app → Auth tab → Client secret (Show). It is the app's secret, not a private-app access token. The app's webhook Target URL must be this source's webhook URL exactly (or set target_url).".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "target_url": {"type": "string", "format": "uri",
                        "description": "The Target URL exactly as configured in HubSpot, when it differs from the URL the host sees (proxies, rewrites)"},
                    "tolerance_seconds": {"type": "integer", "minimum": 1, "default": 300,
                        "description": "Largest accepted difference between X-HubSpot-Request-Timestamp and now"}
                },
                "additionalProperties": false
            })
            .to_string(),
            event_types: catalog::event_types(EVENTS),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/0/subscriptionType".into(),
                note: "the body is an array: each element's subscriptionType types one event".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let provided = base64_decode(request.require_header("X-HubSpot-Signature-v3")?)
            .map_err(VerifyError::Malformed)?;
        let timestamp = request.require_header("X-HubSpot-Request-Timestamp")?;
        let millis: i64 = timestamp.parse().map_err(|_| {
            VerifyError::Malformed("X-HubSpot-Request-Timestamp is not a number".into())
        })?;
        let signed = source(
            &request.method,
            &signed_uri(&settings, &request.url),
            &request.body,
            timestamp,
        );
        any_secret(secrets, &[provided], |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &signed)
        })?;
        check_timestamp(
            millis.div_euclid(1000),
            context.now_ms,
            settings.tolerance_seconds,
        )
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let items = body
            .as_array()
            .ok_or_else(|| HandleError::Malformed("body is not a JSON array of events".into()))?;
        let events = items
            .iter()
            .map(|item| {
                let event_type = json_string(item, "/subscriptionType").ok_or_else(|| {
                    HandleError::Malformed("an event has no subscriptionType".into())
                })?;
                let dedup_id = json_string(item, "/eventId").map(|event_id| {
                    ["/portalId", "/subscriptionId"]
                        .iter()
                        .map(|p| json_string(item, p).unwrap_or_default())
                        .chain([event_id])
                        .chain([json_string(item, "/occurredAt").unwrap_or_default()])
                        .collect::<Vec<_>>()
                        .join(":")
                });
                Ok(Event {
                    event_type,
                    dedup_id,
                    occurred_at: item.get("occurredAt").and_then(Value::as_i64),
                    subject: json_string(item, "/objectId"),
                    data: item.to_string(),
                })
            })
            .collect::<Result<Vec<_>, HandleError>>()?;
        Ok(Outcome::Events(events))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let settings: Settings = input.settings()?;
        let timestamp = input.now_ms.to_string();
        let signed = source(
            "POST",
            &signed_uri(&settings, &input.url),
            &input.body,
            &timestamp,
        );
        let signature = base64_encode(&crypto::hmac_sha256(input.secret.as_bytes(), &signed));
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header(
                    "User-Agent",
                    "HubSpot Connect 2.0 (http://dev.hubspot.com/)".into(),
                ),
                header("X-HubSpot-Request-Timestamp", timestamp),
                header("X-HubSpot-Signature-v3", signature),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(HubSpot);

#[cfg(test)]
mod tests {
    use super::decode_uri;

    #[test]
    fn only_the_listed_escapes_are_decoded() {
        assert_eq!(
            decode_uri("https://h.test/a%3Ab%2fc?x=%40%21%24%27%28%29%2A%2C%3B%3f"),
            "https://h.test/a:b/c?x=@!$'()*,;?"
        );
        assert_eq!(
            decode_uri("https://h.test/a%20b%3D%25"),
            "https://h.test/a%20b%3D%25"
        );
        assert_eq!(decode_uri("%3"), "%3");
        assert_eq!(decode_uri("%"), "%");
        assert_eq!(decode_uri("x%zz%2"), "x%zz%2");
    }
}
