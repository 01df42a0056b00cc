//! Generic HMAC: for the many vendors that sign with "an HMAC of something in
//! a header", without writing an adapter.
//!
//! Everything is a setting: the signature header and its prefix (`sha256=`),
//! the algorithm (SHA-1, SHA-256, SHA-512), the encoding (hex or base64), what
//! is signed (a template over `{body}`, `{timestamp}` and `{id}`), optional
//! timestamp and id headers with a tolerance, and where the event type and the
//! dedup id are found (a header or a JSON pointer into the body). Several
//! signatures in the header may be separated by commas or spaces.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct GenericHmac;

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Settings {
    header: String,
    algorithm: Hmac,
    encoding: Encoding,
    prefix: String,
    signed_content: String,
    timestamp_header: Option<String>,
    id_header: Option<String>,
    tolerance_seconds: i64,
    event_type_header: Option<String>,
    event_type_pointer: String,
    dedup_id_header: Option<String>,
    dedup_id_pointer: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            header: "X-Signature".into(),
            algorithm: Hmac::Sha256,
            encoding: Encoding::Hex,
            prefix: String::new(),
            signed_content: "{body}".into(),
            timestamp_header: None,
            id_header: None,
            tolerance_seconds: hookyard_sdk::signature::DEFAULT_TOLERANCE_SECONDS,
            event_type_header: None,
            event_type_pointer: "/type".into(),
            dedup_id_header: None,
            dedup_id_pointer: None,
        }
    }
}

impl Settings {
    fn load(text: &str) -> Result<Settings, String> {
        let settings: Settings = parse_settings(text)?;
        if settings.signed_content.contains("{timestamp}") && settings.timestamp_header.is_none() {
            return Err("signed_content uses {timestamp} but timestamp_header is not set".into());
        }
        if settings.signed_content.contains("{id}") && settings.id_header.is_none() {
            return Err("signed_content uses {id} but id_header is not set".into());
        }
        Ok(settings)
    }

    /// The signed bytes: the template with its placeholders filled in.
    fn content(&self, body: &[u8], timestamp: &str, id: &str) -> Vec<u8> {
        let mut content = Vec::with_capacity(body.len() + 64);
        let mut rest = self.signed_content.as_str();
        while let Some(start) = rest.find('{') {
            content.extend_from_slice(&rest.as_bytes()[..start]);
            let after = &rest[start..];
            let (value, len): (&[u8], usize) = if after.starts_with("{body}") {
                (body, 6)
            } else if after.starts_with("{timestamp}") {
                (timestamp.as_bytes(), 11)
            } else if after.starts_with("{id}") {
                (id.as_bytes(), 4)
            } else {
                (b"{", 1)
            };
            content.extend_from_slice(value);
            rest = &after[len..];
        }
        content.extend_from_slice(rest.as_bytes());
        content
    }
}

