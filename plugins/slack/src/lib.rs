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

pub struct Slack;

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

impl Declared for Slack {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("slack", "Slack", "Slack Events API, slash commands and interactivity")
            .docs("https://api.slack.com/authentication/verifying-requests-from-slack")
            .secret("Signing secret", "The app's Signing Secret: api.slack.com/apps → your app → Basic Information → App Credentials.")
            .events(EVENTS)
            .discriminator(DiscriminatorLocation::Body, "/event/type")
            .discriminator_note("for event_callback; otherwise the outer /type, or slash_command for form bodies"),
        &Scheme::slack_like("X-Slack-Signature", "X-Slack-Request-Timestamp").tolerance_note("Largest accepted difference, in seconds and in either direction, between X-Slack-Request-Timestamp and the host clock; default 300 (Slack's recommended five minutes)"),
    )
    // An event_callback's inner event type, else the outer type.
    .event_type(Field::first(&[
        Field::custom(|s| match json_string(s.record, "/type")?.as_str() {
            "event_callback" => json_string(s.record, "/event/type"),
            _ => None,
        }),
        Field::pointer("/type"),
    ]))
    .dedup_id(Field::pointer("/event_id"))
    .subject(Field::pointer("/team_id"))
    .time(Time::unix_seconds("/event_time"));

    /// Form bodies (slash commands, interactivity), and the Events API's
    /// url_verification handshake, before the declared JSON events.
    fn handle(request: &Request, _context: &Context) -> Result<Outcome, HandleError> {
        if request.body.first() != Some(&b'{') {
            return handle_form(request);
        }
        let body = request.json()?;
        if json_string(&body, "/type").as_deref() == Some("url_verification") {
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
        let events = Self::DECLARATION.mapping.events_in(request, &body)?;
        Ok(Outcome::Events(events))
    }

    fn sign(input: &SignInput) -> Result<SignedRequest, String> {
        let request = SignedRequestBuilder::from(Self::DECLARATION.sign(input)?);
        if input.body.first() == Some(&b'{') {
            return Ok(request.build());
        }
        Ok(request
            .content_type("application/x-www-form-urlencoded")
            .build())
    }
}

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
