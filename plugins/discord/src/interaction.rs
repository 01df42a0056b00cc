//! Interactions a user started (types 2–5): Discord waits up to three seconds
//! for an interaction response on the same request, so each is stored as one
//! event *and* answered (contract 0.2 `reply`) with the response that buys the
//! application time to act on the stored event: a deferred channel message
//! (`5`, "thinking…") for commands and modal submits, a deferred update
//! (`6`) for components, and an empty choice list (`8`) for autocomplete,
//! which cannot be deferred. The follow-up message is the application's to
//! send with the interaction `token` kept in the event's data.

use hookyard_sdk::prelude::*;

/// Discord's `MessageFlags.EPHEMERAL`: only the invoking user sees it.
const EPHEMERAL: u64 = 1 << 6;

/// The event type and description of interaction type `kind`, if Discord
/// documents it.
pub fn name(kind: i64) -> Option<&'static str> {
    crate::INTERACTIONS
        .iter()
        .find(|(number, _, _)| *number == kind)
        .map(|(_, name, _)| *name)
}

/// What the interaction is about: its guild and channel (`guild/channel`),
/// the channel alone in a direct message.
fn subject(body: &Value) -> Option<String> {
    let parts: Vec<String> = ["/guild_id", "/channel_id"]
        .iter()
        .filter_map(|pointer| json_string(body, pointer))
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The interaction response answering interaction type `kind`.
pub fn response(kind: i64, ephemeral: bool) -> Value {
    match kind {
        3 => json!({"type": 6}),
        4 => json!({"type": 8, "data": {"choices": []}}),
        _ if ephemeral => json!({"type": 5, "data": {"flags": EPHEMERAL}}),
        _ => json!({"type": 5}),
    }
}

/// One event for the interaction and the deferred answer.
pub fn reply(kind: i64, body: &Value, ephemeral: bool) -> Outcome {
    let event_type = name(kind)
        .map(str::to_string)
        .unwrap_or_else(|| format!("interaction.type_{kind}"));
    let id = json_string(body, "/id");
    let event = Event {
        event_type,
        occurred_at: id.as_deref().and_then(crate::snowflake_ms),
        dedup_id: id,
        subject: subject(body),
        data: body.to_string(),
    };
    Outcome::Reply(Reply {
        events: vec![event],
        response: Some(DirectResponse {
            status: 200,
            headers: vec![Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
            }],
            body: response(kind, ephemeral).to_string().into_bytes(),
        }),
        follow_up: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_gets_its_deferred_answer() {
        assert_eq!(response(2, false), json!({"type": 5}));
        assert_eq!(response(5, true), json!({"type": 5, "data": {"flags": 64}}));
        assert_eq!(response(3, true), json!({"type": 6}));
        assert_eq!(response(4, false)["type"], 8);
    }

    #[test]
    fn subject_is_guild_and_channel() {
        let guild = json!({"guild_id": "1", "channel_id": "2"});
        assert_eq!(subject(&guild).as_deref(), Some("1/2"));
        assert_eq!(subject(&json!({"channel_id": "2"})).as_deref(), Some("2"));
        assert_eq!(subject(&json!({})), None);
    }
}
