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

impl Declared for Slack {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("slack", "Slack", "Slack Events API, slash commands and interactivity")
            .docs("https://api.slack.com/authentication/verifying-requests-from-slack")
            .secret("Signing secret", "The app's Signing Secret: api.slack.com/apps → your app → Basic Information → App Credentials.")
            .events_file(include_str!("../events.txt"))
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
    .time(Time::unix_seconds("/event_time"))
    // The Events API's url_verification (verified like any request).
    .handshake(
        Handshake::echo(Field::pointer("/challenge"))
            .when(Field::pointer("/type"), "url_verification"),
    );

    /// Form bodies (slash commands, interactivity) before the declared JSON
    /// events and handshake.
    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        if request.body.first() != Some(&b'{') {
            return handle_form(request);
        }
        Self::DECLARATION.handle_in(request, context)
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
