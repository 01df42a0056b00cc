//! Aruna external hooks (aruna-server `HookHandler`): when a trigger fires for
//! a resource, Aruna POSTs (or PUTs) a JSON payload — `hook_id`, `object` (the
//! resource: `{"Object": {"id": …}}` as aruna-server serialises it,
//! `{"resource_id": …}` in Aruna's docs), `secret`, `download` (a presigned
//! URL), `pubkey_serial`, `access_key`/`secret_key` (append-only S3
//! credentials) — optionally with `Authorization: Bearer <token>` (the hook's
//! `credentials.token`). The Basic template is sent as a JSON *string* holding
//! that JSON (`reqwest::RequestBuilder::json(&String)`); it is unwrapped.
//!
//! Verification, setting `mode`: `secret` (default) compares the body field
//! `secret` in constant time with the active secrets — for custom templates
//! that carry a fixed secret; `bearer` compares the Bearer token. Note that
//! aruna-server's Basic template (and the `{{secret}}` placeholder) fills
//! `secret` with a per-request callback token (base64 HMAC-SHA256 of the object
//! id and hook id under the server key of `pubkey_serial`; Aruna's docs: "token
//! secret that contains WRITE permissions on the resource"), which no fixed
//! secret can match: use `bearer` there, or a literal secret in the template.
//! Rotation: add the new value as a second secret, change the hook, remove the
//! old one. The body is not signed as a whole.
//!
//! The type is the payload's trigger type when it has one (`trigger_type`,
//! `trigger` as text, or `trigger.type`/`trigger.variant`, e.g.
//! `TRIGGER_TYPE_OBJECT_FINISHED`), else `aruna.hook`. The dedup id is
//! `hook_id:resource id` (Aruna records each hook run on the resource under
//! the hook's id; `hook_id` alone is the same for every resource the hook
//! fires for), or `hook_id` when the payload names no resource. The subject is
//! the resource id. `secret`, `secret_key`, `access_key` and `token` are
//! removed, at any depth, from the stored data.

use hookyard_sdk::prelude::*;
use hookyard_sdk::serde_json;
use serde::Deserialize;

pub struct Aruna;

/// Fields that carry credentials and never reach the stored event.
const STRIPPED: &[&str] = &["secret", "secret_key", "access_key", "token"];

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Secret,
    Bearer,
}

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Settings {
    mode: Mode,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { mode: Mode::Secret }
    }
}

const TRIGGER_TYPES: &str = catalog::checked(include_str!("../events.txt"));

/// The payload as a JSON object, unwrapping the Basic template's JSON-in-a-string.
pub fn payload(body: &[u8]) -> Result<serde_json::Map<String, Value>, String> {
    let mut value: Value =
        serde_json::from_slice(body).map_err(|e| format!("body is not JSON: {e}"))?;
    if let Value::String(inner) = &value {
        value = serde_json::from_str(inner)
            .map_err(|e| format!("body is a JSON string that does not hold JSON: {e}"))?;
    }
    match value {
        Value::Object(map) => Ok(map),
        _ => Err("the hook payload is not a JSON object".into()),
    }
}

/// The id of the resource: `object.id`, `object.resource_id` (the default
/// template in Aruna's docs), `{"Object": {"id": …}}` (aruna-server's serde
/// form of its resource enum) or a top-level `object_id` (custom templates).
fn resource_id(payload: &serde_json::Map<String, Value>) -> Option<String> {
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let from_object = payload
        .get("object")
        .and_then(Value::as_object)
        .and_then(|object| {
            text(object.get("id"))
                .or_else(|| text(object.get("resource_id")))
                .or_else(|| match object.len() {
                    1 => text(object.values().next()?.get("id")),
                    _ => None,
                })
        });
    from_object.or_else(|| text(payload.get("object_id")))
}

