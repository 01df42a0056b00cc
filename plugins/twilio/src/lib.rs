//! Twilio webhooks: `X-Twilio-Signature` is the base64 HMAC-SHA1, keyed with the
//! account's Auth Token, of the full URL Twilio called followed by every POST
//! parameter sorted by name, each as name then value (duplicates sorted by
//! value). JSON bodies (Event Streams sinks and other `application/json`
//! callbacks) carry `bodySHA256=<hex SHA-256 of the raw body>` in the URL
//! instead: the signature then covers the URL alone and the hash must match the
//! body. Like Twilio's SDKs, the URL is tried as sent, without its port and with
//! the scheme's default port, because Twilio is not consistent about ports.
//! Requests signed with a webhook SharedKey (Webhooks configuration API, public
//! beta) name the key and algorithm in `X-Twilio-Webhooks-Signature-Settings:
//! key=…,algorithm=HMAC_SHA256`; the SharedKey secret is then the secret and
//! HMAC-SHA256 is used (from twilio-python 9.13 `request_validator.py`). Twilio
//! signs no timestamp. The event type is the form's `EventType` (Conversations,
//! TaskRouter, Sync) or, for status callbacks and incoming messages and calls,
//! `message.<MessageStatus|SmsStatus>`, `call.<CallStatus>`,
//! `recording.<RecordingStatus>` or `transcription.<TranscriptionStatus>`
//! (`request` when none applies); JSON arrays (Event Streams CloudEvents) give
//! one event per element typed by its `type`. The dedup id is the
//! `I-Twilio-Idempotency-Token` header (kept on Twilio's retries), else the
//! CloudEvent `id`, else `<resource SID>:<status>`. Hookyard must see the very
//! URL configured in Twilio (scheme, host, path and query). To rotate, promote
//! the secondary Auth Token (Console → Account → API keys & tokens) while both
//! are active secrets, or rotate SharedKeys the same way.

use hookyard_sdk::prelude::*;
use hookyard_sdk::serde_json::Map;

pub struct Twilio;

const SIGNATURE: &str = "X-Twilio-Signature";
const SETTINGS_HEADER: &str = "X-Twilio-Webhooks-Signature-Settings";
const IDEMPOTENCY: &str = "I-Twilio-Idempotency-Token";
const BODY_HASH: &str = "bodySHA256";

const TYPES: &str = catalog::checked(include_str!("../events.txt"));

/// Form fields holding a status, with the event-type prefix they give.
const STATUS_FIELDS: &[(&str, &str)] = &[
    ("TranscriptionStatus", "transcription"),
    ("RecordingStatus", "recording"),
    ("MessageStatus", "message"),
    ("SmsStatus", "message"),
    ("CallStatus", "call"),
];

/// Form fields holding the SID of what the request is about.
const SID_FIELDS: &[&str] = &[
    "TranscriptionSid",
    "RecordingSid",
    "MessageSid",
    "SmsSid",
    "CallSid",
    "ConversationSid",
    "TaskSid",
];

type Mac = fn(&[u8], &[u8]) -> Vec<u8>;

/// The MAC the request names in `X-Twilio-Webhooks-Signature-Settings`
/// (HMAC-SHA1, the Auth Token scheme, when absent).
fn algorithm(request: &Request) -> Result<Mac, VerifyError> {
    let named = request
        .header(SETTINGS_HEADER)
        .map(|value| parse_signature_header(value, ',', '='))
        .unwrap_or_default()
        .into_iter()
        .find(|(key, _)| key == "algorithm")
        .map(|(_, value)| value.to_ascii_uppercase());
    match named.as_deref() {
        None | Some("HMAC_SHA1") => Ok(crypto::hmac_sha1),
        Some("HMAC_SHA256") => Ok(crypto::hmac_sha256),
        Some(other) => Err(VerifyError::Malformed(format!(
            "unsupported signature algorithm {other}"
        ))),
    }
}