impl Adapter for GenericHmac {
    fn manifest() -> Manifest {
        Manifest {
            name: "generic-hmac".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Generic HMAC".into(),
            description: "Any vendor that signs requests with an HMAC in a header; every detail is configurable".into(),
            docs_url: "https://en.wikipedia.org/wiki/HMAC".into(),
            secrets: vec![SecretSpec {
                label: "Shared secret".into(),
                help: "The signing secret the vendor shows or lets you set when you register the webhook.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "header": {"type": "string", "default": "X-Signature", "description": "Header carrying the signature"},
                    "algorithm": {"enum": ["sha1", "sha256", "sha512"], "default": "sha256", "description": "Hash function of the HMAC (HMAC-SHA1, HMAC-SHA256 or HMAC-SHA512); default sha256"},
                    "encoding": {"enum": ["hex", "base64"], "default": "hex", "description": "How the signature is written in the header: hex (either case) or standard padded base64; default hex"},
                    "prefix": {"type": "string", "default": "", "description": "Text before the signature, e.g. sha256="},
                    "signed_content": {"type": "string", "default": "{body}", "description": "What is signed; placeholders {body}, {timestamp}, {id}"},
                    "timestamp_header": {"type": "string", "description": "Header with a Unix timestamp; enables the tolerance check"},
                    "id_header": {"type": "string", "description": "Header with a delivery id, for {id}"},
                    "tolerance_seconds": {"type": "integer", "minimum": 1, "default": 300, "description": "Largest accepted difference, in seconds and in either direction, between the timestamp_header's Unix timestamp and the host clock; default 300; only checked when timestamp_header is set"},
                    "event_type_header": {"type": "string", "description": "Header holding the event type (instead of the body)"},
                    "event_type_pointer": {"type": "string", "default": "/type", "description": "JSON pointer to the event type"},
                    "dedup_id_header": {"type": "string", "description": "Header holding the delivery id used to deduplicate retries; takes precedence over dedup_id_pointer; when neither is set, the id_header's value is used"},
                    "dedup_id_pointer": {"type": "string", "description": "JSON pointer to the delivery id"}
                },
                "additionalProperties": false
            })
            .to_string(),
            event_types: vec![],
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/type".into(),
                note: "configurable: event_type_pointer or event_type_header".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings = Settings::load(&context.settings).map_err(VerifyError::Malformed)?;
        let header = request.require_header(&settings.header)?;
        let signatures = header
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(|s| {
                settings
                    .encoding
                    .decode(s.strip_prefix(settings.prefix.as_str()).unwrap_or(s))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(VerifyError::Malformed)?;
        let timestamp = match &settings.timestamp_header {
            Some(name) => request.require_header(name)?,
            None => "",
        };
        let id = match &settings.id_header {
            Some(name) => request.require_header(name)?,
            None => "",
        };
        let content = settings.content(&request.body, timestamp, id);
        any_secret(secrets, &signatures, |secret| {
            settings.algorithm.mac(secret.as_bytes(), &content)
        })?;
        if settings.timestamp_header.is_some() {
            let seconds = timestamp
                .parse()
                .map_err(|_| VerifyError::Malformed("timestamp is not a number".into()))?;
            check_timestamp(seconds, context.now_ms, settings.tolerance_seconds)?;
        }
        Ok(())
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        let settings = Settings::load(&context.settings).map_err(HandleError::Malformed)?;
        let body = request.json()?;
        let event_type = match &settings.event_type_header {
            Some(name) => request.header(name).map(str::to_string),
            None => json_string(&body, &settings.event_type_pointer),
        }
        .ok_or_else(|| {
            HandleError::Malformed("the event type was not found where the settings say".into())
        })?;
        let dedup_id = match (&settings.dedup_id_header, &settings.dedup_id_pointer) {
            (Some(name), _) => request.header(name).map(str::to_string),
            (None, Some(pointer)) => json_string(&body, pointer),
            (None, None) => settings
                .id_header
                .as_ref()
                .and_then(|name| request.header(name))
                .map(str::to_string),
        };
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id,
            occurred_at: None,
            subject: None,
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let settings = Settings::load(&input.settings)?;
        let timestamp = (input.now_ms / 1000).to_string();
        let content = settings.content(&input.body, &timestamp, &input.delivery_id);
        let mac = settings.algorithm.mac(input.secret.as_bytes(), &content);
        let signature = settings.encoding.encode(&mac);
        let mut headers = vec![
            Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
            },
            Header {
                name: settings.header.clone(),
                value: format!("{}{signature}", settings.prefix),
            },
        ];
        if let Some(name) = &settings.timestamp_header {
            headers.push(Header {
                name: name.clone(),
                value: timestamp,
            });
        }
        if let Some(name) = &settings.id_header {
            headers.push(Header {
                name: name.clone(),
                value: input.delivery_id.clone(),
            });
        }
        if let (Some(name), Some(event_type)) = (&settings.event_type_header, &input.event_type) {
            headers.push(Header {
                name: name.clone(),
                value: event_type.clone(),
            });
        }
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers,
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(GenericHmac);
