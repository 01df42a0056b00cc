//! AppsFlyer Push API: AppsFlyer signs nothing. What it offers is an
//! authentication token per app (Push API → Authentication token, or the Push
//! API configuration API's `token`/`token_name`) sent in a header of your
//! choice; the setting `header` (default `Authorization`) names it, and its
//! value may be `Bearer <token>` or the bare token. It is compared in constant
//! time with every active secret (rotation: add the new token as a second
//! secret, change it at AppsFlyer, remove the old one); a mismatch is
//! `unauthorized`, an absent header `missing-signature`. The body is not signed.
//!
//! A message comes as a GET with the fields in the query string or as a POST
//! with a JSON object; both become one event whose data is a JSON object of the
//! fields (GET values are strings). The type is exactly `event_name` — the
//! conversion (`install`, `re-engagement`, `re-attribution`, `reinstall`) or
//! the advertiser's free-form in-app event name (`af_purchase`, …) — so every
//! event can be routed on its own; when `event_name` is absent the type is
//! `conversion_type`, and with neither the message is malformed. AppsFlyer
//! documents no delivery id and does not resend failed messages: a POST gets
//! no dedup id (the host dedups on the body hash); a GET, whose body is empty,
//! gets `query-sha256:<hex of the raw query>` so that two different GET
//! messages are not taken for one. The time is `event_time` (UTC), the subject
//! `appsflyer_id`.

use hookyard_sdk::prelude::*;
use hookyard_sdk::serde_json;
use serde::Deserialize;

pub struct AppsFlyer;

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Settings {
    header: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            header: "Authorization".into(),
        }
    }
}

const EVENT_TYPES: &str = catalog::checked(include_str!("../events.txt"));

fn settings(text: &str) -> Result<Settings, String> {
    let settings: Settings = parse_settings(text)?;
    if settings.header.trim().is_empty() {
        return Err("header must not be empty".into());
    }
    Ok(settings)
}

/// The message's fields: the query of a GET (or of any request with an empty
/// body), else the JSON object of the body.
fn fields(request: &Request) -> Result<serde_json::Map<String, Value>, HandleError> {
    if request.body.iter().all(u8::is_ascii_whitespace) {
        let mut map = serde_json::Map::new();
        for (key, value) in request.query_pairs() {
            map.entry(key).or_insert(Value::String(value));
        }
        if map.is_empty() {
            return Err(HandleError::Malformed("neither a query nor a body".into()));
        }
        return Ok(map);
    }
    match request.json()? {
        Value::Object(map) => Ok(map),
        _ => Err(HandleError::Malformed(
            "the body is not a JSON object".into(),
        )),
    }
}

impl Adapter for AppsFlyer {
    fn manifest() -> Manifest {
        Manifest {
            name: "appsflyer".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "AppsFlyer Push API".into(),
            description: "AppsFlyer Push API attribution messages: installs, re-engagements and in-app events".into(),
            docs_url: "https://support.appsflyer.com/hc/en-us/articles/207034356".into(),
            secrets: vec![SecretSpec {
                label: "Push API authentication token".into(),
                help: "The authentication token of the app's Push API: AppsFlyer dashboard → your app → Integration → API access → Push API → Authentication token (or the token you set with the Push API configuration API). If you chose a header name other than Authorization there, put it in the header setting.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "header": {"type": "string", "minLength": 1, "default": "Authorization", "description": "The header AppsFlyer sends the token in (Bearer <token> or the bare token)"}
                },
                "additionalProperties": false
            })
            .to_string(),
            event_types: catalog::event_types(EVENT_TYPES),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/event_name".into(),
                note: "the query parameter event_name for GET messages; conversion_type when event_name is absent".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings = settings(&context.settings).map_err(VerifyError::Malformed)?;
        let value = request.require_header(&settings.header)?;
        token_matches_any(secrets, bearer_token(value).unwrap_or(value))
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let fields = fields(&request)?;
        let text = |name: &str| match fields.get(name) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        let event_type = text("event_name")
            .or_else(|| text("conversion_type"))
            .ok_or_else(|| {
                HandleError::Malformed("neither event_name nor conversion_type".into())
            })?;
        let dedup_id = if request.body.iter().all(u8::is_ascii_whitespace) {
            Some(format!(
                "query-sha256:{}",
                hex_encode(&crypto::sha256(request.query.as_bytes()))
            ))
        } else {
            None
        };
        Ok(Outcome::Events(vec![Event {
            occurred_at: text("event_time").and_then(|t| iso8601_to_ms(&t)),
            subject: text("appsflyer_id"),
            event_type,
            dedup_id,
            data: Value::Object(fields).to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let settings = settings(&input.settings)?;
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                },
                Header {
                    name: settings.header,
                    value: input.secret,
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(AppsFlyer);