/// The URL as sent, without its port, and with the scheme's default port.
pub fn url_variants(url: &str) -> Vec<String> {
    let mut variants = vec![url.to_string()];
    let Some((scheme, rest)) = url.split_once("://") else {
        return variants;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host_port = &authority[host_start..];
    let port_at = host_port
        .rfind(':')
        .filter(|&i| !host_port[i..].contains(']'))
        .filter(|&i| host_port[i + 1..].bytes().all(|b| b.is_ascii_digit()));
    let prefix = format!("{scheme}://{}", &authority[..host_start]);
    match port_at {
        Some(i) => variants.push(format!("{prefix}{}{tail}", &host_port[..i])),
        None => {
            let port = if scheme.eq_ignore_ascii_case("https") {
                443
            } else {
                80
            };
            variants.push(format!("{prefix}{host_port}:{port}{tail}"));
        }
    }
    variants
}

/// What Twilio signs: the URL, then the parameters sorted by name and value,
/// each as name followed by value.
pub fn signed_content(url: &str, params: &[(String, String)]) -> Vec<u8> {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut content = url.as_bytes().to_vec();
    for (name, value) in sorted {
        content.extend_from_slice(name.as_bytes());
        content.extend_from_slice(value.as_bytes());
    }
    content
}

fn is_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

impl Adapter for Twilio {
    fn manifest() -> Manifest {
        Manifest {
            name: "twilio".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Twilio".into(),
            description: "Twilio Messaging, Voice, Conversations, TaskRouter and Event Streams webhooks".into(),
            docs_url: "https://www.twilio.com/docs/usage/webhooks/webhooks-security".into(),
            secrets: vec![SecretSpec {
                label: "Auth Token".into(),
                help: "The account's Auth Token: Twilio Console → Account Info on the dashboard (or Admin → Account management → API keys & tokens → Auth tokens), the primary token (click Show). For a subaccount use that subaccount's token. If you sign webhooks with a SharedKey instead (Webhooks configuration API), paste the SharedKey secret. Configure this source's URL in Twilio exactly as Hookyard shows it.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: catalog::event_types(TYPES),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "EventType".into(),
                note: "form field EventType; else message.<MessageStatus|SmsStatus>, call.<CallStatus>, recording.<RecordingStatus> or transcription.<TranscriptionStatus>; JSON arrays: each element's /type".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let provided = [
            base64_decode(request.require_header(SIGNATURE)?).map_err(VerifyError::Malformed)?
        ];
        let mac = algorithm(&request)?;
        let params = match request.query_param(BODY_HASH) {
            Some(hash) => {
                let actual = hex_encode(&crypto::sha256(&request.body));
                if !crypto::constant_time_eq(
                    actual.as_bytes(),
                    hash.to_ascii_lowercase().as_bytes(),
                ) {
                    return Err(VerifyError::BadSignature);
                }
                Vec::new()
            }
            None => request.form(),
        };
        // Every variant is tried, so timing does not tell which one matched.
        let mut result = Err(VerifyError::BadSignature);
        for url in url_variants(&request.url) {
            let content = signed_content(&url, &params);
            if any_secret(secrets, &provided, |secret| {
                mac(secret.as_bytes(), &content)
            })
            .is_ok()
            {
                result = Ok(());
            }
        }
        result
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let idempotency = request.header(IDEMPOTENCY).map(str::to_string);
        if is_json(&request.body) {
            return handle_json(&request, idempotency);
        }
        // GET callbacks carry their parameters in the query instead.
        let form = if request.body.is_empty() {
            request.query_pairs()
        } else {
            request.form()
        };
        let field = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        let status = STATUS_FIELDS
            .iter()
            .find_map(|(name, prefix)| field(name).map(|value| (*prefix, value)));
        let event_type = match (field("EventType"), &status) {
            (Some(event_type), _) => event_type,
            (None, Some((prefix, value))) => format!("{prefix}.{value}"),
            (None, None) => "request".to_string(),
        };
        let subject = SID_FIELDS.iter().find_map(|name| field(name));
        let dedup_id = idempotency.or_else(|| match (&subject, &status) {
            (Some(sid), Some((_, value))) => Some(format!("{sid}:{value}")),
            _ => field("EventSid"),
        });
        let data: Map<String, Value> = form
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id,
            occurred_at: None,
            subject,
            data: Value::Object(data).to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let (url, params, content_type) = if is_json(&input.body) {
            let hash = hex_encode(&crypto::sha256(&input.body));
            let separator = if input.url.contains('?') { '&' } else { '?' };
            (
                format!("{}{separator}{BODY_HASH}={hash}", input.url),
                Vec::new(),
                "application/json",
            )
        } else {
            let params = form_pairs(&input.body);
            (
                input.url.clone(),
                params,
                "application/x-www-form-urlencoded",
            )
        };
        let signature = base64_encode(&crypto::hmac_sha1(
            input.secret.as_bytes(),
            &signed_content(&url, &params),
        ));
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url,
            headers: vec![
                header("Content-Type", content_type.into()),
                header("User-Agent", "TwilioProxy/1.1".into()),
                header(IDEMPOTENCY, input.delivery_id),
                header(SIGNATURE, signature),
            ],
            body: input.body,
        })
    }
}

/// JSON bodies: an array of Event Streams CloudEvents, or one object.
fn handle_json(request: &Request, idempotency: Option<String>) -> Result<Outcome, HandleError> {
    let body = request.json()?;
    let event = |item: &Value, dedup_id: Option<String>| Event {
        event_type: json_string(item, "/type")
            .or_else(|| json_string(item, "/EventType"))
            .unwrap_or_else(|| "request".into()),
        dedup_id,
        occurred_at: None,
        subject: json_string(item, "/subject").or_else(|| json_string(item, "/source")),
        data: item.to_string(),
    };
    let events = match &body {
        Value::Array(items) => items
            .iter()
            .map(|item| event(item, json_string(item, "/id")))
            .collect(),
        _ => vec![event(&body, json_string(&body, "/id").or(idempotency))],
    };
    Ok(Outcome::Events(events))
}

hookyard_sdk::export_adapter!(Twilio);