fn trigger_type(payload: &serde_json::Map<String, Value>) -> Option<String> {
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    text(payload.get("trigger_type"))
        .or_else(|| text(payload.get("trigger")))
        .or_else(|| {
            let trigger = payload.get("trigger")?;
            text(trigger.get("type")).or_else(|| text(trigger.get("variant")))
        })
}

/// Removes the credential fields, at any depth.
pub fn strip_credentials(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, _| !STRIPPED.contains(&key.as_str()));
            map.values_mut().for_each(strip_credentials);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_credentials),
        _ => {}
    }
}

impl Adapter for Aruna {
    fn manifest() -> Manifest {
        Manifest {
            name: "aruna".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Aruna".into(),
            description: "Aruna data orchestration external hooks".into(),
            docs_url: "https://arunastorage.github.io/documentation/latest/get_started/basic_usage/13_How-To-Hooks/".into(),
            secrets: vec![SecretSpec {
                label: "Hook secret".into(),
                help: "mode secret: the fixed value your hook's custom template puts in the \"secret\" field. mode bearer: the token you gave the external hook as credentials (CreateHook → external_hook.credentials.token), which Aruna sends as Authorization: Bearer.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "mode": {"enum": ["secret", "bearer"], "default": "secret", "description": "secret: compare the body field secret; bearer: compare the Authorization Bearer token (aruna-server's Basic template)"}
                },
                "additionalProperties": false
            })
            .to_string(),
            event_types: catalog::event_types(TRIGGER_TYPES),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/trigger_type".into(),
                note: "trigger_type, trigger (text) or trigger.type/variant when the payload has one; else aruna.hook".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let provided = match settings.mode {
            Mode::Bearer => {
                let value = request.require_header("Authorization")?;
                bearer_token(value).unwrap_or(value).to_string()
            }
            Mode::Secret => {
                let payload = payload(&request.body).map_err(VerifyError::Malformed)?;
                match payload.get("secret") {
                    Some(Value::String(s)) if !s.is_empty() => s.clone(),
                    Some(Value::String(_)) | None | Some(Value::Null) => {
                        return Err(VerifyError::MissingSignature("secret".into()));
                    }
                    Some(_) => return Err(VerifyError::Malformed("secret is not a string".into())),
                }
            }
        };
        token_matches_any(secrets, &provided)
            .map_err(|_| VerifyError::Unauthorized("hook secret does not match".into()))
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let payload = payload(&request.body).map_err(HandleError::Malformed)?;
        let hook_id = match payload.get("hook_id") {
            Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
            _ => None,
        };
        let resource = resource_id(&payload);
        let dedup_id = match (&hook_id, &resource) {
            (Some(hook), Some(resource)) => Some(format!("{hook}:{resource}")),
            (Some(hook), None) => Some(hook.clone()),
            (None, _) => None,
        };
        let event_type = trigger_type(&payload).unwrap_or_else(|| "aruna.hook".into());
        let mut data = Value::Object(payload);
        strip_credentials(&mut data);
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id,
            occurred_at: None,
            subject: resource,
            data: data.to_string(),
        }]))
    }

    /// Mode secret: the body (a JSON object) gets `"secret": <secret>` and is
    /// sent the way aruna-server sends its Basic template, as a JSON string.
    /// Mode bearer: the body as it is, with `Authorization: Bearer <secret>`.
    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let settings: Settings = input.settings()?;
        let mut headers = vec![Header {
            name: "Content-Type".into(),
            value: "application/json".into(),
        }];
        let body = match settings.mode {
            Mode::Bearer => {
                headers.push(Header {
                    name: "Authorization".into(),
                    value: format!("Bearer {}", input.secret),
                });
                input.body
            }
            Mode::Secret => {
                let mut payload = payload(&input.body)?;
                payload.insert("secret".into(), Value::String(input.secret));
                Value::String(Value::Object(payload).to_string())
                    .to_string()
                    .into_bytes()
            }
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers,
            body,
        })
    }
}

hookyard_sdk::export_adapter!(Aruna);
