//! Meta webhooks (Facebook Pages, Messenger, Instagram, WhatsApp Cloud API, and
//! every other Graph API object): `X-Hub-Signature-256: sha256=<hex
//! HMAC-SHA256(app secret, raw body)>`; the legacy SHA-1 `X-Hub-Signature`
//! that Meta still sends is used only when the SHA-256 header is absent. Meta
//! signs no timestamp and sends no delivery id. The handshake is the
//! verification `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`,
//! answered 200 `text/plain` with the challenge when `hub.verify_token` equals
//! the `verify_token` **setting** (compared in constant time; a setting and not
//! a secret because the active secrets are all app secrets, and because the
//! token only guards the subscription handshake, never the payloads). A body
//! `{"object": …, "entry": [...]}` becomes one event per `entry[].changes[]`
//! element typed `<object>.<field>` (`whatsapp_business_account.messages`,
//! `page.feed`) and, for Messenger and Instagram messaging, one per
//! `entry[].messaging[]` element typed by the subscription field it belongs
//! to (`page.messages`, `page.messaging_postbacks`, ...). The subject is the
//! entry id (Page, Instagram account or WhatsApp Business Account), the dedup
//! id the WhatsApp message id (`wamid…`, with the status for status updates)
//! or Messenger `mid` when there is one, else the SHA-256 of the entry id and
//! element. Each event's data is `{"object", "entry_id", "time", "change"}`
//! (or `"messaging"`), so the element keeps its context. Presets `whatsapp`, `instagram` and `messenger` accept only their
//! object; `meta` accepts all. To rotate the app secret (App Dashboard → App
//! settings → Basic → Reset), add the new one while the old is still active.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Meta;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The Verify Token typed in the webhook configuration.
    #[serde(default)]
    verify_token: Option<String>,
    /// Accepted `object` values; empty accepts all.
    #[serde(default)]
    objects: Vec<String>,
}

const EVENTS: &str = catalog::checked(include_str!("../events.txt"));

/// The Messenger subscription field a `messaging[]` element belongs to, by the
/// key that carries its content.
const MESSAGING_FIELDS: &[(&str, &str)] = &[
    ("message", "messages"),
    ("postback", "messaging_postbacks"),
    ("delivery", "message_deliveries"),
    ("read", "message_reads"),
    ("reaction", "message_reactions"),
    ("optin", "messaging_optins"),
    ("referral", "messaging_referrals"),
    ("account_linking", "messaging_account_linking"),
];

const PRESETS: &[(&str, &str, &str, &[&str])] = &[
    (
        "meta",
        "Meta (any object)",
        "Facebook, Instagram, Messenger and WhatsApp webhooks of one Meta app",
        &[],
    ),
    (
        "whatsapp",
        "WhatsApp Cloud API",
        "WhatsApp Business Platform messages, statuses and account updates",
        &["whatsapp_business_account"],
    ),
    (
        "instagram",
        "Instagram",
        "Instagram comments, mentions, messages and insights",
        &["instagram"],
    ),
    (
        "messenger",
        "Facebook Messenger and Pages",
        "Messenger conversations and Facebook Page changes",
        &["page"],
    ),
];

fn settings(context: &Context) -> Result<Settings, String> {
    context.settings()
}

/// Event time: entry `time` is in seconds for changes, milliseconds for messaging.
fn to_ms(value: Option<&Value>) -> Option<i64> {
    let t = value?.as_i64()?;
    Some(if t > 100_000_000_000 { t } else { t * 1000 })
}

fn hashed_id(entry_id: &str, element: &Value) -> String {
    let text = format!("{entry_id}:{element}");
    format!("sha256:{}", hex_encode(&crypto::sha256(text.as_bytes())))
}

/// A WhatsApp message or status id when the change carries exactly one.
fn whatsapp_id(value: &Value) -> Option<String> {
    let single = |key: &str| match value.get(key).and_then(Value::as_array).map(Vec::as_slice) {
        Some([only]) => Some(only),
        _ => None,
    };
    if let Some(message) = single("messages") {
        return json_string(message, "/id");
    }
    let status = single("statuses")?;
    Some(format!(
        "{}:{}",
        json_string(status, "/id")?,
        json_string(status, "/status")?
    ))
}

fn is_verification(request: &Request) -> bool {
    request.method.eq_ignore_ascii_case("GET") && request.query_param("hub.mode").is_some()
}

