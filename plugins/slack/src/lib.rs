//! Slack request signing: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing
//! secret, "v0:{X-Slack-Request-Timestamp}:{body}")>`, timestamp within 300 s.
//!
//! JSON bodies are the Events API: `url_verification` is answered with its
//! challenge (after verification, like any request); `event_callback` becomes
//! an event typed by `event.type` with dedup id `event_id`; other JSON keeps its
//! outer `type`. Form bodies are slash commands (`command=` → `slash_command`)
//! and interactivity (`payload=<json>` → the payload's `type`), deduplicated by
//! `trigger_id`.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Slack;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "hookyard_sdk::signature::default_tolerance")]
    tolerance_seconds: i64,
}

const EVENTS: &[(&str, &str)] = &[
    ("app_home_opened", "A user opened the app's App Home"),
    (
        "app_mention",
        "A message mentioning the app or its bot user was posted",
    ),
    ("app_uninstalled", "The Slack app was uninstalled"),
    (
        "block_actions",
        "A user interacted with a Block Kit interactive component",
    ),
    ("channel_created", "A channel was created"),
    ("channel_rename", "A channel was renamed"),
    ("emoji_changed", "A custom emoji was added or changed"),
    ("file_shared", "A file was shared"),
    (
        "link_shared",
        "A message with one or more links relevant to the app was posted",
    ),
    ("member_joined_channel", "A user joined a channel"),
    ("member_left_channel", "A user left a channel"),
    ("message", "A message was sent to a channel or conversation"),
    (
        "message_action",
        "A user used one of the app's message shortcuts (message menu action)",
    ),
    (
        "reaction_added",
        "A member added an emoji reaction to an item",
    ),
    (
        "reaction_removed",
        "A member removed an emoji reaction from an item",
    ),
    ("shortcut", "A user used one of the app's global shortcuts"),
    (
        "slash_command",
        "A user invoked one of the app's slash commands",
    ),
    ("team_join", "A new member joined the workspace"),
    ("tokens_revoked", "API tokens for the app were revoked"),
    ("user_change", "A member's data changed"),
    ("view_closed", "A user closed (canceled) a modal"),
    ("view_submission", "A user submitted a modal"),
];

fn signed_base(timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut base = format!("v0:{timestamp}:").into_bytes();
    base.extend_from_slice(body);
    base
}

impl Adapter for Slack {
    fn manifest() -> Manifest {
        Manifest {
            name: "slack".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Slack".into(),
            description: "Slack Events API, slash commands and interactivity".into(),
            docs_url: "https://api.slack.com/authentication/verifying-requests-from-slack".into(),
            secrets: vec![SecretSpec {
                label: "Signing secret".into(),
                help: "The app's Signing Secret: api.slack.com/apps → your app → Basic Information → App Credentials.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": 300,
                    "description": "Largest accepted difference, in seconds and in either direction, between X-Slack-Request-Timestamp and the host clock; default 300 (Slack's recommended five minutes)"}},
                "additionalProperties": false
            })
            .to_string(),
            event_types: EVENTS.iter().map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() }).collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/event/type".into(),
                note: "for event_callback; otherwise the outer /type, or slash_command for form bodies".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let signature = request.require_header("X-Slack-Signature")?;
        let timestamp = request.require_header("X-Slack-Request-Timestamp")?;
        let hex = signature
            .strip_prefix("v0=")
            .ok_or_else(|| VerifyError::Malformed("signature must start with v0=".into()))?;
        let provided = hex_decode(hex).map_err(VerifyError::Malformed)?;
        let seconds: i64 = timestamp.parse().map_err(|_| {
            VerifyError::Malformed("X-Slack-Request-Timestamp is not a number".into())
        })?;
        let base = signed_base(timestamp, &request.body);
        any_secret(secrets, &[provided], |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &base)
        })?;
        check_timestamp(seconds, context.now_ms, settings.tolerance_seconds)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        if request.body.first() != Some(&b'{') {
            return handle_form(&request);
        }
        let body = request.json()?;
        let outer = json_string(&body, "/type")
            .ok_or_else(|| HandleError::Malformed("payload has no type".into()))?;
        if outer == "url_verification" {
            let challenge = json_string(&body, "/challenge").ok_or_else(|| {
                HandleError::Malformed("url_verification has no challenge".into())
            })?;
            return Ok(Outcome::Respond(DirectResponse {
                status: 200,
                headers: vec![Header {
                    name: "Content-Type".into(),
                    value: "text/plain".into(),
                }],
                body: challenge.into_bytes(),
            }));
        }
        let event_type = match outer.as_str() {
            "event_callback" => json_string(&body, "/event/type").unwrap_or(outer),
            _ => outer,
        };
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&body, "/event_id"),
            occurred_at: body
                .get("event_time")
                .and_then(Value::as_i64)
                .map(|s| s * 1000),
            subject: json_string(&body, "/team_id"),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let timestamp = (input.now_ms / 1000).to_string();
        let signature = hex_encode(&crypto::hmac_sha256(
            input.secret.as_bytes(),
            &signed_base(&timestamp, &input.body),
        ));
        let content_type = if input.body.first() == Some(&b'{') {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: content_type.into(),
                },
                Header {
                    name: "X-Slack-Request-Timestamp".into(),
                    value: timestamp,
                },
                Header {
                    name: "X-Slack-Signature".into(),
                    value: format!("v0={signature}"),
                },
            ],
            body: input.body,
        })
    }
}

/// Slash commands and interactivity arrive form-encoded.
fn handle_form(request: &Request) -> Result<Outcome, HandleError> {
    let form = request.form();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let (event_type, data, trigger_id) = if let Some(payload) = field("payload") {
        let payload: Value = hookyard_sdk::serde_json::from_str(&payload)
            .map_err(|e| HandleError::Malformed(format!("payload is not JSON: {e}")))?;
        let event_type = json_string(&payload, "/type")
            .ok_or_else(|| HandleError::Malformed("payload has no type".into()))?;
        let trigger_id = json_string(&payload, "/trigger_id");
        (event_type, payload, trigger_id)
    } else if field("command").is_some() {
        let data: hookyard_sdk::serde_json::Map<String, Value> = form
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        (
            "slash_command".to_string(),
            Value::Object(data),
            field("trigger_id"),
        )
    } else {
        return Err(HandleError::Malformed(
            "form body is neither a slash command nor an interaction payload".into(),
        ));
    };
    Ok(Outcome::Events(vec![Event {
        event_type,
        dedup_id: trigger_id,
        occurred_at: None,
        subject: field("team_id"),
        data: data.to_string(),
    }]))
}

hookyard_sdk::export_adapter!(Slack);