impl Adapter for Meta {
    fn manifest() -> Manifest {
        Manifest {
            name: "meta".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Meta (Facebook, Instagram, Messenger, WhatsApp)".into(),
            description: "Graph API webhooks of a Meta app: Pages, Messenger, Instagram and the WhatsApp Cloud API".into(),
            docs_url: "https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications".into(),
            secrets: vec![SecretSpec {
                label: "App secret".into(),
                help: "The app's App Secret: Meta App Dashboard (developers.facebook.com/apps) → your app → App settings → Basic → App secret (click Show). Also set the verify_token setting to the Verify Token you type next to the Callback URL (Webhooks product, or WhatsApp → Configuration).".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "verify_token": {
                        "type": "string",
                        "minLength": 1,
                        "description": "The Verify Token typed in the app's webhook configuration; required to answer the verification GET"
                    },
                    "objects": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Accepted object values (page, instagram, whatsapp_business_account, ...); empty accepts all"
                    }
                },
                "additionalProperties": false
            })
            .to_string(),
            event_types: catalog::event_types(EVENTS),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/object".into(),
                note: "plus \".\" and each /entry/*/changes/*/field (one event per change); messaging[] elements by their content (message → messages, postback → messaging_postbacks, ...)".into(),
            },
            presets: PRESETS
                .iter()
                .map(|(name, display, description, objects)| Preset {
                    name: name.to_string(),
                    display_name: display.to_string(),
                    description: description.to_string(),
                    settings: json!({ "objects": objects }).to_string(),
                })
                .collect(),
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings = settings(&context).map_err(VerifyError::Malformed)?;
        if is_verification(&request) {
            let expected = settings.verify_token.ok_or_else(|| {
                VerifyError::Unauthorized("the verify_token setting is not configured".into())
            })?;
            let provided = request
                .query_param("hub.verify_token")
                .ok_or_else(|| VerifyError::MissingSignature("hub.verify_token".into()))?;
            return token_matches_any(&[expected], &provided)
                .map_err(|_| VerifyError::Unauthorized("hub.verify_token does not match".into()));
        }
        type Mac = fn(&[u8], &[u8]) -> Vec<u8>;
        let (header, prefix, mac): (&str, &str, Mac) =
            if let Some(value) = request.header("X-Hub-Signature-256") {
                (value, "sha256=", crypto::hmac_sha256)
            } else if let Some(value) = request.header("X-Hub-Signature") {
                (value, "sha1=", crypto::hmac_sha1)
            } else {
                return Err(VerifyError::MissingSignature("X-Hub-Signature-256".into()));
            };
        let hex = header
            .trim()
            .strip_prefix(prefix)
            .ok_or_else(|| VerifyError::Malformed(format!("signature must start with {prefix}")))?;
        let provided = hex_decode(hex).map_err(VerifyError::Malformed)?;
        any_secret(secrets, &[provided], |secret| {
            mac(secret.as_bytes(), &request.body)
        })
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        let settings = settings(&context).map_err(HandleError::Malformed)?;
        if is_verification(&request) {
            if request.query_param("hub.mode").as_deref() != Some("subscribe") {
                return Err(HandleError::Malformed("hub.mode is not subscribe".into()));
            }
            let challenge = request
                .query_param("hub.challenge")
                .ok_or_else(|| HandleError::Malformed("no hub.challenge".into()))?;
            return Ok(Outcome::Respond(DirectResponse {
                status: 200,
                headers: vec![Header {
                    name: "Content-Type".into(),
                    value: "text/plain".into(),
                }],
                body: challenge.into_bytes(),
            }));
        }
        let body = request.json()?;
        let object = json_string(&body, "/object")
            .ok_or_else(|| HandleError::Malformed("payload has no object".into()))?;
        if !settings.objects.is_empty() && !settings.objects.contains(&object) {
            return Err(HandleError::Malformed(format!(
                "object {object} is not accepted by this source (accepted: {})",
                settings.objects.join(", ")
            )));
        }
        let entries = body
            .get("entry")
            .and_then(Value::as_array)
            .ok_or_else(|| HandleError::Malformed("payload has no entry array".into()))?;
        let mut events = Vec::new();
        for entry in entries {
            let entry_id = json_string(entry, "/id").unwrap_or_default();
            let time = to_ms(entry.get("time"));
            for change in entry
                .get("changes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let field = json_string(change, "/field")
                    .ok_or_else(|| HandleError::Malformed("a change has no field".into()))?;
                let dedup = change
                    .get("value")
                    .and_then(whatsapp_id)
                    .unwrap_or_else(|| hashed_id(&entry_id, change));
                events.push(Event {
                    event_type: format!("{object}.{field}"),
                    dedup_id: Some(dedup),
                    occurred_at: time,
                    subject: Some(entry_id.clone()).filter(|id| !id.is_empty()),
                    data: json!({"object": object, "entry_id": entry_id, "time": entry.get("time"), "change": change}).to_string(),
                });
            }
            for item in entry
                .get("messaging")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let field = MESSAGING_FIELDS
                    .iter()
                    .find(|(key, _)| item.get(key).is_some())
                    .map_or("messaging", |(_, field)| field);
                events.push(Event {
                    event_type: format!("{object}.{field}"),
                    dedup_id: Some(
                        json_string(item, "/message/mid")
                            .unwrap_or_else(|| hashed_id(&entry_id, item)),
                    ),
                    occurred_at: to_ms(item.get("timestamp")).or(time),
                    subject: Some(entry_id.clone()).filter(|id| !id.is_empty()),
                    data: json!({"object": object, "entry_id": entry_id, "time": entry.get("time"), "messaging": item}).to_string(),
                });
            }
        }
        if events.is_empty() {
            return Err(HandleError::Malformed(
                "no entry has changes or messaging".into(),
            ));
        }
        Ok(Outcome::Events(events))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let sha256 = hex_encode(&crypto::hmac_sha256(input.secret.as_bytes(), &input.body));
        let sha1 = hex_encode(&crypto::hmac_sha1(input.secret.as_bytes(), &input.body));
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header("User-Agent", "facebookexternalua".into()),
                header("X-Hub-Signature", format!("sha1={sha1}")),
                header("X-Hub-Signature-256", format!("sha256={sha256}")),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Meta);
